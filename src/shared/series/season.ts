/**
 * The season a time axis suggests, in rows: what the seasonal-naive baseline repeats. The app's
 * first draft and the CLI's default both use this one rule.
 */
import type { TimeCadence } from './time-axis'

/** A time axis' step: fixed (`ms`) or calendar months (`months` > 0). */
export type SeasonCadence = Pick<TimeCadence, 'ms'> & Partial<Pick<TimeCadence, 'months'>>

const DAY = 86_400_000
const WEEK = 7 * DAY

/**
 * A day of sub-daily rows (when the step divides a day), a week of daily rows, a year of weekly
 * rows (52) and a year of calendar rows whose step divides a year (12 monthly, 6 bimonthly,
 * 4 quarterly, 3 four-monthly, 2 half-yearly). Null when no season applies: yearly data, steps
 * that divide neither a day nor a year, or no time axis.
 */
export function defaultSeasonRows(cadence: SeasonCadence | null): number | null {
  if (!cadence) return null
  const months = cadence.months ?? 0
  if (months > 0) return months < 12 && 12 % months === 0 ? 12 / months : null
  const ms = cadence.ms
  if (!(ms > 0)) return null
  if (ms < DAY) return DAY % ms === 0 ? DAY / ms : null
  if (ms === DAY) return 7
  if (ms === WEEK) return 52
  return null
}

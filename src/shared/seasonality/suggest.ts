import { seasonalIndices } from './classical'
import { seasonalStrength } from './strength'

/**
 * Suggests seasons from the data, cross-checked against the cadence: only the calendar seasons of
 * the cadence are candidates (a day and a week of sub-daily rows, a week of daily rows, a year of
 * weekly, monthly or quarterly rows), and each is kept when its seasonal strength, measured after
 * removing the trend (a centred moving average of one season) and the seasons already kept, reaches
 * SEASON_STRENGTH. Periodogram peaks alone mislead: monthly CO2 shows one at 62, and sunspots'
 * 11-year cycle is not a calendar season, so neither is offered.
 */
export const SEASON_STRENGTH = 0.3

const HOUR = 3_600_000
const DAY = 24 * HOUR

export interface SeasonCandidate {
  /** Season in rows. */
  period: number
  /** Calendar name: "day", "week" or "year". */
  label: string
  /** Seasonal strength in [0, 1] of what the shorter kept seasons left. */
  strength: number
  kept: boolean
}

export interface SeasonSuggestion {
  /** Kept seasons, shortest first; empty when none is clear. */
  seasons: number[]
  candidates: SeasonCandidate[]
  /**
   * Calendar seasons of the cadence not measured: fewer than three cycles of rows (`rows` is
   * how many there were). Without them a person reads "no season for this time axis" on
   * weekly data whose year is simply longer than a third of its training rows.
   */
  tooShort?: { period: number; label: string; rows: number }[]
  /** Missing values interpolated (by row) for the measurement only. */
  filled?: number
}

/** The calendar seasons of a cadence, shortest first. */
export function cadenceSeasons(
  cadence: { ms: number; months?: number } | null,
): { period: number; label: string }[] {
  if (!cadence) return []
  if (cadence.months) {
    if (cadence.months === 1) return [{ period: 12, label: 'year' }]
    if (cadence.months === 3) return [{ period: 4, label: 'year' }]
    return []
  }
  const ms = cadence.ms
  if (!(ms > 0)) return []
  if (ms < DAY) {
    const day = DAY / ms
    if (!Number.isInteger(day) || day < 2) return []
    return [
      { period: day, label: 'day' },
      { period: 7 * day, label: 'week' },
    ]
  }
  if (ms === DAY) return [{ period: 7, label: 'week' }]
  if (ms === 7 * DAY) return [{ period: 52, label: 'year' }]
  return []
}

export function suggestSeasons(
  values: ArrayLike<number>,
  cadence: { ms: number; months?: number } | null,
): SeasonSuggestion {
  const residual = Float64Array.from(values)
  // One missing value would make every moving average after it NaN, and the strength 0: a clear
  // daily cycle read "too weak" until the gaps were filled. Measure on the values interpolated.
  const filled = fillByRow(residual)
  const candidates: SeasonCandidate[] = []
  const tooShort: { period: number; label: string; rows: number }[] = []
  for (const { period, label } of cadenceSeasons(cadence)) {
    // Three cycles at least, so that a profile is not just the one cycle it was measured on.
    if (residual.length < 3 * period) {
      tooShort.push({ period, label, rows: residual.length })
      continue
    }
    const strength = seasonalStrength(residual, period)
    const kept = strength >= SEASON_STRENGTH
    candidates.push({ period, label, strength, kept })
    if (!kept) continue
    const index = seasonalIndices(residual, period, 'additive')
    for (let t = 0; t < residual.length; t++) residual[t] -= index[t % period]
  }
  return {
    seasons: candidates.filter((c) => c.kept).map((c) => c.period),
    candidates,
    ...(tooShort.length ? { tooShort } : {}),
    ...(filled ? { filled } : {}),
  }
}

/**
 * Fills non-finite values in place, linearly between the finite values around them by row, and
 * with the nearest finite value at either end; returns how many were filled (none when every
 * value is missing).
 */
function fillByRow(v: Float64Array): number {
  let filled = 0
  let left = -1
  for (let i = 0; i <= v.length; i++) {
    if (i < v.length && !Number.isFinite(v[i])) continue
    const gap = i - left - 1
    if (gap > 0 && (left >= 0 || i < v.length)) {
      for (let j = left + 1; j < i; j++) {
        v[j] =
          left < 0
            ? v[i]
            : i >= v.length
              ? v[left]
              : v[left] + ((j - left) / (i - left)) * (v[i] - v[left])
      }
      filled += gap
    }
    left = i
  }
  return filled
}

/**
 * Durations in the units a person uses for the data at hand: "15 min", "1 day", "5 d 23 h",
 * "3 months", "about 5 trading days"; and elapsed seconds of a computation ("3 min 20 s").
 */
import { NO_VALUE, formatCount } from './number'

const SECOND = 1000
const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
/** The mean Gregorian year, for cadences written as fractions of a year. */
export const MS_PER_YEAR = 365.2425 * DAY

const plural = (n: number, one: string, many = `${one}s`): string =>
  `${formatCount(n)} ${n === 1 ? one : many}`

/**
 * A span of time: "250 ms", "12 s", "15 min", "1 day", "5 d 23 h", "12 days". Whole units read
 * as words ("1 day", "2 weeks"); mixed spans keep the short form ("1 d 6 h").
 */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return NO_VALUE
  const sign = ms < 0 ? '-' : ''
  let rest = Math.abs(Math.round(ms))
  if (rest === 0) return '0 s'
  if (rest < SECOND) return `${sign}${rest} ms`
  if (rest < MINUTE) return `${sign}${Number((rest / SECOND).toPrecision(3))} s`
  if (rest % (7 * DAY) === 0) return sign + plural(rest / (7 * DAY), 'week')
  if (rest % DAY === 0) return sign + plural(rest / DAY, 'day')
  const parts: string[] = []
  const days = Math.floor(rest / DAY)
  rest -= days * DAY
  const hours = Math.floor(rest / HOUR)
  rest -= hours * HOUR
  const minutes = Math.round(rest / MINUTE)
  if (days) parts.push(`${formatCount(days)} d`)
  if (hours) parts.push(`${hours} h`)
  if (minutes && days < 7) parts.push(`${minutes} min`)
  return sign + (parts.join(' ') || '0 min')
}

/** What `steps` rows of a time axis span, in the cadence's own units. */
export interface StepCadence {
  ms: number
  /** Calendar months per row (monthly, quarterly, yearly data); 0 or absent otherwise. */
  months?: number
  /** Rows per year for a time axis written in decimal years (R's `ts`, e.g. 260 trading days). */
  perYear?: number
}

/** Trading days per year in the decimal-year series people meet (R's EuStockMarkets: 260). */
const TRADING_YEAR = [250, 262] as const

/**
 * `steps` rows of the time axis in words: "1 day", "5 d 23 h", "3 months", "2 years",
 * "about 5 trading days" (decimal years of 260 rows a year); null without a time axis.
 */
export function formatSteps(steps: number, cadence: StepCadence | null): string | null {
  if (!cadence) return null
  if (cadence.months) {
    const months = steps * cadence.months
    if (months % 12 === 0) return plural(months / 12, 'year')
    return plural(months, 'month')
  }
  const perYear = cadence.perYear
  if (perYear && perYear > 0) {
    const years = steps / perYear
    if (Number.isInteger(years) && years !== 0) return plural(years, 'year')
    if (perYear === 12) return plural(steps, 'month')
    if (perYear === 4) return plural(steps, 'quarter')
    if (perYear === 52) return plural(steps, 'week')
    if (perYear >= TRADING_YEAR[0] && perYear <= TRADING_YEAR[1])
      return `about ${plural(steps, 'trading day')}`
    return `about ${formatDuration(steps * cadence.ms)}`
  }
  return formatDuration(steps * cadence.ms)
}

/** The label of a cadence of `1 / perYear` year ("1/260 year (about 1 trading day)"). */
export function yearFractionLabel(perYear: number): string {
  if (perYear === 1) return '1 year'
  if (perYear === 4) return '1 quarter'
  if (perYear === 12) return '1 month'
  if (perYear === 52) return '1 week'
  if (perYear === 365 || perYear === 366) return '1 day'
  if (perYear >= TRADING_YEAR[0] && perYear <= TRADING_YEAR[1])
    return `1/${perYear} year (about 1 trading day)`
  if (Number.isInteger(perYear)) return `1/${perYear} year`
  return `${formatStepsFallback(1 / perYear)} year`
}

function formatStepsFallback(years: number): string {
  return String(Number(years.toPrecision(3)))
}

/**
 * Seconds a computation took or will take: "< 0.1 s", "3.2 s", "12 s", "3 min 20 s",
 * "1 h 05 min".
 */
export function formatSeconds(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s) || s < 0) return NO_VALUE
  if (s < 0.05) return '< 0.1 s'
  if (s < 9.95) return `${s.toFixed(1)} s`
  if (s < 59.5) return `${Math.round(s)} s`
  const total = Math.round(s)
  const m = Math.floor(total / 60)
  if (m < 60) return `${m} min ${String(total % 60).padStart(2, '0')} s`
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`
}

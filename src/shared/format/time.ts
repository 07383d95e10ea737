/**
 * Timestamps at the precision the data has: a date for daily data ("2013-09-15"), the month for
 * monthly data ("2013-09"), minutes or seconds only where the data has them, and the decimal
 * year where the file wrote its time that way ("1991.4962"), and month, day and clock without
 * an invented year where the file had none ("Jan 1 01:00"). Exports write what a spreadsheet
 * reads back: dates without a clock for date-only data, ISO 8601 otherwise, decimal years as
 * decimal years and year-less times as written ("01-01T01:00:00").
 */
import {
  MS_PER_DAY,
  civilFromMs,
  daysFromCivil,
  formatTime,
  timePrecision,
} from '../series/calendar'
import { YEARLESS_YEAR, isYearlessFormat } from '../csv/datetime'
import { NO_VALUE } from './number'

export type TimePrecision = 'year' | 'month' | 'day' | 'minute' | 'second' | 'ms'

export type TimeStyle =
  | { kind: 'calendar'; precision: TimePrecision }
  | { kind: 'decimal-year'; decimals: number }
  /** Month-day times without a year (read in a stand-in year, which is never written). */
  | { kind: 'time-of-year'; precision: TimePrecision }

/** The end of the stand-in year of year-less times: "12-31T24:00:00" in NOAA's hourly normals. */
const YEAR_END = daysFromCivil(YEARLESS_YEAR + 1, 1, 1) * MS_PER_DAY

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** Without a known time column: full date and minutes. */
export const DEFAULT_TIME_STYLE: TimeStyle = { kind: 'calendar', precision: 'minute' }

/** The decimal year of epoch ms (inverse of `decimalYearToMs`: fraction of that year's length). */
export function msToDecimalYear(t: number): number {
  const y = civilFromMs(t).year
  const start = daysFromCivil(y, 1, 1) * MS_PER_DAY
  const end = daysFromCivil(y + 1, 1, 1) * MS_PER_DAY
  return y + (t - start) / (end - start)
}

/**
 * The style of a time column. `format` is the column's format label ('decimal-year' for R-style
 * decimal years); `perYear` the rows per year of a decimal-year cadence, which sets how many
 * decimals tell neighbouring rows apart (260 a year → 4 decimals).
 */
export function timeStyleOf(
  column: { format: string; values: ArrayLike<number> } | null | undefined,
  cadence?: { perYear?: number } | null,
): TimeStyle {
  if (!column) return DEFAULT_TIME_STYLE
  const precision = timePrecision(column.values)
  if (isYearlessFormat(column.format)) return { kind: 'time-of-year', precision }
  // Monthly decimal years (1749.083) are read as month starts: shown as months.
  if (column.format === 'decimal-year' && precision !== 'month' && precision !== 'year') {
    const perYear = cadence?.perYear && cadence.perYear > 0 ? cadence.perYear : 365
    const decimals = Math.min(6, Math.max(1, Math.ceil(Math.log10(perYear)) + 1))
    return { kind: 'decimal-year', decimals }
  }
  return { kind: 'calendar', precision }
}

/** A timestamp for the screen, in a column's style. */
export function formatTimestamp(t: number | null | undefined, style: TimeStyle): string {
  if (t === null || t === undefined || !Number.isFinite(t)) return NO_VALUE
  if (style.kind === 'decimal-year') return msToDecimalYear(t).toFixed(style.decimals)
  if (style.kind === 'time-of-year') return timeOfYear(Math.round(t), style.precision)
  // Whole milliseconds: decimal-year conversions leave fractions that would print as ".692.1875".
  return formatTime(Math.round(t), style.precision)
}

/** Start … end of a time axis in the column's style. */
export function formatTimeRange(start: number, end: number, style: TimeStyle): string {
  return `${formatTimestamp(start, style)} … ${formatTimestamp(end, style)}`
}

/**
 * A timestamp for a file: "2014-01-14" for date-only data (daily, monthly, yearly),
 * "2016-07-10T14:50:00.000Z" otherwise, and the decimal year with 15 significant digits (as R
 * writes it) for decimal-year data. Empty when missing.
 */
export function exportTimestamp(t: number | null | undefined, style: TimeStyle): string {
  if (t === null || t === undefined || !Number.isFinite(t)) return ''
  if (style.kind === 'decimal-year') return String(Number(msToDecimalYear(t).toPrecision(15)))
  // As the file wrote it: month-day and time, no year ("01-01T01:00:00").
  if (style.kind === 'time-of-year') {
    const r = Math.round(t)
    return r === YEAR_END ? '12-31T24:00:00' : formatTime(r, 'second').slice(5).replace(' ', 'T')
  }
  const p = style.precision
  if (p === 'year' || p === 'month' || p === 'day') return formatTime(Math.round(t), 'day')
  return new Date(Math.round(t)).toISOString()
}

/** "Jan 1 01:00" (seconds only where the data has them): month-day time, no year. */
function timeOfYear(t: number, precision: TimePrecision): string {
  // The midnight that ends the year, as NOAA writes it (hours 01…24), not the stand-in's Jan 1.
  if (t === YEAR_END)
    return precision === 'second' || precision === 'ms' ? 'Dec 31 24:00:00' : 'Dec 31 24:00'
  const c = civilFromMs(t)
  const date = `${MONTHS[c.month - 1]} ${c.day}`
  if (precision === 'year' || precision === 'month' || precision === 'day') return date
  const clock = formatTime(t, precision).slice(11)
  return `${date} ${clock}`
}

/**
 * Civil-calendar arithmetic on UTC milliseconds without Date objects (H. Hinnant's
 * days-from-civil algorithms), used by the CSV datetime parsers, the time-axis report and the
 * gap-filling repair. Local times without zone are read as UTC throughout Seqcast.
 */

export const MS_PER_SECOND = 1000
export const MS_PER_MINUTE = 60_000
export const MS_PER_HOUR = 3_600_000
export const MS_PER_DAY = 86_400_000

/** Days since 1970-01-01 of the proleptic Gregorian date y-m-d (m 1…12, d 1…31). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y
  const era = Math.floor(yy / 400)
  const yoe = yy - era * 400
  const mp = m > 2 ? m - 3 : m + 9
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

export interface Civil {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
  ms: number
}

/** The civil date and time (UTC) of epoch milliseconds. */
export function civilFromMs(t: number): Civil {
  const days = Math.floor(t / MS_PER_DAY)
  let rest = t - days * MS_PER_DAY
  const z = days + 719468
  const era = Math.floor(z / 146097)
  const doe = z - era * 146097
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  )
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0)
  const hour = Math.floor(rest / MS_PER_HOUR)
  rest -= hour * MS_PER_HOUR
  const minute = Math.floor(rest / MS_PER_MINUTE)
  rest -= minute * MS_PER_MINUTE
  const second = Math.floor(rest / MS_PER_SECOND)
  const ms = rest - second * MS_PER_SECOND
  return { year, month, day, hour, minute, second, ms }
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0
}

export function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31
}

/** Months since 1970-01 (January 1970 = 0) of a timestamp. */
export function monthIndex(t: number): number {
  const c = civilFromMs(t)
  return (c.year - 1970) * 12 + (c.month - 1)
}

/**
 * Adds whole calendar months. The day of month is kept, clamped to the month's length; with
 * `monthEnd` the result is always the last day of its month (for month-end series).
 */
export function addMonths(t: number, months: number, monthEnd = false): number {
  const c = civilFromMs(t)
  const total = c.year * 12 + (c.month - 1) + months
  const y = Math.floor(total / 12)
  const m = total - y * 12 + 1
  const last = daysInMonth(y, m)
  const d = monthEnd ? last : Math.min(c.day, last)
  const timeOfDay = t - Math.floor(t / MS_PER_DAY) * MS_PER_DAY
  return daysFromCivil(y, m, d) * MS_PER_DAY + timeOfDay
}

/** Epoch ms of a decimal year such as R's `1991.496` (fraction of that year's length). */
export function decimalYearToMs(x: number): number {
  const y = Math.floor(x)
  const start = daysFromCivil(y, 1, 1) * MS_PER_DAY
  const end = daysFromCivil(y + 1, 1, 1) * MS_PER_DAY
  return start + (x - y) * (end - start)
}

const pad2 = (n: number): string => (n < 10 ? '0' : '') + n

/**
 * `yyyy-mm-dd HH:MM:SS` (UTC), dropping parts that are zero for every value of a series:
 * pass `precision` 'month' | 'day' | 'minute' | 'second' | 'ms' to choose; default 'second'.
 */
export function formatTime(
  t: number,
  precision: 'year' | 'month' | 'day' | 'minute' | 'second' | 'ms' = 'second',
): string {
  if (!Number.isFinite(t)) return 'missing'
  // Whole ms: decimal-year times carry fractions that would print as "27.692.1875".
  const c = civilFromMs(Math.round(t))
  const year = c.year < 0 ? '-' + String(-c.year).padStart(4, '0') : String(c.year).padStart(4, '0')
  if (precision === 'year') return year
  const month = `${year}-${pad2(c.month)}`
  if (precision === 'month') return month
  const day = `${month}-${pad2(c.day)}`
  if (precision === 'day') return day
  const minute = `${day} ${pad2(c.hour)}:${pad2(c.minute)}`
  if (precision === 'minute') return minute
  const second = `${minute}:${pad2(c.second)}`
  if (precision === 'second') return second
  return `${second}.${String(c.ms).padStart(3, '0')}`
}

/** The coarsest precision that shows every value of `values` exactly (NaN ignored). */
export function timePrecision(
  values: ArrayLike<number>,
): 'year' | 'month' | 'day' | 'minute' | 'second' | 'ms' {
  let level = 0 // 0 year, 1 month, 2 day, 3 minute, 4 second, 5 ms
  for (let i = 0; i < values.length && level < 5; i++) {
    const t = values[i]
    if (!Number.isFinite(t)) continue
    const inDay = t - Math.floor(t / MS_PER_DAY) * MS_PER_DAY
    if (inDay % MS_PER_SECOND !== 0) level = 5
    else if (inDay % MS_PER_MINUTE !== 0) level = Math.max(level, 4)
    else if (inDay !== 0) level = Math.max(level, 3)
    else if (level < 2) {
      const c = civilFromMs(t)
      if (c.day !== 1) level = 2
      else if (c.month !== 1) level = Math.max(level, 1)
    }
  }
  return (['year', 'month', 'day', 'minute', 'second', 'ms'] as const)[level]
}

/**
 * Datetime formats: detection on a sample of cells and byte-level parsers straight to epoch
 * milliseconds (UTC; local times without zone are read as UTC). No Date objects are made.
 *
 * Text formats (the date part, optionally followed by ` ` or `T`, `HH:MM[:SS[.fff]]` and a zone
 * `Z` / `±hh[:mm]`):
 *   yyyy-mm-dd (ISO 8601), yyyy/mm/dd, yyyy.mm.dd, dd.mm.yyyy (Jena), dd/mm/yyyy, dd-mm-yyyy,
 *   mm/dd/yyyy, mm-dd-yyyy, yyyy-mm and yyyy/mm (monthly), and mm-dd / mm/dd with a time and
 *   no year (NOAA's hourly normals: `01-01T01:00:00`), read in YEARLESS_YEAR.
 * dd/mm and mm/dd are told apart by a day above 12; when every value fits both, the order that
 * keeps the sample sorted wins, and mm/dd/yyyy is kept (with an `ambiguous-date` issue) on a tie.
 * Numeric formats (decided on the whole parsed column): unix seconds, unix milliseconds, decimal
 * years (R's `1991.496`) and plain years.
 */
import {
  MS_PER_DAY,
  MS_PER_HOUR,
  MS_PER_MINUTE,
  daysFromCivil,
  daysInMonth,
  decimalYearToMs,
} from '../series/calendar'
import { DOT, MINUS, NINE, PLUS, SPACE, ZERO } from './bytes'

export type DateOrder = 'ymd' | 'dmy' | 'mdy' | 'ym' | 'md'

/**
 * The year a month-day time without a year (NOAA's hourly normals: `01-01T01:00:00`) is read
 * in: a year without a February 29, so 8,760 hourly rows have no gap at the end of February.
 * It is never shown or exported (src/shared/format/time.ts writes such times as "Jan 1 01:00")
 * and it gives no weekday (src/shared/features/calendar.ts).
 */
export const YEARLESS_YEAR = 2001

export interface DateSpec {
  order: DateOrder
  /** Separator byte of the date part: '-', '/' or '.'. */
  sep: number
}

const SLASH = 47
const COLON = 58
const T_UPPER = 84
const Z_UPPER = 90

/** Shape of the last value parsed, used to name the format. */
export interface DateShape {
  timeSep: number // 0 when there is no time part
  seconds: boolean
  fraction: boolean
  zone: 'none' | 'Z' | 'offset'
}

/** Result of the last successful parse (module state: the hot loop reads it without allocation). */
export const dateOut = { value: 0 }
const shape: DateShape = { timeSep: 0, seconds: false, fraction: false, zone: 'none' }

let cacheY = -1
let cacheM = -1
let cacheD = -1
let cacheDays = 0

function days(y: number, m: number, d: number): number {
  if (y !== cacheY || m !== cacheM || d !== cacheD) {
    cacheY = y
    cacheM = m
    cacheD = d
    cacheDays = daysFromCivil(y, m, d)
  }
  return cacheDays
}

/**
 * Parses a datetime of the given spec at `buf[p…end)`. Returns the position after it (the
 * caller checks that a delimiter follows) or -1. The value is in `dateOut.value`.
 */
export function parseDateAt(
  buf: Uint8Array,
  p: number,
  end: number,
  order: DateOrder,
  sep: number,
): number {
  let q = p
  let a = 0
  let b = 0
  let c = 0
  let n = 0
  let ch: number
  // first number
  while (q < end && (ch = buf[q]) >= ZERO && ch <= NINE && n < 4) {
    a = a * 10 + (ch - ZERO)
    q++
    n++
  }
  if (order === 'ymd' || order === 'ym' ? n !== 4 : order === 'md' ? n !== 2 : n < 1 || n > 2)
    return -1
  if (q >= end || buf[q] !== sep) return -1
  q++
  n = 0
  while (q < end && (ch = buf[q]) >= ZERO && ch <= NINE && n < 2) {
    b = b * 10 + (ch - ZERO)
    q++
    n++
  }
  if (n === 0 || (order === 'md' && n !== 2)) return -1
  let y: number
  let m: number
  let d: number
  if (order === 'ym') {
    y = a
    m = b
    d = 1
  } else if (order === 'md') {
    y = YEARLESS_YEAR
    m = a
    d = b
  } else {
    if (q >= end || buf[q] !== sep) return -1
    q++
    n = 0
    const maxDigits = order === 'ymd' ? 2 : 4
    while (q < end && (ch = buf[q]) >= ZERO && ch <= NINE && n < maxDigits) {
      c = c * 10 + (ch - ZERO)
      q++
      n++
    }
    if (order === 'ymd') {
      if (n === 0) return -1
      y = a
      m = b
      d = c
    } else {
      if (n !== 4) return -1
      y = c
      if (order === 'dmy') {
        d = a
        m = b
      } else {
        m = a
        d = b
      }
    }
  }
  if (q < end && (ch = buf[q]) >= ZERO && ch <= NINE) return -1 // too many digits
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return -1
  let t = days(y, m, d) * MS_PER_DAY
  shape.timeSep = 0
  shape.seconds = false
  shape.fraction = false
  shape.zone = 'none'
  if (q + 1 < end && order !== 'ym') {
    const s = buf[q]
    const next = buf[q + 1]
    if ((s === SPACE || s === T_UPPER) && next >= ZERO && next <= NINE) {
      // time part HH:MM[:SS[.fff]]
      let r = q + 1
      let hh = 0
      n = 0
      while (r < end && (ch = buf[r]) >= ZERO && ch <= NINE && n < 2) {
        hh = hh * 10 + (ch - ZERO)
        r++
        n++
      }
      if (r >= end || buf[r] !== COLON) return -1
      r++
      let mi = 0
      n = 0
      while (r < end && (ch = buf[r]) >= ZERO && ch <= NINE && n < 2) {
        mi = mi * 10 + (ch - ZERO)
        r++
        n++
      }
      if (n !== 2) return -1
      let ss = 0
      let frac = 0
      if (r < end && buf[r] === COLON) {
        r++
        n = 0
        while (r < end && (ch = buf[r]) >= ZERO && ch <= NINE && n < 2) {
          ss = ss * 10 + (ch - ZERO)
          r++
          n++
        }
        if (n !== 2) return -1
        shape.seconds = true
        if (r + 1 < end && buf[r] === DOT) {
          const f = buf[r + 1]
          if (f >= ZERO && f <= NINE) {
            r++
            let scale = 1000
            while (r < end && (ch = buf[r]) >= ZERO && ch <= NINE) {
              scale /= 10
              frac += (ch - ZERO) * scale
              r++
            }
            shape.fraction = true
          }
        }
      }
      if (hh > 24 || mi > 59 || ss > 60 || (hh === 24 && (mi !== 0 || ss !== 0))) return -1
      t += hh * MS_PER_HOUR + mi * MS_PER_MINUTE + ss * 1000 + Math.round(frac)
      shape.timeSep = s
      q = r
      // zone
      if (q < end) {
        const z = buf[q]
        if (z === Z_UPPER) {
          q++
          shape.zone = 'Z'
        } else if (z === PLUS || z === MINUS) {
          let r2 = q + 1
          let oh = 0
          n = 0
          while (r2 < end && (ch = buf[r2]) >= ZERO && ch <= NINE && n < 2) {
            oh = oh * 10 + (ch - ZERO)
            r2++
            n++
          }
          if (n !== 2) return -1
          let om = 0
          if (r2 < end && buf[r2] === COLON) r2++
          n = 0
          while (r2 < end && (ch = buf[r2]) >= ZERO && ch <= NINE && n < 2) {
            om = om * 10 + (ch - ZERO)
            r2++
            n++
          }
          if (n === 1 || oh > 23 || om > 59) return -1
          const offset = oh * MS_PER_HOUR + om * MS_PER_MINUTE
          t += z === PLUS ? -offset : offset
          q = r2
          shape.zone = 'offset'
        }
      }
    }
  }
  // Month and day alone ("12-05") are as likely a range or a score as a date: read without a
  // year only with a clock time, as the hourly normals write it.
  if (order === 'md' && shape.timeSep === 0) return -1
  dateOut.value = t
  return q
}

/**
 * Why a text column of month-day labels without a clock time ("01-01", "12/31": NOAA's daily
 * normals) is not read as time, or null when its labels are not that: what the Data view says.
 */
export function monthDayLabelNote(categories: readonly string[]): string | null {
  if (categories.length === 0) return null
  let fits = 0
  for (const c of categories) {
    const m = /^(\d\d)([-/])(\d\d)$/.exec(c.trim())
    if (m && +m[1] >= 1 && +m[1] <= 12 && +m[3] >= 1 && +m[3] <= daysInMonth(2000, +m[1])) fits++
  }
  if (fits < Math.ceil(categories.length * 0.9)) return null
  return `Month and day without a year or a clock time ("${categories[0]}"): read as labels, not times, since such a pair may as well be a range or a score. Add a year (or an hour, as in "01-01T01:00") to every value to use the column as the time axis.`
}

/** True for the format label of month-day times without a year ('mm-ddTHH:MM:SS', …). */
export function isYearlessFormat(format: string): boolean {
  return /^mm[-/]dd(?![-/])/.test(format)
}

/** The format name of a spec and a value shape, e.g. 'dd.mm.yyyy HH:MM:SS' or 'yyyy-mm'. */
export function formatLabel(spec: DateSpec, s: DateShape): string {
  const sep = String.fromCharCode(spec.sep)
  const date =
    spec.order === 'ymd'
      ? `yyyy${sep}mm${sep}dd`
      : spec.order === 'dmy'
        ? `dd${sep}mm${sep}yyyy`
        : spec.order === 'mdy'
          ? `mm${sep}dd${sep}yyyy`
          : spec.order === 'md'
            ? `mm${sep}dd`
            : `yyyy${sep}mm`
  if (s.timeSep === 0) return date
  let label = `${date}${s.timeSep === T_UPPER ? 'T' : ' '}HH:MM`
  if (s.seconds) label += ':SS'
  if (s.fraction) label += '.fff'
  if (s.zone === 'Z') label += 'Z'
  else if (s.zone === 'offset') label += '±hh:mm'
  return label
}

const CANDIDATES: DateSpec[] = [
  { order: 'ymd', sep: MINUS },
  { order: 'ymd', sep: SLASH },
  { order: 'ymd', sep: DOT },
  { order: 'dmy', sep: DOT },
  { order: 'mdy', sep: SLASH },
  { order: 'dmy', sep: SLASH },
  { order: 'mdy', sep: MINUS },
  { order: 'dmy', sep: MINUS },
  { order: 'ym', sep: MINUS },
  { order: 'ym', sep: SLASH },
  { order: 'md', sep: MINUS },
  { order: 'md', sep: SLASH },
]

export interface DetectedDate {
  spec: DateSpec
  label: string
  /** Every sample value also fitted the other day/month order. */
  ambiguous: boolean
}

const encoder = new TextEncoder()

/** Parses a whole text cell with a spec; NaN when it does not fit. */
export function parseDateText(text: string, spec: DateSpec): number {
  const bytes = encoder.encode(text.trim())
  const q = parseDateAt(bytes, 0, bytes.length, spec.order, spec.sep)
  return q === bytes.length ? dateOut.value : NaN
}

/**
 * The format that reads at least 90 % of the non-missing sample cells (all of them when there
 * are fewer than 10), or null.
 */
export function detectDateFormat(cells: readonly string[]): DetectedDate | null {
  if (cells.length === 0) return null
  const encoded = cells.map((c) => encoder.encode(c.trim()))
  const need = cells.length < 10 ? cells.length : Math.ceil(cells.length * 0.9)
  const fits: { spec: DateSpec; label: string; values: number[] }[] = []
  for (const spec of CANDIDATES) {
    let ok = 0
    let label = ''
    const values: number[] = []
    for (const bytes of encoded) {
      const q = parseDateAt(bytes, 0, bytes.length, spec.order, spec.sep)
      if (q === bytes.length && q > 0) {
        if (ok === 0) label = formatLabel(spec, shape)
        ok++
        values.push(dateOut.value)
      }
    }
    if (ok >= need) fits.push({ spec, label, values })
  }
  if (fits.length === 0) return null
  const first = fits[0]
  if (first.spec.order === 'dmy' || first.spec.order === 'mdy') {
    const other = fits.find(
      (f) => f.spec.sep === first.spec.sep && f.spec.order !== first.spec.order && f !== first,
    )
    if (other) {
      const sortedSteps = (v: number[]): number => {
        let k = 0
        for (let i = 1; i < v.length; i++) if (v[i] >= v[i - 1]) k++
        return k
      }
      const a = sortedSteps(first.values)
      const b = sortedSteps(other.values)
      if (a === b) {
        const mdy = first.spec.order === 'mdy' ? first : other
        return { spec: mdy.spec, label: mdy.label, ambiguous: true }
      }
      const best = a > b ? first : other
      return { spec: best.spec, label: best.label, ambiguous: false }
    }
  }
  return { spec: first.spec, label: first.label, ambiguous: false }
}

export type NumericTimeFormat = 'unix-s' | 'unix-ms' | 'decimal-year' | 'yyyy'

const WORD = (words: string): RegExp => new RegExp(`(^|[^a-z])(${words})([^a-z]|$)`, 'i')
const SHORT_NAME = /^(t|ds|ts)$/i
const TIME_NAME = WORD('date|time|datetime|timestamp|year|month|week|day|hour|period|epoch|unix')
const YEAR_NAME = WORD('year|yr|time|date')

/**
 * True for column names that suggest a time axis (`Date Time`, `timestamp`, `year`, `ds`, …) as
 * whole words, so `update_count` is not one.
 */
export function isTimeLikeName(name: string): boolean {
  return TIME_NAME.test(name) || SHORT_NAME.test(name.trim())
}

/**
 * Whether a numeric column holds times: unix seconds (1973…2286), unix milliseconds, decimal
 * years or whole years (1000…2200). Needs a time-like name, or (for `first` columns with no other
 * time column) values that strictly increase. Missing values (NaN) are ignored.
 */
export function detectNumericTime(
  name: string,
  values: Float64Array,
  count: number,
  first: boolean,
): NumericTimeFormat | null {
  const named = isTimeLikeName(name)
  if (!named && !first) return null
  let min = Infinity
  let max = -Infinity
  let integers = true
  let increasing = true
  let prev = -Infinity
  let seen = 0
  for (let i = 0; i < count; i++) {
    const v = values[i]
    if (Number.isNaN(v)) continue
    if (!Number.isFinite(v)) return null
    seen++
    if (v < min) min = v
    if (v > max) max = v
    if (integers && !Number.isInteger(v)) integers = false
    if (v <= prev) increasing = false
    prev = v
  }
  if (seen < 2 || (!named && !increasing)) return null
  if (min >= 1e8 && max < 1e10) return 'unix-s'
  if (min >= 1e11 && max < 1e13) return 'unix-ms'
  if (min >= 1000 && max <= 2200) {
    if (integers) return YEAR_NAME.test(name) || SHORT_NAME.test(name.trim()) ? 'yyyy' : null
    return 'decimal-year'
  }
  return null
}

/**
 * Converts a numeric column to epoch ms in place. Decimal years whose fractions all lie within
 * 0.005 of a twelfth (R's monthly `ts`, written as 1749.083) snap to the first of that month,
 * unless two different values would land in the same month; other decimal years (such as
 * 1991.496 from a daily or weekly series) use the exact fraction of the year's length.
 */
export function numericToTime(
  values: Float64Array,
  count: number,
  format: NumericTimeFormat,
): void {
  if (format === 'unix-s') {
    for (let i = 0; i < count; i++) values[i] *= 1000
    return
  }
  if (format === 'unix-ms') return
  if (format === 'yyyy') {
    for (let i = 0; i < count; i++) {
      const v = values[i]
      if (!Number.isNaN(v)) values[i] = daysFromCivil(v, 1, 1) * MS_PER_DAY
    }
    return
  }
  // Snap to months only when every value is near a twelfth (R's ts: 1959, 1959.0833 …) or
  // every value is near the middle of a twelfth (NOAA's mid-month "decimal date": 1958.2027 for
  // March 15, 1958.2083 for (3 − 0.5) / 12), and distinct values stay distinct months.
  const start = monthOf(values, count, 0)
  const monthly = start ? start : monthOf(values, count, 0.5)
  for (let i = 0; i < count; i++) {
    const v = values[i]
    if (Number.isNaN(v)) continue
    if (monthly) {
      const index = monthly.get(v)!
      values[i] = daysFromCivil(Math.floor(index / 12), (index % 12) + 1, 1) * MS_PER_DAY
    } else {
      values[i] = decimalYearToMs(v)
    }
  }
}

/**
 * Each decimal year's month (year · 12 + month − 1) when every value lies within a tolerance of
 * `offset` twelfths into its month (0: month starts, ±0.06; 0.5: mid-month, ±0.17, which holds
 * day-based mid-month fractions of 28- to 31-day months), and no two values share a month;
 * else null.
 */
function monthOf(values: Float64Array, count: number, offset: 0 | 0.5): Map<number, number> | null {
  const tolerance = offset === 0 ? 0.06 : 0.17
  const months = new Map<number, number>()
  const taken = new Set<number>()
  for (let i = 0; i < count; i++) {
    const v = values[i]
    if (Number.isNaN(v) || months.has(v)) continue
    const f = (v - Math.floor(v)) * 12 - offset
    const nearest = Math.round(f)
    if (Math.abs(f - nearest) > tolerance) return null
    const month = Math.floor(v) * 12 + nearest
    if (taken.has(month)) return null
    taken.add(month)
    months.set(v, month)
  }
  return months
}

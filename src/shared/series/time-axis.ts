/**
 * The time axis of a dataset: is it sorted, which timestamps repeat, what is the dominant
 * cadence, and where are the gaps relative to it. Rows here are 0-based dataset row indices; the
 * CSV import turns them into file line numbers for its messages.
 *
 * Cadence: the most common positive step between consecutive (sorted) timestamps. When every
 * timestamp sits at the same day of month (≤ 28) or at month ends, at the same time of day, and
 * the common step is about a month or longer, the cadence is a calendar one counted in months
 * ('1 month', '1 quarter', '1 year'), because months and years have no fixed length in ms.
 */
import { SeqcastError } from '../errors'
import {
  MS_PER_DAY,
  MS_PER_HOUR,
  MS_PER_MINUTE,
  civilFromMs,
  daysInMonth,
  formatTime,
  timePrecision,
} from './calendar'
import type { Column, Dataset, DatetimeColumn } from './dataset'
import { MS_PER_YEAR, formatDuration, yearFractionLabel } from '../format/duration'
import { DEFAULT_TIME_STYLE, msToDecimalYear, timeStyleOf, type TimeStyle } from '../format/time'
import {
  detectDateFormat,
  detectNumericTime,
  isYearlessFormat,
  numericToTime,
  parseDateText,
  type NumericTimeFormat,
} from '../csv/datetime'

export interface TimeCadence {
  /** Step in ms; for calendar cadences the average length (e.g. 30.44 days per month). */
  ms: number
  /** Calendar months per step: 1 month, 3 a quarter, 12 a year; 0 for fixed cadences. */
  months: number
  /** Calendar cadence anchored at month ends (Jan 31, Feb 28, …). */
  monthEnd: boolean
  /** '10 min', '1 h', '1 day', '1 month', '1 quarter', '1 year', … */
  label: string
  /** Share of the steps between consecutive timestamps that equal the cadence, 0…1. */
  share: number
  /**
   * Rows per year when the file writes time as decimal years (R's `ts`: 1991.496, 1991.500, …):
   * such a cadence is a fraction of a year, whose length in ms changes with leap years.
   */
  perYear?: number
  /**
   * Times of the year without a year (NOAA's hourly normals, `01-01T01:00:00`): read in a
   * stand-in year, so they have no weekday.
   */
  yearless?: boolean
}

export interface TimeGap {
  /** Row (0-based) of the timestamp before the gap. */
  afterRow: number
  /** Row (0-based) of the timestamp after the gap. */
  beforeRow: number
  from: number
  to: number
  /** Rows the cadence expects between `from` and `to`. */
  missingRows: number
}

export interface TimeDuplicate {
  /** Row (0-based) that repeats a timestamp seen before. */
  row: number
  /** First row with that timestamp. */
  firstRow: number
  time: number
}

export interface TimeAxisReport {
  column: string
  format: string
  /** Rows with a timestamp. */
  count: number
  /** Rows whose timestamp is missing. */
  missing: number
  start: number
  end: number
  sorted: boolean
  /** Steps (in row order) where time goes backwards. */
  unsortedSteps: number
  /** First row (0-based) whose time is earlier than the row before it. */
  firstUnsortedRow: number | null
  duplicates: { count: number; examples: TimeDuplicate[] }
  cadence: TimeCadence | null
  gaps: { count: number; missingRows: number; largest: TimeGap | null; examples: TimeGap[] }
  /** Positive steps that are not a whole multiple of the cadence. */
  irregularSteps: number
  /** First irregular step, or null. */
  firstIrregular: TimeGap | null
}

const EXAMPLES = 10

/** Human label of a fixed cadence: '10 min', '1 h', '90 min', '1 day', '2 weeks', '250 ms'. */
export function cadenceLabel(ms: number): string {
  const units: [number, string, string][] = [
    [7 * MS_PER_DAY, 'week', 'weeks'],
    [MS_PER_DAY, 'day', 'days'],
    [MS_PER_HOUR, 'h', 'h'],
    [MS_PER_MINUTE, 'min', 'min'],
    [1000, 's', 's'],
  ]
  for (const [size, one, many] of units) {
    if (ms >= size && ms % size === 0) {
      const k = ms / size
      return `${k} ${k === 1 ? one : many}`
    }
  }
  // No whole unit (a decimal-year step in ms, float noise included): human units, never
  // "2626948800.000244 ms".
  return formatDuration(ms)
}

export function calendarLabel(months: number): string {
  if (months === 1) return '1 month'
  if (months === 3) return '1 quarter'
  if (months === 12) return '1 year'
  if (months % 12 === 0) return `${months / 12} years`
  return `${months} months`
}

/** The time column of a dataset as a datetime column, or null. */
export function timeColumnOf(dataset: Dataset): DatetimeColumn | null {
  if (dataset.timeColumn === null) return null
  const col = dataset.columns.find((c) => c.name === dataset.timeColumn)
  return col && col.kind === 'datetime' ? col : null
}

/**
 * How the dataset's times are written on screen and in exports (src/shared/format/time.ts): in
 * its time column's style (decimal years with their cadence's decimals, times without a year as
 * such), or dates and minutes without a time column.
 */
export function datasetTimeStyle(dataset: Dataset): TimeStyle {
  const column = timeColumnOf(dataset)
  if (!column) return DEFAULT_TIME_STYLE
  return timeStyleOf(
    column,
    column.format === 'decimal-year' ? analyzeTimeAxis(dataset)?.cadence : null,
  )
}

export function analyzeTimeAxis(dataset: Dataset): TimeAxisReport | null {
  const col = timeColumnOf(dataset)
  if (!col) return null
  return analyzeTimes(col.values, col.name, col.format, dataset.rowCount)
}

/** Stable order of the rows with a timestamp, by time. */
export function timeOrder(times: ArrayLike<number>, length = times.length): Uint32Array {
  let n = 0
  let sorted = true
  let prev = -Infinity
  for (let i = 0; i < length; i++) {
    const t = times[i]
    if (t !== t) continue
    n++
    if (t < prev) sorted = false
    prev = t
  }
  const order = new Uint32Array(n)
  let k = 0
  for (let i = 0; i < length; i++) if (times[i] === times[i]) order[k++] = i
  if (!sorted) order.sort((a, b) => times[a] - times[b] || a - b)
  return order
}

interface CalendarInfo {
  months: number
  monthEnd: boolean
  index: Float64Array // month index per ordered timestamp
}

function calendarAnchor(times: ArrayLike<number>, order: Uint32Array): CalendarInfo | null {
  if (order.length < 2) return null
  const first = civilFromMs(times[order[0]])
  const timeOfDay =
    first.hour * MS_PER_HOUR + first.minute * MS_PER_MINUTE + first.second * 1000 + first.ms
  let sameDay = first.day <= 28
  let monthEnd = first.day === daysInMonth(first.year, first.month)
  const index = new Float64Array(order.length)
  for (let k = 0; k < order.length; k++) {
    const c = civilFromMs(times[order[k]])
    const tod = c.hour * MS_PER_HOUR + c.minute * MS_PER_MINUTE + c.second * 1000 + c.ms
    if (tod !== timeOfDay) return null
    if (c.day !== first.day) sameDay = false
    if (c.day !== daysInMonth(c.year, c.month)) monthEnd = false
    if (!sameDay && !monthEnd) return null
    index[k] = c.year * 12 + c.month - 1
  }
  return { months: 0, monthEnd: !sameDay && monthEnd, index }
}

function mode(counts: Map<number, number>): [number, number] {
  let best = 0
  let bestCount = 0
  for (const [value, count] of counts) {
    if (count > bestCount || (count === bestCount && value < best)) {
      best = value
      bestCount = count
    }
  }
  return [best, bestCount]
}

/** The time-axis report of one column of epoch-ms values (NaN = missing). */
export function analyzeTimes(
  times: ArrayLike<number>,
  column: string,
  format: string,
  length = times.length,
): TimeAxisReport {
  let unsortedSteps = 0
  let firstUnsortedRow: number | null = null
  let prev = NaN
  let missing = 0
  for (let i = 0; i < length; i++) {
    const t = times[i]
    if (t !== t) {
      missing++
      continue
    }
    if (t < prev) {
      unsortedSteps++
      if (firstUnsortedRow === null) firstUnsortedRow = i
    }
    prev = t
  }
  const order = timeOrder(times, length)
  const n = order.length
  const report: TimeAxisReport = {
    column,
    format,
    count: n,
    missing,
    start: n > 0 ? times[order[0]] : NaN,
    end: n > 0 ? times[order[n - 1]] : NaN,
    sorted: unsortedSteps === 0,
    unsortedSteps,
    firstUnsortedRow,
    duplicates: { count: 0, examples: [] },
    cadence: null,
    gaps: { count: 0, missingRows: 0, largest: null, examples: [] },
    irregularSteps: 0,
    firstIrregular: null,
  }
  if (n < 2) return report

  // duplicates and step counts
  const steps = new Map<number, number>()
  let runStart = order[0]
  let positive = 0
  for (let k = 1; k < n; k++) {
    const d = times[order[k]] - times[order[k - 1]]
    if (d === 0) {
      report.duplicates.count++
      if (report.duplicates.examples.length < EXAMPLES) {
        report.duplicates.examples.push({
          row: order[k],
          firstRow: runStart,
          time: times[order[k]],
        })
      }
    } else {
      runStart = order[k]
      positive++
      steps.set(d, (steps.get(d) ?? 0) + 1)
    }
  }
  if (positive === 0) return report
  const [step, stepCount] = mode(steps)
  // Monthly decimal years were snapped to month starts on import: a calendar cadence below.
  if (format === 'decimal-year' && step < 28 * MS_PER_DAY)
    return decimalYearCadence(report, times, order, positive)

  let calendar: CalendarInfo | null = null
  if (step >= 28 * MS_PER_DAY) calendar = calendarAnchor(times, order)
  const addGap = (k: number, missingRows: number): void => {
    const gap: TimeGap = {
      afterRow: order[k - 1],
      beforeRow: order[k],
      from: times[order[k - 1]],
      to: times[order[k]],
      missingRows,
    }
    report.gaps.count++
    report.gaps.missingRows += missingRows
    if (report.gaps.examples.length < EXAMPLES) report.gaps.examples.push(gap)
    if (!report.gaps.largest || missingRows > report.gaps.largest.missingRows) {
      report.gaps.largest = gap
    }
  }
  const addIrregular = (k: number): void => {
    report.irregularSteps++
    if (!report.firstIrregular) {
      report.firstIrregular = {
        afterRow: order[k - 1],
        beforeRow: order[k],
        from: times[order[k - 1]],
        to: times[order[k]],
        missingRows: 0,
      }
    }
  }

  if (calendar) {
    const monthSteps = new Map<number, number>()
    for (let k = 1; k < n; k++) {
      const dm = calendar.index[k] - calendar.index[k - 1]
      if (dm > 0) monthSteps.set(dm, (monthSteps.get(dm) ?? 0) + 1)
    }
    const [months, monthCount] = mode(monthSteps)
    if (months > 0) {
      report.cadence = {
        ms: Math.round(months * 30.436875 * MS_PER_DAY),
        months,
        monthEnd: calendar.monthEnd,
        label: calendarLabel(months),
        share: monthCount / positive,
      }
      for (let k = 1; k < n; k++) {
        const d = times[order[k]] - times[order[k - 1]]
        if (d === 0) continue
        const dm = calendar.index[k] - calendar.index[k - 1]
        if (dm === months) continue
        if (dm > months && dm % months === 0) addGap(k, dm / months - 1)
        else addIrregular(k)
      }
      return report
    }
  }

  report.cadence = {
    ms: step,
    months: 0,
    monthEnd: false,
    label: cadenceLabel(step),
    share: stepCount / positive,
    ...(isYearlessFormat(format) ? { yearless: true } : {}),
  }
  for (let k = 1; k < n; k++) {
    const d = times[order[k]] - times[order[k - 1]]
    if (d === 0 || d === step) continue
    if (d > step && d % step === 0) addGap(k, d / step - 1)
    else addIrregular(k)
  }
  return report
}

/**
 * The cadence of a time axis written in decimal years, counted in fractions of a year: R writes
 * a 260-a-year series as 1991.496, 1991.500, …, whose steps in ms differ between leap and
 * common years (and by float noise in the last digits), so steps are compared as years.
 */
function decimalYearCadence(
  report: TimeAxisReport,
  times: ArrayLike<number>,
  order: Uint32Array,
  positive: number,
): TimeAxisReport {
  const n = order.length
  const years = new Float64Array(n)
  for (let k = 0; k < n; k++) years[k] = msToDecimalYear(times[order[k]])
  const steps = new Map<number, number>()
  for (let k = 1; k < n; k++) {
    const d = years[k] - years[k - 1]
    if (d > 0) {
      const key = Number(d.toPrecision(4))
      steps.set(key, (steps.get(key) ?? 0) + 1)
    }
  }
  const [approx] = mode(steps)
  const rate = 1 / approx
  const perYear = Math.abs(rate - Math.round(rate)) < 0.01 * rate ? Math.round(rate) : rate
  const step = 1 / perYear
  let regular = 0
  for (let k = 1; k < n; k++) {
    const d = years[k] - years[k - 1]
    if (d <= 0) continue
    const ratio = d / step
    const whole = Math.round(ratio)
    if (whole >= 1 && Math.abs(ratio - whole) < 0.01) {
      if (whole === 1) {
        regular++
        continue
      }
      const gap: TimeGap = {
        afterRow: order[k - 1],
        beforeRow: order[k],
        from: times[order[k - 1]],
        to: times[order[k]],
        missingRows: whole - 1,
      }
      report.gaps.count++
      report.gaps.missingRows += whole - 1
      if (report.gaps.examples.length < EXAMPLES) report.gaps.examples.push(gap)
      if (!report.gaps.largest || gap.missingRows > report.gaps.largest.missingRows)
        report.gaps.largest = gap
    } else {
      report.irregularSteps++
      report.firstIrregular ??= {
        afterRow: order[k - 1],
        beforeRow: order[k],
        from: times[order[k - 1]],
        to: times[order[k]],
        missingRows: 0,
      }
    }
  }
  report.cadence = {
    ms: Math.round(step * MS_PER_YEAR),
    months: 0,
    monthEnd: false,
    label: yearFractionLabel(perYear),
    share: regular / positive,
    perYear,
  }
  return report
}

/** One-line description of a timestamp for messages, at the precision the series needs. */
export function describeTime(t: number, times?: ArrayLike<number>): string {
  return formatTime(t, times ? timePrecision(times) : 'second')
}

/**
 * Chooses the time column. `null` means no time column (rows are the time axis). A datetime
 * column is used as it is; a numeric column is converted with `as` (unix seconds / ms, decimal
 * year, year) or, without it, when its values look like one of those; a text column is converted
 * when its values fit one datetime format. Returns a new Dataset (columns are shared except a
 * converted one); throws SeqcastError kind 'column' otherwise.
 */
export function setTimeColumn(
  dataset: Dataset,
  name: string | null,
  options: { as?: NumericTimeFormat } = {},
): Dataset {
  if (name === null) return { ...dataset, timeColumn: null }
  const index = dataset.columns.findIndex((c) => c.name === name)
  if (index < 0) {
    const names = dataset.columns.map((c) => `"${c.name}"`).join(', ')
    throw new SeqcastError(
      'column',
      `${dataset.name}: there is no column "${name}" to use as time; the columns are ${names}. Choose one of them.`,
      { file: dataset.name, column: name },
    )
  }
  const col = dataset.columns[index]
  if (col.kind === 'datetime') return { ...dataset, timeColumn: name }
  const converted = toDatetimeColumn(col, dataset.rowCount, options.as)
  if (!converted) {
    const what =
      col.kind === 'numeric'
        ? 'holds numbers that are not unix seconds, unix milliseconds or (decimal) years'
        : 'holds text that does not fit one datetime format'
    throw new SeqcastError(
      'column',
      `${dataset.name}, column "${name}": cannot be the time column because it ${what}. Choose a column of dates or times, or "None: rows are the time axis".`,
      { file: dataset.name, column: name, kind: col.kind },
    )
  }
  const columns = dataset.columns.slice()
  columns[index] = converted
  return { ...dataset, columns, timeColumn: name }
}

function toDatetimeColumn(
  col: Column,
  rowCount: number,
  as: NumericTimeFormat | undefined,
): DatetimeColumn | null {
  if (col.kind === 'numeric') {
    const format = as ?? detectNumericTime(col.name, col.values, rowCount, true)
    if (!format) return null
    const values = col.values.slice()
    numericToTime(values, rowCount, format)
    return { name: col.name, kind: 'datetime', values, format }
  }
  if (col.kind === 'text') return datetimeFromText(col.name, col.codes, col.categories)
  return null
}

/** Reads a dictionary-encoded text column as datetimes when its values fit one format. */
export function datetimeFromText(
  name: string,
  codes: Int32Array,
  categories: readonly string[],
): DatetimeColumn | null {
  const detected = detectDateFormat(categories)
  if (!detected) return null
  const byCode = new Float64Array(categories.length)
  for (let i = 0; i < categories.length; i++)
    byCode[i] = parseDateText(categories[i], detected.spec)
  const values = new Float64Array(codes.length)
  for (let i = 0; i < codes.length; i++) values[i] = codes[i] < 0 ? NaN : byCode[codes[i]]
  return { name, kind: 'datetime', values, format: detected.label }
}

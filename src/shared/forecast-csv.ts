/**
 * The forecasts CSV every export writes (the CLI's forecasts.csv, the app's "Export forecasts…"):
 * one line per predicted value. Numbers are the engine's own: single-precision predictions in the
 * shortest form that reads back to the same single-precision number, doubles in shortest
 * round-trip form (`exportNumber`); the residual is the difference of the two written numbers
 * without float noise. Timestamps are dates for date-only data, decimal years where the file
 * wrote them, ISO 8601 otherwise (`exportTimestamp`).
 *
 *   timestamp,split,row,step,actual,predicted,residual,lower,upper,origin
 *   2016-07-10T14:50:00.000Z,val,315337,1,23.1,22.87,0.23,21.9,23.84,2016-07-09T14:50:00.000Z
 *   2017-01-01T00:00:00.000Z,future,420451,1,,21.5,,20.53,22.47,2016-12-31T23:50:00.000Z
 *
 * `row` is the 0-based dataset row of the target (future rows count on past the data's end);
 * `step` is 1…H within a window's horizon; residual = actual − predicted; future rows have no
 * actual and no residual. lower,upper: the prediction interval (empty without intervals, -inf /
 * inf where it is unbounded, as pandas reads them). `origin` (added last, so readers of the
 * earlier columns by position are unaffected): the forecast origin, the time of the window's
 * last row `t = s + (L−1)·R` — the moment the forecast was made from. With a horizon H > 1 the
 * same timestamp is forecast from H different origins; this column tells them apart. Without a
 * time axis it is the 0-based row of `t`; empty when the writer does not know the window.
 */
import type { Forecast, ForecastSet, FutureForecast } from './run'
import { exportDifference, exportNumber } from './format/number'
import { exportTimestamp, timeStyleOf, type TimeStyle } from './format/time'

/** `fold-k`: the windows of backtest fold k. */
export type ForecastCsvSplit = 'train' | 'val' | 'test' | 'all' | 'future' | `fold-${number}`

export interface ForecastColumns {
  split: ForecastCsvSplit
  /** Values per window, window-major: window k step h at k·H + h. */
  horizon: number
  /** Target row of each window's first step; rows of later steps follow it. */
  targetRows: Int32Array
  /** Epoch ms of each predicted value (n × H), or null without a time axis. */
  timestamps: Float64Array | null
  actual: Float64Array | null
  predicted: Float64Array
  /** Interval bounds per value; absent or null without intervals. */
  lower?: Float64Array | null
  upper?: Float64Array | null
}

export const FORECAST_CSV_HEADER =
  'timestamp,split,row,step,actual,predicted,residual,lower,upper,origin'
/** Headers of files written before the origin column, and before intervals; still read back. */
const OLD_FORECAST_CSV_HEADERS = [
  'timestamp,split,row,step,actual,predicted,residual,lower,upper',
  'timestamp,split,row,step,actual,predicted,residual',
]

/**
 * What the writer needs for the `origin` column: `lead` = delay − (L−1)·R, rows from a window's
 * last row to its first target (so origin row = first target row − lead), and the dataset's
 * time per row (null: no time axis, the origin is written as a row number).
 */
export interface ForecastOrigins {
  lead: number
  time: ArrayLike<number> | null
}

/** The origins of an experiment's windows: lead from its window settings. */
export function originsOf(
  window: { sequenceLength: number; samplingRate: number; delay: number },
  time: ArrayLike<number> | null,
): ForecastOrigins {
  return { lead: window.delay - (window.sequenceLength - 1) * window.samplingRate, time }
}

/**
 * `timeStyle`: how the dataset's time column is written (see `timeStyleOf`); without it the
 * precision is read from the timestamps themselves (a date for date-only data).
 */
export function formatForecastCsv(
  sets: ForecastColumns[],
  timeStyle?: TimeStyle,
  origins?: ForecastOrigins,
): string {
  const lines = [FORECAST_CSV_HEADER]
  const style = timeStyle ?? inferredStyle(sets)
  for (const set of sets) {
    const H = set.horizon
    for (let i = 0; i < set.predicted.length; i++) {
      const k = Math.floor(i / H)
      const h = i % H
      const t = set.timestamps ? set.timestamps[i] : NaN
      const actual = set.actual ? set.actual[i] : NaN
      const predicted = set.predicted[i]
      lines.push(
        [
          exportTimestamp(t, style),
          set.split,
          set.targetRows[k] >= 0 ? String(set.targetRows[k] + h) : '',
          String(h + 1),
          exportNumber(actual),
          exportNumber(predicted),
          exportDifference(actual, predicted),
          bound(set.lower, i),
          bound(set.upper, i),
          origin(set.targetRows[k], origins, style),
        ].join(','),
      )
    }
  }
  return lines.join('\n') + '\n'
}

/**
 * The forecast origin of the window whose first target is row `firstTarget`: its row and, with
 * a time axis, its time (null outside the data). The CSV's `origin` column and the Results
 * tooltip of a multi-step run both read it, so they name the same moment.
 */
export function originOf(
  firstTarget: number,
  origins: ForecastOrigins,
): { row: number; time: number | null } | null {
  const row = firstTarget - origins.lead
  if (firstTarget < 0 || row < 0) return null
  if (!origins.time) return { row, time: null }
  return row < origins.time.length ? { row, time: origins.time[row] } : null
}

function origin(
  firstTarget: number,
  origins: ForecastOrigins | undefined,
  style: TimeStyle,
): string {
  const o = origins ? originOf(firstTarget, origins) : null
  if (!o) return ''
  return o.time === null ? String(o.row) : exportTimestamp(o.time, style)
}

function inferredStyle(sets: ForecastColumns[]): TimeStyle {
  const values: number[] = []
  for (const set of sets) if (set.timestamps) for (const t of set.timestamps) values.push(t)
  return timeStyleOf({ format: '', values })
}

function bound(values: Float64Array | null | undefined, i: number): string {
  if (!values) return ''
  const x = values[i]
  return x === Infinity ? 'inf' : x === -Infinity ? '-inf' : exportNumber(x)
}

/** Windows in a forecast. */
export function windowCount(f: { horizon: number; predicted: ArrayLike<number> }): number {
  return f.horizon > 0 ? Math.floor(f.predicted.length / f.horizon) : 0
}

/** Target row of each window's first step (the engine's rowIndex is per value or per window). */
export function firstRows(f: {
  horizon: number
  rowIndex: Int32Array
  predicted: ArrayLike<number>
}): Int32Array {
  const n = windowCount(f)
  if (f.rowIndex.length === n) return f.rowIndex
  const out = new Int32Array(n)
  for (let k = 0; k < n; k++) out[k] = f.rowIndex[k * f.horizon]
  return out
}

/** Target row of every value (n × H). */
export function valueRows(f: {
  horizon: number
  rowIndex: Int32Array
  predicted: ArrayLike<number>
}): Int32Array {
  if (f.rowIndex.length === f.predicted.length) return f.rowIndex
  const first = firstRows(f)
  const out = new Int32Array(f.predicted.length)
  for (let i = 0; i < out.length; i++) out[i] = first[Math.floor(i / f.horizon)] + (i % f.horizon)
  return out
}

function perValueTimes(f: {
  timestamps: Float64Array | null
  predicted: ArrayLike<number>
}): Float64Array | null {
  return f.timestamps && f.timestamps.length === f.predicted.length ? f.timestamps : null
}

export function forecastColumns(split: ForecastCsvSplit, f: Forecast): ForecastColumns {
  return {
    split,
    horizon: f.horizon,
    targetRows: firstRows(f),
    timestamps: perValueTimes(f),
    actual: f.actual,
    predicted: f.predicted,
    lower: f.lower ?? null,
    upper: f.upper ?? null,
  }
}

export function futureColumns(f: FutureForecast): ForecastColumns {
  return {
    split: 'future',
    horizon: f.horizon,
    targetRows: firstRows(f),
    timestamps: perValueTimes(f),
    actual: null,
    predicted: f.predicted,
    lower: f.lower ?? null,
    upper: f.upper ?? null,
  }
}

const SPLIT_ORDER = ['train', 'val', 'test'] as const

/** The forecasts CSV of a run: its splits in time order, then the future rows. */
export function forecastsCsv(
  splits: Partial<Record<'train' | 'val' | 'test', Forecast>>,
  future: FutureForecast | null,
  timeStyle?: TimeStyle,
  origins?: ForecastOrigins,
): string {
  const sets: ForecastColumns[] = []
  for (const s of SPLIT_ORDER) {
    const f = splits[s]
    if (f) sets.push(forecastColumns(s, f))
  }
  if (future) sets.push(futureColumns(future))
  return formatForecastCsv(sets, timeStyle, origins)
}

/** The forecasts CSV of a forecast of a file (`predict`): every window as split "all", then the future rows. */
export function forecastSetCsv(
  set: Pick<ForecastSet, 'forecast' | 'future'>,
  timeStyle?: TimeStyle,
  origins?: ForecastOrigins,
): string {
  return formatForecastCsv(
    [forecastColumns('all', set.forecast), ...(set.future ? [futureColumns(set.future)] : [])],
    timeStyle,
    origins,
  )
}

export interface ForecastCsvRow {
  timestamp: string
  split: string
  row: number | null
  step: number
  actual: number | null
  predicted: number
  residual: number | null
  /** null without an interval; ±Infinity where it is unbounded. */
  lower: number | null
  upper: number | null
  /** The forecast origin as written ('' in files without the column). */
  origin: string
}

/** Reads the file back (for tests and for comparing an export with the engine's numbers). */
export function parseForecastCsv(text: string): ForecastCsvRow[] {
  const lines = text.trim().split(/\r?\n/)
  if (lines[0] !== FORECAST_CSV_HEADER && !OLD_FORECAST_CSV_HEADERS.includes(lines[0]))
    throw new Error(`not a Seqcast forecasts file: header ${lines[0]}`)
  const opt = (s: string | undefined) =>
    s === undefined || s === ''
      ? null
      : s === 'inf'
        ? Infinity
        : s === '-inf'
          ? -Infinity
          : Number(s)
  return lines.slice(1).map((line) => {
    const [timestamp, split, row, step, actual, predicted, residual, lower, upper, origin] =
      line.split(',')
    return {
      timestamp,
      split,
      row: opt(row),
      step: Number(step),
      actual: opt(actual),
      predicted: Number(predicted),
      residual: opt(residual),
      lower: opt(lower),
      upper: opt(upper),
      origin: origin ?? '',
    }
  })
}

/**
 * Resampling to a regular cadence, the repair for a time axis whose steps are irregular: rows are
 * grouped into buckets of one cadence step (fixed ms, or calendar months), and each bucket
 * becomes one row at its start time. Numeric columns take the mean, the sum or the last value of
 * the bucket (the user chooses; missing values are skipped); text and other datetime columns take
 * the last value. Buckets without rows become rows with missing values (the fill repair can
 * interpolate them). Rows without a time are dropped.
 */
import { SeqcastError } from '../errors'
import { addMonths, civilFromMs, daysFromCivil, MS_PER_DAY } from './calendar'
import type { Column, Dataset } from './dataset'
import { timeColumnOf } from './time-axis'

export type ResampleHow = 'mean' | 'sum' | 'last'

export interface ResampleOptions {
  /** Bucket length in ms (fixed cadences); ignored when `months` > 0. */
  stepMs: number
  /** Bucket length in calendar months (monthly, quarterly, yearly data). */
  months?: number
  how: ResampleHow
  /** Refuse to make more rows than this (default 10 million). */
  maxRows?: number
}

export interface ResampleResult {
  dataset: Dataset
  /** Rows before and after, and buckets that had no row. */
  rowsBefore: number
  rowsAfter: number
  emptyBuckets: number
  droppedWithoutTime: number
  note: string
}

export const RESAMPLE_LABEL: Record<ResampleHow, string> = {
  mean: 'mean',
  sum: 'sum',
  last: 'last value',
}

export function resampleDataset(dataset: Dataset, options: ResampleOptions): ResampleResult {
  const time = timeColumnOf(dataset)
  if (!time)
    throw new SeqcastError(
      'column',
      `${dataset.name}: resampling needs a time column. Choose one on the Data view first.`,
      { file: dataset.name },
    )
  const months = options.months ?? 0
  if (!(months > 0) && !(options.stepMs > 0))
    throw new SeqcastError('config', 'Resample: the bucket length must be positive.', {
      setting: 'resample',
    })
  const n = dataset.rowCount
  const t = time.values
  let lo = Infinity
  let hi = -Infinity
  let dropped = 0
  for (let i = 0; i < n; i++) {
    const v = t[i]
    if (v !== v) {
      dropped++
      continue
    }
    if (v < lo) lo = v
    if (v > hi) hi = v
  }
  if (lo === Infinity)
    throw new SeqcastError('column', `${dataset.name}: no row has a time to resample by.`, {
      file: dataset.name,
    })
  // The first bucket starts at the first time (fixed) or on the first of its month (calendar).
  const c0 = civilFromMs(lo)
  const origin = months > 0 ? daysFromCivil(c0.year, c0.month, 1) * MS_PER_DAY : lo
  const bucketOf = (v: number): number => {
    if (months > 0) {
      const c = civilFromMs(v)
      return Math.floor(((c.year - c0.year) * 12 + (c.month - c0.month)) / months)
    }
    return Math.floor((v - origin) / options.stepMs)
  }
  const m = bucketOf(hi) + 1
  const maxRows = options.maxRows ?? 10_000_000
  if (m > maxRows)
    throw new SeqcastError(
      'config',
      `${dataset.name}: resampling to this cadence would make ${m.toLocaleString('en-US')} rows, more than ${maxRows.toLocaleString('en-US')}. Choose a longer cadence.`,
      { setting: 'resample', rows: m },
    )
  const bucket = new Int32Array(n)
  const counts = new Int32Array(m)
  for (let i = 0; i < n; i++) {
    bucket[i] = t[i] === t[i] ? bucketOf(t[i]) : -1
    if (bucket[i] >= 0) counts[bucket[i]]++
  }
  const starts = new Float64Array(m)
  for (let k = 0; k < m; k++)
    starts[k] = months > 0 ? addMonths(origin, k * months) : origin + k * options.stepMs
  // Rows in time order within each bucket, so "last" is the latest reading.
  const order = Array.from({ length: n }, (_, i) => i)
    .filter((i) => bucket[i] >= 0)
    .sort((a, b) => t[a] - t[b] || a - b)
  const columns: Column[] = dataset.columns.map((c) => {
    if (c.name === time.name) return { ...c, values: starts }
    if (c.kind === 'text') {
      const codes = new Int32Array(m).fill(-1)
      for (const i of order) if (c.codes[i] >= 0) codes[bucket[i]] = c.codes[i]
      return { ...c, codes }
    }
    const out = new Float64Array(m).fill(NaN)
    if (c.kind === 'datetime' || options.how === 'last') {
      for (const i of order) if (c.values[i] === c.values[i]) out[bucket[i]] = c.values[i]
      return { ...c, values: out }
    }
    const sum = new Float64Array(m)
    const seen = new Int32Array(m)
    for (const i of order) {
      const v = c.values[i]
      if (v !== v) continue
      sum[bucket[i]] += v
      seen[bucket[i]]++
    }
    for (let k = 0; k < m; k++)
      if (seen[k] > 0) out[k] = options.how === 'sum' ? sum[k] : sum[k] / seen[k]
    return { ...c, values: out }
  })
  let empty = 0
  for (let k = 0; k < m; k++) if (counts[k] === 0) empty++
  const note =
    `Resampled to one row per bucket (${RESAMPLE_LABEL[options.how]} of each numeric column): ` +
    `${n.toLocaleString('en-US')} rows became ${m.toLocaleString('en-US')}` +
    (empty ? `, ${empty.toLocaleString('en-US')} of them empty (missing values)` : '') +
    (dropped ? `; ${dropped.toLocaleString('en-US')} rows without a time were dropped` : '') +
    '.'
  return {
    dataset: { name: dataset.name, rowCount: m, columns, timeColumn: dataset.timeColumn },
    rowsBefore: n,
    rowsAfter: m,
    emptyBuckets: empty,
    droppedWithoutTime: dropped,
    note,
  }
}

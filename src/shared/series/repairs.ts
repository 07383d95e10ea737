/**
 * Repairs the user chooses after reading the import report. `applyRepairs` never changes its
 * input: it returns a new Dataset and a summary of what changed. Steps run in this order:
 *
 * 1. sentinels as missing: the listed values (e.g. -9999) become NaN in numeric columns;
 * 2. sort by time: a stable sort (equal times keep their file order; rows without a time go last);
 * 3. drop exact duplicate rows: rows equal in every column to an earlier row (NaN equals NaN);
 * 4. fill gaps: rows are inserted at the dominant cadence (calendar months for monthly data) where
 *    the time axis skips steps; their values are missing until step 5. Needs sorted times;
 * 5. fill missing values in numeric columns: 'leave', 'ffill' (last value carried forward) or
 *    'linear' (interpolated in time when there is a time column, else by row). Values before the
 *    first or after the last reading have no neighbour and stay missing. ±Infinity counts as
 *    missing here (the import already reads it so; a dataset built another way may hold it).
 * 6. resample: one row per cadence bucket, numeric columns by mean, sum or last value
 *    (see resample.ts).
 */
import { addMonths } from './calendar'
import { analyzeTimes, timeColumnOf } from './time-axis'
import type { Column, Dataset } from './dataset'
import { resampleDataset, type ResampleOptions } from './resample'

export type FillMissing = 'leave' | 'ffill' | 'linear'

export interface RepairOptions {
  sortByTime?: boolean
  dropDuplicateRows?: boolean
  fillGaps?: boolean
  fillMissing?: FillMissing
  /** Values to treat as missing in numeric columns, e.g. [-9999]. */
  sentinels?: number[]
  /** Numeric columns that sentinels and filling apply to (default: all numeric columns). */
  columns?: string[]
  /** Fill gaps refuses to add more rows than this (default 10 million). */
  maxInsertedRows?: number
  /** Resample to a regular cadence, last. */
  resample?: ResampleOptions
}

export interface RepairSummary {
  rowsBefore: number
  rowsAfter: number
  sentinelsReplaced: number
  /** Whether sorting changed the row order. */
  sorted: boolean
  /** Rows whose position changed when sorting. */
  rowsMoved: number
  duplicatesDropped: number
  /** Rows inserted by fill gaps. */
  rowsInserted: number
  /** Missing numeric values filled by ffill / linear. */
  valuesFilled: number
  /** Missing numeric values left after the repairs. */
  stillMissing: number
  /** One sentence per step that changed something or could not run. */
  notes: string[]
}

export interface RepairResult {
  dataset: Dataset
  summary: RepairSummary
}

const f64 = new Float64Array(1)
const u32 = new Uint32Array(f64.buffer)

function hashValue(h: number, v: number): number {
  f64[0] = v !== v ? NaN : v === 0 ? 0 : v // one NaN, and -0 equals 0
  h = Math.imul(h ^ u32[0], 0x01000193)
  h = Math.imul(h ^ u32[1], 0x01000193)
  return h >>> 0
}

const same = (a: number, b: number): boolean => a === b || (a !== a && b !== b)

export function applyRepairs(dataset: Dataset, options: RepairOptions): RepairResult {
  const n = dataset.rowCount
  const summary: RepairSummary = {
    rowsBefore: n,
    rowsAfter: n,
    sentinelsReplaced: 0,
    sorted: false,
    rowsMoved: 0,
    duplicatesDropped: 0,
    rowsInserted: 0,
    valuesFilled: 0,
    stillMissing: 0,
    notes: [],
  }
  const chosen = options.columns ? new Set(options.columns) : null
  const timeName = timeColumnOf(dataset)?.name ?? null
  const applies = (c: Column): boolean =>
    c.kind === 'numeric' && (chosen === null || chosen.has(c.name))

  // 1. sentinels (on copies; every column is rebuilt below anyway)
  const values = new Map<string, Float64Array>()
  for (const c of dataset.columns) {
    if (c.kind !== 'text') values.set(c.name, c.values)
  }
  const sentinels = options.sentinels ?? []
  if (sentinels.length > 0) {
    const list = new Set(sentinels)
    for (const c of dataset.columns) {
      if (!applies(c) || c.kind !== 'numeric') continue
      let copy: Float64Array | null = null
      for (let i = 0; i < n; i++) {
        if (list.has(c.values[i])) {
          copy ??= c.values.slice(0, n)
          copy[i] = NaN
          summary.sentinelsReplaced++
        }
      }
      if (copy) values.set(c.name, copy)
    }
    if (summary.sentinelsReplaced > 0) {
      summary.notes.push(
        `${summary.sentinelsReplaced} sentinel value${summary.sentinelsReplaced === 1 ? '' : 's'} (${sentinels.join(', ')}) now count as missing.`,
      )
    }
  }

  const times = timeName ? (values.get(timeName) as Float64Array) : null
  // the current rows, as indices into the input
  let rows = new Uint32Array(n)
  for (let i = 0; i < n; i++) rows[i] = i

  // 2. sort by time (stable)
  if (options.sortByTime) {
    if (!times) summary.notes.push('Sort by time skipped: the dataset has no time column.')
    else {
      const timed: number[] = []
      const untimed: number[] = []
      for (let i = 0; i < n; i++) (times[i] === times[i] ? timed : untimed).push(i)
      timed.sort((a, b) => times[a] - times[b] || a - b)
      const order = Uint32Array.from([...timed, ...untimed])
      for (let i = 0; i < n; i++) if (order[i] !== i) summary.rowsMoved++
      if (summary.rowsMoved > 0) {
        summary.sorted = true
        rows = order
        summary.notes.push(
          `Sorted by time: ${summary.rowsMoved} row${summary.rowsMoved === 1 ? '' : 's'} moved${untimed.length ? `; ${untimed.length} rows without a time went to the end` : ''}.`,
        )
      }
    }
  }

  // 3. drop exact duplicate rows
  if (options.dropDuplicateRows) {
    const columns = dataset.columns
    const cell = (c: Column, r: number): number =>
      c.kind === 'text' ? c.codes[r] : (values.get(c.name) as Float64Array)[r]
    const seen = new Map<number, number[]>()
    const kept: number[] = []
    for (let k = 0; k < rows.length; k++) {
      const r = rows[k]
      let h = 0x811c9dc5
      for (const c of columns) h = hashValue(h, cell(c, r))
      const bucket = seen.get(h)
      let duplicate = false
      if (bucket) {
        for (const other of bucket) {
          let equal = true
          for (const c of columns) {
            if (!same(cell(c, r), cell(c, other))) {
              equal = false
              break
            }
          }
          if (equal) {
            duplicate = true
            break
          }
        }
      }
      if (duplicate) {
        summary.duplicatesDropped++
        continue
      }
      if (bucket) bucket.push(r)
      else seen.set(h, [r])
      kept.push(r)
    }
    if (summary.duplicatesDropped > 0) {
      rows = Uint32Array.from(kept)
      summary.notes.push(
        `Dropped ${summary.duplicatesDropped} row${summary.duplicatesDropped === 1 ? '' : 's'} equal in every column to an earlier row.`,
      )
    }
  }

  // 4. fill gaps: new rows are marked -1 in `source`, with their time in `insertedTimes`
  let source: Float64Array = Float64Array.from(rows)
  let rowTimes: Float64Array | null = times ? Float64Array.from(rows, (r) => times[r]) : null
  if (options.fillGaps) {
    if (!rowTimes || !timeName)
      summary.notes.push('Fill gaps skipped: the dataset has no time column.')
    else {
      const report = analyzeTimes(rowTimes, timeName, '')
      const cadence = report.cadence
      if (!report.sorted) {
        summary.notes.push('Fill gaps skipped: the times are not sorted; sort by time first.')
      } else if (!cadence) {
        summary.notes.push('Fill gaps skipped: the time axis has no cadence.')
      } else if (report.gaps.missingRows > (options.maxInsertedRows ?? 10_000_000)) {
        summary.notes.push(
          `Fill gaps skipped: it would insert ${report.gaps.missingRows} rows, more than the limit of ${options.maxInsertedRows ?? 10_000_000}; check the cadence (${cadence.label}).`,
        )
      } else if (report.gaps.missingRows > 0) {
        const total = source.length + report.gaps.missingRows
        const nextSource = new Float64Array(total)
        const nextTimes = new Float64Array(total)
        let k = 0
        let prev = NaN
        for (let i = 0; i < source.length; i++) {
          const t = rowTimes[i]
          if (t === t && prev === prev && t > prev) {
            let expected: number
            const step = (j: number): number =>
              cadence.months > 0
                ? addMonths(prev, j * cadence.months, cadence.monthEnd)
                : prev + j * cadence.ms
            // insert only into exact multiples of the cadence (irregular steps are left alone)
            let steps = 0
            if (cadence.months > 0) {
              while (step(steps + 1) < t) steps++
              expected = step(steps + 1) === t ? steps : 0
            } else {
              const q = (t - prev) / cadence.ms
              expected = Number.isInteger(q) ? q - 1 : 0
            }
            for (let j = 1; j <= expected; j++) {
              nextSource[k] = -1
              nextTimes[k] = step(j)
              k++
              summary.rowsInserted++
            }
          }
          nextSource[k] = source[i]
          nextTimes[k] = t
          k++
          if (t === t) prev = t
        }
        source = nextSource.subarray(0, k)
        rowTimes = nextTimes.subarray(0, k)
        summary.notes.push(
          `Filled ${report.gaps.count} gap${report.gaps.count === 1 ? '' : 's'} by inserting ${summary.rowsInserted} row${summary.rowsInserted === 1 ? '' : 's'} at the ${cadence.label} cadence; their values are missing${options.fillMissing && options.fillMissing !== 'leave' ? ' until filled below' : ''}.`,
        )
      }
    }
  }

  // build the columns in the new row order
  const m = source.length
  const columns: Column[] = dataset.columns.map((c) => {
    if (c.kind === 'text') {
      const codes = new Int32Array(m)
      for (let i = 0; i < m; i++) codes[i] = source[i] < 0 ? -1 : c.codes[source[i]]
      return { ...c, codes }
    }
    if (c.name === timeName && rowTimes) {
      return { ...c, values: rowTimes.slice() }
    }
    const from = values.get(c.name) as Float64Array
    const out = new Float64Array(m)
    for (let i = 0; i < m; i++) out[i] = source[i] < 0 ? NaN : from[source[i]]
    return { ...c, values: out }
  })

  // 5. fill missing values
  const mode = options.fillMissing ?? 'leave'
  const axis = columns.find((c) => c.name === timeName)
  const x = axis && axis.kind === 'datetime' ? axis.values : null
  let edges = 0
  for (const c of columns) {
    if (c.kind !== 'numeric' || c.name === timeName || !applies(c)) continue
    const v = c.values
    // ±Infinity is a missing value to fill; one left at an edge stays missing as NaN
    if (mode !== 'leave')
      for (let i = 0; i < m; i++) if (v[i] - v[i] !== 0 && v[i] === v[i]) v[i] = NaN
    if (mode === 'ffill') {
      let last = NaN
      for (let i = 0; i < m; i++) {
        if (Number.isFinite(v[i])) last = v[i]
        else if (last === last) {
          v[i] = last
          summary.valuesFilled++
        } else edges++
      }
    } else if (mode === 'linear') {
      let left = -1
      for (let i = 0; i < m; i++) {
        if (!Number.isFinite(v[i])) continue
        if (left >= 0 && i - left > 1) {
          const x0 = x ? x[left] : left
          const x1 = x ? x[i] : i
          for (let j = left + 1; j < i; j++) {
            const xj = x ? x[j] : j
            const w = x1 !== x0 && xj === xj ? (xj - x0) / (x1 - x0) : (j - left) / (i - left)
            v[j] = v[left] + w * (v[i] - v[left])
            summary.valuesFilled++
          }
        } else if (left < 0) edges += i
        left = i
      }
      edges += left < 0 ? m : m - 1 - left
    }
    for (let i = 0; i < m; i++) if (!Number.isFinite(v[i])) summary.stillMissing++
  }
  if (mode !== 'leave') {
    summary.notes.push(
      `${mode === 'ffill' ? 'Forward fill' : 'Linear interpolation'} filled ${summary.valuesFilled} missing value${summary.valuesFilled === 1 ? '' : 's'}${edges > 0 ? `; ${edges} at the ${mode === 'ffill' ? 'start' : 'start or end'} of a column had no value to fill from and stay missing` : ''}.`,
    )
  } else {
    for (const c of columns) {
      if (c.kind !== 'numeric' || c.name === timeName || !applies(c)) continue
      for (let i = 0; i < m; i++) if (!Number.isFinite(c.values[i])) summary.stillMissing++
    }
  }
  summary.rowsAfter = m
  const repaired: Dataset = {
    name: dataset.name,
    rowCount: m,
    columns,
    timeColumn: dataset.timeColumn,
  }
  if (options.resample) {
    const r = resampleDataset(repaired, options.resample)
    summary.rowsAfter = r.rowsAfter
    summary.notes.push(r.note)
    return { dataset: r.dataset, summary }
  }
  return { dataset: repaired, summary }
}

/**
 * The engine's forecasts in the shapes the Results view and the exports need. Pure; the CSV
 * itself is `@shared/forecast-csv` (the same formatter as the CLI's forecasts.csv).
 */
import { formatForecastCsv, type ForecastColumns } from '@shared/forecast-csv'
import type { Forecast, FutureForecast } from '@shared/run'

export type ForecastSplit = 'train' | 'val' | 'test'
export const FORECAST_SPLITS: readonly ForecastSplit[] = ['train', 'val', 'test']

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
  horizon: number
}): Float64Array | null {
  if (!f.timestamps) return null
  if (f.timestamps.length === f.predicted.length) return f.timestamps
  return null
}

export function forecastColumns(split: ForecastSplit, f: Forecast): ForecastColumns {
  return {
    split,
    horizon: f.horizon,
    targetRows: firstRows(f),
    timestamps: perValueTimes(f),
    actual: f.actual,
    predicted: f.predicted,
  }
}

export function futureColumns(f: FutureForecast): ForecastColumns {
  return {
    split: 'future',
    horizon: f.horizon,
    targetRows: new Int32Array(windowCount(f)).fill(-1),
    timestamps: perValueTimes(f),
    actual: null,
    predicted: f.predicted,
  }
}

/** The forecasts CSV of a run: its splits in time order, then the future rows. */
export function forecastsCsv(
  splits: Partial<Record<ForecastSplit, Forecast>>,
  future: FutureForecast | null,
): string {
  const sets: ForecastColumns[] = []
  for (const s of FORECAST_SPLITS) {
    const f = splits[s]
    if (f) sets.push(forecastColumns(s, f))
  }
  if (future) sets.push(futureColumns(future))
  return formatForecastCsv(sets)
}

/**
 * Splits one forecast over all windows (model:predict) by the split of each window's target row.
 */
export function splitByRows(
  f: Forecast,
  ranges: Record<ForecastSplit, { start: number; end: number }>,
): Partial<Record<ForecastSplit, Forecast>> {
  const H = f.horizon
  const first = firstRows(f)
  const rows = valueRows(f)
  const out: Partial<Record<ForecastSplit, Forecast>> = {}
  for (const s of FORECAST_SPLITS) {
    const { start, end } = ranges[s]
    const ks: number[] = []
    for (let k = 0; k < first.length; k++) if (first[k] >= start && first[k] < end) ks.push(k)
    if (ks.length === 0) continue
    const pick = <T extends Float64Array | Int32Array>(src: T, make: (n: number) => T): T => {
      const dst = make(ks.length * H)
      ks.forEach((k, j) => dst.set(src.subarray(k * H, k * H + H), j * H))
      return dst
    }
    out[s] = {
      horizon: H,
      rowIndex: pick(rows, (n) => new Int32Array(n)),
      timestamps:
        f.timestamps && f.timestamps.length === f.predicted.length
          ? pick(f.timestamps, (n) => new Float64Array(n))
          : null,
      actual: pick(f.actual, (n) => new Float64Array(n)),
      predicted: pick(f.predicted, (n) => new Float64Array(n)),
    }
  }
  return out
}

/** Histogram of finite values: `bins` equal-width bins over [min, max]. */
export function histogram(
  values: ArrayLike<number>,
  bins = 40,
): { edges: number[]; counts: number[] } {
  let lo = Infinity
  let hi = -Infinity
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (!Number.isFinite(v)) continue
    if (v < lo) lo = v
    if (v > hi) hi = v
  }
  if (lo === Infinity) return { edges: [], counts: [] }
  if (hi === lo) {
    hi = lo + 0.5
    lo = lo - 0.5
  }
  const width = (hi - lo) / bins
  const counts = new Array<number>(bins).fill(0)
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (!Number.isFinite(v)) continue
    counts[Math.min(bins - 1, Math.floor((v - lo) / width))]++
  }
  const edges = Array.from({ length: bins + 1 }, (_, i) => lo + i * width)
  return { edges, counts }
}

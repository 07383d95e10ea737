/**
 * The engine's forecasts in the shapes the Results view needs. Pure; the CSV and the row/step
 * layout helpers live in `@shared/forecast-csv` (the same writer as the CLI's forecasts.csv).
 */
import { multiple, niceStep } from './nice'
import { firstRows, valueRows } from '@shared/forecast-csv'
import type { Forecast } from '@shared/run'

export {
  firstRows,
  forecastColumns,
  forecastsCsv,
  futureColumns,
  valueRows,
  windowCount,
} from '@shared/forecast-csv'

export type ForecastSplit = 'train' | 'val' | 'test'
export const FORECAST_SPLITS: readonly ForecastSplit[] = ['train', 'val', 'test']

/**
 * Splits one forecast over all windows (model:predict) by the split of each window's target row.
 */
export function splitByRows(
  f: Forecast,
  ranges: Record<ForecastSplit, { start: number; end: number }>,
): Partial<Record<ForecastSplit, Forecast>> {
  const first = firstRows(f)
  return splitWindows(f, (s, k) => first[k] >= ranges[s].start && first[k] < ranges[s].end)
}

/**
 * Splits one forecast over all windows (model:predict) into the windows the engine trained and
 * evaluated on: those starting at a split's window starts (`experimentWindows(...).starts`, a
 * window reading its split's rows only). A window whose target is in validation but whose rows
 * begin in training is in neither, as in training, so a checkpoint's validation MAE here is the
 * one its epoch showed (splitting by target row counted those straddling windows as well).
 */
export function splitByStarts(
  f: Forecast,
  starts: Record<ForecastSplit, ArrayLike<number>>,
  delay: number,
): Partial<Record<ForecastSplit, Forecast>> {
  const first = firstRows(f)
  const sets = Object.fromEntries(
    FORECAST_SPLITS.map((s) => [s, new Set(Array.from(starts[s]))]),
  ) as Record<ForecastSplit, Set<number>>
  return splitWindows(f, (s, k) => sets[s].has(first[k] - delay))
}

function splitWindows(
  f: Forecast,
  belongs: (split: ForecastSplit, window: number) => boolean,
): Partial<Record<ForecastSplit, Forecast>> {
  const H = f.horizon
  const n = firstRows(f).length
  const rows = valueRows(f)
  const out: Partial<Record<ForecastSplit, Forecast>> = {}
  for (const s of FORECAST_SPLITS) {
    const ks: number[] = []
    for (let k = 0; k < n; k++) if (belongs(s, k)) ks.push(k)
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
      ...(f.lower && f.upper
        ? {
            lower: pick(f.lower, (n) => new Float64Array(n)),
            upper: pick(f.upper, (n) => new Float64Array(n)),
          }
        : {}),
    }
  }
  return out
}

/**
 * Bins a person reads: about 2·n^(1/3) of them (Rice's rule, from 5 to 40), each 1, 2, 2.5 or 5
 * times a power of ten wide, with edges on multiples of that width. 40 bins over [min, max]
 * drew 53 residuals as spikes of 1 and labelled them "-108, -62, -16, 29, 75".
 */
export function niceHistogram(values: ArrayLike<number>): { edges: number[]; counts: number[] } {
  let lo = Infinity
  let hi = -Infinity
  let n = 0
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (!Number.isFinite(v)) continue
    n++
    if (v < lo) lo = v
    if (v > hi) hi = v
  }
  if (n === 0) return { edges: [], counts: [] }
  const target = Math.min(40, Math.max(5, Math.ceil(2 * Math.cbrt(n))))
  const width = niceStep((hi - lo) / target || Math.abs(lo) / 10 || 1)
  // Edges as multiples of the width, rounded to its decimals (no 0.30000000000000004).
  const at = (k: number) => multiple(k, width)
  const first = Math.floor(lo / width)
  const bins = Math.max(1, Math.floor(hi / width) - first + 1)
  const counts = new Array<number>(bins).fill(0)
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (!Number.isFinite(v)) continue
    counts[Math.min(bins - 1, Math.max(0, Math.floor(v / width) - first))]++
  }
  return { edges: Array.from({ length: bins + 1 }, (_, i) => at(first + i)), counts }
}

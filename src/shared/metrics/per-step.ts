/**
 * Metrics per horizon step of a multi-step forecast (step 1 … H): how error grows with the
 * distance from the forecast origin, against the naive forecast made at the same origin (the
 * value of the window's last row, repeated for every step). One overall MAE hides that step 1
 * is good and step 24 is not.
 */
import { mae, rmse } from './index'

export interface StepMetrics {
  step: number
  /** Windows with a finite actual and prediction at this step. */
  n: number
  mae: number
  rmse: number
  /** MAE of the naive forecast at this step over the same windows; null without the data. */
  naiveMae: number | null
  /** (model − naive) / naive; negative is better; null without a naive MAE or when it is 0. */
  vsNaive: number | null
}

/**
 * @param forecast window-major values: window k step h at k·H + h
 * @param naive the naive forecast of each window (the target at its origin row), one per window;
 *   null when the dataset is not at hand
 */
export function perStepMetrics(
  forecast: { horizon: number; actual: ArrayLike<number>; predicted: ArrayLike<number> },
  naive: ArrayLike<number> | null,
): StepMetrics[] {
  const H = forecast.horizon
  const windows = H > 0 ? Math.floor(forecast.predicted.length / H) : 0
  const out: StepMetrics[] = []
  for (let h = 0; h < H; h++) {
    const a: number[] = []
    const p: number[] = []
    const b: number[] = []
    for (let k = 0; k < windows; k++) {
      const actual = forecast.actual[k * H + h]
      const predicted = forecast.predicted[k * H + h]
      const base = naive ? naive[k] : NaN
      if (!Number.isFinite(actual) || !Number.isFinite(predicted)) continue
      if (naive && !Number.isFinite(base)) continue
      a.push(actual)
      p.push(predicted)
      b.push(base)
    }
    const m = mae(a, p)
    const naiveMae = naive && a.length ? mae(a, b) : null
    out.push({
      step: h + 1,
      n: a.length,
      mae: m,
      rmse: rmse(a, p),
      naiveMae,
      vsNaive: naiveMae !== null && naiveMae > 0 ? (m - naiveMae) / naiveMae : null,
    })
  }
  return out
}

/** The naive forecast of each window: the target at its origin row (first target row − lead). */
export function naiveAtOrigins(
  firstTargetRows: ArrayLike<number>,
  lead: number,
  target: ArrayLike<number>,
): Float64Array {
  const out = new Float64Array(firstTargetRows.length)
  for (let k = 0; k < out.length; k++) {
    const row = firstTargetRows[k] - lead
    out[k] = row >= 0 && row < target.length ? target[row] : NaN
  }
  return out
}

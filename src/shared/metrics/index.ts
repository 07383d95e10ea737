/**
 * Forecast error metrics, in the data's own units. Pure functions over paired arrays.
 *
 * Edge cases, the same for every metric:
 * - Pairs where the actual or the prediction is NaN are skipped (a missing reading has no error).
 * - With no pairs left the result is NaN, never 0.
 * - Arrays of different lengths are a programming error and throw.
 */
import { expectArg } from '../errors'

type Values = ArrayLike<number>

function checkPair(actual: Values, predicted: Values): void {
  expectArg(
    actual.length === predicted.length,
    'metric inputs',
    `predictions for all ${actual.length} actual values`,
    `${predicted.length} predictions`,
  )
}

export function mae(actual: Values, predicted: Values): number {
  checkPair(actual, predicted)
  let sum = 0
  let n = 0
  for (let i = 0; i < actual.length; i++) {
    const e = actual[i] - predicted[i]
    if (Number.isNaN(e)) continue
    sum += Math.abs(e)
    n++
  }
  return n === 0 ? NaN : sum / n
}

export function mse(actual: Values, predicted: Values): number {
  checkPair(actual, predicted)
  let sum = 0
  let n = 0
  for (let i = 0; i < actual.length; i++) {
    const e = actual[i] - predicted[i]
    if (Number.isNaN(e)) continue
    sum += e * e
    n++
  }
  return n === 0 ? NaN : sum / n
}

export function rmse(actual: Values, predicted: Values): number {
  return Math.sqrt(mse(actual, predicted))
}

/**
 * Mean absolute percentage error, in percent.
 * Zeros: a percentage of 0 is undefined, so pairs whose actual value is 0 are skipped (as
 * scikit-learn would otherwise explode to ~1e15); if every actual is 0 the result is NaN.
 * Use sMAPE or MASE for series that cross or touch zero (temperatures in °C, sunspots).
 */
export function mape(actual: Values, predicted: Values): number {
  checkPair(actual, predicted)
  let sum = 0
  let n = 0
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]
    const p = predicted[i]
    if (Number.isNaN(a) || Number.isNaN(p) || a === 0) continue
    sum += Math.abs((a - p) / a)
    n++
  }
  return n === 0 ? NaN : (100 * sum) / n
}

/**
 * Symmetric MAPE in percent, 0 … 200: mean of 2·|a − p| / (|a| + |p|).
 * A pair with a = p = 0 is a perfect forecast and counts as 0.
 */
export function smape(actual: Values, predicted: Values): number {
  checkPair(actual, predicted)
  let sum = 0
  let n = 0
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]
    const p = predicted[i]
    if (Number.isNaN(a) || Number.isNaN(p)) continue
    const denom = Math.abs(a) + Math.abs(p)
    sum += denom === 0 ? 0 : (2 * Math.abs(a - p)) / denom
    n++
  }
  return n === 0 ? NaN : (100 * sum) / n
}

/**
 * In-sample scale for MASE: mean |y[t] − y[t − lag]| over a training series (NaNs skipped).
 * Seqcast uses lag = the rows between the window's last row and the target, so MASE < 1 means
 * "better than the naive forecast at this horizon, judged on the training data".
 * Returns NaN when the series is shorter than lag + 1 or constant (scale 0).
 */
export function naiveScale(series: Values, lag: number): number {
  expectArg(Number.isInteger(lag) && lag >= 1, 'MASE lag', 'a whole number ≥ 1', lag)
  let sum = 0
  let n = 0
  for (let t = lag; t < series.length; t++) {
    const d = series[t] - series[t - lag]
    if (Number.isNaN(d)) continue
    sum += Math.abs(d)
    n++
  }
  const scale = n === 0 ? NaN : sum / n
  return scale > 0 ? scale : NaN
}

/** Mean absolute scaled error: MAE / scale (see `naiveScale`); NaN when the scale is NaN or 0. */
export function mase(actual: Values, predicted: Values, scale: number): number {
  return scale > 0 ? mae(actual, predicted) / scale : NaN
}

export interface Metrics {
  mae: number
  rmse: number
  mape: number
  smape: number
  mase: number
  /** Pairs that entered the metrics (NaN pairs excluded). */
  n: number
}

export function computeMetrics(actual: Values, predicted: Values, maseScale: number): Metrics {
  checkPair(actual, predicted)
  let n = 0
  for (let i = 0; i < actual.length; i++) if (!Number.isNaN(actual[i] - predicted[i])) n++
  return {
    mae: mae(actual, predicted),
    rmse: rmse(actual, predicted),
    mape: mape(actual, predicted),
    smape: smape(actual, predicted),
    mase: mase(actual, predicted, maseScale),
    n,
  }
}

/** "better than naive by 3.9 %" / "worse than naive by 12 %": relative change of an error. */
export function relativeTo(model: number, baseline: number): { better: boolean; percent: number } {
  const percent = baseline === 0 ? NaN : (100 * (baseline - model)) / baseline
  return { better: model < baseline, percent: Math.abs(percent) }
}

/**
 * Baseline forecasts every model is compared with, in the data's units, one row per window
 * (n × H values, window-major). Window s reads rows s, s + R, …, s + (L − 1)·R; its targets are
 * rows s + delay + h for h < H.
 */
import { expectArg } from '../errors'
import { computeMetrics, naiveScale, type Metrics } from '../metrics'
import type { SplitName } from '../series/split'
import { SPLITS } from '../series/split'
import { gapAfterWindow, type WindowConfig } from '../windows/config'
import type { ExperimentWindows } from '../windows/experiment'

type Values = ArrayLike<number>

export type BaselineName = 'naive' | 'seasonal-naive' | 'mean'

/** The actual target values of each window. */
export function actualTargets(target: Values, starts: Int32Array, w: WindowConfig): Float64Array {
  const out = new Float64Array(starts.length * w.horizon)
  for (let k = 0; k < starts.length; k++) {
    for (let h = 0; h < w.horizon; h++) out[k * w.horizon + h] = target[starts[k] + w.delay + h]
  }
  return out
}

/**
 * Naive (persistence): the target's value at the window's last sampled row, for every step of
 * the horizon. This is Chollet's `evaluate_naive_method`: `samples[:, -1, target] · std + mean`.
 */
export function naiveForecast(target: Values, starts: Int32Array, w: WindowConfig): Float64Array {
  const out = new Float64Array(starts.length * w.horizon)
  const last = (w.sequenceLength - 1) * w.samplingRate
  for (let k = 0; k < starts.length; k++) {
    const v = target[starts[k] + last]
    for (let h = 0; h < w.horizon; h++) out[k * w.horizon + h] = v
  }
  return out
}

/**
 * Seasonal naive: for target row t, the most recent value one or more whole seasons earlier that
 * is known at the window's last row: y[t − m·⌈(t − last) / m⌉]. With a season equal to the gap
 * after the window (Jena: 144 rows = 24 h) it equals the naive forecast.
 */
export function seasonalNaiveForecast(
  target: Values,
  starts: Int32Array,
  w: WindowConfig,
  seasonRows: number,
): Float64Array {
  expectArg(
    Number.isInteger(seasonRows) && seasonRows >= 1,
    'season',
    'a whole number of rows ≥ 1',
    seasonRows,
    'config',
  )
  const out = new Float64Array(starts.length * w.horizon)
  const lastOffset = (w.sequenceLength - 1) * w.samplingRate
  for (let k = 0; k < starts.length; k++) {
    const last = starts[k] + lastOffset
    for (let h = 0; h < w.horizon; h++) {
      const t = starts[k] + w.delay + h
      const back = seasonRows * Math.ceil((t - last) / seasonRows)
      out[k * w.horizon + h] = t - back >= 0 ? target[t - back] : NaN
    }
  }
  return out
}

/** Mean of the target over the training rows (NaNs skipped). */
export function trainingMean(target: Values, trainEnd: number): number {
  let sum = 0
  let n = 0
  for (let i = 0; i < Math.min(trainEnd, target.length); i++) {
    const v = target[i]
    if (Number.isNaN(v)) continue
    sum += v
    n++
  }
  return n === 0 ? NaN : sum / n
}

export function meanForecast(mean: number, starts: Int32Array, w: WindowConfig): Float64Array {
  return new Float64Array(starts.length * w.horizon).fill(mean)
}

/**
 * The MASE scale: the in-sample naive MAE at the window's gap (rows from its last row to its
 * target) over the rows a model is fitted on, [start, end): a run's training rows, a backtest
 * fold's. MASE < 1 then means better than naive at this horizon, judged on those rows.
 */
export function maseScale(
  target: Values,
  rows: { start: number; end: number },
  window: WindowConfig,
): number {
  return naiveScale(view(target, rows.start, rows.end), gapAfterWindow(window))
}

export type SplitMetrics = Partial<Record<SplitName, Metrics>>

export interface BaselineReport {
  seasonRows: number | null
  maseScale: number
  trainMean: number
  naive: SplitMetrics
  'seasonal-naive'?: SplitMetrics
  mean: SplitMetrics
}

/** Metrics of every baseline on every split that has windows. */
export function baselineReport(
  target: Values,
  windows: ExperimentWindows,
  seasonRows: number | null,
): BaselineReport {
  const w = windows.window
  const scale = maseScale(target, windows.ranges.train, w)
  const trainMean = trainingMean(target, windows.ranges.train.end)
  const report: BaselineReport = { seasonRows, maseScale: scale, trainMean, naive: {}, mean: {} }
  if (seasonRows !== null) report['seasonal-naive'] = {}
  for (const split of SPLITS) {
    const starts = windows.starts[split]
    if (starts.length === 0) continue
    const actual = actualTargets(target, starts, w)
    report.naive[split] = computeMetrics(actual, naiveForecast(target, starts, w), scale)
    report.mean[split] = computeMetrics(actual, meanForecast(trainMean, starts, w), scale)
    if (seasonRows !== null) {
      report['seasonal-naive']![split] = computeMetrics(
        actual,
        seasonalNaiveForecast(target, starts, w, seasonRows),
        scale,
      )
    }
  }
  return report
}

function view(values: Values, start: number, end: number): Values {
  if (ArrayBuffer.isView(values)) return (values as unknown as Float64Array).subarray(start, end)
  return Array.prototype.slice.call(values, start, end) as number[]
}

/**
 * From a model's predictions in the data's units to what a person reads: the forecast of each
 * split (rows, times, actuals), its metrics with the MASE scale fitted on the training rows, and
 * the comparison with the naive baselines on the same windows. Every model family (window
 * models, statistical models, ensembles) ends here, so their numbers mean the same thing.
 */
import type { BaselineReport } from '../baselines'
import { computeMetrics } from '../metrics'
import {
  compareWithBaselines,
  type Forecast,
  type RunResult,
  type SplitMetricsRecord,
} from '../run'
import type { WindowConfig } from '../windows/config'
import { windowForecast } from './assemble'
import { chooseScale } from '../intervals/scale'
import { runIntervals, type IntervalSettings, type RunIntervals } from './intervals'

/** Predictions of the validation and test windows (n × H window-major, data units). */
export type SplitPredictions = Partial<Record<'val' | 'test', Float64Array>>

export interface EvaluatedSplits {
  metrics: SplitMetricsRecord
  forecasts: Partial<Record<'val' | 'test', Forecast>>
  comparison: RunResult['comparison']
  /** Null without validation forecasts to calibrate on, or when no intervals were asked for. */
  intervals: RunIntervals | null
}

export function evaluateSplits(
  data: {
    target: Float64Array
    timestamps: Float64Array | null
    starts: Record<'val' | 'test', Int32Array>
    baselines: BaselineReport
  },
  window: WindowConfig,
  predictions: SplitPredictions,
  intervalSettings: IntervalSettings | null = null,
  /** A statistical model's forecast standard deviation per step (interval method 'model'). */
  modelSd: readonly number[] | null = null,
): EvaluatedSplits {
  const out: EvaluatedSplits = { metrics: {}, forecasts: {}, comparison: {}, intervals: null }
  const { baselines } = data
  for (const split of ['val', 'test'] as const) {
    const predicted = predictions[split]
    if (!predicted) continue
    const forecast = windowForecast(data, data.starts[split], window, predicted)
    const m = computeMetrics(forecast.actual, predicted, baselines.maseScale)
    out.forecasts[split] = forecast
    out.metrics[split] = m
    out.comparison[split] = compareWithBaselines(m, {
      naive: baselines.naive[split],
      'seasonal-naive': baselines['seasonal-naive']?.[split],
    })
  }
  if (intervalSettings) {
    const of = (split: 'val' | 'test') => {
      const f = out.forecasts[split]
      return f && { starts: data.starts[split], actual: f.actual, predicted: f.predicted }
    }
    // The scale is chosen from the rows up to the last validation target: never the test rows.
    const val = data.starts.val
    const valEnd = val.length ? val[val.length - 1] + window.delay + window.horizon : 0
    const scale = intervalSettings.scale ?? chooseScale(data.target, valEnd).scale
    const found = runIntervals(window, intervalSettings, of('val'), of('test'), scale, modelSd)
    if (found) {
      out.intervals = found.intervals
      for (const split of ['val', 'test'] as const) {
        const b = found.bands[split]
        const f = out.forecasts[split]
        if (b && f) Object.assign(f, { lower: b.lower, upper: b.upper })
      }
    }
  }
  return out
}

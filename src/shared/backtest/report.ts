/**
 * What `backtest --json` prints and the app's per-fold table shows: each fold's metrics against
 * the naive and seasonal-naive baselines on the same windows, its interval coverage, and the
 * overall figures.
 *
 * Overall = pooled: every window of every fold counted once (the folds' windows are disjoint),
 * so a fold with more windows weighs more; it is not the mean of the fold metrics. MASE divides
 * by the in-sample naive error (at the gap after the window) over the rows a fold trained on;
 * overall, over the rows before the first block, which every fold trained on.
 * Numbers that do not exist (MAPE of an all-zero target, coverage without intervals) are NaN in
 * memory and null in JSON.
 */
import { actualTargets, maseScale, naiveForecast, seasonalNaiveForecast } from '../baselines'
import { expectArg } from '../errors'
import { intervalCoverage } from '../intervals/coverage'
import { computeMetrics, type Metrics } from '../metrics'
import type { WindowConfig } from '../windows/config'
import type { FoldPlan, RowRange } from './plan'

export interface BacktestBaselines {
  naive: Metrics
  /** null without a season. */
  seasonalNaive: Metrics | null
}

export interface BacktestScore {
  /** Windows forecast. */
  samples: number
  metrics: Metrics
  baselines: BacktestBaselines
  /** Share of targets inside the intervals; null without intervals. */
  coverage: number | null
  /** Mean width of the bounded intervals in data units; null without intervals. */
  width: number | null
  /** Intervals with an infinite bound, counted apart from the width (absent in older saves). */
  unbounded?: number
}

export interface BacktestFold extends BacktestScore {
  fold: number
  trainRows: RowRange
  targetRows: RowRange
}

export interface BacktestReport {
  folds: BacktestFold[]
  overall: BacktestScore
}

/** A fold's forecasts in data units, n × H window-major over `plan.starts`, with optional bands. */
export interface FoldForecast {
  predicted: ArrayLike<number>
  lower?: ArrayLike<number>
  upper?: ArrayLike<number>
}

/** A fold's (or all folds') actuals, forecasts and baseline forecasts, n × H window-major. */
interface Scored {
  samples: number
  actual: Float64Array
  predicted: Float64Array
  naive: Float64Array
  seasonal: Float64Array | null
  lower: Float64Array | null
  upper: Float64Array | null
}

export function backtestReport(
  target: Float64Array,
  window: WindowConfig,
  plans: readonly FoldPlan[],
  forecasts: readonly FoldForecast[],
  seasonRows: number | null,
): BacktestReport {
  expectArg(
    forecasts.length === plans.length && plans.length > 0,
    'backtest forecasts',
    `one per fold (${plans.length})`,
    forecasts.length,
  )
  const H = window.horizon
  const score = (p: Scored, scaleEnd: number): BacktestScore => {
    const scale = maseScale(target, { start: 0, end: scaleEnd }, window)
    const bands = p.lower && p.upper ? intervalCoverage(p.actual, p.lower, p.upper) : null
    return {
      samples: p.samples,
      metrics: computeMetrics(p.actual, p.predicted, scale),
      baselines: {
        naive: computeMetrics(p.actual, p.naive, scale),
        seasonalNaive: p.seasonal ? computeMetrics(p.actual, p.seasonal, scale) : null,
      },
      coverage: bands ? bands.coverage : null,
      width: bands ? bands.meanWidth : null,
      ...(bands ? { unbounded: bands.unbounded } : {}),
    }
  }
  const parts: Scored[] = plans.map((plan, i) => {
    const f = forecasts[i]
    expectArg(
      f.predicted.length === plan.starts.length * H,
      `fold ${plan.fold} forecasts`,
      `${plan.starts.length} windows × ${H} steps = ${plan.starts.length * H} values`,
      f.predicted.length,
    )
    return {
      samples: plan.starts.length,
      actual: actualTargets(target, plan.starts, window),
      predicted: Float64Array.from(f.predicted),
      naive: naiveForecast(target, plan.starts, window),
      seasonal:
        seasonRows === null ? null : seasonalNaiveForecast(target, plan.starts, window, seasonRows),
      lower: f.lower ? Float64Array.from(f.lower) : null,
      upper: f.upper ? Float64Array.from(f.upper) : null,
    }
  })
  const folds = plans.map((plan, i) => ({
    fold: plan.fold,
    trainRows: plan.trainRows,
    targetRows: plan.targetRows,
    ...score(parts[i], plan.trainRows[1]),
  }))
  const all = (pick: (p: Scored) => Float64Array | null) => concat(parts.map(pick))
  const pooled: Scored = {
    samples: parts.reduce((n, p) => n + p.samples, 0),
    actual: all((p) => p.actual)!,
    predicted: all((p) => p.predicted)!,
    naive: all((p) => p.naive)!,
    seasonal: all((p) => p.seasonal),
    lower: all((p) => p.lower),
    upper: all((p) => p.upper),
  }
  return { folds, overall: score(pooled, plans[0].targetRows[0]) }
}

/** The arrays end to end; null when any is null (e.g. a fold without intervals). */
function concat(arrays: (Float64Array | null)[]): Float64Array | null {
  if (arrays.some((a) => a === null)) return null
  const out = new Float64Array(arrays.reduce((n, a) => n + a!.length, 0))
  let offset = 0
  for (const a of arrays) {
    out.set(a!, offset)
    offset += a!.length
  }
  return out
}

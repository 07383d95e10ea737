/**
 * Rolling-origin backtests as a service (the CLI's `backtest`, later the app): the fold plan of
 * shared/backtest, a model fitted per fold on the rows before its block only (or once, on the
 * rows before the first block, with `refit: 'once'`), every window whose first target falls in
 * the block forecast from rows ≤ its last row, split conformal intervals per fold calibrated on
 * the fold's own held-out rows, and the per-fold / pooled report against the naive baselines.
 *
 * Every family uses the same rows: it fits on the fold's `fitRows` and the last `valFraction`
 * (the experiment's validation fraction) of its training rows are held out: window models
 * early-stop on them, and every family calibrates its intervals on their residuals, out of
 * sample. The normalization of window models is fitted on the fold's training rows.
 */
import { randomBytes } from 'node:crypto'
import { actualTargets } from '../../shared/baselines'
import {
  backtestReport,
  planFolds,
  type BacktestReport,
  type FoldForecast,
  type FoldPlan,
  type Refit,
} from '../../shared/backtest'
import { checkRun } from '../../shared/checks/run'
import { SeqcastError } from '../../shared/errors'
import type { ExperimentConfig, TrainingConfig } from '../../shared/experiment'
import {
  calibrateConformal,
  chooseScale,
  conformalBands,
  describeCalibration,
  fromScale,
  toScale,
} from '../../shared/intervals'
import type { ModelSpec } from '../../shared/models/spec'
import { prepareExperiment, type NamedValues } from '../../shared/prepare'
import type { EpochRecord } from '../../shared/run'
import type { Dataset } from '../../shared/series/dataset'
import {
  denormalizeArray,
  fitNormalization,
  normalizeColumn,
  normalizedMatrix,
} from '../../shared/series/normalize'
import type { WindowConfig } from '../../shared/windows/config'
import type { EngineHost } from '../engine/host'
import type { StatKind } from '../stats'
import { sharedHost } from './shared-host'

/** What is backtested: a window model with its training settings, or a statistical model. */
export type BacktestModel =
  | { family: 'window'; spec: ModelSpec; training: TrainingConfig }
  | { family: 'statistical'; kind: StatKind; seasons: number[] }

export interface BacktestConfig {
  experiment: ExperimentConfig
  model: BacktestModel
  folds: number
  refit: Refit
  /** Interval level (split conformal per fold); null for none. */
  level: number | null
}

export interface FoldEvent {
  fold: number
  folds: number
  phase: 'fit' | 'done'
  /** Windows the fold forecasts. */
  samples: number
  /**
   * Once a fold is done: the report of the folds done so far (each fold's scores are final;
   * overall pools those folds), so the app keeps them if it is reloaded or cancelled half-way.
   */
  report?: BacktestReport
}

export interface BacktestOptions {
  host?: EngineHost
  signal?: AbortSignal
  onFold?(event: FoldEvent): void
  onEpoch?(fold: number, record: EpochRecord): void
}

export interface BacktestResult {
  report: BacktestReport
  plans: FoldPlan[]
  /** Per fold, data units, n × H window-major over `plans[k].starts`. */
  forecasts: FoldForecast[]
  /** Per fold, the actual targets of its windows (n × H window-major). */
  actual: Float64Array[]
  /** Half-widths per step each fold's intervals used (null = unbounded). */
  radius: (number | null)[][]
  /** Why some fold's intervals are unbounded, or null. */
  note: string | null
  model: string
  seconds: number
}

/** Forecasts of a fitted model for the fold's calibration windows and the windows it forecasts. */
interface Fitted {
  calibration: Float64Array
  forecasts: Float64Array
}

export async function backtestRun(
  dataset: Dataset,
  config: BacktestConfig,
  options: BacktestOptions = {},
): Promise<BacktestResult> {
  const started = performance.now()
  const { experiment, model } = config
  const w = experiment.window
  // Columns, kinds, missing values and window settings: the same checks as a training run.
  const prepared = prepareExperiment(dataset, experiment)
  const plans = planFolds(dataset.rowCount, w, experiment.split, {
    folds: config.folds,
    refit: config.refit,
    valFraction: experiment.split.val,
  })
  if (model.family === 'window') {
    checkRun({ experiment, model: model.spec, training: model.training }, plans[0].fitStarts.length)
  }
  const target = prepared.target
  const fit = (plan: FoldPlan, starts: Int32Array): Promise<Fitted> =>
    model.family === 'window'
      ? fitWindowFold(prepared.features, target, experiment, model, plan, starts, options)
      : fitStatFold(target, w, model, plan, starts, options)

  const forecasts: FoldForecast[] = []
  const radius: (number | null)[][] = []
  let note: string | null = null
  let once: { fitted: Fitted; offsets: number[] } | null = null
  const H = w.horizon
  for (const [k, plan] of plans.entries()) {
    if (options.signal?.aborted) throw cancelled(plan.fold)
    const event = { fold: plan.fold, folds: plans.length, samples: plan.starts.length }
    options.onFold?.({ ...event, phase: 'fit' })
    let fitted: Fitted
    if (config.refit === 'once') {
      if (!once) {
        // One model, fitted before the first block, forecasts every fold's windows.
        const all = concatStarts(plans.map((p) => p.starts))
        const offsets = [0]
        for (const p of plans) offsets.push(offsets[offsets.length - 1] + p.starts.length * H)
        once = { fitted: await fit(plan, all), offsets }
      }
      fitted = {
        calibration: once.fitted.calibration,
        forecasts: once.fitted.forecasts.subarray(once.offsets[k], once.offsets[k + 1]),
      }
    } else {
      fitted = await fit(plan, plan.starts)
    }
    if (options.signal?.aborted) throw cancelled(plan.fold)
    const f: FoldForecast = { predicted: fitted.forecasts }
    if (config.level !== null) {
      const calibrationPlan = config.refit === 'once' ? plans[0] : plan
      // The residual scale as a run chooses it, from the rows the fold's model learned from.
      const { scale } = chooseScale(target, calibrationPlan.trainRows[1])
      const cal = toScale(
        {
          actual: actualTargets(target, calibrationPlan.earlyStopStarts, w),
          predicted: fitted.calibration,
        },
        scale,
      )
      const c = calibrateConformal(cal.actual, cal.predicted, H, config.level)
      const onScale = toScale({ actual: fitted.forecasts, predicted: fitted.forecasts }, scale)
      Object.assign(f, fromScale(conformalBands(onScale.predicted, c), fitted.forecasts, scale))
      radius.push(c.radius)
      note ??= describeCalibration(c)
    }
    forecasts.push(f)
    if (options.onFold) {
      const done = plans.slice(0, k + 1)
      const report = backtestReport(target, w, done, forecasts, experiment.seasonRows)
      options.onFold({ ...event, phase: 'done', report })
    }
  }
  const report = backtestReport(target, w, plans, forecasts, experiment.seasonRows)
  return {
    report,
    plans,
    forecasts,
    actual: plans.map((p) => actualTargets(target, p.starts, w)),
    radius,
    note,
    model: model.family === 'window' ? model.spec.name : model.kind.toUpperCase(),
    seconds: (performance.now() - started) / 1000,
  }
}

/**
 * A window model trained in the engine on the fold's fitting windows, early-stopping on its
 * held-out windows, with the normalization fitted on the fold's training rows; it forecasts the
 * held-out windows (calibration) and `starts`.
 */
async function fitWindowFold(
  features: NamedValues[],
  target: Float64Array,
  experiment: ExperimentConfig,
  model: Extract<BacktestModel, { family: 'window' }>,
  plan: FoldPlan,
  starts: Int32Array,
  options: BacktestOptions,
): Promise<Fitted> {
  const host = options.host ?? sharedHost()
  const name = experiment.target
  const columns = [...features]
  if (!columns.some((c) => c.name === name)) columns.push({ name, values: target })
  const normalization = fitNormalization(experiment.normalization, columns, plan.trainRows[1])
  const outcome = await host.train(
    {
      runId: `backtest-${randomBytes(4).toString('hex')}-fold-${plan.fold}`,
      spec: model.spec,
      training: model.training,
      window: experiment.window,
      features: normalizedMatrix(normalization, features),
      featureCount: features.length,
      target: normalizeColumn(normalization, name, target),
      starts: {
        train: plan.fitStarts.slice(),
        val: plan.earlyStopStarts.slice(),
        test: starts.slice(),
      },
      targetScale: normalization.scale[normalization.columns.indexOf(name)],
      evaluate: ['val', 'test'],
      futureStart: null,
    },
    {
      signal: options.signal,
      onEpoch: (r) => options.onEpoch?.(plan.fold, r),
    },
  )
  if (outcome.stopReason === 'cancelled') throw cancelled(plan.fold)
  const { val, test } = outcome.predictions
  if (!val || !test) {
    throw new SeqcastError(
      'training',
      `Backtest fold ${plan.fold}: the model gave no forecasts (${outcome.stopMessage ?? outcome.stopReason}).`,
      { fold: plan.fold, stopReason: outcome.stopReason },
    )
  }
  return {
    calibration: denormalizeArray(normalization, name, val),
    forecasts: denormalizeArray(normalization, name, test),
  }
}

/**
 * A statistical model fitted on the fold's fitting rows, then run forward with its parameters
 * fixed: each window gets the steps h … h+H−1 after its last row from the state at that row.
 */
async function fitStatFold(
  target: Float64Array,
  w: WindowConfig,
  model: Extract<BacktestModel, { family: 'statistical' }>,
  plan: FoldPlan,
  starts: Int32Array,
  options: BacktestOptions,
): Promise<Fitted> {
  const lastOffset = (w.sequenceLength - 1) * w.samplingRate
  const both = concatStarts([plan.earlyStopStarts, starts])
  // Fitted on the engine worker (as in a training run), on the fold's fitting rows only.
  const outcome = await (options.host ?? sharedHost()).fitStatistical(
    {
      runId: `backtest-${randomBytes(6).toString('hex')}-fold-${plan.fold}`,
      kind: model.kind,
      seasons: model.seasons,
      target: target.slice(),
      trainRows: plan.fitRows[1],
      lastRows: { val: Int32Array.from(both, (s) => s + lastOffset) },
      h: w.delay - lastOffset,
      H: w.horizon,
    },
    { signal: options.signal },
  )
  const out = outcome.predictions.val ?? new Float64Array(0)
  const split = plan.earlyStopStarts.length * w.horizon
  return { calibration: out.slice(0, split), forecasts: out.slice(split) }
}

function concatStarts(parts: Int32Array[]): Int32Array {
  const out = new Int32Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

function cancelled(fold: number): SeqcastError {
  return new SeqcastError('cancelled', `The backtest was cancelled at fold ${fold}.`, { fold })
}

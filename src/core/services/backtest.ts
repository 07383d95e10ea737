/**
 * Rolling-origin backtests as a service (the CLI's `backtest`, later the app): the fold plan of
 * shared/backtest, a model fitted per fold on the rows before its block only (or once, on the
 * rows before the first block, with `refit: 'once'`), every window whose first target falls in
 * the block forecast from rows ≤ its last row, conformal intervals per fold calibrated on the
 * fold's own held-out rows, and the per-fold / pooled report against the naive baselines.
 *
 * Intervals as a run draws them (forecast/intervals.ts): 'aci' (the default) starts from the
 * fold's held-out residuals and adapts along the fold's block as its actuals arrive, a window
 * with last row t using residuals of targets ≤ t only; with `refit: 'once'` the one model's
 * intervals adapt along all blocks in turn, as the model rolls forward. 'split' applies the
 * held-out half-widths unchanged.
 *
 * Every family uses the same rows: it fits on the fold's `fitRows` and the last `valFraction`
 * (the experiment's validation fraction) of its training rows are held out: window models
 * early-stop on them, and every family calibrates its intervals on their residuals, out of
 * sample. The normalization of window models is fitted on the fold's fitting rows (as a run's on
 * its training rows, not the validation rows it early-stops on), and they learn what a run learns: with a target transform (`change`, `seasonal`, log) the learned rows,
 * turned back into data units before any score (foldTargetUnits).
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
  adaptiveBands,
  calibrateConformal,
  chooseScale,
  conformalBands,
  describeCalibration,
  fromScale,
  toScale,
  type Bands,
} from '../../shared/intervals'
import type { ModelSpec } from '../../shared/models/spec'
import {
  addLearnedNormalization,
  prepareForModel,
  type PreparedExperiment,
} from '../../shared/prepare'
import { dataUnitsOf, toDataUnits, type DataUnits } from '../../shared/forecast/data-units'
import { fitInputNormalization, learnsLevels } from '../../shared/features/inputs'
import { formatTargetTransform, learnedTargetName } from '../../shared/transforms/spec'
import { firstTransformableStart, learnedTargetRows } from '../../shared/transforms/target'
import type { EpochRecord } from '../../shared/run'
import type { Dataset } from '../../shared/series/dataset'
import {
  normalizeColumn,
  normalizedMatrix,
  type NormalizationStats,
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
  /** Interval level; null for none. */
  level: number | null
  /** How the intervals are drawn; absent: 'aci' (DEFAULT_INTERVALS). */
  method?: BacktestIntervalMethod
}

/** A model's own interval ('model') needs its forecast variance, which folds do not carry. */
export type BacktestIntervalMethod = 'split' | 'aci'

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
  /**
   * On cancel after at least one finished fold, return the report of the finished folds (with
   * `cancelledAt`) instead of throwing: the app shows what a person already waited for.
   */
  keepOnCancel?: boolean
}

export interface BacktestResult {
  report: BacktestReport
  plans: FoldPlan[]
  /** Per fold, data units, n × H window-major over `plans[k].starts`. */
  forecasts: FoldForecast[]
  /** Per fold, the actual targets of its windows (n × H window-major). */
  actual: Float64Array[]
  /**
   * Half-widths per step each fold's intervals used (null = unbounded): with 'aci' the ones it
   * started from (the held-out residuals'), which it then adapts.
   */
  radius: (number | null)[][]
  method: BacktestIntervalMethod
  /** Why some fold's intervals are unbounded, or null. */
  note: string | null
  model: string
  seconds: number
  /** The fold that was running when the backtest was cancelled (only with keepOnCancel), or null. */
  cancelledAt: number | null
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
  // Columns, kinds, missing values and window settings: the same checks as a training run, on
  // what this model reads (a statistical model: the target alone; a recursive head: levels).
  // Only the training fraction must hold windows: the folds check their own (planFolds).
  const prepared = prepareForModel(
    dataset,
    experiment,
    {
      statistical: model.family === 'statistical',
      recursive: model.family === 'window' && model.spec.head.kind === 'recursive',
    },
    { requiredSplits: ['train'] },
  )
  const plans = planFolds(dataset.rowCount, w, experiment.split, {
    folds: config.folds,
    refit: config.refit,
    valFraction: experiment.split.val,
  })
  if (model.family === 'window') {
    checkRun(
      { experiment: prepared.config, model: model.spec, training: model.training },
      plans[0].fitStarts.length,
    )
  }
  const target = prepared.target
  const fit = (plan: FoldPlan, starts: Int32Array): Promise<Fitted> =>
    model.family === 'window'
      ? fitWindowFold(prepared, model, plan, starts, options)
      : fitStatFold(target, w, model, plan, starts, options)

  const forecasts: FoldForecast[] = []
  const radius: (number | null)[][] = []
  let note: string | null = null
  let once: {
    fitted: Fitted
    offsets: number[]
    bands: Bands | null
    radius: (number | null)[] | null
  } | null = null
  const H = w.horizon
  const method = config.method ?? 'aci'
  if (method !== 'split' && method !== 'aci') {
    throw new SeqcastError(
      'config',
      `Backtest interval method: expected aci or split, received "${String(method)}". A model's own interval is not backtested; use --interval-method aci (the default) or split.`,
      { setting: 'intervalMethod', received: method },
    )
  }
  /** Bands of `starts` from the held-out windows of `calibrationPlan`, on the run's scale. */
  const intervals = (
    calibrationPlan: FoldPlan,
    fitted: Fitted,
    starts: Int32Array,
    level: number,
  ) => {
    // The residual scale as a run chooses it, from the rows the fold's model learned from.
    const { scale } = chooseScale(target, calibrationPlan.trainRows[1])
    const cal = toScale(
      {
        starts: calibrationPlan.earlyStopStarts,
        actual: actualTargets(target, calibrationPlan.earlyStopStarts, w),
        predicted: fitted.calibration,
      },
      scale,
    )
    const c = calibrateConformal(cal.actual, cal.predicted, H, level)
    const onScale = toScale(
      { starts, actual: actualTargets(target, starts, w), predicted: fitted.forecasts },
      scale,
    )
    const bands =
      method === 'aci'
        ? adaptiveBands(cal, onScale, w, level)
        : conformalBands(onScale.predicted, c)
    return { calibration: c, bands: fromScale(bands, fitted.forecasts, scale) }
  }
  let cancelledAt: number | null = null
  for (const [k, plan] of plans.entries()) {
    try {
      await backtestFold(k, plan)
    } catch (e) {
      if (!(options.keepOnCancel && options.signal?.aborted && forecasts.length > 0)) throw e
      cancelledAt = plan.fold
      break
    }
  }
  const kept = plans.slice(0, forecasts.length)
  const report = backtestReport(target, w, kept, forecasts, experiment.seasonRows)
  return {
    report,
    plans: kept,
    forecasts,
    actual: kept.map((p) => actualTargets(target, p.starts, w)),
    radius,
    note,
    method,
    model: model.family === 'window' ? model.spec.name : model.kind.toUpperCase(),
    seconds: (performance.now() - started) / 1000,
    cancelledAt,
  }

  /** Fits (or reuses, with refit once) the fold's model; pushes its forecasts and bands. */
  async function backtestFold(k: number, plan: FoldPlan): Promise<void> {
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
        const fittedAll = await fit(plan, all)
        // ACI adapts along every block in turn: fold k's bands use the actuals of folds < k.
        const i = config.level === null ? null : intervals(plan, fittedAll, all, config.level)
        if (i) note ??= describeCalibration(i.calibration)
        once = {
          fitted: fittedAll,
          offsets,
          bands: i?.bands ?? null,
          radius: i?.calibration.radius ?? null,
        }
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
      if (once) {
        const [a, b] = [once.offsets[k], once.offsets[k + 1]]
        f.lower = once.bands!.lower.subarray(a, b)
        f.upper = once.bands!.upper.subarray(a, b)
        radius.push(once.radius!)
      } else {
        const i = intervals(plan, fitted, plan.starts, config.level)
        Object.assign(f, i.bands)
        radius.push(i.calibration.radius)
        note ??= describeCalibration(i.calibration)
      }
    }
    forecasts.push(f)
    if (options.onFold) {
      const done = plans.slice(0, k + 1)
      const report = backtestReport(target, w, done, forecasts, experiment.seasonRows)
      options.onFold({ ...event, phase: 'done', report })
    }
  }
}

/**
 * What a window model of a fold learns and how its outputs return to data units, as a run's
 * window model does it (families/window-model.ts): the input and target normalization fitted on
 * the fold's training rows `[0, trainEnd)` only, and with a target transform (`change`,
 * `seasonal`, log) the learned rows instead of the levels. Pure.
 */
export function foldTargetUnits(
  prepared: Pick<PreparedExperiment, 'config' | 'features' | 'target' | 'transform'>,
  trainEnd: number,
): {
  normalization: NormalizationStats
  /** The normalized column the model learns: rows (levels) or rows × H (learned rows). */
  target: Float32Array
  targetWidth: number
  dataUnits: DataUnits
} {
  const { config, features, target, transform } = prepared
  const name = config.target
  const columns = [...features]
  if (!columns.some((c) => c.name === name)) columns.push({ name, values: target })
  const normalization = fitInputNormalization(config, columns, trainEnd)
  addLearnedNormalization(normalization, config, transform, target, trainEnd)
  const learnedName = learnedTargetName(name, transform)
  const levels = learnsLevels(transform)
  return {
    normalization,
    target: levels
      ? normalizeColumn(normalization, name, target)
      : normalizeColumn(
          normalization,
          learnedName,
          learnedTargetRows(target, config.window, transform),
        ),
    targetWidth: levels ? 1 : config.window.horizon,
    dataUnits: dataUnitsOf(normalization, learnedName, target, transform),
  }
}

/**
 * A window model trained in the engine on the fold's fitting windows, early-stopping on its
 * held-out windows, learning what a run of the same experiment learns (foldTargetUnits); it
 * forecasts the held-out windows (calibration) and `starts`, in data units.
 */
async function fitWindowFold(
  prepared: PreparedExperiment,
  model: Extract<BacktestModel, { family: 'window' }>,
  plan: FoldPlan,
  starts: Int32Array,
  options: BacktestOptions,
): Promise<Fitted> {
  const host = options.host ?? sharedHost()
  const w = prepared.config.window
  // Normalized on the fitting rows, as a run on its training rows: a fold whose fitting and
  // early-stopping rows are a run's training and validation rows then forecasts as the run does.
  const units = foldTargetUnits(prepared, plan.fitRows[1])
  // `seasonal` has no learned value for a window whose first target lies within a season of row
  // 0: such windows are left out of fitting, as a run leaves them out; the windows scored and
  // calibrated on must all have one.
  const first = firstTransformableStart(prepared.transform, w)
  const fitStarts = plan.fitStarts.filter((s) => s >= first)
  if (fitStarts.length === 0 || plan.earlyStopStarts.some((s) => s < first)) {
    throw new SeqcastError(
      'config',
      `Backtest fold ${plan.fold}: the ${formatTargetTransform(prepared.transform)} transform needs a season of rows before each window's first target, and the ${plan.trainRows[1]} rows before this fold leave too few such windows. Raise the training fraction or use fewer folds.`,
      { fold: plan.fold, setting: 'transform' },
    )
  }
  const outcome = await host.train(
    {
      runId: `backtest-${randomBytes(4).toString('hex')}-fold-${plan.fold}`,
      spec: model.spec,
      training: model.training,
      window: w,
      features: normalizedMatrix(units.normalization, prepared.features),
      featureCount: prepared.features.length,
      target: units.target,
      targetWidth: units.targetWidth,
      starts: {
        train: fitStarts,
        val: plan.earlyStopStarts.slice(),
        test: starts.slice(),
      },
      targetScale: units.dataUnits.scale,
      // A copy: the job's arrays are transferred to the worker (and detached here).
      dataUnits: { ...units.dataUnits, target: prepared.target.slice() },
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
    calibration: toDataUnits(val, plan.earlyStopStarts, w, units.dataUnits),
    forecasts: toDataUnits(test, starts, w, units.dataUnits),
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

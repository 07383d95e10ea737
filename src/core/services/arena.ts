/**
 * The arena as a service: every model of a set trained (window models, with early stopping on
 * validation) or fitted (statistical models) on the same windows of the same experiment, the
 * naive baselines next to them, and an ensemble of the best ones; the board ranked by
 * validation MAE (src/shared/arena.ts). Test rows never choose anything.
 */
import {
  ENSEMBLE_SIZE,
  ensembleMembers,
  meanForecast,
  rankBoard,
  type ArenaFamily,
  type BoardEntry,
} from '../../shared/arena'
import { modelExperiment, modelTraining } from '../../shared/arena-run'
import { naiveForecast, seasonalNaiveForecast } from '../../shared/baselines'
import { SeqcastError, toErrorInfo } from '../../shared/errors'
import type { ExperimentConfig, RunConfig, TrainingConfig } from '../../shared/experiment'
import { evaluateSplits, type SplitPredictions } from '../../shared/forecast/evaluate'
import { DEFAULT_INTERVALS, type IntervalSettings } from '../../shared/forecast/intervals'
import { presetSpec } from '../../shared/models/presets'
import { statisticalSpecForRun } from '../../shared/models/statistical'
import { prepareExperiment, type PreparedExperiment } from '../../shared/prepare'
import type { EpochRecord, FutureForecast, RunResult } from '../../shared/run'
import type { RunIntervals } from '../../shared/forecast/intervals'
import type { Dataset } from '../../shared/series/dataset'
import { statModelName } from '../stats'
import { statsFromJson } from '../stats/stats-json'
import type { EngineHost } from '../engine/host'
import type { StatStep } from '../engine/stat-job'
import { trainRun, withBands } from './train-run'

export interface ArenaOptions {
  /** Preset ids in the order they run (`arenaModels`). */
  models: string[]
  /** Training of the window models (epochs, early stopping, batch size, backend…). */
  training: TrainingConfig
  /** The season the user set (1 = none), or null: statistical models use the suggestion. */
  userSeason: number | null
  /** The time axis' cadence, for the season suggestion. */
  cadence: { ms: number; months?: number } | null
  ensembleSize?: number
  /** Prediction intervals of every model (the run's level and method); absent: the default. */
  intervals?: RunConfig['intervals']
  host?: EngineHost
  signal?: AbortSignal
  /**
   * On cancel, return the board of the models that finished (marked `cancelled`) instead of
   * throwing: the app keeps what an hour of training produced; the CLI's Ctrl+C throws.
   */
  keepOnCancel?: boolean
  onModelStart?(model: string, index: number, of: number): void
  onModelSkipped?(model: string, reason: string, index: number, of: number): void
  onModelEnd?(entry: ArenaEntry, index: number, of: number): void
  /**
   * The naive and seasonal-naive entries, once the experiment is prepared and before any model
   * trains: they need no fit, so a board kept after a cancel or a reload still has them.
   */
  onBaselines?(entries: ArenaEntry[], prepared: PreparedExperiment): void
  onEpoch?(model: string, record: EpochRecord): void
  /** A statistical model starts its next estimation step (on the engine worker). */
  onStep?(model: string, step: StatStep): void
}

/** Forecasts of one board entry, evaluated like a run's. */
export interface ArenaEvaluation {
  metrics: RunResult['metrics']
  forecasts: RunResult['forecasts']
  comparison: RunResult['comparison']
  future: FutureForecast | null
  /** The ensemble's own intervals (calibrated on its validation errors); a model's are its run's. */
  intervals?: RunIntervals | null
}

export interface ArenaEntry extends BoardEntry {
  /** What was fitted, e.g. "ETS(M,A,M)", "LSTM(16)", "mean of ets, arima, theta". */
  name: string
  /** The run of a model (its package, history); null for baselines and the ensemble. */
  result: RunResult | null
  evaluation: ArenaEvaluation
  /** The ensemble's members, best first. */
  members?: string[]
}

export interface ArenaResult {
  /** Ranked by validation MAE, best first: models, the ensemble and the baselines. */
  board: ArenaEntry[]
  /** Models that could not run on this experiment, with the reason. */
  skipped: { model: string; reason: string }[]
  prepared: PreparedExperiment
  seconds: number
  /** True when a cancel stopped it (only with `keepOnCancel`): the board holds what finished. */
  cancelled: boolean
}

function familyOf(config: RunConfig): ArenaFamily {
  return config.model.statistical ? 'statistical' : 'neural'
}

function fittedName(result: RunResult): string {
  const stats = result.artifacts?.stats
  return stats !== undefined ? statModelName(statsFromJson(stats)) : result.config.model.name
}

function evaluate(
  prepared: PreparedExperiment,
  predictions: SplitPredictions,
  future: FutureForecast | null,
  intervals: IntervalSettings | null = null,
): ArenaEvaluation {
  const w = prepared.config.window
  const evaluated = evaluateSplits(
    { ...prepared, starts: prepared.windows.starts },
    w,
    predictions,
    intervals,
  )
  return { ...evaluated, future: future && withBands(future, evaluated.intervals) }
}

/** The naive and seasonal-naive baselines as board entries, on the same windows. */
function baselineEntries(prepared: PreparedExperiment): ArenaEntry[] {
  const { starts } = prepared.windows
  const w = prepared.config.window
  const m = prepared.config.seasonRows
  const forecasts: [string, (s: Int32Array) => Float64Array][] = [
    ['naive', (s) => naiveForecast(prepared.target, s, w)],
  ]
  if (m !== null) {
    forecasts.push(['seasonal-naive', (s) => seasonalNaiveForecast(prepared.target, s, w, m)])
  }
  return forecasts.map(([model, forecast]) => {
    const predictions: SplitPredictions = {}
    for (const split of ['val', 'test'] as const)
      if (starts[split].length > 0) predictions[split] = forecast(starts[split])
    const evaluation = evaluate(prepared, predictions, null)
    return {
      model,
      family: 'baseline',
      name: model === 'naive' ? 'Naive' : `Seasonal naive (${m} rows)`,
      val: evaluation.metrics.val ?? null,
      test: evaluation.metrics.test ?? null,
      seconds: 0,
      result: null,
      evaluation,
    }
  })
}

/**
 * The mean of the members' forecasts; its future only when every member forecast the same rows.
 * Its intervals are its own, as any run's: split conformal (or ACI) on the ensemble's validation
 * residuals (a model-based interval has no meaning for a mean of models: split conformal then).
 */
function ensembleEntry(
  prepared: PreparedExperiment,
  members: ArenaEntry[],
  settings: IntervalSettings,
): ArenaEntry {
  const runs = members.map((m) => m.result!)
  const predictions: SplitPredictions = {}
  for (const split of ['val', 'test'] as const) {
    if (runs.every((r) => r.forecasts[split]))
      predictions[split] = meanForecast(runs.map((r) => r.forecasts[split]!.predicted))
  }
  const futures = runs.map((r) => r.future)
  const first = futures[0]
  const future =
    first && futures.every((f) => f && f.fromRow === first.fromRow)
      ? { ...first, predicted: meanForecast(futures.map((f) => f!.predicted)) }
      : null
  const method = settings.method === 'model' ? 'split' : settings.method
  const evaluation = evaluate(prepared, predictions, future, { ...settings, method })
  return {
    model: 'ensemble',
    family: 'ensemble',
    name: `mean of ${members.map((m) => m.model).join(', ')}`,
    val: evaluation.metrics.val ?? null,
    test: evaluation.metrics.test ?? null,
    seconds: members.reduce((s, m) => s + m.seconds, 0),
    result: null,
    evaluation,
    members: members.map((m) => m.model),
  }
}

/** Runs the arena. Throws only for a bad experiment or a cancel; a model that fails is skipped. */
export async function runArena(
  dataset: Dataset,
  experiment: ExperimentConfig,
  options: ArenaOptions,
): Promise<ArenaResult> {
  const started = performance.now()
  const prepared = prepareExperiment(dataset, experiment)
  if (prepared.sampleCounts.val === 0) {
    throw new SeqcastError(
      'config',
      'compare ranks models by their validation MAE, but the validation split has no windows. Give it rows with --split (e.g. 0.5,0.25).',
      { setting: 'split' },
    )
  }
  const baselines = baselineEntries(prepared)
  options.onBaselines?.(baselines, prepared)
  const entries: ArenaEntry[] = []
  const skipped: ArenaResult['skipped'] = []
  const n = options.models.length
  let cancelled = false
  const stop = () => {
    if (!options.keepOnCancel) throw new SeqcastError('cancelled', 'The comparison was cancelled.')
    cancelled = true
  }
  const skip = (model: string, reason: string, i: number) => {
    skipped.push({ model, reason })
    options.onModelSkipped?.(model, reason, i, n)
  }
  for (const [i, id] of options.models.entries()) {
    if (options.signal?.aborted) {
      stop()
      break
    }
    const spec = presetSpec(id)
    if (!spec) {
      skip(id, `no preset "${id}"`, i)
      continue
    }
    const config: RunConfig = {
      experiment: modelExperiment(spec, experiment),
      model: statisticalSpecForRun(spec, dataset, experiment, options.cadence, options.userSeason),
      training: modelTraining(spec, options.training, prepared.sampleCounts.train),
      ...(options.intervals ? { intervals: options.intervals } : {}),
    }
    options.onModelStart?.(id, i, n)
    let result: RunResult
    try {
      result = await trainRun(dataset, config, {
        host: options.host,
        signal: options.signal,
        onEpoch: (r) => options.onEpoch?.(id, r),
        onStep: (step) => options.onStep?.(id, step),
      })
    } catch (error) {
      const info = toErrorInfo(error)
      if (info.kind === 'cancelled' || options.signal?.aborted) {
        if (!options.keepOnCancel) throw error
        cancelled = true
        break
      }
      skip(id, info.message, i)
      continue
    }
    // A model stopped half-way by the cancel is not on the board: only finished ones are.
    if (result.stopReason === 'cancelled') {
      stop()
      break
    }
    const entry: ArenaEntry = {
      model: id,
      family: familyOf(config),
      name: fittedName(result),
      val: result.metrics.val ?? null,
      test: result.metrics.test ?? null,
      seconds: result.seconds,
      result,
      evaluation: {
        metrics: result.metrics,
        forecasts: result.forecasts,
        comparison: result.comparison,
        future: result.future,
      },
    }
    entries.push(entry)
    options.onModelEnd?.(entry, i, n)
  }
  const members = ensembleMembers(entries, options.ensembleSize ?? ENSEMBLE_SIZE)
  if (members.length > 0)
    entries.push(ensembleEntry(prepared, members, options.intervals ?? DEFAULT_INTERVALS))
  entries.push(...baselines)
  return {
    board: rankBoard(entries),
    skipped,
    prepared,
    seconds: (performance.now() - started) / 1000,
    cancelled,
  }
}

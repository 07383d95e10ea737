/**
 * Training as a service, free of Electron (the CLI, the Electron binding and the browser binding
 * call it): checks the run, prepares the experiment (columns, windows, the normalization and
 * baselines fitted on the training rows), lets the model's family fit it (families/), and
 * evaluates every family the same way: metrics next to the baselines, forecasts with timestamps,
 * the future, and the model package with its manifest.
 */
import { randomBytes } from 'node:crypto'
import { naiveVerdict, runWarnings } from '../../shared/checks/nonsense'
import { checkRun } from '../../shared/checks/run'
import { SeqcastError } from '../../shared/errors'
import { parseRunConfig, type RunConfig } from '../../shared/experiment'
import { futureForecast } from '../../shared/forecast/assemble'
import { evaluateSplits } from '../../shared/forecast/evaluate'
import {
  bandsFromRadius,
  DEFAULT_INTERVALS,
  type RunIntervals,
} from '../../shared/forecast/intervals'
import { manifestFor, type ManifestInput } from '../../shared/manifest'
import { prepareForModel } from '../../shared/prepare'
import { describeOneHot } from '../../shared/features/one-hot'
import type {
  BackendReport,
  EpochRecord,
  FutureForecast,
  ModelPackage,
  RunProgress,
  RunResult,
} from '../../shared/run'
import type { Dataset } from '../../shared/series/dataset'
import type { RunStage } from '../../shared/ipc/contract'
import { appInfo } from '../app-info'
import type { EngineHost } from '../engine/host'
import type { StatStep } from '../engine/stat-job'
import { fitStatisticalModel } from './families/stat-model'
import { fitWindowModel } from './families/window-model'
import { sharedHost } from './shared-host'

/** What a caller of `trainRun` hears while the run trains, and how it stops it. */
export interface TrainRunOptions {
  runId?: string
  /** The engine to use; default: one EngineHost shared by this process (see `sharedHost`). */
  host?: EngineHost
  onProgress?(progress: RunProgress): void
  onEpoch?(record: EpochRecord): void
  /** New best weights as a complete model package (usable even if the run is killed later). */
  onCheckpoint?(epoch: number, pkg: ModelPackage): void
  onBackend?(report: BackendReport): void
  /** The run waits in the engine's queue (with its place), is being prepared, or trains. */
  onState?(state: RunStage, position: number | null): void
  /** A statistical model starts its next estimation step (label, 0-based done, total). */
  onStep?(step: StatStep): void
  signal?: AbortSignal
  progressIntervalMs?: number
}

/**
 * Trains a model on a dataset and evaluates the best checkpoint on the validation and test
 * windows (in the data's units, next to the naive and seasonal-naive baselines), with a future
 * forecast from the latest window.
 */
export async function trainRun(
  dataset: Dataset,
  runConfig: RunConfig,
  options: TrainRunOptions = {},
): Promise<RunResult> {
  const started = performance.now()
  const requested = parseRunConfig(runConfig)
  const runId = options.runId ?? `run-${randomBytes(6).toString('hex')}`
  // A statistical model reads the target alone; a recursive roll-out learns levels (prepareForModel).
  const prepared = prepareForModel(dataset, requested.experiment, {
    statistical: Boolean(requested.model.statistical),
    recursive: requested.model.head.kind === 'recursive',
  })
  // What the run stores: the transform and calendar features chosen for 'auto'.
  const config: RunConfig = { ...requested, experiment: prepared.config }
  checkRun(config, prepared.sampleCounts.train)
  const { normalization, baselines } = prepared
  const w = config.experiment.window
  const manifestInput: ManifestInput = {
    dataset,
    config,
    normalization,
    trainWindows: prepared.sampleCounts.train,
    maseScale: baselines.maseScale,
    versions: { seqcast: appInfo().version, node: process.versions.node },
  }
  if (options.signal?.aborted)
    throw new SeqcastError('cancelled', 'Training was cancelled before it started.')
  const ctx = { runId, host: options.host ?? sharedHost(), options }
  const fitted = config.model.statistical
    ? await fitStatisticalModel(config, prepared, ctx)
    : await fitWindowModel(dataset, config, prepared, manifestInput, ctx)

  const warnings = runWarnings({
    experiment: config.experiment,
    model: config.model,
    batchSize: config.training.batchSize,
    target: prepared.target,
    ranges: prepared.windows.ranges,
    valWindows: prepared.sampleCounts.val,
    constantInputs: normalization.constant.filter((c) => c !== prepared.learnedName),
  })
  const { metrics, forecasts, comparison, intervals } = evaluateSplits(
    { ...prepared, starts: prepared.windows.starts },
    w,
    fitted.predictions,
    config.intervals ?? DEFAULT_INTERVALS,
    fitted.forecastSd ?? null,
  )
  const future: FutureForecast | null =
    fitted.future && fitted.futureStart !== null
      ? withBands(futureForecast(dataset, fitted.futureStart, w, fitted.future), intervals)
      : null
  const artifacts = fitted.package(
    manifestFor(manifestInput, {
      history: fitted.history,
      bestEpoch: fitted.bestEpoch,
      stopReason: fitted.stopReason,
      metrics,
      baselines,
      backend: fitted.backend,
      intervals,
    }),
  )
  return {
    runId,
    config,
    dataset: { name: dataset.name, rowCount: dataset.rowCount },
    sampleCounts: prepared.sampleCounts,
    backend: fitted.backend,
    history: fitted.history,
    bestEpoch: fitted.bestEpoch,
    stopReason: fitted.stopReason,
    stopMessage: fitted.stopMessage,
    // How window inputs and targets were chosen; a statistical model reads none of them (it
    // forecasts the target from its own past), so it gets no "Transform: none (as set)" line,
    // only why one-hot columns it was given go unused.
    choices: config.model.statistical
      ? oneHotChoice(requested, config)
      : [prepared.transformReason, prepared.calendar.reason, ...oneHotChoice(requested, config)],
    warnings: [
      ...prepared.oneHotWarnings,
      ...warnings,
      ...[
        naiveVerdict({
          experiment: config.experiment,
          target: prepared.target,
          ranges: prepared.windows.ranges,
          model: metrics.val,
          naive: baselines.naive.val,
          statistical: config.model.statistical ? config.model.name : undefined,
        }),
      ].filter((v): v is string => v !== null),
    ],
    metrics,
    baselines,
    comparison,
    forecasts,
    future,
    intervals,
    normalization,
    artifacts,
    seconds: (performance.now() - started) / 1000,
  }
}

/** The future forecast with the run's future half-widths (ACI: as the last test actual left them). */
export function withBands(future: FutureForecast, intervals: RunIntervals | null): FutureForecast {
  if (!intervals) return future
  const { lower, upper } = bandsFromRadius(
    future.predicted,
    intervals.futureRadius,
    intervals.scale,
  )
  return { ...future, lower, upper }
}

/** What became of the one-hot columns: their inputs, or why a statistical model reads none. */
function oneHotChoice(requested: RunConfig, config: RunConfig): string[] {
  const asked = requested.experiment.oneHot ?? []
  if (requested.model.statistical) {
    return asked.length > 0
      ? [
          `One-hot: ${asked.map((s) => `"${s.column}"`).join(', ')} not used, because a statistical model reads the target alone.`,
        ]
      : []
  }
  const text = describeOneHot(config.experiment.oneHot ?? [])
  return text ? [text] : []
}

/**
 * Training as a service, free of Electron (the CLI, the Electron binding and the browser binding
 * call it): checks the run, prepares the experiment (columns, windows, the normalization and
 * baselines fitted on the training rows), trains in the engine on normalized numbers, and turns
 * its predictions back into the data's units: metrics next to the baselines, forecasts with
 * timestamps, and the model package with its manifest (also for every checkpoint on the way).
 */
import { randomBytes } from 'node:crypto'
import { checkRun } from '../../shared/checks/run'
import { SeqcastError } from '../../shared/errors'
import { parseRunConfig, type RunConfig } from '../../shared/experiment'
import { futureForecast, futureWindowStart, windowForecast } from '../../shared/forecast/assemble'
import { manifestFor, type ManifestInput, type ModelManifest } from '../../shared/manifest'
import { computeMetrics } from '../../shared/metrics'
import { prepareExperiment } from '../../shared/prepare'
import {
  compareWithBaselines,
  type BackendReport,
  type EpochRecord,
  type FutureForecast,
  type ModelPackage,
  type RunProgress,
  type RunResult,
  type SplitMetricsRecord,
} from '../../shared/run'
import type { Dataset } from '../../shared/series/dataset'
import { denormalizeArray, normalizeColumn, normalizedMatrix } from '../../shared/series/normalize'
import { appInfo } from '../app-info'
import type { WorkerArtifacts } from '../engine/artifacts'
import type { EngineHost } from '../engine/host'
import type { TrainJob } from '../engine/run-job'
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
  signal?: AbortSignal
  progressIntervalMs?: number
}

function packageOf(manifest: ModelManifest, artifacts: WorkerArtifacts): ModelPackage {
  return { manifest, modelJson: artifacts.modelJson, weights: new Uint8Array(artifacts.weights) }
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
  const config = parseRunConfig(runConfig)
  const runId = options.runId ?? `run-${randomBytes(6).toString('hex')}`
  const prepared = prepareExperiment(dataset, config.experiment)
  checkRun(config, prepared.sampleCounts.train)
  const { normalization, baselines } = prepared
  const w = config.experiment.window
  const target = config.experiment.target
  const features = normalizedMatrix(normalization, prepared.features)
  const featureCount = prepared.features.length
  const futureStart = futureWindowStart(features, featureCount, dataset.rowCount, w)
  const job: TrainJob = {
    runId,
    spec: config.model,
    training: config.training,
    window: w,
    features,
    featureCount,
    target: normalizeColumn(normalization, target, prepared.target),
    starts: {
      train: prepared.windows.starts.train.slice(),
      val: prepared.windows.starts.val.slice(),
      test: prepared.windows.starts.test.slice(),
    },
    targetScale: normalization.scale[normalization.columns.indexOf(target)],
    evaluate: (['val', 'test'] as const).filter((s) => prepared.windows.starts[s].length > 0),
    futureStart,
    progressIntervalMs: options.progressIntervalMs,
  }
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
  const host = options.host ?? sharedHost()
  // What a checkpoint's manifest can say: the epochs so far and the backend once reported.
  let backendSeen: BackendReport | null = null
  const history: EpochRecord[] = []
  const outcome = await host.train(job, {
    signal: options.signal,
    onProgress: (p) => options.onProgress?.({ ...p, runId }),
    onEpoch: (r) => {
      history.push(r)
      options.onEpoch?.(r)
    },
    onBackend: (report) => {
      backendSeen = report
      options.onBackend?.(report)
    },
    onCheckpoint: options.onCheckpoint
      ? (epoch, artifacts) => {
          const manifest = manifestFor(manifestInput, {
            history: [...history],
            bestEpoch: epoch,
            stopReason: 'in-progress',
            metrics: {},
            baselines,
            backend: backendSeen,
          })
          options.onCheckpoint!(epoch, packageOf(manifest, artifacts))
        }
      : undefined,
  })

  // Back to the data's units.
  const metrics: SplitMetricsRecord = {}
  const forecasts: RunResult['forecasts'] = {}
  const comparison: RunResult['comparison'] = {}
  for (const split of ['val', 'test'] as const) {
    const normalized = outcome.predictions[split]
    if (!normalized) continue
    const predicted = denormalizeArray(normalization, target, normalized)
    const forecast = windowForecast(prepared, prepared.windows.starts[split], w, predicted)
    const m = computeMetrics(forecast.actual, predicted, baselines.maseScale)
    forecasts[split] = forecast
    metrics[split] = m
    comparison[split] = compareWithBaselines(m, {
      naive: baselines.naive[split],
      'seasonal-naive': baselines['seasonal-naive']?.[split],
    })
  }
  let future: FutureForecast | null = null
  if (outcome.predictions.future && futureStart !== null) {
    future = futureForecast(
      dataset,
      futureStart,
      w,
      denormalizeArray(normalization, target, outcome.predictions.future),
    )
  }
  const artifacts = outcome.artifacts
    ? packageOf(
        manifestFor(manifestInput, {
          history: outcome.history,
          bestEpoch: outcome.bestEpoch,
          stopReason: outcome.stopReason,
          metrics,
          baselines,
          backend: outcome.backend,
        }),
        outcome.artifacts,
      )
    : null
  return {
    runId,
    config,
    dataset: { name: dataset.name, rowCount: dataset.rowCount },
    sampleCounts: prepared.sampleCounts,
    backend: outcome.backend,
    history: outcome.history,
    bestEpoch: outcome.bestEpoch,
    stopReason: outcome.stopReason,
    stopMessage: outcome.stopMessage,
    metrics,
    baselines,
    comparison,
    forecasts,
    future,
    normalization,
    artifacts,
    seconds: (performance.now() - started) / 1000,
  }
}

/**
 * Training and forecasting as services, free of Electron: the CLI, the Electron IPC binding and
 * the browser transport all call these. The main process prepares the experiment (columns,
 * windows, normalization, baselines), the worker does the TensorFlow.js work on normalized
 * numbers, and this module turns its predictions back into the data's units: metrics next to
 * the baselines, forecasts with timestamps, the model package with its manifest.
 */
import { randomBytes } from 'node:crypto'
import {
  actualTargets,
  naiveForecast,
  seasonalNaiveForecast,
  type BaselineReport,
} from '../../shared/baselines'
import { SeqcastError } from '../../shared/errors'
import { parseRunConfig, type RunConfig } from '../../shared/experiment'
import { computeMetrics, naiveScale, type Metrics } from '../../shared/metrics'
import { prepareExperiment, type PreparedExperiment } from '../../shared/prepare'
import {
  compareWith,
  MANIFEST_FORMAT,
  MANIFEST_VERSION,
  outputUnits,
  type BackendReport,
  type EpochRecord,
  type Forecast,
  type ForecastSet,
  type FutureForecast,
  type ModelManifest,
  type ModelPackage,
  type RunProgress,
  type RunResult,
  type SplitComparison,
  type SplitMetricsRecord,
  type StopReason,
} from '../../shared/run'
import type { Dataset } from '../../shared/series/dataset'
import {
  denormalizeArray,
  normalizeColumn,
  normalizedMatrix,
  type NormalizationStats,
} from '../../shared/series/normalize'
import { addMonths } from '../../shared/series/calendar'
import { analyzeTimes } from '../../shared/series/time-axis'
import type { SplitName } from '../../shared/series/split'
import {
  gapAfterWindow,
  rowsReservedForTargets,
  type WindowConfig,
} from '../../shared/windows/config'
import { timeseriesStarts } from '../../shared/windows/keras'
import { appInfo } from '../app-info'
import { toArrayBuffer, type WorkerArtifacts } from '../engine/artifacts'
import { EngineHost } from '../engine/host'
import { checkRun } from '../engine/spec-check'
import type { TrainJob } from '../engine/run-job'
import type { EngineFacade } from './handlers'
import { readModel, writeModelFolder, zipModel } from './model-files'

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

let shared: EngineHost | null = null

/** The process' one EngineHost (created on first use). */
export function sharedHost(): EngineHost {
  shared ??= new EngineHost()
  return shared
}

export async function disposeSharedHost(): Promise<void> {
  const host = shared
  shared = null
  await host?.dispose()
}

function versions(extra: Record<string, string> = {}): Record<string, string> {
  const info = appInfo()
  return { seqcast: info.version, node: process.versions.node, ...extra }
}

/** Everything a manifest needs besides the training outcome. */
interface ManifestBase {
  dataset: Dataset
  config: RunConfig
  normalization: NormalizationStats
  trainWindows: number
}

/** Windows a stateful model runs before the latest one: one training stream (batches per epoch). */
export function statefulWarmup(trainWindows: number, batchSize: number): number {
  return Math.floor(trainWindows / batchSize)
}

function manifestFor(
  base: ManifestBase,
  outcome: {
    history: EpochRecord[]
    bestEpoch: number | null
    stopReason: StopReason
    metrics: SplitMetricsRecord
    baselines: BaselineReport | null
    backend: BackendReport
  },
): ModelManifest {
  const { dataset, config } = base
  const w = config.experiment.window
  const pick = (name: 'naive' | 'seasonal-naive') => outcome.baselines?.[name]
  return {
    format: MANIFEST_FORMAT,
    version: MANIFEST_VERSION,
    name: `${config.model.name} on ${dataset.name}`,
    createdAt: new Date().toISOString(),
    dataset: {
      name: dataset.name,
      rowCount: dataset.rowCount,
      columns: dataset.columns.map((c) => ({ name: c.name, kind: c.kind })),
      timeColumn: dataset.timeColumn,
    },
    experiment: config.experiment,
    normalization: base.normalization,
    model: config.model,
    training: config.training,
    inference: {
      inputShape: [w.sequenceLength, config.experiment.features.length],
      batchSize: config.model.stateful ? config.training.batchSize : null,
      outputUnits: outputUnits(config.model, w.horizon),
      ...(config.model.stateful
        ? { warmup: statefulWarmup(base.trainWindows, config.training.batchSize) }
        : {}),
    },
    history: outcome.history,
    bestEpoch: outcome.bestEpoch,
    stopReason: outcome.stopReason,
    metrics: outcome.metrics,
    baselines: {
      ...(pick('naive') ? { naive: pick('naive') } : {}),
      ...(pick('seasonal-naive') ? { 'seasonal-naive': pick('seasonal-naive') } : {}),
    },
    backend: outcome.backend,
    versions: versions(outcome.backend.versions),
  }
}

function packageOf(manifest: ModelManifest, artifacts: WorkerArtifacts): ModelPackage {
  return { manifest, modelJson: artifacts.modelJson, weights: new Uint8Array(artifacts.weights) }
}

/** Start row of the latest window of the data, or null when the data is shorter than one. */
export function latestWindowStart(rowCount: number, w: WindowConfig): number | null {
  const start = rowCount - 1 - (w.sequenceLength - 1) * w.samplingRate
  return start >= 0 ? start : null
}

function windowHasGaps(
  matrix: Float32Array,
  featureCount: number,
  start: number,
  w: WindowConfig,
): boolean {
  for (let t = 0; t < w.sequenceLength; t++) {
    const r = (start + t * w.samplingRate) * featureCount
    for (let f = 0; f < featureCount; f++) if (Number.isNaN(matrix[r + f])) return true
  }
  return false
}

/** Times of rows past the data, from the time axis' cadence (calendar months stay months). */
export function extrapolateTimes(dataset: Dataset, rows: Int32Array): Float64Array | null {
  const column = dataset.timeColumn
    ? dataset.columns.find((c) => c.name === dataset.timeColumn)
    : undefined
  if (!column || column.kind !== 'datetime') return null
  const times = column.values
  const cadence = analyzeTimes(times, column.name, column.format).cadence
  if (!cadence) return null
  let lastRow = times.length - 1
  while (lastRow >= 0 && Number.isNaN(times[lastRow])) lastRow--
  if (lastRow < 0) return null
  const last = times[lastRow]
  const out = new Float64Array(rows.length)
  rows.forEach((row, i) => {
    const steps = row - lastRow
    if (row < times.length && !Number.isNaN(times[row])) out[i] = times[row]
    else if (cadence.months > 0) out[i] = addMonths(last, steps * cadence.months, cadence.monthEnd)
    else out[i] = last + steps * cadence.ms
  })
  return out
}

function splitForecast(
  prepared: Pick<PreparedExperiment, 'target' | 'timestamps'>,
  starts: Int32Array,
  w: WindowConfig,
  predicted: Float64Array,
): Forecast {
  const H = w.horizon
  const rowIndex = new Int32Array(starts.length * H)
  for (let k = 0; k < starts.length; k++)
    for (let h = 0; h < H; h++) rowIndex[k * H + h] = starts[k] + w.delay + h
  const timestamps = prepared.timestamps
    ? Float64Array.from(rowIndex, (r) => prepared.timestamps![r])
    : null
  return {
    horizon: H,
    rowIndex,
    timestamps,
    actual: actualTargets(prepared.target, starts, w),
    predicted,
  }
}

function comparisonFor(
  split: SplitName,
  metrics: Metrics,
  baselines: BaselineReport,
): SplitComparison {
  const out: SplitComparison = {}
  const naive = baselines.naive[split]
  if (naive) out.naive = compareWith('naive', metrics, naive)
  const seasonal = baselines['seasonal-naive']?.[split]
  if (seasonal) out['seasonal-naive'] = compareWith('seasonal-naive', metrics, seasonal)
  return out
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted)
    throw new SeqcastError('cancelled', 'Training was cancelled before it started.')
}

/**
 * Trains a model on a dataset: validates the settings, prepares the experiment, trains in the
 * worker and evaluates the best checkpoint on the validation and test windows (in the data's
 * units, next to the naive and seasonal-naive baselines), with a future forecast.
 */
export async function trainRun(
  dataset: Dataset,
  runConfig: RunConfig,
  options: TrainRunOptions = {},
): Promise<RunResult> {
  const started = performance.now()
  const config = parseRunConfig(runConfig)
  const runId = options.runId ?? `run-${randomBytes(6).toString('hex')}`
  checkRun(config.model, config.experiment, config.training)
  const prepared = prepareExperiment(dataset, config.experiment)
  const { normalization } = prepared
  const w = config.experiment.window
  const targetIndex = normalization.columns.indexOf(config.experiment.target)
  const features = normalizedMatrix(normalization, prepared.features)
  const featureCount = prepared.features.length
  const futureStart = latestWindowStart(dataset.rowCount, w)
  const usableFuture =
    futureStart !== null && !windowHasGaps(features, featureCount, futureStart, w)
      ? futureStart
      : null
  const job: TrainJob = {
    runId,
    spec: config.model,
    training: config.training,
    window: w,
    features,
    featureCount,
    target: normalizeColumn(normalization, config.experiment.target, prepared.target),
    starts: {
      train: prepared.windows.starts.train.slice(),
      val: prepared.windows.starts.val.slice(),
      test: prepared.windows.starts.test.slice(),
    },
    targetScale: normalization.scale[targetIndex],
    evaluate: (['val', 'test'] as const).filter((s) => prepared.windows.starts[s].length > 0),
    futureStart: usableFuture,
    progressIntervalMs: options.progressIntervalMs,
  }
  const base: ManifestBase = {
    dataset,
    config,
    normalization,
    trainWindows: prepared.sampleCounts.train,
  }
  checkAborted(options.signal)
  const host = options.host ?? sharedHost()
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
          const manifest = manifestFor(base, {
            history: [...history],
            bestEpoch: epoch,
            stopReason: 'completed',
            metrics: {},
            baselines: prepared.baselines,
            backend: backendSeen ?? {
              used: config.training.backend === 'auto' ? 'cpu' : config.training.backend,
              skipped: {},
            },
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
    const predicted = denormalizeArray(normalization, config.experiment.target, normalized)
    const forecast = splitForecast(prepared, prepared.windows.starts[split], w, predicted)
    forecasts[split] = forecast
    metrics[split] = computeMetrics(forecast.actual, predicted, prepared.baselines.maseScale)
    comparison[split] = comparisonFor(split, metrics[split]!, prepared.baselines)
  }
  let future: FutureForecast | null = null
  if (outcome.predictions.future && usableFuture !== null) {
    future = futureForecast(
      dataset,
      usableFuture,
      w,
      denormalizeArray(normalization, config.experiment.target, outcome.predictions.future),
    )
  }
  const artifacts = outcome.artifacts
    ? packageOf(
        manifestFor(base, {
          history: outcome.history,
          bestEpoch: outcome.bestEpoch,
          stopReason: outcome.stopReason,
          metrics,
          baselines: prepared.baselines,
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
    baselines: prepared.baselines,
    comparison,
    forecasts,
    future,
    normalization,
    artifacts,
    seconds: (performance.now() - started) / 1000,
  }
}

function futureForecast(
  dataset: Dataset,
  start: number,
  w: WindowConfig,
  predicted: Float64Array,
): FutureForecast {
  const rowIndex = new Int32Array(w.horizon)
  for (let h = 0; h < w.horizon; h++) rowIndex[h] = start + w.delay + h
  return {
    horizon: w.horizon,
    fromRow: start + (w.sequenceLength - 1) * w.samplingRate,
    rowIndex,
    timestamps: extrapolateTimes(dataset, rowIndex),
    predicted,
  }
}

/**
 * Checks that a dataset fits a model: the manifest's target and features exist with the same
 * kinds, and the file has rows for at least one window. Errors name the column or setting.
 */
export function checkDatasetFits(manifest: ModelManifest, dataset: Dataset): void {
  const { experiment } = manifest
  const needed = [...new Set([...experiment.features, experiment.target])]
  const kinds = new Map(manifest.dataset.columns.map((c) => [c.name, c.kind]))
  const have = dataset.columns.filter((c) => c.kind === 'numeric').map((c) => `"${c.name}"`)
  const missing = needed.filter((name) => !dataset.columns.some((c) => c.name === name))
  if (missing.length > 0) {
    throw new SeqcastError(
      'model-mismatch',
      `${dataset.name} lacks the column${missing.length === 1 ? '' : 's'} ${missing.map((m) => `"${m}"`).join(', ')} that the model "${manifest.model.name}" reads ` +
        `(it was trained on ${manifest.dataset.name} with features ${experiment.features.map((f) => `"${f}"`).join(', ')} and target "${experiment.target}"). ` +
        `Numeric columns in ${dataset.name}: ${have.join(', ') || 'none'}. Rename the columns or use a file with the same schema.`,
      { file: dataset.name, missing, expected: needed },
    )
  }
  for (const name of needed) {
    const column = dataset.columns.find((c) => c.name === name)!
    const expected = kinds.get(name) ?? 'numeric'
    if (column.kind !== 'numeric' || column.kind !== expected) {
      throw new SeqcastError(
        'model-mismatch',
        `Column "${name}" of ${dataset.name} holds ${column.kind === 'text' ? 'text' : column.kind === 'datetime' ? 'dates/times' : 'numbers'}, but the model was trained on ${expected === 'numeric' ? 'numbers' : expected} in that column. ` +
          'Fix the cells that are not numbers (the import report lists them) or use a file with the same schema.',
        { file: dataset.name, column: name, expected, received: column.kind },
      )
    }
  }
  const w = experiment.window
  const span = (w.sequenceLength - 1) * w.samplingRate + 1
  if (dataset.rowCount < span) {
    throw new SeqcastError(
      'window',
      `${dataset.name} has ${dataset.rowCount.toLocaleString('en-US')} rows, but the model reads windows of ${w.sequenceLength} rows at a sampling rate of ${w.samplingRate} ` +
        `(${span.toLocaleString('en-US')} rows). Use a file with at least ${span.toLocaleString('en-US')} rows.`,
      { file: dataset.name, setting: 'sequenceLength', rows: dataset.rowCount, needed: span },
    )
  }
}

export interface PredictOptions {
  host?: EngineHost
}

/**
 * Forecasts a dataset with an exported model (a folder, a .zip, or a package in memory): every
 * window that has its targets (with metrics next to the naive baselines) and the future.
 */
export async function predictWithModel(
  model: string | ModelPackage,
  dataset: Dataset,
  options: PredictOptions = {},
): Promise<ForecastSet> {
  const pkg = typeof model === 'string' ? await readModel(model) : model
  const { manifest } = pkg
  checkDatasetFits(manifest, dataset)
  const { experiment, normalization } = manifest
  const w = experiment.window
  const column = (name: string) => {
    const c = dataset.columns.find((col) => col.name === name)!
    return { name, values: (c as { values: Float64Array }).values }
  }
  const featureColumns = experiment.features.map(column)
  const target = column(experiment.target).values
  const features = normalizedMatrix(normalization, featureColumns)
  const dataLength = dataset.rowCount - rowsReservedForTargets(w)
  const starts =
    dataLength > 0
      ? timeseriesStarts({
          dataLength,
          targetLength: dataLength,
          sequenceLength: w.sequenceLength,
          sequenceStride: w.sequenceStride,
          samplingRate: w.samplingRate,
        })
      : new Int32Array(0)
  const futureStart = latestWindowStart(dataset.rowCount, w)
  const usableFuture =
    futureStart !== null && !windowHasGaps(features, featureColumns.length, futureStart, w)
      ? futureStart
      : null
  const host = options.host ?? sharedHost()
  const outcome = await host.predict({
    modelJson: pkg.modelJson,
    weights: toArrayBuffer(pkg.weights.slice()),
    spec: manifest.model,
    window: w,
    batchSize: manifest.inference.batchSize,
    backend: manifest.training.backend,
    fused: manifest.training.fusedKernels,
    features,
    featureCount: featureColumns.length,
    target: normalizeColumn(normalization, experiment.target, target),
    starts: starts.slice(),
    futureStart: usableFuture,
    warmup: manifest.model.stateful ? (manifest.inference.warmup ?? 0) : 0,
  })
  const time = dataset.timeColumn
    ? dataset.columns.find((c) => c.name === dataset.timeColumn)
    : undefined
  const timestamps = time && time.kind === 'datetime' ? time.values : null
  const predicted = denormalizeArray(normalization, experiment.target, outcome.predictions)
  const forecast = splitForecast({ target, timestamps }, starts, w, predicted)
  const scale = naiveScale(target, gapAfterWindow(w))
  const metrics = starts.length > 0 ? computeMetrics(forecast.actual, predicted, scale) : null
  const baselines: ForecastSet['baselines'] = {}
  const comparison: SplitComparison = {}
  if (starts.length > 0) {
    baselines.naive = computeMetrics(forecast.actual, naiveForecast(target, starts, w), scale)
    if (experiment.seasonRows !== null) {
      baselines['seasonal-naive'] = computeMetrics(
        forecast.actual,
        seasonalNaiveForecast(target, starts, w, experiment.seasonRows),
        scale,
      )
    }
    if (metrics) {
      comparison.naive = compareWith('naive', metrics, baselines.naive)
      if (baselines['seasonal-naive'])
        comparison['seasonal-naive'] = compareWith(
          'seasonal-naive',
          metrics,
          baselines['seasonal-naive'],
        )
    }
  }
  const future =
    outcome.future && usableFuture !== null
      ? futureForecast(
          dataset,
          usableFuture,
          w,
          denormalizeArray(normalization, experiment.target, outcome.future),
        )
      : null
  return {
    dataset: { name: dataset.name, rowCount: dataset.rowCount },
    forecast,
    future,
    metrics,
    baselines,
    comparison,
  }
}

/** The EngineFacade of handlers.ts over an EngineHost (the Electron and browser bindings). */
export function engineFacade(
  host: EngineHost = sharedHost(),
): EngineFacade & { dispose(): Promise<void> } {
  return {
    backends: () => host.backends(),
    train: (dataset: Dataset, config: RunConfig, callbacks: TrainRunOptions & { runId: string }) =>
      trainRun(dataset, config, { ...callbacks, host }),
    readModel: (path: string) => readModel(path),
    writeModelFolder: (dir: string, pkg: ModelPackage) => writeModelFolder(dir, pkg),
    zipModel: async (pkg: ModelPackage) => zipModel(pkg),
    predict: (pkg: ModelPackage, dataset: Dataset) => predictWithModel(pkg, dataset, { host }),
    dispose: () => host.dispose(),
  }
}

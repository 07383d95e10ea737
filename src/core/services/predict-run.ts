/**
 * Forecasting a file with an exported model, as a service (the CLI's `predict`, `model:predict`):
 * every window that has its targets, with metrics next to the naive baselines on the same
 * windows, and the future from the latest window. Metrics use the MASE scale stored at training
 * time, so a model's MASE means the same on every file.
 */
import { checkDatasetFits } from '../../shared/checks/dataset-fit'
import { naiveForecast, seasonalNaiveForecast } from '../../shared/baselines'
import { futureForecast, futureWindowStart, windowForecast } from '../../shared/forecast/assemble'
import { withStoredLevel } from '../../shared/forecast/intervals'
import { checkManifest } from '../../shared/manifest'
import { computeMetrics } from '../../shared/metrics'
import { compareWithBaselines, type ForecastSet, type ModelPackage } from '../../shared/run'
import { findColumn, timeValues, type Dataset } from '../../shared/series/dataset'
import { denormalizeArray, normalizeColumn, normalizedMatrix } from '../../shared/series/normalize'
import { rowsReservedForTargets } from '../../shared/windows/config'
import { timeseriesStarts } from '../../shared/windows/keras'
import { toArrayBuffer } from '../engine/artifacts'
import type { EngineHost } from '../engine/host'
import { readModel } from './model-files'
import { sharedHost } from './shared-host'

export interface PredictRunOptions {
  /** The engine to use; default: the process' shared one. */
  host?: EngineHost
  /** Interval level; default: the level the model was trained with. */
  intervalLevel?: number
}

/**
 * Forecasts a dataset with an exported model (a folder, a .zip, or a package in memory). The
 * dataset must fit the model (`checkDatasetFits`: columns, kinds, rows, no gaps).
 */
export async function predictWithModel(
  model: string | ModelPackage,
  dataset: Dataset,
  options: PredictRunOptions = {},
): Promise<ForecastSet> {
  const pkg = typeof model === 'string' ? await readModel(model) : model
  const { manifest } = pkg
  // A package read from disk was checked by readModel; one from memory (the app) is checked here.
  if (typeof model !== 'string') checkManifest(manifest, `seqcast.json of "${manifest.name}"`)
  checkDatasetFits(manifest, dataset)
  const { experiment, normalization } = manifest
  const w = experiment.window
  const values = (name: string) => (findColumn(dataset, name) as { values: Float64Array }).values
  const featureColumns = experiment.features.map((name) => ({ name, values: values(name) }))
  const target = values(experiment.target)
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
  const futureStart = futureWindowStart(features, featureColumns.length, dataset.rowCount, w)
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
    futureStart,
    warmup: manifest.model.stateful ? (manifest.inference.warmup ?? 0) : 0,
  })
  const predicted = denormalizeArray(normalization, experiment.target, outcome.predictions)
  const forecast = windowForecast({ target, timestamps: timeValues(dataset) }, starts, w, predicted)
  // Manifests before version 2 carry no scale: their MASE is unknown (NaN), never rescaled here.
  const scale = manifest.maseScale ?? NaN
  let metrics: ForecastSet['metrics'] = null
  const baselines: ForecastSet['baselines'] = {}
  let comparison: ForecastSet['comparison'] = {}
  if (starts.length > 0) {
    metrics = computeMetrics(forecast.actual, predicted, scale)
    baselines.naive = computeMetrics(forecast.actual, naiveForecast(target, starts, w), scale)
    if (experiment.seasonRows !== null) {
      baselines['seasonal-naive'] = computeMetrics(
        forecast.actual,
        seasonalNaiveForecast(target, starts, w, experiment.seasonRows),
        scale,
      )
    }
    comparison = compareWithBaselines(metrics, baselines)
  }
  const future =
    outcome.future && futureStart !== null
      ? futureForecast(
          dataset,
          futureStart,
          w,
          denormalizeArray(normalization, experiment.target, outcome.future),
        )
      : null
  const set: ForecastSet = {
    dataset: { name: dataset.name, rowCount: dataset.rowCount },
    forecast,
    future,
    intervals: null,
    metrics,
    baselines,
    comparison,
  }
  // Bands from the calibration stored at training time (the run's level unless asked otherwise).
  const level = options.intervalLevel ?? manifest.intervals?.level
  if (level === undefined) return set
  return withStoredLevel(set, manifest, level) ?? set
}

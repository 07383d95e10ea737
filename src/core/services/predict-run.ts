/**
 * Forecasting a file with an exported model, as a service (the CLI's `predict`, `model:predict`):
 * every window that has its targets, with metrics next to the naive baselines on the same
 * windows, and the future from the latest window. Metrics use the MASE scale stored at training
 * time, so a model's MASE means the same on every file.
 */
import { checkDatasetFits } from '../../shared/checks/dataset-fit'
import { naiveForecast, seasonalNaiveForecast } from '../../shared/baselines'
import {
  futureForecast,
  futureWindowStart,
  latestWindowStart,
  windowForecast,
} from '../../shared/forecast/assemble'
import { inputColumns, learnsLevels, transformOf } from '../../shared/features/inputs'
import { withStoredLevel } from '../../shared/forecast/intervals'
import { checkManifest } from '../../shared/manifest'
import { learnedTargetName, validateTargetTransform } from '../../shared/transforms/spec'
import { firstTransformableStart, learnedTargetRows } from '../../shared/transforms/target'
import { dataUnitsOf, toDataUnits } from '../../shared/forecast/data-units'
import { computeMetrics } from '../../shared/metrics'
import {
  compareWithBaselines,
  type ForecastSet,
  type ModelPackage,
  type TfjsModelJson,
} from '../../shared/run'
import { SeqcastError } from '../../shared/errors'
import { findColumn, timeValues, type Dataset } from '../../shared/series/dataset'
import { normalizeColumn, normalizedMatrix } from '../../shared/series/normalize'
import { rowsReservedForTargets } from '../../shared/windows/config'
import { timeseriesStarts } from '../../shared/windows/keras'
import { toArrayBuffer } from '../engine/artifacts'
import type { EngineHost } from '../engine/host'
import { readModel } from './model-files'
import { sharedHost } from './shared-host'
import { fittedOfPackage, statisticalWindowForecasts } from './families/stat-model'

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
  // The inputs as in training: the features, then calendar columns of this file's times, then
  // the one-hot columns with the categories stored at training (unseen labels: all zeros).
  const warnings: string[] = []
  // A statistical model reads the target alone: no input columns (the file may lack the features).
  const featureColumns = manifest.model.statistical
    ? []
    : inputColumns(
        experiment,
        dataset,
        experiment.features.map((name) => ({ name, values: values(name) })),
        warnings,
      )
  const target = values(experiment.target)
  const transform = transformOf(experiment)
  const learnedName = learnedTargetName(experiment.target, transform)
  const levels = learnsLevels(transform)
  const features = normalizedMatrix(normalization, featureColumns)
  validateTargetTransform(transform, w, { name: experiment.target, values: target })
  const dataLength = dataset.rowCount - rowsReservedForTargets(w)
  // `seasonal` forecasts only windows whose targets have a value one season earlier.
  const first = firstTransformableStart(transform, w)
  const allStarts =
    dataLength > 0
      ? timeseriesStarts({
          dataLength,
          targetLength: dataLength,
          sequenceLength: w.sequenceLength,
          sequenceStride: w.sequenceStride,
          samplingRate: w.samplingRate,
        })
      : new Int32Array(0)
  const starts = first > 0 ? allStarts.filter((s) => s >= first) : allStarts
  // A statistical model reads the target alone: its future needs no feature row.
  const futureStart = manifest.model.statistical
    ? latestWindowStart(dataset.rowCount, w)
    : futureWindowStart(features, featureColumns.length, dataset.rowCount, w)
  // Back to data units with rows ≤ each window's last row (the transform's anchors), as in
  // training. Window models only: a statistical model forecasts in data units already.
  const toData = (normalized: Float32Array, at: Int32Array) =>
    toDataUnits(normalized, at, w, dataUnitsOf(normalization, learnedName, target, transform))
  const outcome = manifest.model.statistical
    ? statisticalOutcome(pkg, target, starts, futureStart)
    : await (options.host ?? sharedHost())
        .predict({
          modelJson: windowModelJson(pkg),
          weights: toArrayBuffer(pkg.weights.slice()),
          spec: manifest.model,
          window: w,
          batchSize: manifest.inference.batchSize,
          backend: manifest.training.backend,
          fused: manifest.training.fusedKernels,
          features,
          featureCount: featureColumns.length,
          // Targets are not learned here; the engine's batches read them, so they have the learned shape.
          target: levels
            ? normalizeColumn(normalization, experiment.target, target)
            : normalizeColumn(normalization, learnedName, learnedTargetRows(target, w, transform)),
          targetWidth: levels ? 1 : w.horizon,
          starts: starts.slice(),
          futureStart,
          warmup: manifest.model.stateful ? (manifest.inference.warmup ?? 0) : 0,
        })
        .then((o) => ({
          predictions: toData(o.predictions, starts),
          future:
            o.future && futureStart !== null ? toData(o.future, Int32Array.of(futureStart)) : null,
        }))
  const predicted = outcome.predictions
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
      ? futureForecast(dataset, futureStart, w, outcome.future)
      : null
  const set: ForecastSet = {
    dataset: { name: dataset.name, rowCount: dataset.rowCount },
    forecast,
    future,
    intervals: null,
    metrics,
    baselines,
    comparison,
    ...(warnings.length > 0 ? { warnings } : {}),
  }
  // Bands from the calibration stored at training time (the run's level unless asked otherwise).
  const level = options.intervalLevel ?? manifest.intervals?.level
  if (level === undefined) return set
  return withStoredLevel(set, manifest, level) ?? set
}

function windowModelJson(pkg: ModelPackage): TfjsModelJson {
  if (pkg.modelJson) return pkg.modelJson
  throw new SeqcastError(
    'model-mismatch',
    `${pkg.manifest.name}: the manifest names a window model, but model.json is missing. Export the model again.`,
    { file: 'model.json' },
  )
}

/**
 * A statistical model's forecasts of every window and of the future, in the data's units: its
 * filter starts at row 0 of this file with the fitted initial state and runs forward.
 */
function statisticalOutcome(
  pkg: ModelPackage,
  target: Float64Array,
  starts: Int32Array,
  futureStart: number | null,
): { predictions: Float64Array; future: Float64Array | null } {
  const fitted = fittedOfPackage(pkg)
  const w = pkg.manifest.experiment.window
  return {
    predictions: statisticalWindowForecasts(fitted, target, starts, w),
    future:
      futureStart !== null
        ? statisticalWindowForecasts(fitted, target, Int32Array.of(futureStart), w)
        : null,
  }
}

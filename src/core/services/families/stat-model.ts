/**
 * The statistical family (ETS, ARIMA, Theta, MSTL): parameters fitted on the training rows of the
 * target only, then one forward pass of the filter with the parameters fixed over the whole
 * target column; each window is forecast `h … h+H−1` rows after its last row from the state at
 * that row (DESIGN.md, "The evaluation contract"). The features are not read: these models
 * forecast the target from its own past. The exported model is seqcast.json + stats.json.
 */
import { SeqcastError } from '../../../shared/errors'
import type { RunConfig } from '../../../shared/experiment'
import { latestWindowStart } from '../../../shared/forecast/assemble'
import type { ModelManifest } from '../../../shared/manifest'
import { statisticalSeasons } from '../../../shared/models/statistical'
import type { ModelSpec } from '../../../shared/models/spec'
import type { PreparedExperiment } from '../../../shared/prepare'
import type { BackendReport, ModelPackage } from '../../../shared/run'
import { gapAfterWindow, type WindowConfig } from '../../../shared/windows/config'
import { fitStatModel, forecastVariance, forecastWindows, type FittedStat } from '../../stats'
import { statsFromJson, statsToJson } from '../../stats/stats-json'
import type { FamilyContext, FamilyOutcome } from './family'

/** What the run reports as its backend: no TensorFlow.js is involved. */
export const STATISTICAL_BACKEND: BackendReport = {
  used: 'cpu',
  skipped: {},
  routed:
    'Statistical model: fitted and run in plain JavaScript and WebAssembly on the engine worker (no TensorFlow.js).',
}

/** Last observed row of each window starting at `starts`. */
export function windowLastRows(starts: Int32Array, w: WindowConfig): Int32Array {
  const span = (w.sequenceLength - 1) * w.samplingRate
  return Int32Array.from(starts, (s) => s + span)
}

/** Fits the spec's statistical model on `train` (the first rows of the target). */
export function fitStatistical(
  spec: ModelSpec,
  seasonRows: number | null,
  train: Float64Array,
): FittedStat {
  if (!spec.statistical) {
    throw new SeqcastError('config', `Model "${spec.name}" is not a statistical model.`, {
      setting: 'model',
    })
  }
  return fitStatModel(spec.statistical.kind, train, {
    seasons: statisticalSeasons(spec, seasonRows),
  })
}

/** Forecasts of the windows starting at `starts` (n × H window-major) from one forward pass. */
export function statisticalWindowForecasts(
  fitted: FittedStat,
  target: Float64Array,
  starts: Int32Array,
  w: WindowConfig,
): Float64Array {
  return forecastWindows(fitted, target, windowLastRows(starts, w), gapAfterWindow(w), w.horizon)
}

/**
 * σ of the steps h … h+H−1 after a window's last row, from the model's closed-form variance
 * (origin-independent); null where the model has none (multiplicative ETS, seasonal Theta).
 */
export function windowSd(fitted: FittedStat, w: WindowConfig): number[] | null {
  const h = gapAfterWindow(w)
  const variance = forecastVariance(fitted, h + w.horizon - 1)
  if (!variance) return null
  return Array.from(variance.subarray(h - 1), (v) => Math.sqrt(v))
}

/** The package of a fitted statistical model: its manifest and stats.json. */
export function statisticalPackage(manifest: ModelManifest, fitted: FittedStat): ModelPackage {
  return { manifest, modelJson: null, weights: new Uint8Array(0), stats: statsToJson(fitted) }
}

/** The fitted model of a statistical package (stats.json checked on the way). */
export function fittedOfPackage(pkg: ModelPackage): FittedStat {
  if (pkg.stats === undefined) {
    throw new SeqcastError(
      'model-mismatch',
      `${pkg.manifest.name}: the manifest names a statistical model, but its stats.json is missing. Export the model again.`,
      { file: 'stats.json' },
    )
  }
  return statsFromJson(pkg.stats)
}

export async function fitStatisticalModel(
  config: RunConfig,
  prepared: PreparedExperiment,
  ctx: FamilyContext,
): Promise<FamilyOutcome> {
  const { experiment, model } = config
  if (!model.statistical) {
    throw new SeqcastError('config', `Model "${model.name}" is not a statistical model.`, {
      setting: 'model',
    })
  }
  const w = experiment.window
  const trainEnd = prepared.windows.ranges.train.end
  const { starts } = prepared.windows
  // The future from the latest window: the target has no missing rows (prepare checks it).
  const futureStart = latestWindowStart(prepared.rowCount, w)
  const { options } = ctx
  // Fitted in the engine worker (the arima package's WebAssembly loads there): the main process
  // and the app stay responsive, and a cancel stops the fit between estimation steps.
  const outcome = await ctx.host.fitStatistical(
    {
      runId: ctx.runId,
      kind: model.statistical.kind,
      seasons: statisticalSeasons(model, experiment.seasonRows),
      target: prepared.target.slice(),
      trainRows: trainEnd,
      lastRows: {
        ...(starts.val.length > 0 ? { val: windowLastRows(starts.val, w) } : {}),
        ...(starts.test.length > 0 ? { test: windowLastRows(starts.test, w) } : {}),
        ...(futureStart !== null ? { future: windowLastRows(Int32Array.of(futureStart), w) } : {}),
      },
      h: gapAfterWindow(w),
      H: w.horizon,
    },
    { signal: options.signal, onState: options.onState, onStep: options.onStep },
  )
  const { fitted, predictions } = outcome
  return {
    predictions: {
      ...(predictions.val ? { val: predictions.val } : {}),
      ...(predictions.test ? { test: predictions.test } : {}),
    },
    future: predictions.future ?? null,
    futureStart,
    forecastSd: windowSd(fitted, w),
    history: [],
    bestEpoch: null,
    stopReason: 'completed',
    stopMessage: outcome.message,
    backend: STATISTICAL_BACKEND,
    package: (manifest) => statisticalPackage(manifest, fitted),
  }
}

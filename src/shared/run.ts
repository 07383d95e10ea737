/**
 * What a training run produces, as plain data: the renderer stores it in IndexedDB, the CLI
 * writes it to files, IPC and the worker carry it. Numbers of forecasts stay typed arrays
 * (never number[]); every metric is in the data's units.
 */
import type { BaselineReport, BaselineName } from './baselines'
import { formatNumber, formatPercent } from './format/number'
import type { BackendName, RunConfig } from './experiment'
import type { IntervalMethod, RunIntervals, SplitCoverage } from './forecast/intervals'
import type { ModelManifest } from './manifest'
import type { Metrics } from './metrics'
import type { ModelSpec } from './models/spec'
import type { NormalizationStats } from './series/normalize'
import type { SplitName } from './series/split'

/** Which TensorFlow.js backend ran, and why each one tried before it did not. */
export type BackendReport = {
  used: BackendName
  /** Backends tried before `used` (or not tried because the user forced one), with the reason. */
  skipped: Partial<Record<BackendName, string>>
  /** What was done for this model on this backend, e.g. a kernel borrowed from cpu or a re-route. */
  routed?: string
  /** True when the user picked the backend instead of 'auto'. */
  forced?: boolean
  /** Library versions in the worker (tfjs, backend, node). */
  versions?: Record<string, string>
  /** Seqcast's fused recurrent kernels in this run; absent when the model has no LSTM/GRU/RNN. */
  kernels?: KernelReport
}

/**
 * Which recurrent layers ran on Seqcast's fused WebAssembly LSTM / GRU kernels, and why any did
 * not, e.g. `summary` "LSTM(16): fused WebAssembly kernels (2 threads)".
 */
export type KernelReport = {
  /** At least one recurrent layer runs on the fused kernels. */
  fused: boolean
  /** Layers on the fused kernels, e.g. "LSTM(16)", "Bidirectional(GRU(32))". */
  layers: string[]
  /** Recurrent layers on stock tfjs-layers, each with the reason. */
  stock: { layer: string; reason: string }[]
  /**
   * Threads of the fused kernels: 2 when batches are split over a helper thread. Before
   * training, what is available; after training, the most any call used.
   */
  threads: number
  /** Why the kernels are off, or why they use one thread. */
  reason?: string
  /** One line per recurrent layer, for people. */
  summary: string
}

export type StopReason = 'completed' | 'early-stopping' | 'cancelled' | 'nan-loss'

/** One finished epoch. Losses are in normalized units (what the optimizer sees). */
export type EpochRecord = {
  epoch: number
  loss: number
  /** Loss on the validation windows; null when the run has no validation windows. */
  valLoss: number | null
  /** Validation MAE in the target's units; null without validation windows. */
  valMae: number | null
  seconds: number
  /** Training windows per second in this epoch (the validation pass not counted). */
  samplesPerSecond: number
  /** Learning rate at the end of the epoch (differs from the setting when decay > 0). */
  learningRate: number
}

/** Throttled per-batch progress (at most ~5 a second, and always the last batch of an epoch). */
export type RunProgress = {
  runId: string
  phase: 'train' | 'validate'
  epoch: number
  epochs: number
  batch: number
  batches: number
  /** Mean training loss of the epoch so far (normalized units). */
  loss: number
  samplesPerSecond: number
  /** Seconds left for all epochs, from the pace so far; null until one batch is done. */
  etaSeconds: number | null
}

/**
 * Forecasts of a split, one row per window and H columns laid out window-major
 * (index k·H + h is step h of window k): the target row, its time, the actual and predicted value.
 */
export type Forecast = {
  horizon: number
  rowIndex: Int32Array
  /** Epoch ms of each target row, or null when the data has no time column. */
  timestamps: Float64Array | null
  actual: Float64Array
  predicted: Float64Array
  /** Prediction interval of each value (±Infinity where unbounded); absent without intervals. */
  lower?: Float64Array
  upper?: Float64Array
}

/** The forecast from the latest window of the data: rows after the data ends. */
export type FutureForecast = {
  horizon: number
  /** The window's last sampled row. */
  fromRow: number
  /** Row numbers the forecast is for (≥ rowCount when they lie after the data). */
  rowIndex: Int32Array
  /** Extrapolated with the time axis' cadence; null without a time column or cadence. */
  timestamps: Float64Array | null
  predicted: Float64Array
  /** Prediction interval of each value; absent without intervals. */
  lower?: Float64Array
  upper?: Float64Array
}

/** "better / worse than naive by X %" on the MAE. */
export type Comparison = {
  baseline: BaselineName
  metric: 'mae'
  model: number
  reference: number
  better: boolean
  percent: number
  text: string
}

export type SplitComparison = Partial<Record<'naive' | 'seasonal-naive', Comparison>>

/** tfjs layers-format `model.json` as written by `model.save`. */
export type TfjsModelJson = {
  modelTopology: Record<string, unknown>
  format?: string
  generatedBy?: string
  convertedBy?: string | null
  weightsManifest: {
    paths: string[]
    weights: { name: string; shape: number[]; dtype: string }[]
  }[]
}

/**
 * An exported model: the Seqcast manifest (`seqcast.json`) plus, for a window model, the tfjs
 * artifacts, or, for a statistical model, its parameters and initial state (`stats.json`).
 */
export type ModelPackage = {
  manifest: ModelManifest
  /** `model.json`; null for a statistical model. */
  modelJson: TfjsModelJson | null
  /** `weights.bin`; empty for a statistical model. */
  weights: Uint8Array
  /** `stats.json` of a statistical model (its text); absent for window models. */
  stats?: string
}

export type SplitMetricsRecord = Partial<Record<SplitName, Metrics>>

export type RunResult = {
  runId: string
  config: RunConfig
  dataset: { name: string; rowCount: number }
  sampleCounts: Record<SplitName, number>
  backend: BackendReport
  history: EpochRecord[]
  /** Epoch whose weights the model holds (best validation loss); null if none finished. */
  bestEpoch: number | null
  stopReason: StopReason
  /** A sentence for the user when the run did not simply complete (NaN, early stop, cancel). */
  stopMessage: string | null
  /** Why the transform and calendar features are what they are (absent in runs before them). */
  choices?: string[]
  /** What the checks (checks/run-warnings.ts) found suspicious, each with what to do. */
  warnings?: string[]
  /** Empty after a cancel (the checkpoint is kept, evaluation is skipped to stop at once). */
  metrics: SplitMetricsRecord
  baselines: BaselineReport
  comparison: Partial<Record<SplitName, SplitComparison>>
  forecasts: Partial<Record<'val' | 'test', Forecast>>
  future: FutureForecast | null
  /** Interval level, method, calibration and coverage per split; absent in runs saved before intervals, null without validation windows. */
  intervals?: RunIntervals | null
  normalization: NormalizationStats
  /** The best checkpoint (what `bestEpoch` names); null only when no epoch finished. */
  artifacts: ModelPackage | null
  seconds: number
}

/** Forecasts of an exported model on a new file with the same schema. */
export type ForecastSet = {
  dataset: { name: string; rowCount: number }
  /** Every window of the file that has its targets. */
  forecast: Forecast
  future: FutureForecast | null
  /** The stored calibration the bands came from, with the coverage on this file; null when the model has none. */
  intervals?: ForecastIntervals | null
  metrics: Metrics | null
  baselines: Partial<Record<'naive' | 'seasonal-naive', Metrics>>
  comparison: SplitComparison
  /** What the forecast did that a person should know (one-hot labels the model never saw). */
  warnings?: string[]
}

/** Intervals of a forecast of a file: the exported model's calibration at one level. */
export type ForecastIntervals = {
  level: number
  method: IntervalMethod
  radius: (number | null)[]
  /** On this file's windows that have actuals; null when none has. */
  coverage: SplitCoverage | null
}

/** What the app shows when the user picks a stateful model. */
export const STATEFUL_EXPLANATION =
  'Stateful: the recurrent layers keep their state from one batch to the next within an epoch. ' +
  'Windows are not shuffled; the training and validation windows are cut to a multiple of the batch size and dealt ' +
  'into batch-size streams of consecutive windows, so row i of batch k continues row i of batch k − 1. States are ' +
  'reset at the start of every epoch and before each validation pass. The batch size is fixed and stays part of the model.'

/** Output units of the model's Dense head: H, or 1 for a recursive one-step model. */
export function outputUnits(spec: ModelSpec, horizon: number): number {
  return spec.head.kind === 'recursive' ? 1 : horizon
}

/** actual − predicted, window-major like the forecast. */
export function residuals(f: Pick<Forecast, 'actual' | 'predicted'>): Float64Array {
  const out = new Float64Array(f.actual.length)
  for (let i = 0; i < out.length; i++) out[i] = f.actual[i] - f.predicted[i]
  return out
}

/** MAE of the model next to a baseline's: "better than naive by 3.9 %". */
export function compareWith(
  baseline: BaselineName,
  model: Metrics,
  reference: Metrics,
): Comparison {
  const m = model.mae
  const r = reference.mae
  const percent = r === 0 || !Number.isFinite(r) ? NaN : (100 * Math.abs(r - m)) / r
  const better = m < r
  const label = baseline === 'seasonal-naive' ? 'seasonal naive' : baseline
  const text = Number.isNaN(percent)
    ? `no comparison with ${label} (its MAE is ${formatNumber(r)})`
    : m === r
      ? `as good as ${label}`
      : // With the app's percent format: the report read "1552.8 %" where Results read "1,552.8 %".
        `${better ? 'better' : 'worse'} than ${label} by ${formatPercent(percent / 100)}`
  return { baseline, metric: 'mae', model: m, reference: r, better, percent, text }
}

/** The model's MAE next to each baseline that was evaluated on the same windows. */
export function compareWithBaselines(
  model: Metrics,
  baselines: Partial<Record<'naive' | 'seasonal-naive', Metrics>>,
): SplitComparison {
  const out: SplitComparison = {}
  if (baselines.naive) out.naive = compareWith('naive', model, baselines.naive)
  const seasonal = baselines['seasonal-naive']
  if (seasonal) out['seasonal-naive'] = compareWith('seasonal-naive', model, seasonal)
  return out
}

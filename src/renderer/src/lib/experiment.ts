/**
 * Pure helpers of the Experiment view: a sensible first draft for a dataset, the checked run it
 * starts, one sample's rows for the window chart, and a memory estimate. No DOM, no Vue: unit-tested in test/renderer.
 */
import { defaultTargetColumn, rowCounterColumns } from '@shared/checks/nonsense'
import { checkRun } from '@shared/checks/run'
import {
  DEFAULT_TRAINING,
  parseRunConfig,
  type ExperimentConfig,
  type RunConfig,
  type TrainingConfig,
} from '@shared/experiment'
import { DEFAULT_INTERVALS, type IntervalSettings } from '@shared/forecast/intervals'
import {
  estimateTrainingMemory,
  presetSpec,
  type ModelSpec,
  type ModelSummary,
} from '@shared/models'
import type { Dataset } from '@shared/series/dataset'
import { defaultSeasonRows } from '@shared/series/season'
import { DEFAULT_SPLIT, type SplitName } from '@shared/series/split'
import type { TimeCadence } from '@shared/series/time-axis'
import { DEFAULT_WINDOW, type WindowConfig } from '@shared/windows/config'
import type { ExperimentWindows } from '@shared/windows/experiment'

const MINUTE = 60_000

export interface Draft {
  experiment: ExperimentConfig
  model: ModelSpec
  training: TrainingConfig
  /**
   * Prediction intervals. A saved draft keeps the ones it holds; one saved before intervals
   * existed never chose any and gets DEFAULT_INTERVALS (90 % adaptive conformal) like a new one.
   */
  intervals?: IntervalSettings
}

/**
 * A draft saved by an older version: training settings added since (e.g. `fusedKernels`) get
 * their defaults, so the draft still validates.
 */
export function upgradeDraft(saved: Draft): Draft {
  return {
    ...saved,
    training: { ...DEFAULT_TRAINING, ...saved.training },
    intervals: { ...DEFAULT_INTERVALS, ...saved.intervals },
  }
}

/**
 * The run a draft starts, checked as the training service checks it (`checkRun`): a setting the
 * engine would refuse stops Start here, with the same message, instead of becoming a failed run.
 * `trainWindows` (when the experiment prepared) lets it count a stateful model's whole batches.
 */
export function runConfigOf(draft: Draft, trainWindows?: number): RunConfig {
  const config = parseRunConfig(draft)
  checkRun(config, trainWindows)
  return config
}

/**
 * The Season field's entry as a season in rows; empty means none. Vue's v-model on an
 * `<input type="number">` hands over a number (or '' when the box is empty), never only text.
 */
export function seasonRowsFromInput(value: string | number): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null
  const text = value.trim()
  return text === '' ? null : Number(text)
}

export function numericColumns(dataset: Dataset): string[] {
  return dataset.columns.filter((c) => c.kind === 'numeric').map((c) => c.name)
}

/**
 * First draft for a dataset: the first numeric column as target, every numeric column as a
 * feature; Chollet's windows (120 rows, one every 6, target 24 h after the window) on
 * 10-minute data long enough for them, else a window of consecutive rows sized to the data and
 * a target one row after it.
 */
export function defaultDraft(
  dataset: Dataset,
  cadence: Pick<TimeCadence, 'ms' | 'months'> | null,
): Draft {
  const numeric = numericColumns(dataset)
  // Never a constant column (a meter that reads 0 all year) as the default target.
  const target = defaultTargetColumn(dataset)
  const counters = new Set(rowCounterColumns(dataset))
  const trainRows = Math.floor(dataset.rowCount * DEFAULT_SPLIT.train)
  let window: WindowConfig
  if (cadence && !cadence.months && cadence.ms === 10 * MINUTE && trainRows >= 10 * 858) {
    window = { ...DEFAULT_WINDOW }
  } else {
    const L = Math.max(
      2,
      Math.min(60, Math.floor((Math.max(0, dataset.rowCount) * DEFAULT_SPLIT.val) / 4)),
    )
    window = { sequenceLength: L, samplingRate: 1, sequenceStride: 1, delay: L, horizon: 1 }
  }
  const model = presetSpec('lstm') as ModelSpec
  const batchSize = dataset.rowCount > 20_000 ? 256 : 32
  return {
    experiment: {
      target,
      // not R's row names: a counter read as a feature is a trend outside the training range
      // (unless it is the target, when nothing else is left)
      features: numeric.filter((c) => c === target || !counters.has(c)),
      window,
      split: { ...DEFAULT_SPLIT },
      normalization: 'zscore',
      seasonRows: defaultSeasonRows(cadence),
      transform: 'auto',
      calendar: 'auto',
    },
    model,
    training: { ...DEFAULT_TRAINING, batchSize, earlyStopping: null },
    intervals: { ...DEFAULT_INTERVALS },
  }
}

/** Rows of one sample for the window chart. */
export interface SampleRows {
  split: SplitName
  index: number
  count: number
  start: number
  /** Rows the window reads, in order. */
  windowRows: number[]
  /** Target rows (one per horizon step). */
  targetRows: number[]
  /** Row range to draw around it, inclusive. */
  from: number
  to: number
}

export function sampleRows(
  windows: ExperimentWindows,
  split: SplitName,
  index: number,
): SampleRows | null {
  const starts = windows.starts[split]
  if (starts.length === 0) return null
  const k = Math.min(Math.max(0, Math.floor(index)), starts.length - 1)
  const w = windows.window
  const s = starts[k]
  const windowRows = Array.from({ length: w.sequenceLength }, (_, j) => s + j * w.samplingRate)
  const targetRows = Array.from({ length: w.horizon }, (_, h) => s + w.delay + h)
  const last = targetRows[targetRows.length - 1]
  const margin = Math.max(3, Math.round((last - s) * 0.08))
  return {
    split,
    index: k,
    count: starts.length,
    start: s,
    windowRows,
    targetRows,
    from: Math.max(0, s - margin),
    to: Math.min(windows.rowCount - 1, last + margin),
  }
}

export interface MemoryEstimate {
  /** Normalized inputs and target, float32, rows × (features + 1). */
  data: number
  /** Start index of every window (int32). */
  indices: number
  /** One batch of inputs and targets, reused (float32). */
  batch: number
  /** Weights, gradients, the best-epoch copy and optimizer slots (float32). */
  parameters: number
  /** Activations kept for backpropagation of one batch, approximate. */
  activations: number
  total: number
  /** What materializing every training window would take instead (float32). */
  materializedTrain: number
}

/** Bytes training is expected to hold, per the layout of the engine (start indices + batch buffer). */
export function memoryEstimate(
  config: { experiment: ExperimentConfig; model: ModelSpec; training: TrainingConfig },
  rowCount: number,
  samples: Record<SplitName, number>,
  summary: ModelSummary | null,
  /** Input columns per row: the features and the calendar and one-hot columns the preview resolved. */
  inputs = config.experiment.features.length,
): MemoryEstimate {
  const F = inputs
  const { sequenceLength: L, horizon: H } = config.experiment.window
  const B = config.training.batchSize
  const f32 = 4
  const data = rowCount * (F + 1) * f32
  const indices = (samples.train + samples.val + samples.test) * 4
  const batch = B * (L * F + H) * f32
  // Weights and activations: the estimate checkRun refuses oversized models with (one rule).
  const training = summary
    ? estimateTrainingMemory(config.model, {
        inputShape: [L, F],
        horizon: H,
        batchSize: B,
        optimizer: config.training.optimizer,
      })
    : null
  const parameters = training?.weightBytes ?? 0
  const activations = training?.activationBytes ?? 0
  const total = data + indices + batch + parameters + activations
  return {
    data,
    indices,
    batch,
    parameters,
    activations,
    total,
    materializedTrain: samples.train * L * F * f32,
  }
}

/**
 * Everything a run needs besides the data: what to predict from what, how windows are cut,
 * how the model is built and trained. Plain data, stored with runs and exported models.
 */
import { z } from 'zod'
import { SeqcastError } from './errors'
import type { IntervalSettings } from './forecast/intervals'
import { describeZodError, modelSpecSchema } from './models/validate'
import type { ModelSpec } from './models/spec'
import type { NormalizationKind } from './series/normalize'
import type { SplitFractions } from './series/split'
import type { WindowConfig } from './windows/config'
import type { TargetTransform } from './transforms/spec'
import type { CalendarSetting } from './features/calendar'
import { MAX_CATEGORIES, type OneHotSetting } from './features/one-hot'

export interface ExperimentConfig {
  target: string
  /** Input columns in tensor order; may include the target. */
  features: string[]
  window: WindowConfig
  split: SplitFractions
  normalization: NormalizationKind
  /** Season in rows for the seasonal-naive baseline; null when none applies. */
  seasonRows: number | null
  /**
   * What window models learn instead of the target's level (transforms/spec.ts). 'auto' is
   * chosen by `chooseTargetTransform` when the experiment is prepared; a prepared (stored) config
   * holds the transform it chose. Absent: none (runs and models made before it existed).
   */
  transform?: TargetTransform | 'auto'
  /**
   * Calendar features appended to the inputs (features/calendar.ts). 'auto' is chosen by cadence
   * when prepared; a prepared config holds the list. Absent: none.
   */
  calendar?: CalendarSetting
  /**
   * Text columns one-hot encoded as inputs (features/one-hot.ts), after the features and the
   * calendar columns. A requested setting may leave `categories` empty: the run fixes them when
   * prepared (those of the training rows, sorted), and a prepared (stored) config, like a model's
   * manifest, holds them. Absent: none.
   */
  oneHot?: OneHotSetting[]
}

export type OptimizerName = 'rmsprop' | 'adam' | 'sgd'
export type LossName = 'mse' | 'mae' | 'huber'
export type BackendName = 'tfjs-node-gpu' | 'tfjs-node' | 'wasm' | 'cpu'

export interface TrainingConfig {
  epochs: number
  batchSize: number
  optimizer: OptimizerName
  learningRate: number
  /** Keras' legacy per-step decay: lr / (1 + decay · step). 0 = constant. */
  decay: number
  loss: LossName
  /** Stateless runs shuffle windows each epoch (seeded); stateful runs never shuffle. */
  shuffle: boolean
  seed: number
  /** Stop after `patience` epochs without a better validation loss; restore the best weights. */
  earlyStopping: { patience: number } | null
  /** 'auto' tries tfjs-node-gpu → tfjs-node → wasm → cpu. */
  backend: 'auto' | BackendName
  /** Use Seqcast's fused WebAssembly LSTM/GRU kernels where they apply. */
  fusedKernels: boolean
}

export interface RunConfig {
  experiment: ExperimentConfig
  model: ModelSpec
  training: TrainingConfig
  /**
   * Prediction intervals; absent: DEFAULT_INTERVALS (90 % adaptive conformal). Runs saved before
   * ACI became the default were drawn with split conformal and say so in their results
   * (`RunResult.intervals.method`).
   */
  intervals?: IntervalSettings
}

export const DEFAULT_TRAINING: TrainingConfig = {
  epochs: 10,
  batchSize: 256,
  optimizer: 'rmsprop',
  learningRate: 0.001,
  decay: 0,
  loss: 'mse',
  shuffle: true,
  seed: 1,
  earlyStopping: null,
  backend: 'auto',
  fusedKernels: true,
}

const whole = (min: number, max: number) => z.number().int().min(min).max(max)

export const windowConfigSchema = z
  .object({
    sequenceLength: whole(1, 100_000),
    samplingRate: whole(1, 100_000),
    sequenceStride: whole(1, 100_000),
    delay: whole(1, 10_000_000),
    horizon: whole(1, 10_000),
  })
  .strict()

export const experimentConfigSchema = z
  .object({
    target: z.string().max(500),
    features: z.array(z.string().max(500)).min(1).max(10_000),
    window: windowConfigSchema,
    split: z.object({ train: z.number().gt(0).lt(1), val: z.number().min(0).lt(1) }).strict(),
    normalization: z.enum(['zscore', 'minmax', 'minmax-sym', 'none']),
    seasonRows: whole(1, 10_000_000).nullable(),
    transform: z
      .union([
        z.literal('auto'),
        z
          .object({
            kind: z.enum(['none', 'change', 'seasonal']),
            log: z.boolean(),
            seasonRows: whole(1, 10_000_000).nullable(),
          })
          .strict(),
      ])
      .optional(),
    calendar: z
      .union([z.enum(['auto', 'none']), z.array(z.enum(['hour', 'dow', 'doy', 'month'])).max(4)])
      .optional(),
    oneHot: z
      .array(
        z
          .object({
            column: z.string().max(500),
            categories: z.array(z.string().max(10_000)).max(MAX_CATEGORIES),
          })
          .strict(),
      )
      .max(1_000)
      .optional(),
  })
  .strict()

export const trainingConfigSchema = z
  .object({
    epochs: whole(1, 100_000),
    batchSize: whole(1, 1_000_000),
    optimizer: z.enum(['rmsprop', 'adam', 'sgd']),
    learningRate: z.number().gt(0).lt(100),
    decay: z.number().min(0).lt(1),
    loss: z.enum(['mse', 'mae', 'huber']),
    shuffle: z.boolean(),
    seed: whole(0, 2 ** 31 - 1),
    earlyStopping: z
      .object({ patience: whole(1, 10_000) })
      .strict()
      .nullable(),
    backend: z.enum(['auto', 'tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu']),
    fusedKernels: z.boolean(),
  })
  .strict()

export const runConfigSchema = z
  .object({
    experiment: experimentConfigSchema,
    model: modelSpecSchema,
    training: trainingConfigSchema,
    intervals: z
      .object({ level: z.number().gt(0).lt(1), method: z.enum(['split', 'aci', 'model']) })
      .strict()
      .optional(),
  })
  .strict()

export function parseRunConfig(value: unknown, source = 'run settings'): RunConfig {
  const result = runConfigSchema.safeParse(value)
  if (!result.success) {
    throw new SeqcastError('config', `${source}: ${describeZodError(result.error, 'settings')}.`, {
      issues: result.error.issues,
    })
  }
  return result.data as RunConfig
}

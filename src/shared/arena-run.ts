/**
 * The arena as the app runs it (`arena:run`): the request's model set, the training of its
 * window models, the progress events per model, and the board it answers with. The ranking,
 * the sets and the ensemble are src/shared/arena.ts; this file adds what crosses the IPC.
 */
import type { BoardEntry } from './arena'
import { outputNormalization } from './checks/nonsense'
import type { ExperimentConfig, TrainingConfig } from './experiment'
import type { ModelSpec } from './models/spec'
import type { Forecast, FutureForecast, RunResult } from './run'

/**
 * Training of the window models in a comparison: at most 20 epochs, early stopping after 3
 * without a better validation loss, Adam at 0.005 on batches of 64 (the CLI's `compare`
 * defaults; see its note on why not train's RMSprop at 0.001 on 256).
 */
export const ARENA_TRAINING = {
  epochs: 20,
  patience: 3,
  optimizer: 'adam',
  learningRate: 0.005,
  batchSize: 64,
} as const

/**
 * The training of every window model of a comparison: the experiment's own settings (seed,
 * loss, backend, fused kernels) with the arena's optimizer, batch, epochs and early stopping.
 */
export function arenaTraining(
  base: TrainingConfig,
  epochs: number = ARENA_TRAINING.epochs,
  patience: number | null = ARENA_TRAINING.patience,
): TrainingConfig {
  return {
    ...base,
    epochs,
    earlyStopping: patience === null ? null : { patience },
    optimizer: ARENA_TRAINING.optimizer,
    learningRate: ARENA_TRAINING.learningRate,
    batchSize: ARENA_TRAINING.batchSize,
    decay: 0,
  }
}

/**
 * The training of one model of the arena: stateful models keep their batch streams in order
 * (never shuffled) and need one whole batch of training windows, so on a short series the
 * batch shrinks to fit.
 */
export function modelTraining(
  spec: Pick<ModelSpec, 'stateful'>,
  training: TrainingConfig,
  trainWindows: number,
): TrainingConfig {
  return spec.stateful
    ? {
        ...training,
        shuffle: false,
        batchSize: Math.max(1, Math.min(training.batchSize, trainWindows)),
      }
    : training
}

/**
 * One step of a comparison: first its baselines (they need no fit), then per model: it starts,
 * finishes an epoch, is done or skipped.
 */
export type ArenaProgress = ArenaBaselines | ArenaModelProgress

/**
 * The naive and seasonal-naive rows of the board and the split they are evaluated on, sent
 * before any model trains, so that a comparison cancelled or reloaded half-way keeps them.
 */
export interface ArenaBaselines {
  jobId: string
  phase: 'baselines'
  /** Not a model of the set (lets a listener read `model` on any event). */
  model?: undefined
  board: ArenaBoardEntry[]
  sampleCounts: ArenaResponse['sampleCounts']
  seasonRows: number | null
}

/** One step of one model of the set. */
export type ArenaModelProgress = {
  jobId: string
  model: string
  /** 0-based place of the model in the set, of `of`. */
  index: number
  of: number
} & (
  | { phase: 'start' }
  | { phase: 'epoch'; epoch: number; epochs: number; valMae: number | null }
  | {
      phase: 'done'
      name: string
      valMae: number | null
      seconds: number
      /**
       * The model's run (package, history, forecasts), so the app saves each model as it
       * finishes: a reload or quit half-way through a comparison keeps the ones that finished.
       */
      result: RunResult
    }
  | { phase: 'skipped'; reason: string }
)

/** A board entry as the app receives it. */
export interface ArenaBoardEntry extends BoardEntry {
  /** What was fitted ("ETS(M,A,M)", "LSTM(16)", "mean of ets, arima, theta", "Naive"). */
  name: string
  /** The run of a model (package, history, forecasts); null for the baselines and the ensemble. */
  result: RunResult | null
  /** Forecasts of a baseline or the ensemble (a model's are in its result); null for models. */
  forecasts: Partial<Record<'val' | 'test', Forecast>> | null
  future: FutureForecast | null
  members?: string[]
}

export interface ArenaResponse {
  /** Ranked by validation MAE, best first. */
  board: ArenaBoardEntry[]
  skipped: { model: string; reason: string }[]
  /** The presets asked for, in the order they ran. */
  models: string[]
  /** True when cancelled: the board holds the models that finished before. */
  cancelled: boolean
  sampleCounts: { train: number; val: number; test: number }
  /** Season of the seasonal naive on the board, in rows; null when none. */
  seasonRows: number | null
  seconds: number
}

/**
 * The experiment one model of a comparison runs on: a tanh output (the stateful LSTM(4)) on
 * min-max to [−1, 1] when the experiment's normalization would leave its targets outside the
 * output's range, as `train` and the Experiment view set it for that model, instead of skipping
 * it. Scores are in the data's units, so the board stays comparable.
 */
export function modelExperiment(
  spec: Pick<ModelSpec, 'head'>,
  experiment: ExperimentConfig,
): ExperimentConfig {
  const needed = outputNormalization(spec)
  const inRange = experiment.normalization === 'minmax' || experiment.normalization === 'minmax-sym'
  return needed && !inRange ? { ...experiment, normalization: needed } : experiment
}

/**
 * Seqcast's training loop over TensorFlow.js: BatchFiller → tensors → optimizer.minimize, with
 * what Keras' fit + callbacks do and tfjs lacks: seeded shuffles, stateful batching with state
 * resets, validation in the data's units, early stopping that restores the best weights, a
 * best-validation checkpoint (ModelCheckpoint(save_best_only)), a cancel check between batches
 * and NaN detection. Windows are never materialized: one reused batch buffer is filled per step.
 */
import * as tf from '@tensorflow/tfjs'
import { checkTrainingBatches } from '../../shared/checks/run'
import type { LossName, OptimizerName, TrainingConfig } from '../../shared/experiment'
import type { ModelSpec } from '../../shared/models/spec'
import type { EpochRecord, RunProgress, StopReason } from '../../shared/run'
import type { SplitName } from '../../shared/series/split'
import {
  BatchFiller,
  batchesPerEpoch,
  epochOrder,
  statefulOrder,
  type BatchSource,
  type TargetMode,
} from '../../shared/windows/batches'
import { seededRandom } from '../../shared/windows/random'
import type { WindowConfig } from '../../shared/windows/config'
import { dataUnitsMae, type DataUnits } from '../../shared/forecast/data-units'
import { batchTensor, evaluationBatchSize, predictWindows, resetStates } from './forecast'

export interface TrainData {
  /** Normalized features (row-major) and normalized target. */
  source: BatchSource
  window: WindowConfig
  starts: Record<SplitName, Int32Array>
  /** Data units per normalized unit of the target (MAE in data units = MAE · targetScale). */
  targetScale: number
  /**
   * How predictions become data units (see shared/forecast/data-units): the live validation MAE
   * is then exactly the Results MAE. Without it, the MAE of the learned values × targetScale.
   */
  dataUnits?: DataUnits
}

export type TraceEvent =
  | { type: 'reset'; phase: 'train' | 'validate'; epoch: number }
  | { type: 'batch'; phase: 'train' | 'validate'; epoch: number; batch: number; starts: Int32Array }

export interface TrainHooks {
  onProgress?(progress: Omit<RunProgress, 'runId'>): void
  onEpoch?(record: EpochRecord): void
  /** Called with the model holding the new best weights, before the next epoch starts. */
  onCheckpoint?(epoch: number, model: tf.LayersModel): void | Promise<void>
  /** Checked between batches (training and validation); true stops at once. */
  shouldStop?(): boolean
  /** Test hook: every batch's window starts and every state reset, in order. */
  trace?(event: TraceEvent): void
  /** How long each training batch took (ms): the host's cancel grace follows the slowest. */
  onBatchTime?(ms: number): void
  /** Minimum ms between progress events (the last batch of an epoch always reports). */
  progressIntervalMs?: number
  now?(): number
}

export interface TrainLoopResult {
  history: EpochRecord[]
  bestEpoch: number | null
  stopReason: StopReason
  stopMessage: string | null
  /** Set when the loss became NaN / infinite. */
  nan: { epoch: number; batch: number; value: number } | null
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve))

export function makeOptimizer(name: OptimizerName, learningRate: number): tf.Optimizer {
  // Keras defaults: RMSprop rho 0.9, Adam betas 0.9 / 0.999, epsilon 1e-7 for both.
  switch (name) {
    case 'rmsprop':
      return tf.train.rmsprop(learningRate, 0.9, 0, 1e-7)
    case 'adam':
      return tf.train.adam(learningRate, 0.9, 0.999, 1e-7)
    case 'sgd':
      return tf.train.sgd(learningRate)
  }
}

/** Keras' legacy decay: lr / (1 + decay · iterations), set before each step. */
export function setLearningRate(optimizer: tf.Optimizer, lr: number): void {
  // Not `instanceof`: tfjs optimizers answer it by duck typing (Adam "is" an SGDOptimizer).
  const sgd = optimizer as unknown as {
    setLearningRate?: (lr: number) => void
    learningRate: number
  }
  if (typeof sgd.setLearningRate === 'function') sgd.setLearningRate(lr)
  else sgd.learningRate = lr
}

/** Loss per the training config (mean over all outputs); huber with Keras' delta 1. */
export function lossFunction(name: LossName): (y: tf.Tensor, p: tf.Tensor) => tf.Scalar {
  switch (name) {
    case 'mse':
      return (y, p) => tf.losses.meanSquaredError(y, p) as tf.Scalar
    case 'mae':
      return (y, p) => tf.losses.absoluteDifference(y, p) as tf.Scalar
    case 'huber':
      return (y, p) => tf.losses.huberLoss(y, p, undefined, 1) as tf.Scalar
  }
}

/** Training targets: one step for recursive heads, every timestep for every-step heads. */
export function trainingWindow(
  spec: ModelSpec,
  window: WindowConfig,
): { window: WindowConfig; mode: TargetMode } {
  if (spec.head.kind === 'recursive') return { window: { ...window, horizon: 1 }, mode: 'last' }
  return { window, mode: spec.head.kind === 'every-step' ? 'every-step' : 'last' }
}

/** Math.random replaced by a seeded PRNG while `fn` runs: dropout masks become reproducible. */
export async function withSeededRandom<T>(seed: number, fn: () => Promise<T>): Promise<T> {
  const original = Math.random
  Math.random = seededRandom((seed ^ 0x5eed) >>> 0)
  try {
    return await fn()
  } finally {
    Math.random = original
  }
}

/** Recurrent layers that carry state (tfjs keeps every old state of a stateful training step). */
function statefulLayers(model: tf.LayersModel): { keptStates: tf.Tensor[][] }[] {
  return model.layers.filter(
    (l) => (l as unknown as { stateful?: boolean }).stateful,
  ) as unknown as {
    keptStates: tf.Tensor[][]
  }[]
}

/** Frees the states tfjs keeps for backpropagation through previous batches (never used here). */
function releaseKeptStates(layers: { keptStates: tf.Tensor[][] }[]): void {
  for (const layer of layers) {
    if (layer.keptStates && layer.keptStates.length > 0) {
      for (const states of layer.keptStates) tf.dispose(states)
      layer.keptStates = []
    }
  }
}

export async function trainModel(
  model: tf.LayersModel,
  spec: ModelSpec,
  training: TrainingConfig,
  data: TrainData,
  hooks: TrainHooks = {},
): Promise<TrainLoopResult> {
  return withSeededRandom(training.seed, () => loop(model, spec, training, data, hooks))
}

async function loop(
  model: tf.LayersModel,
  spec: ModelSpec,
  training: TrainingConfig,
  data: TrainData,
  hooks: TrainHooks,
): Promise<TrainLoopResult> {
  const now = hooks.now ?? (() => performance.now())
  const interval = hooks.progressIntervalMs ?? 200
  const B = training.batchSize
  const stateful = spec.stateful
  const { window: trainWindow, mode } = trainingWindow(spec, data.window)
  const L = trainWindow.sequenceLength
  const F = data.source.featureCount
  const outUnits = mode === 'every-step' ? [L, trainWindow.horizon] : [trainWindow.horizon]
  const filler = new BatchFiller(data.source, trainWindow, B, mode)
  const lossFn = lossFunction(training.loss)
  const optimizer = makeOptimizer(training.optimizer, training.learningRate)
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable)
  const carriers = statefulLayers(model)

  const trainStarts = data.starts.train
  const valStarts = data.starts.val
  checkTrainingBatches(stateful, trainStarts.length, B)
  const trainBatches = batchesPerEpoch(trainStarts.length, B, stateful)
  // The validation loss of direct heads comes from the forecast pass itself; every-step and
  // recursive heads need a teacher-forced pass for it (what they are trained on), which for a
  // stateful model runs whole batches only (training's order).
  const lossPass = mode === 'every-step' || spec.head.kind === 'recursive'
  const lossOrder = stateful ? statefulOrder(valStarts, B) : valStarts
  const validates = valStarts.length > 0 && (!lossPass || lossOrder.length > 0)
  const evalBatch = evaluationBatchSize(spec, B)
  const valBatches =
    Math.ceil(valStarts.length / evalBatch) +
    (lossPass ? batchesPerEpoch(valStarts.length, B, stateful) : 0)

  const history: EpochRecord[] = []
  let best = Infinity
  let bestEpoch: number | null = null
  let bestWeights: tf.Tensor[] | null = null
  let sinceBest = 0
  let stopReason: StopReason = 'completed'
  let nan: TrainLoopResult['nan'] = null
  let iterations = 0
  let lr = training.learningRate
  const runStart = now()
  let lastProgress = -Infinity

  const stop = () => hooks.shouldStop?.() === true
  const progress = (
    phase: 'train' | 'validate',
    epoch: number,
    batch: number,
    batches: number,
    loss: number,
    rate: number,
    force: boolean,
  ) => {
    const t = now()
    if (!hooks.onProgress || (!force && t - lastProgress < interval)) return
    lastProgress = t
    // Share of the whole run done, counting a validation batch as a third of a training batch.
    const perEpoch = trainBatches + valBatches / 3
    const doneInEpoch = phase === 'train' ? batch : trainBatches + batch / 3
    const done = ((epoch - 1) * perEpoch + doneInEpoch) / (training.epochs * perEpoch)
    const elapsed = (t - runStart) / 1000
    hooks.onProgress({
      phase,
      epoch,
      epochs: training.epochs,
      batch,
      batches,
      loss,
      samplesPerSecond: rate,
      etaSeconds: done > 0 ? Math.max(0, (elapsed * (1 - done)) / done) : null,
    })
  }

  const keepBest = () => {
    tf.dispose(bestWeights ?? [])
    bestWeights = model.getWeights().map((w) => tf.keep(w.clone()))
  }

  try {
    epochs: for (let epoch = 1; epoch <= training.epochs; epoch++) {
      const epochStart = now()
      if (stateful) {
        resetStates(model)
        hooks.trace?.({ type: 'reset', phase: 'train', epoch })
      }
      const order = stateful
        ? statefulOrder(trainStarts, B)
        : epochOrder(trainStarts, training.shuffle, training.seed, epoch)
      let lossSum = 0
      let seen = 0
      for (let k = 0; k < trainBatches; k++) {
        if (stop()) {
          stopReason = 'cancelled'
          break epochs
        }
        const batchStart = now()
        const count = filler.fill(order, k * B)
        hooks.trace?.({
          type: 'batch',
          phase: 'train',
          epoch,
          batch: k,
          starts: order.slice(k * B, k * B + count),
        })
        if (training.decay > 0) {
          lr = training.learningRate / (1 + training.decay * iterations)
          setLearningRate(optimizer, lr)
        }
        const x = batchTensor(filler, count, L, F)
        const y = tf.tensor(filler.y.slice(0, count * outUnits.reduce((a, b) => a * b, 1)), [
          count,
          ...outUnits,
        ])
        const lossTensor = optimizer.minimize(
          () => lossFn(y, model.apply(x, { training: true }) as tf.Tensor),
          true,
          variables,
        )
        iterations++
        const loss = lossTensor ? (await lossTensor.data())[0] : NaN
        tf.dispose([x, y, lossTensor as tf.Tensor])
        if (stateful) releaseKeptStates(carriers)
        hooks.onBatchTime?.(now() - batchStart)
        if (!Number.isFinite(loss)) {
          nan = { epoch, batch: k + 1, value: loss }
          stopReason = 'nan-loss'
          break epochs
        }
        lossSum += loss * count
        seen += count
        const seconds = (now() - epochStart) / 1000
        progress(
          'train',
          epoch,
          k + 1,
          trainBatches,
          lossSum / seen,
          seen / Math.max(seconds, 1e-9),
          k + 1 === trainBatches,
        )
        await yieldToEventLoop()
      }
      const trainSeconds = (now() - epochStart) / 1000
      const loss = lossSum / seen

      let valLoss: number | null = null
      let valMae: number | null = null
      if (validates) {
        const v = await validate(
          model,
          spec,
          data,
          {
            window: trainWindow,
            mode,
            lossPass,
            lossOrder,
            B,
            evalBatch,
            lossFn,
            loss: training.loss,
          },
          epoch,
          hooks,
          stop,
          (batch) =>
            progress(
              'validate',
              epoch,
              batch,
              valBatches,
              loss,
              seen / Math.max(trainSeconds, 1e-9),
              batch === valBatches,
            ),
        )
        if (v === null) {
          stopReason = 'cancelled'
          break epochs
        }
        valLoss = v.loss
        valMae = v.mae
        if (!Number.isFinite(valLoss)) {
          nan = { epoch, batch: 0, value: valLoss }
          stopReason = 'nan-loss'
          break epochs
        }
      }
      const record: EpochRecord = {
        epoch,
        loss,
        valLoss,
        valMae,
        seconds: (now() - epochStart) / 1000,
        samplesPerSecond: seen / Math.max(trainSeconds, 1e-9),
        learningRate: lr,
      }
      history.push(record)
      hooks.onEpoch?.(record)
      // Monitor the validation loss (the training loss when there are no validation windows).
      const monitored = valLoss ?? loss
      if (monitored < best) {
        best = monitored
        bestEpoch = epoch
        sinceBest = 0
        keepBest()
        await hooks.onCheckpoint?.(epoch, model)
      } else {
        sinceBest++
        if (training.earlyStopping && sinceBest >= training.earlyStopping.patience) {
          stopReason = 'early-stopping'
          break
        }
      }
    }
    // The model ends with the best weights (what Keras' ModelCheckpoint(save_best_only) keeps
    // and Chollet reloads for the test set); EarlyStopping(restore_best_weights) does the same.
    const last = history.length > 0 ? history[history.length - 1].epoch : null
    if (bestWeights && (bestEpoch !== last || stopReason !== 'completed')) {
      model.setWeights(bestWeights)
    }
    if (stateful) resetStates(model)
  } finally {
    tf.dispose(bestWeights ?? [])
    optimizer.dispose()
    releaseKeptStates(carriers)
  }
  return {
    history,
    bestEpoch,
    stopReason,
    stopMessage: stopMessage(stopReason, history, bestEpoch, training, nan, validates),
    nan,
  }
}

interface ValidationPlan {
  /** The training window (horizon 1 for recursive heads) and target mode. */
  window: WindowConfig
  mode: TargetMode
  /** Whether the loss needs its own teacher-forced pass (every-step and recursive heads). */
  lossPass: boolean
  lossOrder: Int32Array
  B: number
  evalBatch: number
  lossFn: (y: tf.Tensor, p: tf.Tensor) => tf.Scalar
  loss: LossName
}

/**
 * One validation pass: the forecasts of every validation window made exactly as the evaluation
 * after training makes them (`predictWindows`, same batch size, same state resets and order),
 * so the MAE (in data units, `dataUnitsMae`) is the number Results shows for this checkpoint.
 * The loss (what early stopping watches, in learned normalized units as Keras' val_loss) comes
 * from the same forecasts for direct heads, or from a teacher-forced pass for the others.
 */
async function validate(
  model: tf.LayersModel,
  spec: ModelSpec,
  data: TrainData,
  plan: ValidationPlan,
  epoch: number,
  hooks: TrainHooks,
  stop: () => boolean,
  progress: (batch: number) => void,
): Promise<{ loss: number; mae: number } | null> {
  const starts = data.starts.val
  let done = 0
  const trace = (phase: 'validate', batch: number, batchStarts: Int32Array) => {
    hooks.trace?.({ type: 'batch', phase, epoch, batch, starts: batchStarts.slice() })
    progress(++done)
  }
  let loss = NaN
  if (plan.lossPass) {
    const l = await teacherForcedLoss(model, spec, data, plan, epoch, hooks, stop, trace)
    if (l === null) return null
    loss = l
  }
  if (spec.stateful) hooks.trace?.({ type: 'reset', phase: 'validate', epoch })
  let predicted: Float32Array
  try {
    predicted = await predictWindows(model, data.source, starts, {
      spec,
      window: data.window,
      batchSize: plan.evalBatch,
      shouldStop: stop,
      yieldEvery: yieldToEventLoop,
      onBatch: (k, _n, batchStarts) => trace('validate', k, batchStarts),
    })
  } catch (error) {
    if ((error as { kind?: string }).kind === 'cancelled') return null
    throw error
  }
  const learned = learnedTargets(data, starts)
  if (!plan.lossPass) loss = lossOf(plan.loss, learned, predicted)
  // Without data units (backtest folds, engine tests: no transform), learned units × scale.
  const mae = data.dataUnits
    ? dataUnitsMae(predicted, starts, data.window, data.dataUnits)
    : lossOf('mae', learned, predicted) * data.targetScale
  return { loss, mae }
}

/** The normalized learned values the windows `starts` target, n × H window-major. */
function learnedTargets(data: TrainData, starts: Int32Array): Float64Array {
  const { target, targetWidth = 1 } = data.source
  const { delay, horizon: H } = data.window
  const out = new Float64Array(starts.length * H)
  for (let k = 0; k < starts.length; k++) {
    for (let h = 0; h < H; h++) {
      const r = starts[k] + delay + h
      out[k * H + h] = targetWidth === 1 ? target[r] : target[r * H + h]
    }
  }
  return out
}

/** The training loss (Keras' formulas, mean over every value; huber with delta 1). */
export function lossOf(name: LossName, y: ArrayLike<number>, p: ArrayLike<number>): number {
  let sum = 0
  let n = 0
  for (let i = 0; i < y.length; i++) {
    const e = Math.abs(y[i] - p[i])
    if (Number.isNaN(e)) continue
    sum += name === 'mse' ? e * e : name === 'mae' ? e : e <= 1 ? 0.5 * e * e : e - 0.5
    n++
  }
  return n === 0 ? NaN : sum / n
}

/** Every-step and recursive heads: the loss on what they are trained on (teacher-forced). */
async function teacherForcedLoss(
  model: tf.LayersModel,
  spec: ModelSpec,
  data: TrainData,
  plan: ValidationPlan,
  epoch: number,
  hooks: TrainHooks,
  stop: () => boolean,
  trace: (phase: 'validate', batch: number, starts: Int32Array) => void,
): Promise<number | null> {
  const { window, mode, lossOrder: order, B } = plan
  const L = window.sequenceLength
  const F = data.source.featureCount
  const H = window.horizon
  const outUnits = mode === 'every-step' ? [L, H] : [H]
  const size = outUnits.reduce((a, b) => a * b, 1)
  const filler = new BatchFiller(data.source, window, B, mode)
  if (spec.stateful) {
    resetStates(model)
    hooks.trace?.({ type: 'reset', phase: 'validate', epoch })
  }
  let lossSum = 0
  let seen = 0
  const batches = batchesPerEpoch(order.length, B, spec.stateful)
  for (let k = 0; k < batches; k++) {
    if (stop()) return null
    const count = filler.fill(order, k * B)
    const x = batchTensor(filler, count, L, F)
    const y = tf.tensor(filler.y.slice(0, count * size), [count, ...outUnits])
    const loss = tf.tidy(() => plan.lossFn(y, model.apply(x, { training: false }) as tf.Tensor))
    lossSum += (await loss.data())[0] * count
    seen += count
    tf.dispose([x, y, loss])
    trace('validate', k, order.subarray(k * B, k * B + count))
    await yieldToEventLoop()
  }
  if (spec.stateful) resetStates(model)
  return lossSum / seen
}

function fmt(x: number): string {
  return Number.isFinite(x) ? Number(x.toPrecision(4)).toString() : String(x)
}

function stopMessage(
  reason: StopReason,
  history: EpochRecord[],
  bestEpoch: number | null,
  training: TrainingConfig,
  nan: TrainLoopResult['nan'],
  validates: boolean,
): string | null {
  const monitored = validates ? 'validation loss' : 'training loss'
  const bestLoss =
    bestEpoch === null ? NaN : (history[bestEpoch - 1].valLoss ?? history[bestEpoch - 1].loss)
  const kept =
    bestEpoch === null
      ? 'No epoch finished, so there is no checkpoint.'
      : `The model keeps the weights of epoch ${bestEpoch} (best ${monitored} ${fmt(bestLoss)}).`
  switch (reason) {
    case 'completed':
      return null
    case 'early-stopping':
      return `Stopped early after epoch ${history.length}: the ${monitored} has not improved for ${training.earlyStopping?.patience} epochs. ${kept}`
    case 'cancelled':
      return `Cancelled during epoch ${history.length + 1}. ${kept}`
    case 'nan-loss': {
      const what = nan && Number.isNaN(nan.value) ? 'NaN (not a number)' : 'infinite'
      const where =
        nan && nan.batch > 0
          ? `epoch ${nan.epoch}, batch ${nan.batch}`
          : `the validation pass of epoch ${nan?.epoch}`
      return (
        `Training stopped at ${where}: the loss became ${what}. ${bestEpoch === null ? 'No epoch finished before, so there is no usable checkpoint.' : `The model keeps the weights of epoch ${bestEpoch}, the last good checkpoint.`} ` +
        `Lower the learning rate (it is ${training.learningRate}${training.optimizer === 'sgd' ? ' with plain SGD' : ''}), and check that the inputs are normalized and have no missing values.`
      )
    }
  }
}

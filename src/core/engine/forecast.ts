/**
 * Predictions of a model over windows given by their start rows, in normalized units, n × H
 * window-major. Handles the three head kinds (direct, recursive roll-out, every-step) and
 * stateful models (fixed batch size, state carried from row i of a batch to row i of the next,
 * in Keras' order).
 */
import * as tf from '@tensorflow/tfjs'
import { SeqcastError } from '../../shared/errors'
import { EVAL_BATCH } from '../../shared/models/memory'
import type { ModelSpec } from '../../shared/models/spec'
import { BatchFiller, sourceRows, type BatchSource } from '../../shared/windows/batches'
import type { WindowConfig } from '../../shared/windows/config'
import { warmupStream } from '../../shared/windows/stateful'

export interface PredictOptions {
  spec: ModelSpec
  window: WindowConfig
  /** Batch size: the fixed one for stateful models; any size otherwise. */
  batchSize: number
  /** Checked between batches; when it returns true a `cancelled` error is thrown. */
  shouldStop?: () => boolean
  /** Lets the worker's event loop breathe between batches. */
  yieldEvery?: () => Promise<void>
  /** After each batch of `predictWindows`: its index, the batch count and the windows it read. */
  onBatch?: (batch: number, batches: number, starts: Int32Array) => void
}

/**
 * Backends that copy a new tensor's values when it is made (wasm copies them into its heap at
 * once), so the filler's buffer can be handed over as it is and refilled for the next batch.
 * The cpu backend and tfjs-node keep a reference to the array until it is used: they get a copy.
 * Allocating a fresh 1.7 MB array per Jena batch cost about 4 ms (page faults and GC), a third
 * of a fused training step. A test checks the wasm behaviour this relies on.
 */
const COPYING_BACKENDS = new Set(['wasm'])

/** `count` rows of a filler's x as a tensor; the filler's buffer stays free for the next batch. */
export function batchTensor(
  filler: BatchFiller,
  count: number,
  steps: number,
  features: number,
): tf.Tensor3D {
  const n = count * steps * features
  const values = COPYING_BACKENDS.has(tf.getBackend())
    ? filler.x.subarray(0, n)
    : filler.x.slice(0, n)
  return tf.tensor3d(values, [count, steps, features])
}

/**
 * Batches over all n windows for a stateful model of batch size B, in Keras' order (as
 * `predict(x, batch_size=B)` slices an array): batch k holds windows k·B … k·B + B − 1, so row i
 * of batch k continues the state of row i of batch k − 1, as in training (`statefulOrder`). The
 * slots of the last batch past the end repeat the last window; their outputs are ignored
 * (`index` is −1 there).
 */
export function paddedBatchOrder(
  starts: Int32Array,
  batchSize: number,
): { order: Int32Array; index: Int32Array; batches: number } {
  const n = starts.length
  const batches = Math.max(1, Math.ceil(n / batchSize))
  const order = new Int32Array(batches * batchSize)
  const index = new Int32Array(batches * batchSize).fill(-1)
  const pad = n > 0 ? starts[n - 1] : 0
  for (let slot = 0; slot < order.length; slot++) {
    if (slot < n) {
      order[slot] = starts[slot]
      index[slot] = slot
    } else order[slot] = pad
  }
  return { order, index, batches }
}

/**
 * The batch size of every forecast pass over the validation / test windows (the live validation
 * of each epoch and the evaluation after training alike): a stateful model's fixed one, else at
 * least EVAL_BATCH.
 */
export function evaluationBatchSize(spec: ModelSpec, batchSize: number): number {
  return spec.stateful ? batchSize : Math.max(batchSize, EVAL_BATCH)
}

export type StatefulModel = tf.LayersModel & { resetStates(): void }

export function resetStates(model: tf.LayersModel): void {
  ;(model as StatefulModel).resetStates()
}

/** Output [b, units] (or [b, L, units] for every-step heads) → the last step's [b, units]. */
export function lastStep(spec: ModelSpec, output: tf.Tensor): tf.Tensor2D {
  if (spec.head.kind !== 'every-step') return output as tf.Tensor2D
  const [b, steps, units] = output.shape as [number, number, number]
  return output.slice([0, steps - 1, 0], [b, 1, units]).reshape([b, units])
}

/**
 * Direct or every-step heads: one model call per batch. Recursive heads: H calls, each shifting
 * the window one step and appending the prediction as its newest value (univariate, rate 1).
 */
function predictBatch(
  model: tf.LayersModel,
  spec: ModelSpec,
  x: tf.Tensor3D,
  horizon: number,
): tf.Tensor2D {
  return tf.tidy(() => {
    if (spec.head.kind !== 'recursive') {
      return lastStep(spec, model.apply(x, { training: false }) as tf.Tensor)
    }
    const [b, steps] = x.shape
    let input: tf.Tensor3D = x
    const outs: tf.Tensor2D[] = []
    for (let h = 0; h < horizon; h++) {
      const p = model.apply(input, { training: false }) as tf.Tensor2D // [b, 1]
      outs.push(p)
      if (h + 1 < horizon) {
        const kept = input.slice([0, 1, 0], [b, steps - 1, 1])
        input = tf.concat([kept, p.reshape([b, 1, 1])], 1) as tf.Tensor3D
      }
    }
    return tf.concat(outs, 1) as tf.Tensor2D
  })
}

export async function predictWindows(
  model: tf.LayersModel,
  source: BatchSource,
  starts: Int32Array,
  options: PredictOptions,
): Promise<Float32Array> {
  const { spec, window } = options
  const H = window.horizon
  const out = new Float32Array(starts.length * H)
  if (starts.length === 0) return out
  const L = window.sequenceLength
  const F = source.featureCount
  const B = options.batchSize
  const filler = new BatchFiller(source, window, B)
  const check = async () => {
    if (options.shouldStop?.()) throw new SeqcastError('cancelled', 'Cancelled.')
    await options.yieldEvery?.()
  }
  if (spec.stateful) {
    const { order, index, batches } = paddedBatchOrder(starts, B)
    resetStates(model)
    for (let k = 0; k < batches; k++) {
      await check()
      filler.fill(order, k * B)
      const x = batchTensor(filler, B, L, F)
      const y = predictBatch(model, spec, x, H)
      const values = y.dataSync()
      tf.dispose([x, y])
      for (let i = 0; i < B; i++) {
        const w = index[k * B + i]
        if (w >= 0) out.set(values.subarray(i * H, i * H + H), w * H)
      }
      options.onBatch?.(k, batches, order.subarray(k * B, k * B + B))
    }
    resetStates(model)
    return out
  }
  for (let offset = 0; offset < starts.length; offset += B) {
    await check()
    const count = filler.fill(starts, offset)
    const x = batchTensor(filler, count, L, F)
    const y = predictBatch(model, spec, x, H)
    out.set(y.dataSync() as Float32Array, offset * H)
    tf.dispose([x, y])
    options.onBatch?.(
      offset / B,
      Math.ceil(starts.length / B),
      starts.subarray(offset, offset + count),
    )
  }
  return out
}

/**
 * The forecast from the latest window, starting at `start` (it may read rows whose targets lie
 * after the data). Stateful models first run the `warmup` windows before it as one stream (see
 * `warmupStream`), so the state is carried up to the latest window as in training.
 */
export async function predictFuture(
  model: tf.LayersModel,
  source: BatchSource,
  start: number,
  options: PredictOptions & { warmup?: number },
): Promise<Float32Array> {
  const { spec, window } = options
  const H = window.horizon
  const F = source.featureCount
  const stream = spec.stateful
    ? warmupStream(start, options.warmup ?? 0, window.sequenceStride * options.batchSize)
    : Int32Array.of(start)
  // A small local copy of the rows these windows read, padded past the data's end (the filler
  // insists that every window's targets exist; their values are not used here).
  const base = stream[0]
  const rows = start - base + window.delay + H
  const available = Math.min(rows, sourceRows(source) - base)
  const features = new Float32Array(rows * F)
  features.set(source.features.subarray(base * F, (base + available) * F))
  const width = source.targetWidth ?? 1
  const local: BatchSource = {
    features,
    featureCount: F,
    target: new Float32Array(rows * width),
    targetWidth: width,
  }
  if (!spec.stateful) {
    return predictWindows(model, local, Int32Array.of(0), { ...options, batchSize: 1 })
  }
  // The stream in row 0 of consecutive batches (the other rows repeat its window, ignored).
  const B = options.batchSize
  const batches = stream.length
  const order = new Int32Array(batches * B)
  for (let k = 0; k < batches; k++) order.fill(stream[k] - base, k * B, k * B + B)
  const L = window.sequenceLength
  const filler = new BatchFiller(local, window, options.batchSize)
  resetStates(model)
  let last: Float32Array = new Float32Array(H)
  for (let k = 0; k < batches; k++) {
    if (options.shouldStop?.()) throw new SeqcastError('cancelled', 'Cancelled.')
    filler.fill(order, k * B)
    const x = batchTensor(filler, B, L, F)
    const y = predictBatch(model, spec, x, H)
    if (k === batches - 1) last = (y.dataSync() as Float32Array).slice(0, H)
    tf.dispose([x, y])
  }
  resetStates(model)
  return last
}

/**
 * How much memory a model needs to train, estimated before it is built: the Experiment view
 * checks it before Start, the training service and the CLI before training (through `checkRun`),
 * so a model that cannot fit is refused with a message naming its largest layers instead of
 * aborting the engine's WebAssembly runtime halfway through its first batch.
 *
 * The estimate, in float32 values (4 bytes each):
 * - weights: parameters × (1 weights + 1 gradients + 1 best-epoch copy + optimizer slots), with
 *   parameter counts from `summarizeModel` (Keras' formulas) and the slots TensorFlow.js keeps:
 *   Adam 2 (first and second moments), RMSprop 2 (mean square and momentum), SGD 0;
 * - activations of one training batch: every layer's output and its gradient (recurrent layers
 *   keep, per timestep and direction, g gate pre-activations, g gate values, the cell and the
 *   state, each with its gradient), plus the input window; or half of that (forward only) for
 *   an evaluation batch of 256 windows when that is larger.
 * It errs on the high side for recurrent layers on the fused kernels (which keep less).
 */
import { SeqcastError } from '../errors'
import type { OptimizerName } from '../experiment'
import { isRecurrent, type ModelSpec } from './spec'
import { summarizeModel } from './summary'

export const BYTES_PER_VALUE = 4

/** Slots (tensors the size of the weights) each optimizer keeps in TensorFlow.js. */
export const OPTIMIZER_SLOTS: Record<OptimizerName, number> = { sgd: 0, rmsprop: 2, adam: 2 }

/**
 * What the engine lets one run use: half of the 4 GiB a 32-bit WebAssembly heap can grow to
 * (the wasm backend's limit), leaving room for the evaluation batches, the checkpoint copies
 * sent to the host and the allocator's fragmentation (its heap never shrinks).
 */
export const TRAINING_MEMORY_LIMIT_BYTES = 2 * 1024 ** 3

/** The engine's batch size when it forecasts the validation / test windows (stateless models). */
export const EVAL_BATCH = 256

const GATES = { lstm: 4, gru: 3, simplernn: 1 } as const

export interface LayerMemory {
  index: number
  label: string
  params: number
  /** Values one sample keeps for the backward pass through this layer. */
  activationsPerSample: number
}

export interface MemoryEstimate {
  params: number
  /** Weights, gradients, best-epoch copy and optimizer slots. */
  weightCopies: number
  weightBytes: number
  batchSize: number
  activationBytes: number
  totalBytes: number
  layers: LayerMemory[]
}

export interface MemoryShape {
  /** Timesteps L and features F of one window. */
  inputShape: [number, number]
  horizon: number
  batchSize: number
  optimizer: OptimizerName
}

/** The estimate above (throws summarizeModel's `config` error when the shapes do not fit). */
export function estimateTrainingMemory(spec: ModelSpec, shape: MemoryShape): MemoryEstimate {
  const [steps, features] = shape.inputShape
  const summary = summarizeModel(spec, steps, features, shape.horizon)
  let inShape = [steps, features]
  const layers: LayerMemory[] = summary.layers.map((row, k) => {
    const layer = spec.layers[k] // undefined for the output head
    const size = row.outputShape.reduce((a, b) => a * b, 1)
    let perSample = 2 * size
    if (layer && isRecurrent(layer)) {
      const dirs = layer.bidirectional ? 2 : 1
      perSample = 2 * inShape[0] * dirs * layer.units * (2 * GATES[layer.type] + 2)
    }
    inShape = row.outputShape
    return {
      index: row.index,
      label: row.label,
      params: row.params,
      activationsPerSample: perSample,
    }
  })
  const params = summary.totalParams
  const weightCopies = 3 + OPTIMIZER_SLOTS[shape.optimizer]
  const weightBytes = params * weightCopies * BYTES_PER_VALUE
  const perSample = steps * features + layers.reduce((s, l) => s + l.activationsPerSample, 0)
  // Forecasting after training runs batches of at least 256 (forward only: half the values).
  const evalBatch = spec.stateful ? shape.batchSize : Math.max(shape.batchSize, EVAL_BATCH)
  const activationBytes =
    Math.max(shape.batchSize * perSample, (evalBatch * perSample) / 2) * BYTES_PER_VALUE
  return {
    params,
    weightCopies,
    weightBytes,
    batchSize: shape.batchSize,
    activationBytes,
    totalBytes: weightBytes + activationBytes,
    layers,
  }
}

/** "1.5 GB", "12 MB", "900 kB" (decimal units, as a file manager shows them). */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB']
  let value = bytes
  let u = 0
  while (value >= 1000 && u < units.length - 1) {
    value /= 1000
    u++
  }
  return `${u === 0 ? value : Number(value.toPrecision(3))} ${units[u]}`
}

function count(n: number): string {
  if (n >= 1e6) return `${Number((n / 1e6).toPrecision(3))} M`
  return n.toLocaleString('en-US')
}

/**
 * Refuses a model whose estimate exceeds `limit`, naming the layers that hold the most
 * parameters (or the most activations, when those dominate) and what to change.
 */
export function checkTrainingMemory(
  spec: ModelSpec,
  shape: MemoryShape,
  limit = TRAINING_MEMORY_LIMIT_BYTES,
): MemoryEstimate {
  const estimate = estimateTrainingMemory(spec, shape)
  if (estimate.totalBytes <= limit) return estimate
  const byWeights = estimate.weightBytes >= estimate.activationBytes
  const ranked = [...estimate.layers]
    .sort((a, b) =>
      byWeights ? b.params - a.params : b.activationsPerSample - a.activationsPerSample,
    )
    .slice(0, 2)
  const named = ranked
    .map((l) =>
      byWeights
        ? `layer ${l.index + 1}, ${l.label}, has ${count(l.params)} parameters`
        : `layer ${l.index + 1}, ${l.label}, keeps ${formatBytes(l.activationsPerSample * estimate.batchSize * BYTES_PER_VALUE)} per batch`,
    )
    .join('; ')
    .replace(/^l/, 'L')
  const fix = byWeights
    ? 'Use fewer units or layers (a Dense layer after Flatten has inputs × units parameters).'
    : 'Use fewer units or layers, a shorter sequence length, or a smaller batch size.'
  throw new SeqcastError(
    'config',
    `Model "${spec.name}" needs about ${formatBytes(estimate.totalBytes)} to train (${count(estimate.params)} parameters × ${estimate.weightCopies} copies with ${shape.optimizer}: ${formatBytes(estimate.weightBytes)}; activations of one batch: ${formatBytes(estimate.activationBytes)}), more than the ${formatBytes(limit)} the training engine can use. ${named}. ${fix}`,
    {
      setting: byWeights ? 'layers' : 'batchSize',
      layer: ranked[0]?.index ?? null,
      estimatedBytes: estimate.totalBytes,
      limitBytes: limit,
    },
  )
}

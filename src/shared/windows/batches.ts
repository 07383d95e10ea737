import { SeqcastError, expectArg } from '../errors'
import { gapAfterWindow, type WindowConfig } from './config'
import { shuffled } from './random'
import { formatCount } from '../format/number'

/**
 * Normalized model inputs: features row-major (rowCount × featureCount) and the target: one value
 * per row, or (with `targetWidth` H) the learned rows of a target transform, rowCount × H, where
 * entry r·H + j is what step j learns when it targets row r (transforms/target.ts).
 */
export interface BatchSource {
  features: Float32Array
  featureCount: number
  target: Float32Array
  /** 1 (default): one target value per row; H: learned rows of a transform. */
  targetWidth?: number
}

/** Rows of a batch source. */
export function sourceRows(source: BatchSource): number {
  return source.target.length / (source.targetWidth ?? 1)
}

/**
 * `last`: one target vector per window (the H rows from s + delay).
 * `every-step`: a target vector at every timestep t of the window (the H rows that follow its
 * row s + t·R by the same gap as the last row's), for sequence-to-sequence training (Géron).
 */
export type TargetMode = 'last' | 'every-step'

/**
 * Fills reused batch buffers from window start rows, so windows are never materialized:
 * x is batchSize × L × F, y is batchSize × H (or batchSize × L × H for `every-step`).
 */
export class BatchFiller {
  readonly x: Float32Array
  readonly y: Float32Array
  readonly batchSize: number
  private readonly source: BatchSource
  private readonly window: WindowConfig
  private readonly mode: TargetMode

  constructor(
    source: BatchSource,
    window: WindowConfig,
    batchSize: number,
    mode: TargetMode = 'last',
  ) {
    expectArg(
      Number.isInteger(batchSize) && batchSize >= 1,
      'batch size',
      'a whole number ≥ 1',
      batchSize,
      'config',
    )
    const width = source.targetWidth ?? 1
    expectArg(
      width === 1 || width === window.horizon,
      'batch source',
      `a target width of 1 or the horizon ${window.horizon}`,
      width,
    )
    expectArg(
      source.features.length === sourceRows(source) * source.featureCount,
      'batch source',
      `features of length rows × featureCount = ${sourceRows(source) * source.featureCount}`,
      source.features.length,
    )
    this.source = source
    this.window = window
    this.batchSize = batchSize
    this.mode = mode
    const { sequenceLength: L, horizon: H } = window
    this.x = new Float32Array(batchSize * L * source.featureCount)
    this.y = new Float32Array(batchSize * (mode === 'every-step' ? L * H : H))
  }

  /** Copies windows order[offset … offset + batchSize) into x / y; returns how many it copied. */
  fill(order: Int32Array, offset: number): number {
    const count = Math.max(0, Math.min(this.batchSize, order.length - offset))
    const { features, featureCount: F, target } = this.source
    const { sequenceLength: L, samplingRate: R, delay, horizon: H } = this.window
    const rowCount = sourceRows(this.source)
    // Row r, step h of the target: r with one value per row, r·H + h for learned rows.
    const W = this.source.targetWidth ?? 1
    const step = W === 1 ? 0 : 1
    const gap = gapAfterWindow(this.window)
    const x = this.x
    const y = this.y
    for (let b = 0; b < count; b++) {
      const s = order[offset + b]
      const lastTarget = s + delay + H - 1
      if (s < 0 || lastTarget >= rowCount) {
        throw new SeqcastError(
          'internal',
          `window start ${s} reads past the data (${rowCount} rows)`,
          {
            start: s,
            rowCount,
          },
        )
      }
      // A plain loop: a subarray per row (30,720 per Jena batch) cost more than the copy itself.
      let xo = b * L * F
      for (let t = 0; t < L; t++) {
        const r = (s + t * R) * F
        for (let f = 0; f < F; f++) x[xo + f] = features[r + f]
        xo += F
      }
      if (this.mode === 'last') {
        const yo = b * H
        for (let h = 0; h < H; h++) y[yo + h] = target[(s + delay + h) * W + h * step]
      } else {
        for (let t = 0; t < L; t++) {
          const yo = (b * L + t) * H
          const first = s + t * R + gap
          for (let h = 0; h < H; h++) y[yo + h] = target[(first + h) * W + h * step]
        }
      }
    }
    return count
  }
}

/**
 * Batches in one pass over `windows` windows, as the training loop runs them. Stateless: the last
 * batch may be partial, ⌈n / B⌉ (Keras' steps per epoch: 209,511 Jena windows make 819 batches of
 * 256). Stateful: whole batches only, ⌊n / B⌋, because the batch size is fixed and row i of every
 * batch continues a stream; the windows past the last whole batch are left out.
 */
export function batchesPerEpoch(windows: number, batchSize: number, stateful: boolean): number {
  return stateful ? Math.floor(windows / batchSize) : Math.ceil(windows / batchSize)
}

/**
 * The Experiment view's line on batches. One batch is "1 batch", and a batch size above the
 * training samples is said as what runs: one batch of all of them (a 40-row file read
 * "1 batches of 32 per epoch" over 19 samples).
 */
export function batchesPerEpochText(windows: number, batchSize: number, stateful: boolean): string {
  const n = batchesPerEpoch(windows, batchSize, stateful)
  if (!stateful && windows > 0 && windows < batchSize) {
    return `1 batch of all ${formatCount(windows)} training samples per epoch (the batch size, ${formatCount(batchSize)}, is more than there are).`
  }
  return `${formatCount(n)} ${n === 1 ? 'batch' : 'batches'} of ${formatCount(batchSize)} per epoch.`
}

/**
 * Stateless training order: a fresh seeded shuffle every epoch (Keras reshuffles each iteration),
 * or the chronological order when shuffle is off.
 */
export function epochOrder(
  starts: Int32Array,
  shuffle: boolean,
  seed: number,
  epoch: number,
): Int32Array {
  return shuffle ? shuffled(starts, (seed + Math.imul(epoch, 0x9e3779b1)) >>> 0) : starts
}

/**
 * Stateful order, as Keras' `fit(shuffle=False)` feeds an array of windows (the book's recipes:
 * Bonaccorso's sunspots, Gulli's electricity): `index_array = arange(n)` sliced into consecutive
 * batches, so batch k holds windows k·B … k·B + B − 1 and row i of batch k continues the state of
 * row i of batch k − 1, the window B windows (B · stride rows) earlier. Whole batches only: a
 * stateful model's batch size is fixed, and the recipes cut their arrays to a multiple of B
 * (Gulli: `train_size = (n // BATCH_SIZE) * BATCH_SIZE`), so the windows past the last whole
 * batch are left out. The same order every epoch.
 */
export function statefulOrder(starts: Int32Array, batchSize: number): Int32Array {
  return starts.slice(0, batchesPerEpoch(starts.length, batchSize, true) * batchSize)
}

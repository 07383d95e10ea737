/**
 * How a stateful model carries its state into the future forecast. In training (Keras' order,
 * `statefulOrder`), row i of every batch is a stream of K = ⌊n / B⌋ windows, one per batch, B
 * windows (B · stride rows) apart. The future forecast replays one such stream ending at the
 * latest window, so the state it starts from has seen as many windows, as far apart, as in an
 * epoch of training.
 */
import { batchesPerEpoch } from './batches'

/** Windows a stateful model runs before the latest one: the length of one training stream. */
export function statefulWarmup(trainWindows: number, batchSize: number): number {
  return batchesPerEpoch(trainWindows, batchSize, true)
}

/**
 * Start rows of the stream that ends with the latest window, oldest first: `warmup` windows
 * `step` rows apart before it (B · stride: as consecutive windows of a training stream are),
 * without those that would start before row 0.
 */
export function warmupStream(latestStart: number, warmup: number, step: number): Int32Array {
  const before = Math.max(0, Math.min(warmup, Math.floor(latestStart / step)))
  const stream = new Int32Array(before + 1)
  for (let i = 0; i <= before; i++) stream[i] = latestStart - (before - i) * step
  return stream
}

/**
 * How a stateful model carries its state into the future forecast. In training, every row of a
 * batch is a stream of consecutive training windows (`statefulOrder`): K = ⌊n / B⌋ windows, one
 * per batch, `stride` rows apart. The future forecast replays one such stream ending at the latest
 * window, so the state it starts from has seen as many windows as in an epoch of training.
 */
import { batchesPerEpoch } from './batches'

/** Windows a stateful model runs before the latest one: the length of one training stream. */
export function statefulWarmup(trainWindows: number, batchSize: number): number {
  return batchesPerEpoch(trainWindows, batchSize, true)
}

/**
 * Start rows of the stream that ends with the latest window, oldest first: `warmup` windows
 * `stride` rows apart before it (as consecutive windows of a training stream are), without those
 * that would start before row 0.
 */
export function warmupStream(latestStart: number, warmup: number, stride: number): Int32Array {
  const before = Math.max(0, Math.min(warmup, Math.floor(latestStart / stride)))
  const stream = new Int32Array(before + 1)
  for (let i = 0; i <= before; i++) stream[i] = latestStart - (before - i) * stride
  return stream
}

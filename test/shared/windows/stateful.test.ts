/**
 * Batch counts as the training loop runs them, and the windows a stateful model replays before
 * its future forecast, counted by hand.
 */
import { describe, expect, it } from 'vitest'
import {
  batchesPerEpoch,
  batchesPerEpochText,
  statefulOrder,
  statefulWarmup,
  warmupStream,
} from '../../../src/shared/windows'

describe('batchesPerEpochText', () => {
  it('one batch is singular; a batch size above the samples is one batch of all of them', () => {
    expect(batchesPerEpochText(19, 32, false)).toBe(
      '1 batch of all 19 training samples per epoch (the batch size, 32, is more than there are).',
    )
    expect(batchesPerEpochText(32, 32, false)).toBe('1 batch of 32 per epoch.')
    expect(batchesPerEpochText(2365, 32, false)).toBe('74 batches of 32 per epoch.')
    // stateful keeps whole batches only: 19 samples fill no batch of 32
    expect(batchesPerEpochText(19, 32, true)).toBe('0 batches of 32 per epoch.')
  })
})

describe('batchesPerEpoch', () => {
  it('stateless: the last batch may be partial (10 windows, batch 4: 4 + 4 + 2)', () => {
    expect(batchesPerEpoch(10, 4, false)).toBe(3)
    expect(batchesPerEpoch(8, 4, false)).toBe(2)
    expect(batchesPerEpoch(3, 4, false)).toBe(1)
    expect(batchesPerEpoch(0, 4, false)).toBe(0)
    // Chollet ch. 10: 209,511 training windows in batches of 256 are 819 steps (818 full + 1).
    expect(batchesPerEpoch(209_511, 256, false)).toBe(819)
  })

  it('stateful: whole batches only (10 windows, batch 4: two batches, windows 9 and 10 left out)', () => {
    expect(batchesPerEpoch(10, 4, true)).toBe(2)
    expect(batchesPerEpoch(8, 4, true)).toBe(2)
    expect(batchesPerEpoch(3, 4, true)).toBe(0)
    expect(batchesPerEpoch(209_511, 256, true)).toBe(818)
  })

  it('is the number of batches the stateful order deals', () => {
    // 10 windows at rows 100…109, batch 4: two whole batches, windows 108 and 109 left out.
    const starts = Int32Array.from({ length: 10 }, (_, i) => 100 + i)
    const order = statefulOrder(starts, 4)
    expect(Array.from(order)).toEqual([100, 101, 102, 103, 104, 105, 106, 107])
    expect(order.length / 4).toBe(batchesPerEpoch(10, 4, true))
  })
})

/**
 * Keras 2's fit_loop on arrays: `index_array = np.arange(num_train_samples)`, shuffled only when
 * `shuffle` is true, then `make_batches(n, batch_size)` = [(0, B), (B, 2B), …] and each batch is
 * `index_array[batch_start:batch_end]`. A stateful layer hands the last state of sample i of a
 * batch to sample i of the next (keras.io, "statefulness in RNNs"). The recipes cut their arrays to
 * whole batches first. Window k (0-based) of an index-valued series starts at row k, so each batch
 * below is the list of window indices Keras would feed.
 */
describe("stateful order = Keras' fit(shuffle=False) in the book's recipes", () => {
  const kerasBatches = (n: number, B: number) => {
    const kept = Math.floor(n / B) * B // Gulli: train_size = (n // BATCH_SIZE) * BATCH_SIZE
    const out: number[][] = []
    for (let start = 0; start < kept; start += B) {
      out.push(Array.from({ length: B }, (_, i) => start + i))
    }
    return out
  }
  const ours = (n: number, B: number) => {
    const order = statefulOrder(
      Int32Array.from({ length: n }, (_, k) => k),
      B,
    )
    return Array.from({ length: order.length / B }, (_, b) =>
      Array.from(order.subarray(b * B, b * B + B)),
    )
  }

  it('Bonaccorso, sunspots: X_ts[0:2300], batch 20 → 115 batches of consecutive windows', () => {
    const batches = ours(2300, 20)
    expect(batches).toEqual(kerasBatches(2300, 20))
    expect(batches).toHaveLength(115)
    expect(batches[0]).toEqual(Array.from({ length: 20 }, (_, i) => i))
    // sample 3 of batch 1 continues sample 3 of batch 0: window 23 after window 3
    expect(batches[1][3]).toBe(23)
  })

  it('Gulli, electricity: batch 96, the tail past the last whole batch left out', () => {
    // 1,000 windows of 20 rows: 10 batches of 96 (windows 0 … 959); 960 … 999 are not fed.
    const batches = ours(1000, 96)
    expect(batches).toEqual(kerasBatches(1000, 96))
    expect(batches).toHaveLength(10)
    expect(batches[9][95]).toBe(959)
    expect(batches[5][0] - batches[4][0]).toBe(96)
  })
})

describe('the stateful warm-up of the future forecast', () => {
  it('is one training stream: ⌊training windows / batch size⌋ windows', () => {
    expect(statefulWarmup(100, 20)).toBe(5)
    expect(statefulWarmup(99, 20)).toBe(4)
    expect(statefulWarmup(19, 20)).toBe(0)
  })

  it('replays that many windows before the latest one, `step` (batch × stride) rows apart, oldest first', () => {
    expect(Array.from(warmupStream(100, 3, 1))).toEqual([97, 98, 99, 100])
    expect(Array.from(warmupStream(100, 3, 5))).toEqual([85, 90, 95, 100])
    expect(Array.from(warmupStream(100, 0, 5))).toEqual([100])
  })

  it('leaves out windows that would start before row 0', () => {
    // latest window at row 7, stride 3: rows 4 and 1 exist, −2 does not.
    expect(Array.from(warmupStream(7, 5, 3))).toEqual([1, 4, 7])
    expect(Array.from(warmupStream(0, 5, 1))).toEqual([0])
  })
})

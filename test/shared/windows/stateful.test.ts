/**
 * Batch counts as the training loop runs them, and the windows a stateful model replays before
 * its future forecast, counted by hand.
 */
import { describe, expect, it } from 'vitest'
import {
  batchesPerEpoch,
  statefulOrder,
  statefulWarmup,
  warmupStream,
} from '../../../src/shared/windows'

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
    // 10 windows at rows 100…109, batch 4: K = 2 batches; row i of batch k is window i·K + k.
    const starts = Int32Array.from({ length: 10 }, (_, i) => 100 + i)
    const order = statefulOrder(starts, 4)
    expect(Array.from(order)).toEqual([100, 102, 104, 106, 101, 103, 105, 107])
    expect(order.length / 4).toBe(batchesPerEpoch(10, 4, true))
  })
})

describe('the stateful warm-up of the future forecast', () => {
  it('is one training stream: ⌊training windows / batch size⌋ windows', () => {
    expect(statefulWarmup(100, 20)).toBe(5)
    expect(statefulWarmup(99, 20)).toBe(4)
    expect(statefulWarmup(19, 20)).toBe(0)
  })

  it('replays that many windows before the latest one, stride rows apart, oldest first', () => {
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

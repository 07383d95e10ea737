/**
 * batchTensor hands the filler's own buffer to backends that copy a tensor's values when it is
 * made (wasm) and a copy to the others: refilling the buffer for the next batch must never
 * change a tensor made from the previous one, on either backend.
 */
import { describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs'
import { selectBackend } from '../../../src/core/engine/backends'
import { batchTensor } from '../../../src/core/engine/forecast'
import { BatchFiller } from '../../../src/shared/windows/batches'

// 20 rows × 2 features where each value encodes its row and column: row r, column c = 10·r + c.
const rows = 20
const features = Float32Array.from({ length: rows * 2 }, (_, i) => 10 * Math.floor(i / 2) + (i % 2))
const target = Float32Array.from({ length: rows }, (_, r) => r)
const window = { sequenceLength: 3, samplingRate: 2, sequenceStride: 1, delay: 6, horizon: 1 }

describe.each(['wasm', 'cpu'] as const)('batchTensor on %s', (backend) => {
  it('keeps each batch’s values after the buffer is refilled', async () => {
    await selectBackend(backend)
    expect(tf.getBackend()).toBe(backend)
    const filler = new BatchFiller({ features, featureCount: 2, target }, window, 2)
    filler.fill(Int32Array.from([0, 4]), 0)
    const first = batchTensor(filler, 2, 3, 2)
    filler.fill(Int32Array.from([7, 9]), 0)
    const second = batchTensor(filler, 1, 3, 2)
    // Window 0 reads rows 0, 2, 4; window 4 reads rows 4, 6, 8; window 7 reads 7, 9, 11.
    expect(Array.from(await first.data())).toEqual([0, 1, 20, 21, 40, 41, 40, 41, 60, 61, 80, 81])
    expect(first.shape).toEqual([2, 3, 2])
    expect(Array.from(await second.data())).toEqual([70, 71, 90, 91, 110, 111])
    tf.dispose([first, second])
  })
})

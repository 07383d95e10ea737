import { describe, expect, it } from 'vitest'
import { timeseriesStarts, windowSpan } from '../../../src/shared/windows/keras'
import { SeqcastError } from '../../../src/shared/errors'

/** Rows of each window, given start rows (each value equals its index in these tests). */
const windowsOf = (starts: Int32Array, L: number, R: number) =>
  Array.from(starts, (s) => Array.from({ length: L }, (_, t) => s + t * R))

describe('timeseriesStarts: the examples of the Keras documentation', () => {
  it('indices 0…98, sequence_length=10, sampling_rate=2, sequence_stride=3', () => {
    // keras.utils.timeseries_dataset_from_array docstring, example 1.
    const starts = timeseriesStarts({
      dataLength: 99,
      sequenceLength: 10,
      samplingRate: 2,
      sequenceStride: 3,
    })
    const w = windowsOf(starts, 10, 2)
    expect(w[0]).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18])
    expect(w[1]).toEqual([3, 5, 7, 9, 11, 13, 15, 17, 19, 21])
    expect(w[2]).toEqual([6, 8, 10, 12, 14, 16, 18, 20, 22, 24])
    expect(w[w.length - 1]).toEqual([78, 80, 82, 84, 86, 88, 90, 92, 94, 96])
    expect(w.length).toBe(27)
  })

  it('temporal regression: data[:-10] and targets data[10:] pair [0…9] with 10', () => {
    // Docstring example 2: data = arange(100), sequence_length=10, input_data = data[:-10],
    // targets = data[10:]; the first window is [0 … 9] and its target is 10.
    const data = Array.from({ length: 100 }, (_, i) => i)
    const input = data.slice(0, -10)
    const targets = data.slice(10)
    const starts = timeseriesStarts({
      dataLength: input.length,
      targetLength: targets.length,
      sequenceLength: 10,
    })
    expect(windowsOf(starts, 10, 1)[0]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(targets[starts[0]]).toBe(10)
    expect(starts.length).toBe(81) // 90 - 9
    const last = starts[starts.length - 1]
    expect(windowsOf(starts, 10, 1).at(-1)).toEqual([80, 81, 82, 83, 84, 85, 86, 87, 88, 89])
    expect(targets[last]).toBe(90)
  })

  it('data 0…6, sequence_length 3, delay 3: [0 1 2]→3 and [1 2 3]→4 only', () => {
    // data[:-3] = [0 1 2 3] holds two windows of 3; Keras yields no window that reads row 4.
    const data = [0, 1, 2, 3, 4, 5, 6]
    const delay = 3
    const starts = timeseriesStarts({
      dataLength: data.length - delay,
      targetLength: data.length - delay,
      sequenceLength: 3,
    })
    const pairs = Array.from(starts, (s) => [windowsOf(Int32Array.of(s), 3, 1)[0], data[s + delay]])
    expect(pairs).toEqual([
      [[0, 1, 2], 3],
      [[1, 2, 3], 4],
    ])
  })

  it('start_index and end_index bound the windows to [start, end)', () => {
    const starts = timeseriesStarts({
      dataLength: 50,
      sequenceLength: 4,
      samplingRate: 3,
      startIndex: 10,
      endIndex: 30,
    })
    // num_seqs = 30 - 10 - 3·3 = 11 → starts 10 … 20; the last window reads rows 20, 23, 26, 29.
    expect(Array.from(starts)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20])
    expect(windowsOf(starts, 4, 3).at(-1)).toEqual([20, 23, 26, 29])
  })

  it('targets cap the number of windows (min(num_seqs, len(targets)))', () => {
    const starts = timeseriesStarts({ dataLength: 20, targetLength: 5, sequenceLength: 2 })
    expect(starts.length).toBe(5)
  })

  it('yields nothing when the window is longer than the range', () => {
    expect(timeseriesStarts({ dataLength: 5, sequenceLength: 6 }).length).toBe(0)
    expect(timeseriesStarts({ dataLength: 10, sequenceLength: 3, samplingRate: 5 }).length).toBe(0)
  })

  it('rejects bad arguments with "expected … received …"', () => {
    expect(() => timeseriesStarts({ dataLength: 10, sequenceLength: 0 })).toThrow(
      'sequence length: expected a whole number ≥ 1, received 0.',
    )
    expect(() =>
      timeseriesStarts({ dataLength: 10, sequenceLength: 2, samplingRate: 1.5 }),
    ).toThrow(SeqcastError)
    expect(() => timeseriesStarts({ dataLength: 10, sequenceLength: 2, endIndex: 11 })).toThrow(
      /end index: expected a whole number ≤ the data length \(10\), received 11/,
    )
  })

  it('window span is (L − 1)·R + 1 rows', () => {
    expect(windowSpan(120, 6)).toBe(715)
    expect(windowSpan(1, 6)).toBe(1)
  })
})

import { describe, expect, it } from 'vitest'
import {
  denormalizeArray,
  fitNormalization,
  normalizeColumn,
  normalizedMatrix,
} from '../../../src/shared/series/normalize'
import { splitRows } from '../../../src/shared/series/split'

const col = { name: 'x', values: [1, 2, 3, 4, 100] }

describe('normalization fitted on training rows only', () => {
  it('z-score uses the population std of rows [0, trainEnd)', () => {
    const s = fitNormalization('zscore', [col], 4)
    expect(s.center[0]).toBe(2.5)
    expect(s.scale[0]).toBeCloseTo(Math.sqrt(1.25), 12) // the 100 in row 4 is not seen
  })
  it('min-max to [0, 1] and to [−1, 1]', () => {
    const a = fitNormalization('minmax', [col], 4)
    expect(Array.from(normalizeColumn(a, 'x', [1, 4]))).toEqual([0, 1])
    const b = fitNormalization('minmax-sym', [col], 4)
    expect(Array.from(normalizeColumn(b, 'x', [1, 2.5, 4]))).toEqual([-1, 0, 1])
  })
  it('is invertible', () => {
    for (const kind of ['zscore', 'minmax', 'minmax-sym', 'none'] as const) {
      const s = fitNormalization(kind, [col], 5)
      const back = denormalizeArray(s, 'x', normalizeColumn(s, 'x', col.values))
      back.forEach((v, i) => expect(v).toBeCloseTo(col.values[i], 4))
    }
  })
  it('skips missing values and passes constant columns through with scale 1', () => {
    const s = fitNormalization('zscore', [{ name: 'c', values: [NaN, 7, 7, NaN] }], 4)
    expect(s.center[0]).toBe(7)
    expect(s.scale[0]).toBe(1)
    expect(s.constant).toEqual(['c'])
  })
  it('skips ±Infinity like a missing value instead of calling the column constant', () => {
    // 1, 3 → mean 2, population std 1; an Infinity would make both NaN (then "constant")
    const s = fitNormalization('zscore', [{ name: 'x', values: [1, Infinity, 3, -Infinity] }], 4)
    expect([s.center[0], s.scale[0], s.constant]).toEqual([2, 1, []])
  })
  it('fails on a column with no training values, naming it', () => {
    expect(() =>
      fitNormalization('zscore', [{ name: 'wv (m/s)', values: [NaN, NaN, 3] }], 2),
    ).toThrow(/column "wv \(m\/s\)": expected at least one value in the training rows/)
  })
  it('builds the row-major matrix the batch filler reads', () => {
    const cols = [
      { name: 'a', values: [0, 10] },
      { name: 'b', values: [1, 3] },
    ]
    const s = fitNormalization('minmax', cols, 2)
    expect(Array.from(normalizedMatrix(s, cols))).toEqual([0, 0, 1, 1])
  })
})

describe('chronological split', () => {
  it('truncates like Python int()', () => {
    expect(splitRows(10, { train: 0.7, val: 0.15 })).toEqual({
      train: { start: 0, end: 7 },
      val: { start: 7, end: 8 },
      test: { start: 8, end: 10 },
    })
  })
  it('rejects fractions that do not add up', () => {
    expect(() => splitRows(10, { train: 0.8, val: 0.3 })).toThrow(
      /split: expected training \+ validation fractions ≤ 1 \(the test split takes the rest\), received 0.8 \+ 0.3/,
    )
    expect(() => splitRows(10, { train: 0, val: 0.3 })).toThrow(
      /training fraction: expected a number between 0 and 1/,
    )
  })
})

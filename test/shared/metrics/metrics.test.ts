import { describe, expect, it } from 'vitest'
import {
  computeMetrics,
  mae,
  mape,
  mase,
  naiveScale,
  relativeTo,
  rmse,
  smape,
} from '../../../src/shared/metrics'

// actual 1 2 3 4, predicted 2 2 5 0: errors −1 0 −2 4 (worked by hand)
const a = [1, 2, 3, 4]
const p = [2, 2, 5, 0]

describe('metrics, hand-computed', () => {
  it('MAE = 7/4', () => expect(mae(a, p)).toBe(1.75))
  it('RMSE = √(21/4)', () => expect(rmse(a, p)).toBeCloseTo(Math.sqrt(5.25), 12))
  it('MAPE = (1 + 0 + 2/3 + 1)/4 · 100', () =>
    expect(mape(a, p)).toBeCloseTo((100 * (8 / 3)) / 4, 10))
  it('sMAPE = (2/3 + 0 + 1/2 + 2)/4 · 100', () =>
    expect(smape(a, p)).toBeCloseTo((100 * (2 / 3 + 0.5 + 2)) / 4, 10))
  it('MASE divides the MAE by the in-sample naive error', () => {
    // series 1 3 2 5 4 at lag 1: |2| |−1| |3| |−1| → 7/4
    expect(naiveScale([1, 3, 2, 5, 4], 1)).toBe(1.75)
    expect(naiveScale([1, 3, 2, 5, 4], 2)).toBeCloseTo((1 + 2 + 2) / 3, 12)
    expect(mase(a, p, 1.75)).toBe(1)
  })
})

describe('metric edge cases (documented)', () => {
  it('skips NaN pairs and counts the rest', () => {
    const m = computeMetrics([1, NaN, 3], [2, 5, NaN], 1)
    expect(m.n).toBe(1)
    expect(m.mae).toBe(1)
  })
  it('gives NaN, never 0, when nothing is left', () => {
    expect(mae([], [])).toBeNaN()
    expect(mae([NaN], [1])).toBeNaN()
  })
  it('MAPE skips zero actuals; all zeros → NaN', () => {
    expect(mape([0, 2], [5, 1])).toBe(50)
    expect(mape([0, 0], [1, 1])).toBeNaN()
  })
  it('sMAPE counts 0 vs 0 as perfect and is bounded by 200', () => {
    expect(smape([0, 1], [0, -1])).toBe(100)
    expect(smape([1], [-1])).toBe(200)
  })
  it('MASE is NaN for a constant training series', () => {
    expect(naiveScale([5, 5, 5], 1)).toBeNaN()
    expect(mase([1], [2], NaN)).toBeNaN()
  })
  it('mismatched lengths are a programming error', () => {
    expect(() => mae([1, 2], [1])).toThrow(
      /expected predictions for all 2 actual values, received 1 predictions/,
    )
  })
  it('relative change against a baseline', () => {
    expect(relativeTo(2.52, 2.62)).toEqual({ better: true, percent: expect.closeTo(3.8168, 3) })
    expect(relativeTo(3, 2)).toEqual({ better: false, percent: 50 })
  })
})

/** Round steps and ticks for axes and bins, against hand-picked ranges. */
import { describe, expect, it } from 'vitest'
import { multiple, niceStep, niceTicks } from '../../src/renderer/src/lib/nice'

describe('niceStep', () => {
  it('the smallest of 1, 2, 2.5, 5, 10 × 10^k at least the raw step', () => {
    expect([0.92, 1, 1.3, 2.2, 4, 7, 123, 0.0031].map(niceStep)).toEqual([
      1, 1, 2, 2.5, 5, 10, 200, 0.005,
    ])
  })
  it('multiples without float noise', () => {
    expect([1, 2, 3].map((k) => multiple(k, 0.1))).toEqual([0.1, 0.2, 0.3])
  })
})

describe('niceTicks', () => {
  it('round values inside the range, about four steps', () => {
    // The ramp report's axis read -3.59, 243, 489: (489 + 3.59) / 4 = 123 → step 200.
    expect(niceTicks(-3.59, 489)).toEqual([0, 200, 400])
    expect(niceTicks(1504, 1963)).toEqual([1600, 1800])
    expect(niceTicks(0.31, 0.97)).toEqual([0.4, 0.6, 0.8])
    expect(niceTicks(-10, 10)).toEqual([-10, -5, 0, 5, 10])
    expect(niceTicks(3, 3)).toEqual([3])
  })
})

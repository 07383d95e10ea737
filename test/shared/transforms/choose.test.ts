import { describe, expect, it } from 'vitest'
import { chooseTargetTransform, lineR2 } from '../../../src/shared/transforms'
import { splitRows } from '../../../src/shared/series/split'
import { gaussian } from '../gaussian'

const ranges = splitRows(1000, { train: 0.5, val: 0.25 }) // train 0–499, val 500–749, test 750–999

describe('default target transform', () => {
  it('R² of a line by hand', () => {
    // rows 0 1 2, values 1 3 2: sxy = 1, sxx = 2, syy = 2 → 1 / 4
    expect(lineR2([1, 3, 2], 3)).toBe(0.25)
    expect(lineR2([4, 6, 8, 10], 4)).toBe(1)
    expect(Number.isNaN(lineR2([5, 5, 5], 3))).toBe(true)
  })

  it('chooses change for a trending target, and says why', () => {
    const noise = gaussian(1)
    // slope 0.05 over 500 rows: the line's variance 0.05² · 500² / 12 ≈ 52 against noise 1
    const y = Array.from({ length: 1000 }, (_, r) => 0.05 * r + noise())
    const choice = chooseTargetTransform(y, ranges)
    expect(choice.transform).toEqual({ kind: 'change', log: false, seasonRows: null })
    expect(choice.trendR2).toBeGreaterThan(0.95)
    expect(choice.reason).toMatch(
      /^Change: the training target trends \(a straight line explains 9\d(\.\d)? % of its variance\)/,
    )
  })

  it('chooses none for noise around a level, and says why', () => {
    const noise = gaussian(2)
    const y = Array.from({ length: 1000 }, () => 20 + noise())
    const choice = chooseTargetTransform(y, ranges)
    expect(choice.transform.kind).toBe('none')
    expect(choice.trendR2).toBeLessThan(0.05)
    expect(choice.outsideShare).toBeLessThan(0.05)
    expect(choice.reason).toMatch(
      /^None: the training target has no clear trend .* and the validation values stay within its range 1\d\.\d+ … 2\d\.\d+, so windows learn the values themselves\.$/,
    )
  })

  it('chooses change when the validation values leave the training range', () => {
    // a daily cycle without trend, shifted up by 3 in validation: every value is above 1
    const y = Array.from(
      { length: 1000 },
      (_, r) => Math.sin((2 * Math.PI * r) / 24) + (r >= 500 ? 3 : 0),
    )
    const choice = chooseTargetTransform(y, ranges)
    expect(choice.trendR2).toBeLessThan(0.01)
    expect(choice.outsideShare).toBe(1)
    expect(choice.transform.kind).toBe('change')
    expect(choice.reason).toMatch(
      /^Change: 100 % of the validation values lie outside the training range -1 … 1,/,
    )
  })

  it('never reads the test rows', () => {
    const noise = gaussian(3)
    const y = Array.from({ length: 1000 }, () => noise())
    const before = chooseTargetTransform(y, ranges)
    const after = chooseTargetTransform(
      y.map((v, r) => (r >= 750 ? 1e6 + r : v)),
      ranges,
    )
    expect(after).toEqual(before)
  })
})

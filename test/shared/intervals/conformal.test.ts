import { describe, expect, it } from 'vitest'
import {
  calibrateConformal,
  conformalBands,
  conformalQuantile,
  conformalRank,
  describeCalibration,
  intervalCoverage,
  minCalibrationSamples,
  parseIntervalLevel,
} from '../../../src/shared/intervals'
import { GrowingOrderStatistic } from '../../../src/shared/intervals/order-statistic'
import { seededRandom } from '../../../src/shared/windows'
import { gaussian } from '../gaussian'

describe('finite-sample conformal quantile by hand', () => {
  const scores = [0.5, 3, 1, 2, 4] // sorted: 0.5 1 2 3 4
  it('takes the ⌈(n + 1)(1 − α)⌉-th smallest residual', () => {
    expect(conformalRank(5, 0.8)).toBe(5) // ⌈6 · 0.8⌉ = ⌈4.8⌉
    expect(conformalQuantile(scores, 0.8)).toBe(4)
    expect(conformalQuantile(scores, 0.5)).toBe(2) // ⌈3⌉ = 3rd
    expect(conformalQuantile(scores, 0.6)).toBe(3) // ⌈3.6⌉ = 4th
    expect(conformalRank(9, 0.9)).toBe(9) // 10 · 0.9 is 9 exactly, not 10
  })

  it('is unbounded when the rank exceeds n, and says how many windows are needed', () => {
    expect(conformalQuantile(scores, 0.9)).toBe(Infinity) // ⌈5.4⌉ = 6 > 5
    expect(conformalQuantile([0.5, NaN, 3, 1, 2, 4], 0.8)).toBe(4) // missing pairs skipped
    expect(minCalibrationSamples(0.9)).toBe(9) // n ≥ (1 − α)/α
    expect(minCalibrationSamples(0.95)).toBe(19)
    expect(minCalibrationSamples(0.8)).toBe(4)
    const c = calibrateConformal(scores, [0, 0, 0, 0, 0], 1, 0.9)
    expect(c).toEqual({ level: 0.9, radius: [null], samples: [5] })
    expect(describeCalibration(c)).toBe(
      '90 % intervals are unbounded for every horizon step: expected at least 9 validation windows, received 5. ' +
        'Give the validation split a larger fraction, lower the interval level, or use a shorter window.',
    )
    const { lower, upper } = conformalBands([1, 2], c)
    expect([...lower, ...upper]).toEqual([-Infinity, -Infinity, Infinity, Infinity])
  })

  it('one half-width per horizon step', () => {
    // 4 windows × 2 steps, window-major; step 0 residuals 1 2 3 4, step 1 residuals 10 20 30 40
    const actual = [1, 10, -2, 20, 3, 30, -4, 40]
    const c = calibrateConformal(actual, new Array(8).fill(0), 2, 0.6) // rank ⌈5 · 0.6⌉ = 3
    expect(c.radius).toEqual([3, 30])
    expect(describeCalibration(c)).toBeNull()
    const { lower, upper } = conformalBands([5, 5, 7, 7], c)
    expect(Array.from(lower)).toEqual([2, -25, 4, -23])
    expect(Array.from(upper)).toEqual([8, 35, 10, 37])
  })
})

describe('coverage on noise of a known distribution', () => {
  it('uniform(−1, 1) residuals: the 90 % half-width is 0.9', () => {
    const rand = seededRandom(11)
    const n = 100_000
    const actual = Float64Array.from({ length: n }, () => 2 * rand() - 1)
    const c = calibrateConformal(actual, new Float64Array(n), 1, 0.9)
    expect(c.radius[0]).toBeCloseTo(0.9, 2)
  })

  it('90 % intervals cover 90 % ± 2 % of Gaussian targets over many windows', () => {
    // 300 experiments: 100 validation windows calibrate, 100 test windows are scored. Step 1 has
    // 3 × the noise of step 0; each step is calibrated on its own.
    const noise = gaussian(5)
    const H = 2
    let covered = [0, 0]
    let total = 0
    const draw = (n: number) =>
      Float64Array.from({ length: n * H }, (_, i) => (i % H === 0 ? 1 : 3) * noise())
    for (let e = 0; e < 300; e++) {
      const val = draw(100)
      const c = calibrateConformal(val, new Float64Array(val.length), H, 0.9)
      const test = draw(100)
      const { lower, upper } = conformalBands(new Float64Array(test.length), c)
      test.forEach((a, i) => {
        if (a >= lower[i] && a <= upper[i]) covered[i % H]++
      })
      total += 100
    }
    covered = covered.map((k) => k / total)
    for (const share of covered) expect(Math.abs(share - 0.9)).toBeLessThan(0.02)
  })

  it('the half-width of N(0, 1) residuals approaches 1.6449, the 95th percentile', () => {
    const noise = gaussian(8)
    const n = 200_000
    const c = calibrateConformal(
      Float64Array.from({ length: n }, () => noise()),
      new Float64Array(n),
      1,
      0.9,
    )
    expect(Math.abs(c.radius[0]! - 1.6449)).toBeLessThan(0.02)
  })
})

describe('coverage and width', () => {
  it('by hand, skipping missing actuals', () => {
    // 1 ∈ [0, 2]; 2 ∉ [2.5, 3]; 3 ∈ [2, 3]; the missing actual does not count
    const r = intervalCoverage([1, 2, 3, NaN], [0, 2.5, 2, 0], [2, 3, 3, 1])
    expect(r.n).toBe(3)
    expect(r.coverage).toBe(2 / 3)
    expect(r.meanWidth).toBe(3.5 / 3)
    expect(r.unbounded).toBe(0)
    // An unbounded interval covers and is counted apart from the mean width.
    expect(intervalCoverage([1], [-Infinity], [Infinity])).toEqual({
      coverage: 1,
      meanWidth: NaN,
      n: 1,
      unbounded: 1,
    })
    // 5 ∉ [0, 1] (width 1); 5 ∈ [3, ∞); 5 ∈ [4, 8] (width 4): 2 of 3, mean width 2.5 of the two
    expect(intervalCoverage([5, 5, 5], [0, 3, 4], [1, Infinity, 8])).toEqual({
      coverage: 2 / 3,
      meanWidth: 2.5,
      n: 3,
      unbounded: 1,
    })
  })
})

describe('interval level setting', () => {
  it('reads fractions and percents; refuses the rest', () => {
    expect(parseIntervalLevel('90')).toBe(0.9)
    expect(parseIntervalLevel('95%')).toBe(0.95)
    expect(parseIntervalLevel('0.8')).toBe(0.8)
    for (const bad of ['', '100', '0', 'ninety', '-5']) {
      expect(() => parseIntervalLevel(bad)).toThrow(
        /Interval level: expected a level between 0 and 100 %/,
      )
    }
  })
})

describe('order statistic of a growing set', () => {
  it('answers like sorting the inserted values', () => {
    const rand = seededRandom(3)
    const values = Float64Array.from({ length: 300 }, () => Math.round(rand() * 50)) // with ties
    const stat = new GrowingOrderStatistic(values)
    const inserted: number[] = []
    for (let i = 0; i < values.length; i++) {
      stat.insert(i)
      inserted.push(values[i])
      const sorted = inserted.slice().sort((a, b) => a - b)
      for (const k of [1, Math.ceil(sorted.length / 2), sorted.length])
        expect(stat.kth(k)).toBe(sorted[k - 1])
    }
  })
})

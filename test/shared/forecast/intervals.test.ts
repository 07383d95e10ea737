/**
 * Intervals of a run as every model family gets them (evaluateSplits): split conformal half-widths
 * from the validation residuals by the ⌈(n + 1)·level⌉-th smallest, applied to the validation and
 * test forecasts; the adaptive option along the test split without look-ahead; coverage and width
 * per split against hand counts; and the coverage of i.i.d. noise of a known distribution.
 */
import { describe, expect, it } from 'vitest'
import type { BaselineReport } from '../../../src/shared/baselines'
import { evaluateSplits, type SplitPredictions } from '../../../src/shared/forecast/evaluate'
import { bandsFromRadius, runIntervals } from '../../../src/shared/forecast/intervals'
import type { WindowConfig } from '../../../src/shared/windows/config'
import { gaussian } from '../gaussian'

// One-row windows, target the next row: the window starting at row s has last row s and target s + 1.
const w1: WindowConfig = {
  sequenceLength: 1,
  samplingRate: 1,
  sequenceStride: 1,
  delay: 1,
  horizon: 1,
}
const noBaselines: BaselineReport = {
  seasonRows: null,
  maseScale: 1,
  trainMean: 0,
  naive: {},
  mean: {},
}

/** Windows starting at `from`, `from + 1`, … with the target row `start + 1` holding `target`. */
function evaluate(
  target: Float64Array,
  val: [number, number],
  test: [number, number],
  predictions: SplitPredictions,
  level: number,
  method: 'split' | 'aci' = 'split',
) {
  const range = ([a, b]: [number, number]) => Int32Array.from({ length: b - a }, (_, i) => a + i)
  return evaluateSplits(
    {
      target,
      timestamps: null,
      starts: { val: range(val), test: range(test) },
      baselines: noBaselines,
    },
    w1,
    predictions,
    { level, method },
  )
}

describe('split conformal intervals of a run', () => {
  // Rows 1…9 are validation targets, actual 0, forecast −1 … −9: residuals 1 … 9.
  // Rows 10…13 are test targets, actual 0, forecasts 7.5, −8.5, 9.5, 0.
  const target = new Float64Array(14)
  const val = Float64Array.from({ length: 9 }, (_, i) => -(i + 1))
  const test = Float64Array.of(7.5, -8.5, 9.5, 0)

  it('the half-width is the ⌈(n + 1)·level⌉-th smallest validation residual', () => {
    // n = 9: 80 % → ⌈8⌉ = 8th → 8; 50 % → ⌈5⌉ = 5th → 5; 90 % → ⌈9⌉ = 9th → 9.
    const out = evaluate(target, [0, 9], [9, 13], { val, test }, 0.8)
    expect(out.intervals!.radius).toEqual([8])
    expect(out.intervals!.samples).toEqual([9])
    expect(out.intervals!.grid.find((g) => g.level === 0.5)!.radius).toEqual([5])
    expect(out.intervals!.grid.find((g) => g.level === 0.9)!.radius).toEqual([9])
    expect(out.intervals!.futureRadius).toEqual([8])
  })

  it('bands are forecast ± half-width; coverage and mean width counted by hand', () => {
    const out = evaluate(target, [0, 9], [9, 13], { val, test }, 0.8)
    const f = out.forecasts.test!
    expect(Array.from(f.lower!)).toEqual([-0.5, -16.5, 1.5, -8])
    expect(Array.from(f.upper!)).toEqual([15.5, -0.5, 17.5, 8])
    // Actual 0 is inside [−0.5, 15.5] and [−8, 8] only: 2 of 4; every width is 16.
    expect(out.intervals!.coverage.test).toEqual({ coverage: 0.5, width: 16, n: 4 })
    // Validation: residuals 1…9 against half-width 8 → 8 of 9 covered.
    expect(out.intervals!.coverage.val!.coverage).toBeCloseTo(8 / 9, 12)
    expect(out.forecasts.val!.lower![0]).toBe(-9)
  })

  it('too few validation windows for the level: unbounded bands and a sentence that says why', () => {
    // 5 residuals at 90 %: rank ⌈6 · 0.9⌉ = 6 > 5.
    const out = evaluate(target, [0, 5], [9, 13], { val: val.slice(0, 5), test }, 0.9)
    expect(out.intervals!.radius).toEqual([null])
    expect(out.forecasts.test!.upper![0]).toBe(Infinity)
    expect(out.intervals!.coverage.test!.width).toBe(Infinity)
    expect(out.intervals!.note).toMatch(/at least 9 validation windows, received 5/)
  })

  it('no validation windows: no intervals', () => {
    const out = evaluate(target, [0, 0], [9, 13], { test }, 0.9)
    expect(out.intervals).toBeNull()
    expect(out.forecasts.test!.lower).toBeUndefined()
  })

  it('per horizon step: step 2 gets its own half-width', () => {
    const w2 = { ...w1, horizon: 2 }
    const got = runIntervals(
      w2,
      { level: 0.5, method: 'split' },
      {
        starts: Int32Array.of(0, 1, 2),
        actual: new Float64Array(6),
        // step 1 residuals 1, 2, 3; step 2 residuals 10, 20, 30; rank ⌈4 · 0.5⌉ = 2.
        predicted: Float64Array.of(1, 10, 2, 20, 3, 30),
      },
      undefined,
    )!
    expect(got.intervals.radius).toEqual([2, 20])
    expect(Array.from(bandsFromRadius(Float64Array.of(0, 0), [2, null]).upper)).toEqual([
      2,
      Infinity,
    ])
  })
})

describe('adaptive intervals of a run (ACI)', () => {
  const n = 300
  const rand = gaussian(11)
  const target = Float64Array.from({ length: 2 * n + 2 }, () => rand())
  const zero = (k: number) => new Float64Array(k)

  it('the band of a test window depends on actuals up to its last row only', () => {
    const base = evaluate(target, [0, n], [n, 2 * n], { val: zero(n), test: zero(n) }, 0.9, 'aci')
    // Change every target from row n + 150 on: windows with last row < n + 150 keep their bands
    // (window k of the test split has last row n + k, its target n + k + 1).
    const changed = target.slice()
    for (let r = n + 150; r < changed.length; r++) changed[r] = 10 * (r % 3) - 5
    const after = evaluate(changed, [0, n], [n, 2 * n], { val: zero(n), test: zero(n) }, 0.9, 'aci')
    const b = base.forecasts.test!
    const a = after.forecasts.test!
    for (let k = 0; k < 150; k++) {
      expect(a.lower![k]).toBe(b.lower![k])
      expect(a.upper![k]).toBe(b.upper![k])
    }
    // …and the later ones adapt to the changed actuals.
    let differs = 0
    for (let k = 150; k < n; k++) if (a.upper![k] !== b.upper![k]) differs++
    expect(differs).toBeGreaterThan(0)
    expect(base.intervals!.method).toBe('aci')
  })
})

describe('coverage on i.i.d. noise of a known distribution', () => {
  it('90 % split conformal intervals cover 90 % ± 2 % of Gaussian targets over many runs', () => {
    // 300 runs of 100 validation and 100 test windows, forecast 0 for N(0, 1) targets: the
    // coverage guarantee is over the draw of the calibration set, so it is checked over many.
    const rand = gaussian(5)
    let covered = 0
    let total = 0
    let radius = 0
    for (let run = 0; run < 300; run++) {
      const target = Float64Array.from({ length: 201 }, () => rand())
      const out = evaluate(
        target,
        [0, 100],
        [100, 200],
        { val: new Float64Array(100), test: new Float64Array(100) },
        0.9,
      )
      covered += out.intervals!.coverage.test!.coverage * 100
      total += 100
      radius += out.intervals!.radius[0]! / 300
    }
    expect(Math.abs(covered / total - 0.9)).toBeLessThan(0.02)
    // The 91st of 100 |Z| (rank ⌈101 · 0.9⌉) sits near the 95th percentile of Z, 1.6449.
    expect(Math.abs(radius - 1.6449)).toBeLessThan(0.1)
  })
})

/**
 * Intervals of a run as every model family gets them (evaluateSplits): split conformal half-widths
 * from the validation residuals by the ⌈(n + 1)·level⌉-th smallest, applied to the validation and
 * test forecasts; the default, adaptive conformal (ACI) along the test split, by hand and without
 * look-ahead; coverage and width per split against hand counts; the coverage of i.i.d. noise of
 * a known distribution, and of noise whose scale doubles on the test split; what an exported
 * model's stored calibration draws.
 */
import { describe, expect, it } from 'vitest'
import type { BaselineReport } from '../../../src/shared/baselines'
import { evaluateSplits, type SplitPredictions } from '../../../src/shared/forecast/evaluate'
import {
  bandsFromRadius,
  DEFAULT_INTERVALS,
  runIntervals,
  STORED_LEVELS,
  widthPhrase,
  withStoredLevel,
  type IntervalSettings,
} from '../../../src/shared/forecast/intervals'
import { adaptiveBands, normalQuantile } from '../../../src/shared/intervals'
import type { ModelManifest } from '../../../src/shared/manifest'
import type { ForecastSet } from '../../../src/shared/run'
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
  settings: IntervalSettings = { level, method },
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
    settings,
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
    expect(out.intervals!.coverage.test).toEqual({ coverage: 0.5, width: 16, n: 4, unbounded: 0 })
    // Validation: residuals 1…9 against half-width 8 → 8 of 9 covered.
    expect(out.intervals!.coverage.val!.coverage).toBeCloseTo(8 / 9, 12)
    expect(out.forecasts.val!.lower![0]).toBe(-9)
  })

  it('too few validation windows for the level: unbounded bands and a sentence that says why', () => {
    // 5 residuals at 90 %: rank ⌈6 · 0.9⌉ = 6 > 5.
    const out = evaluate(target, [0, 5], [9, 13], { val: val.slice(0, 5), test }, 0.9)
    expect(out.intervals!.radius).toEqual([null])
    expect(out.forecasts.test!.upper![0]).toBe(Infinity)
    expect(out.intervals!.coverage.test).toMatchObject({ n: 4, unbounded: 4 })
    expect(out.intervals!.coverage.test!.width).toBeNaN()
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

describe('the default intervals: 90 % adaptive conformal', () => {
  // The split conformal example above at 90 %: validation residuals 1 … 9 (targets rows 1–9),
  // test forecasts 7.5, −8.5, 9.5, 0 for actuals 0 at rows 10–13.
  const target = new Float64Array(14)
  const val = Float64Array.from({ length: 9 }, (_, i) => -(i + 1))
  const test = Float64Array.of(7.5, -8.5, 9.5, 0)
  const run = () => evaluate(target, [0, 9], [9, 13], { val, test }, 0.9, 'aci', DEFAULT_INTERVALS)

  it('is ACI at 90 %', () => {
    expect(DEFAULT_INTERVALS).toEqual({ level: 0.9, method: 'aci' })
    expect(run().intervals!.method).toBe('aci')
  })

  it('test bands by hand (γ = 0.005), and equal to adaptiveBands on the same windows', () => {
    // t = 9: residuals {1 … 9}, α = .1 → rank ⌈10 · .9⌉ = 9 → 9; |7.5| ≤ 9 covered, α = .1005
    // t = 10: {1 … 9, 7.5}, rank ⌈11 · .8995⌉ = 10 → 9; |−8.5| covered, α = .101
    // t = 11: {…, 8.5}, rank ⌈12 · .899⌉ = 11 → 9; |9.5| > 9 missed, α = .101 − .0045 = .0965
    // t = 12: {…, 9.5}, rank ⌈13 · .9035⌉ = 12 → 9.5 (split conformal keeps 9)
    // after row 13: {0, …}, α = .097, rank ⌈14 · .903⌉ = 13 → 9.5: the future's half-width
    const out = run()
    const f = out.forecasts.test!
    expect(Array.from(f.upper!)).toEqual([16.5, 0.5, 18.5, 9.5])
    expect(Array.from(f.lower!)).toEqual([-1.5, -17.5, 0.5, -9.5])
    expect(out.intervals!.coverage.test).toEqual({
      coverage: 0.75,
      width: 18.25,
      n: 4,
      unbounded: 0,
    })
    expect(out.intervals!.futureRadius).toEqual([9.5])
    // The validation bands stay split conformal: rank 9 of 9 → 9.
    expect(out.intervals!.radius).toEqual([9])
    const range = (a: number, n: number) => Int32Array.from({ length: n }, (_, i) => a + i)
    const aci = adaptiveBands(
      { starts: range(0, 9), actual: new Float64Array(9), predicted: val },
      { starts: range(9, 4), actual: new Float64Array(4), predicted: test },
      w1,
      0.9,
    )
    expect(Array.from(f.upper!)).toEqual(Array.from(aci.upper))
    expect(Array.from(f.lower!)).toEqual(Array.from(aci.lower))
    expect(out.intervals!.futureRadius).toEqual(aci.finalRadius)
  })

  it('stores ACI’s final state at every stored level for an exported model', () => {
    const out = run()
    const range = (a: number, n: number) => Int32Array.from({ length: n }, (_, i) => a + i)
    expect(out.intervals!.gridMethod).toBe('aci')
    for (const level of STORED_LEVELS) {
      const aci = adaptiveBands(
        { starts: range(0, 9), actual: new Float64Array(9), predicted: val },
        { starts: range(9, 4), actual: new Float64Array(4), predicted: test },
        w1,
        level,
      )
      expect(out.intervals!.grid.find((g) => g.level === level)!.radius).toEqual(aci.finalRadius)
    }
    // Without test windows there is nothing to adapt on: split conformal, and it says so.
    const valOnly = evaluate(target, [0, 9], [9, 9], { val }, 0.9, 'aci', DEFAULT_INTERVALS)
    expect(valOnly.intervals!.gridMethod).toBe('split')
    expect(valOnly.intervals!.futureRadius).toEqual([9])
  })

  it('after the residual scale doubles on the test split, split conformal under-covers and the default lands near 90 %', () => {
    // Validation residuals N(0, 1), test residuals N(0, 2²), forecasts 0. Split conformal keeps
    // the validation half-width ≈ z.95 = 1.645 and covers P(|2Z| ≤ 1.645) = 2Φ(0.822) − 1 ≈ 0.589;
    // ACI's miss rate is within (0.9 + γ)/(γT) = 0.036 of 10 % over T = 5000 whatever the errors,
    // and its half-width heads for the new scale's 2 · 1.645 = 3.29.
    const rand = gaussian(8)
    const nVal = 1000
    const nTest = 5000
    const y = Float64Array.from({ length: nVal + nTest + 1 }, (_, r) =>
      r <= nVal ? rand() : 2 * rand(),
    )
    const zeros = { val: new Float64Array(nVal), test: new Float64Array(nTest) }
    const span: [number, number] = [nVal, nVal + nTest]
    const split = evaluate(y, [0, nVal], span, zeros, 0.9, 'split')
    const aci = evaluate(y, [0, nVal], span, zeros, 0.9, 'aci', DEFAULT_INTERVALS)
    // 2Φ(1.645 / 2) − 1 = 0.589; ±0.05 for the sampled validation quantile.
    expect(split.intervals!.coverage.test!.coverage).toBeCloseTo(0.589, 1)
    expect(Math.abs(aci.intervals!.coverage.test!.coverage - 0.9)).toBeLessThan(0.02)
    const z95 = normalQuantile(0.95)
    expect(Math.abs(aci.intervals!.futureRadius[0]! / (2 * z95) - 1)).toBeLessThan(0.1)
  })
})

describe('what predict draws from an exported model’s stored calibration', () => {
  const set: ForecastSet = {
    dataset: { name: 'x', rowCount: 3 },
    forecast: {
      horizon: 1,
      rowIndex: Int32Array.of(0, 1, 2),
      timestamps: null,
      actual: Float64Array.of(0, 0, 0),
      predicted: Float64Array.of(0.5, 1.5, 3),
    },
    future: {
      horizon: 1,
      fromRow: 2,
      rowIndex: Int32Array.of(3),
      timestamps: null,
      predicted: Float64Array.of(10),
    },
    metrics: null,
    baselines: {},
    comparison: {},
  }
  const manifest = (levelsMethod?: 'aci') =>
    ({
      name: 'ACI model',
      intervals: {
        level: 0.9,
        method: 'aci',
        radius: [1], // the split validation half-width
        samples: [40],
        futureRadius: [2], // ACI's final state
        levels: [
          { level: 0.5, radius: [0.25] },
          { level: 0.9, radius: [2] },
        ],
        ...(levelsMethod ? { levelsMethod } : {}),
      },
    }) as unknown as ModelManifest

  it('at the run’s level: ACI’s final state on every window and the future, named adaptive', () => {
    const out = withStoredLevel(set, manifest('aci'), 0.9)!
    expect(Array.from(out.forecast.upper!)).toEqual([2.5, 3.5, 5])
    expect(Array.from(out.future!.lower!)).toEqual([8])
    expect(out.intervals!.method).toBe('aci')
    // Actual 0 lies in [−1.5, 2.5] and [−0.5, 3.5], not in [1, 5].
    expect(out.intervals!.coverage!.coverage).toBeCloseTo(2 / 3, 12)
  })

  it('at another level: ACI’s final state there when stored so, else split (older manifests)', () => {
    expect(withStoredLevel(set, manifest('aci'), 0.5)!.intervals!.method).toBe('aci')
    const old = withStoredLevel(set, manifest(), 0.5)!
    expect(old.intervals!.method).toBe('split')
    expect(Array.from(old.forecast.upper!)).toEqual([0.75, 1.75, 3.25])
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

describe('widthPhrase', () => {
  const num = (x: number) => x.toFixed(2)
  it('names the mean width, the unbounded count apart, or that every interval is unbounded', () => {
    expect(widthPhrase({ width: 10.2, n: 100, unbounded: 0 }, num)).toBe('mean width 10.20')
    expect(widthPhrase({ width: 10.2, n: 17257, unbounded: 57 }, num)).toBe(
      'mean width 10.20 where bounded (57 of 17,257 unbounded)',
    )
    expect(widthPhrase({ width: NaN, n: 4, unbounded: 4 }, num)).toBe('every interval unbounded')
    // a run saved before the count: ∞ when some interval was unbounded
    expect(widthPhrase({ width: Infinity, n: 4 }, num)).toBe('mean width unbounded')
    expect(widthPhrase({ width: 3, n: 4 }, num)).toBe('mean width 3.00')
  })
})

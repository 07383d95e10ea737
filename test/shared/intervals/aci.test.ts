import { describe, expect, it } from 'vitest'
import {
  adaptiveBands,
  calibrateConformal,
  conformalBands,
  intervalCoverage,
} from '../../../src/shared/intervals'
import type { WindowConfig } from '../../../src/shared/windows'
import { gaussian } from '../gaussian'

// L 1, R 1, delay 1: window s has last row t = s and its target at row s + 1, known one row later.
const w1: WindowConfig = {
  sequenceLength: 1,
  samplingRate: 1,
  sequenceStride: 1,
  delay: 1,
  horizon: 1,
}
const range = (from: number, n: number) => Int32Array.from({ length: n }, (_, i) => from + i)

describe('adaptive conformal intervals by hand', () => {
  it('updates α after each residual becomes known, one row late', () => {
    // level 0.5, γ 0.1; validation residuals 1 2 3 (targets at rows 1–3); forecasts are 0, so
    // the actuals are the residuals.
    const cal = { starts: range(0, 3), actual: [1, 2, 3], predicted: [0, 0, 0] }
    const test = { starts: range(3, 4), actual: [5, 0.5, 2, 10], predicted: [0, 0, 0, 0] }
    const r = adaptiveBands(cal, test, w1, 0.5, 0.1)
    // t = 3: {1 2 3}, α .5 → rank ⌈4 · .5⌉ = 2 → 2; the actual 5 misses
    // t = 4: 5 known, α = .5 + .1(.5 − 1) = .45; {1 2 3 5} rank ⌈5 · .55⌉ = 3 → 3; 0.5 is covered
    // t = 5: α = .45 + .1 · .5 = .5; {.5 1 2 3 5} rank 3 → 2; 2 is covered (bounds included)
    // t = 6: α = .55; {.5 1 2 2 3 5} rank ⌈7 · .45⌉ = 4 → 2; 10 misses
    // after the last row: α = .5; 7 residuals, rank 4 → 2
    expect(Array.from(r.upper)).toEqual([2, 3, 2, 2])
    expect(Array.from(r.lower)).toEqual([-2, -3, -2, -2])
    const alphas = [0.5, 0.45, 0.5, 0.55]
    r.alpha.forEach((a, i) => expect(a).toBeCloseTo(alphas[i], 12))
    expect(r.finalAlpha[0]).toBeCloseTo(0.5, 12)
    expect(r.finalRadius).toEqual([2])
  })

  it('a forecast cannot use a residual whose target is after its last row', () => {
    // delay 3: targets 3 rows after t. Validation windows 0–2 target rows 3–5; the first test
    // window (s = t = 3) knows only the residual at row 3.
    const w3 = { ...w1, delay: 3 }
    const cal = { starts: range(0, 3), actual: [1, 2, 3], predicted: [0, 0, 0] }
    const test = { starts: range(3, 3), actual: [0, 0, 0], predicted: [0, 0, 0] }
    const r = adaptiveBands(cal, test, w3, 0.5, 0.1)
    // t = 3: {1} → rank ⌈2 · .5⌉ = 1 → 1; t = 4: {1 2} → rank 2 → 2; t = 5: {1 2 3} → 2
    expect(Array.from(r.upper)).toEqual([1, 2, 2])
  })
})

describe('no look-ahead', () => {
  it('changing actuals after row t leaves every interval up to t unchanged', () => {
    const noise = gaussian(21)
    // L 3, R 2, delay 7 → gap 3; horizon 3: steps 0–2 target t + 3 … t + 5
    const w: WindowConfig = {
      sequenceLength: 3,
      samplingRate: 2,
      sequenceStride: 1,
      delay: 7,
      horizon: 3,
    }
    const H = 3
    const draw = (n: number) => Float64Array.from({ length: n * H }, () => noise())
    const cal = { starts: range(0, 200), actual: draw(200), predicted: new Float64Array(600) }
    const starts = range(200, 400)
    const test = { starts, actual: draw(400), predicted: draw(400) }
    const before = adaptiveBands(cal, test, w, 0.9, 0.05)
    const cut = 420 // a row
    const changed = test.actual.slice()
    starts.forEach((s, k) => {
      for (let j = 0; j < H; j++) if (s + 7 + j > cut) changed[k * H + j] = 50 * noise()
    })
    const after = adaptiveBands(cal, { ...test, actual: changed }, w, 0.9, 0.05)
    let checked = 0
    let differ = 0
    starts.forEach((s, k) => {
      for (let j = 0; j < H; j++) {
        const i = k * H + j
        if (s + 4 <= cut) {
          expect(after.lower[i]).toBe(before.lower[i])
          expect(after.upper[i]).toBe(before.upper[i])
          checked++
        } else if (after.upper[i] !== before.upper[i]) differ++
      }
    })
    expect(checked).toBe((cut - 4 - 200 + 1) * H)
    expect(differ).toBeGreaterThan(100) // the change does reach the later intervals
  })
})

describe('after a variance shift', () => {
  it('coverage recovers, where split conformal stays far below the level', () => {
    const noise = gaussian(4)
    const nCal = 500
    const n = 6000
    const cal = {
      starts: range(0, nCal),
      actual: Float64Array.from({ length: nCal }, () => noise()),
      predicted: new Float64Array(nCal),
    }
    // the noise triples after the first 1000 test windows
    const actual = Float64Array.from({ length: n }, (_, k) => (k < 1000 ? 1 : 3) * noise())
    const test = { starts: range(nCal, n), actual, predicted: new Float64Array(n) }
    const aci = adaptiveBands(cal, test, w1, 0.9)
    const split = conformalBands(
      test.predicted,
      calibrateConformal(cal.actual, cal.predicted, 1, 0.9),
    )
    const tail = (a: Float64Array) => a.subarray(3000)
    const adaptive = intervalCoverage(tail(actual), tail(aci.lower), tail(aci.upper))
    const fixed = intervalCoverage(tail(actual), tail(split.lower), tail(split.upper))
    // split conformal: P(|3Z| ≤ 1.645) = P(|Z| ≤ 0.548) ≈ 0.42
    expect(fixed.coverage).toBeLessThan(0.5)
    expect(Math.abs(adaptive.coverage - 0.9)).toBeLessThan(0.02)
    expect(aci.alpha[n - 1]).toBeLessThan(0.1) // it asks for more than the nominal quantile
  })
})

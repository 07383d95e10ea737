/**
 * The residual scale of conformal intervals (shared/intervals/scale.ts): the rule on hand
 * examples, the relative band ŷ(1 ± r) by hand, a round trip through bandsFromRadius, and the
 * reason it exists: on a series whose errors are a fixed share of a growing level, relative
 * residuals are exchangeable and cover the nominal 90 % (± 2 % over 4,000 targets, the conformal
 * guarantee), while absolute ones, calibrated where the level was low, undercover. The test rows
 * never choose the scale.
 */
import { describe, expect, it } from 'vitest'
import { evaluateSplits } from '../../../src/shared/forecast/evaluate'
import { bandsFromRadius, runIntervals } from '../../../src/shared/forecast/intervals'
import { chooseScale, fromScale, toScale } from '../../../src/shared/intervals/scale'
import type { BaselineReport } from '../../../src/shared/baselines'
import { gaussian } from '../gaussian'

const window = { sequenceLength: 1, samplingRate: 1, sequenceStride: 1, delay: 1, horizon: 1 }

describe('chooseScale', () => {
  it('reads 315,000 training and validation rows (a 420,451-row file) without overflowing', () => {
    // Math.min(...values) overflowed the call stack here and failed every run on the Jena file.
    const big = Float64Array.from({ length: 420_451 }, (_, i) => 5 + (i % 97))
    expect(chooseScale(big, 315_338).scale).toBe('relative')
    big[300_000] = -1
    expect(chooseScale(big, 315_338).reason).toBe(
      'the target reaches -1 in the training and validation rows (not positive)',
    )
  })

  it('relative only when every known training/validation value is positive and ≥ 5 % of the median', () => {
    expect(chooseScale([10, 12, NaN, 30], 4).scale).toBe('relative')
    expect(chooseScale([10, 0, 30], 3).scale).toBe('absolute') // sunspots' zero months
    expect(chooseScale([-1.5, 2, 30], 3).scale).toBe('absolute') // °C below zero
    // median of [0.4, 10, 12] is 10: 0.4 < 0.5
    expect(chooseScale([0.4, 10, 12], 3).scale).toBe('absolute')
    expect(chooseScale([0.6, 10, 12], 3).scale).toBe('relative')
    // rows at and after `end` are not looked at
    expect(chooseScale([10, 12, -50], 2).scale).toBe('relative')
    expect(chooseScale([], 0).scale).toBe('absolute')
  })
})

describe('relative bands', () => {
  it('are ŷ ± r·|ŷ|, by hand, and come back to data units through the scale', () => {
    const b = bandsFromRadius([100, -50, 20], [0.1], 'relative')
    const close = (got: Float64Array, want: number[]) =>
      want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, 9))
    close(b.lower, [90, -55, 18])
    close(b.upper, [110, -45, 22])
    const abs = bandsFromRadius([100], [3])
    expect([abs.lower[0], abs.upper[0]]).toEqual([97, 103])
    const open = bandsFromRadius([5], [null], 'relative')
    expect([open.lower[0], open.upper[0]]).toEqual([-Infinity, Infinity])
    const f = { actual: Float64Array.of(110, 40), predicted: Float64Array.of(100, 50) }
    const scaled = toScale(f, 'relative')
    expect(scaled.actual[0]).toBeCloseTo(1.1, 12)
    expect(scaled.actual[1]).toBeCloseTo(0.8, 12)
    const back = fromScale({ lower: scaled.actual, upper: scaled.actual }, f.predicted, 'relative')
    expect(back.lower[0]).toBeCloseTo(110, 9)
    expect(back.lower[1]).toBeCloseTo(40, 9)
    expect(toScale(f, 'absolute')).toBe(f)
  })
})

describe('a level that grows fourfold with errors of 5 % of it', () => {
  const n = 8000
  const noise = gaussian(5)
  const level = Float64Array.from({ length: n }, (_, t) => 100 * (1 + (3 * t) / n))
  // One step ahead: the window [t] forecasts row t + 1 as the level there (an oracle model).
  const y = Float64Array.from(level, (l) => l * (1 + 0.05 * noise()))
  const split = (from: number, to: number) => {
    const starts = Int32Array.from({ length: to - from }, (_, k) => from + k)
    return {
      starts,
      actual: Float64Array.from(starts, (s) => y[s + 1]),
      predicted: Float64Array.from(starts, (s) => level[s + 1]),
    }
  }
  const val = split(2000, 4000)
  const test = split(4000, 7999)

  it('relative residuals cover 90 ± 2 %; absolute ones, calibrated on the lower level, undercover', () => {
    const settings = { level: 0.9, method: 'split' as const }
    const rel = runIntervals(window, settings, val, test, 'relative')!
    const abs = runIntervals(window, settings, val, test, 'absolute')!
    expect(rel.intervals.scale).toBe('relative')
    expect(Math.abs(rel.intervals.coverage.test!.coverage - 0.9)).toBeLessThan(0.02)
    expect(abs.intervals.coverage.test!.coverage).toBeLessThan(0.85)
  })

  it('evaluateSplits picks relative from the training and validation rows alone', () => {
    const data = {
      target: y,
      timestamps: null,
      starts: { val: val.starts, test: test.starts },
      baselines: { naive: {}, mean: {}, maseScale: 1 } as unknown as BaselineReport,
    }
    const predictions = { val: val.predicted, test: test.predicted }
    const out = evaluateSplits(data, window, predictions, { level: 0.9, method: 'split' })
    expect(out.intervals?.scale).toBe('relative')
    // Test rows pushed below zero change nothing in the choice.
    const moved = y.slice()
    for (let r = 4001; r < n; r++) moved[r] = -moved[r]
    const again = evaluateSplits({ ...data, target: moved }, window, predictions, {
      level: 0.9,
      method: 'split',
    })
    expect(again.intervals?.scale).toBe('relative')
    expect(again.intervals?.radius).toEqual(out.intervals?.radius)
    // A chosen scale wins.
    const forced = evaluateSplits(data, window, predictions, {
      level: 0.9,
      method: 'split',
      scale: 'absolute',
    })
    expect(forced.intervals?.scale).toBe('absolute')
  })
})

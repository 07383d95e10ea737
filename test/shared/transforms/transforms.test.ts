import { describe, expect, it } from 'vitest'
import { actualTargets } from '../../../src/shared/baselines'
import { SeqcastError } from '../../../src/shared/errors'
import { fitNormalization } from '../../../src/shared/series/normalize'
import {
  firstTransformableStart,
  formatTargetTransform,
  inverseTargets,
  learnedTargetName,
  learnedTargetRows,
  learnedTargets,
  learnedTrainingValues,
  parseTargetTransform,
  validateTargetTransform,
  type TargetTransform,
} from '../../../src/shared/transforms'
import { caught } from '../csv/helpers'
import { seededRandom, type WindowConfig } from '../../../src/shared/windows'

// By hand: L = 2, R = 1, delay 2 → window s reads rows s, s + 1 (t = s + 1) and targets rows
// s + 2, s + 3 (gap 1, horizon 2). Windows start at 0 … 6 (the last target is row 9).
const y = [10, 12, 11, 15, 14, 18, 17, 21, 20, 24]
const w: WindowConfig = {
  sequenceLength: 2,
  samplingRate: 1,
  sequenceStride: 1,
  delay: 2,
  horizon: 2,
}
const starts = Int32Array.from({ length: 7 }, (_, i) => i)
const none: TargetTransform = { kind: 'none', log: false, seasonRows: null }
const change: TargetTransform = { kind: 'change', log: false, seasonRows: null }
const seasonal2: TargetTransform = { kind: 'seasonal', log: false, seasonRows: 2 }

describe('forward transform by hand', () => {
  it('change: y[target] − y[t], per row and step (lag gap + step)', () => {
    const rows = learnedTargetRows(y, w, change)
    // step 0 at lag 1, step 1 at lag 2, interleaved row by row
    expect(Array.from(rows)).toEqual([
      NaN,
      NaN,
      2,
      NaN,
      -1,
      1,
      4,
      3,
      -1,
      3,
      4,
      3,
      -1,
      3,
      4,
      3,
      -1,
      3,
      4,
      3,
    ])
    // window 0: t = 1 (12), targets 11, 15; window 3: t = 4 (14), targets 18, 17
    const learned = learnedTargets(rows, starts, w)
    expect(Array.from(learned.subarray(0, 2))).toEqual([-1, 3])
    expect(Array.from(learned.subarray(6, 8))).toEqual([4, 3])
  })

  it('seasonal: y[target] − y[target − m]', () => {
    const learned = learnedTargets(learnedTargetRows(y, w, seasonal2), starts, w)
    // window 0: 11 − 10, 15 − 12; window 3: 18 − 15, 17 − 14
    expect(Array.from(learned.subarray(0, 2))).toEqual([1, 3])
    expect(Array.from(learned.subarray(6, 8))).toEqual([3, 3])
  })

  it('none: the target itself; log: in natural-log units', () => {
    expect(Array.from(learnedTargets(learnedTargetRows(y, w, none), Int32Array.of(3), w))).toEqual([
      18, 17,
    ])
    const doubling = [1, 2, 4, 8, 16, 32, 64]
    const w1 = { ...w, horizon: 1 }
    const logChange = { ...change, log: true }
    const learned = learnedTargets(
      learnedTargetRows(doubling, w1, logChange),
      Int32Array.of(0, 4),
      w1,
    )
    expect(learned[0]).toBeCloseTo(Math.LN2, 12) // ln 4 − ln 2
    expect(learned[1]).toBeCloseTo(Math.LN2, 12) // ln 64 − ln 32
  })

  it('seasonal windows whose target − m is before row 0 start later', () => {
    const m4: TargetTransform = { kind: 'seasonal', log: false, seasonRows: 4 }
    expect(firstTransformableStart(m4, w)).toBe(2) // s + 2 − 4 ≥ 0
    const learned = learnedTargets(learnedTargetRows(y, w, m4), Int32Array.of(1, 2), w)
    expect(Number.isNaN(learned[0])).toBe(true) // row 3 − 4 < 0
    expect(Array.from(learned.subarray(2))).toEqual([14 - 10, 18 - 12])
    expect(firstTransformableStart(change, w)).toBe(0)
  })
})

describe('inverse transform by hand', () => {
  it('change adds y[t]; seasonal adds y[target − m]; log exponentiates', () => {
    // window 3: t = 4 (14); targets rows 5, 6 with rows 3, 4 a season (2) earlier: 15, 14
    expect(Array.from(inverseTargets([0.5, -1], y, Int32Array.of(3), w, change))).toEqual([
      14.5, 13,
    ])
    expect(Array.from(inverseTargets([1, 2], y, Int32Array.of(3), w, seasonal2))).toEqual([16, 16])
    expect(Array.from(inverseTargets([1, 2], y, Int32Array.of(3), w, none))).toEqual([1, 2])
    const w1 = { ...w, horizon: 1 }
    const [v] = inverseTargets([Math.log(3)], [1, 2, 4], Int32Array.of(0), w1, {
      ...change,
      log: true,
    })
    expect(v).toBeCloseTo(6, 12) // y[t] = 2, times e^(ln 3)
  })

  it('round trip: the inverse of every window’s learned values is its actual target', () => {
    for (const t of [none, change, seasonal2]) {
      for (const log of [false, true]) {
        const tr = { ...t, log }
        const learned = learnedTargets(learnedTargetRows(y, w, tr), starts, w)
        const back = inverseTargets(learned, y, starts, w, tr)
        const actual = actualTargets(y, starts, w)
        back.forEach((v, i) =>
          expect(v, `${formatTargetTransform(tr)} ${i}`).toBeCloseTo(actual[i], 10),
        )
      }
    }
  })
})

describe('no look-ahead', () => {
  it('changing rows after a window’s last row leaves its inverse unchanged', () => {
    const rand = seededRandom(7)
    const series = Array.from({ length: 60 }, () => 5 + 10 * rand())
    // L 3, R 2: t = s + 4; delay 6 → gap 2; horizon 3 → seasonal needs m ≥ 4
    const win: WindowConfig = {
      sequenceLength: 3,
      samplingRate: 2,
      sequenceStride: 1,
      delay: 6,
      horizon: 3,
    }
    const transforms: TargetTransform[] = [
      none,
      change,
      { kind: 'seasonal', log: false, seasonRows: 4 },
      { kind: 'seasonal', log: false, seasonRows: 7 },
      { kind: 'change', log: true, seasonRows: null },
      { kind: 'seasonal', log: true, seasonRows: 5 },
    ]
    const learned = [0.3, -0.2, 0.1]
    for (const tr of transforms) {
      for (let s = firstTransformableStart(tr, win); s + 8 < 60; s++) {
        const one = Int32Array.of(s)
        const before = inverseTargets(learned, series, one, win, tr)
        const changed = series.map((v, r) => (r > s + 4 ? 100 + 50 * rand() : v))
        expect(Array.from(inverseTargets(learned, changed, one, win, tr))).toEqual(
          Array.from(before),
        )
      }
    }
  })
})

describe('normalization input', () => {
  it('none: the training rows’ statistics, whatever the horizon', () => {
    const values = learnedTrainingValues(learnedTargetRows(y, w, none), 5, w)
    expect(Array.from(values)).toEqual([10, 10, 12, 12, 11, 11, 15, 15, 14, 14])
    const stats = fitNormalization('zscore', [{ name: 'y', values }], values.length)
    // 10 12 11 15 14: mean 12.4, squared deviations 5.76 .16 1.96 6.76 2.56 → 17.2 / 5
    expect(stats.center[0]).toBeCloseTo(12.4, 12)
    expect(stats.scale[0]).toBeCloseTo(Math.sqrt(3.44), 12)
  })

  it('change: only differences of training rows, both steps pooled', () => {
    const values = learnedTrainingValues(learnedTargetRows(y, w, change), 5, w)
    const stats = fitNormalization('zscore', [{ name: 'y', values }], values.length)
    expect(stats.center[0]).toBeCloseTo((2 - 1 + 1 + 4 + 3 - 1 + 3) / 7, 12)
  })
})

describe('settings and refusals', () => {
  it('parses none|change|seasonal[,log]', () => {
    expect(parseTargetTransform('change,log', null)).toEqual({
      kind: 'change',
      log: true,
      seasonRows: null,
    })
    expect(parseTargetTransform('log', null)).toEqual({ kind: 'none', log: true, seasonRows: null })
    expect(parseTargetTransform(' Seasonal ', 12)).toEqual({
      kind: 'seasonal',
      log: false,
      seasonRows: 12,
    })
    expect(formatTargetTransform({ kind: 'seasonal', log: true, seasonRows: 12 })).toBe(
      'seasonal,log',
    )
    expect(learnedTargetName('T (degC)', none)).toBe('T (degC)')
    expect(learnedTargetName('T (degC)', { ...change, log: true })).toBe('T (degC)|change,log')
    for (const bad of ['', 'diff', 'change,seasonal', 'log,log']) {
      expect(() => parseTargetTransform(bad, 12)).toThrow(
        /Transform: expected none, change or seasonal/,
      )
    }
    expect(() => parseTargetTransform('seasonal', null)).toThrow(/received none\. Set the season/)
  })

  it('refuses a season shorter than gap + horizon − 1, naming season, delay and horizon', () => {
    const m1: TargetTransform = { kind: 'seasonal', log: false, seasonRows: 1 }
    const error = caught(() => validateTargetTransform(m1, w, { name: 'load', values: y }))
    expect(error).toBeInstanceOf(SeqcastError)
    const { kind, message, details } = error as SeqcastError
    expect(kind).toBe('config')
    expect(message).toMatch(
      /expected a season of at least 2 rows \(delay 2 − .* \+ horizon 2 − 1\), received 1/,
    )
    expect(message).toMatch(/Use --transform change, or lower the delay or the horizon/)
    expect(details).toMatchObject({ season: 1, delay: 2, horizon: 2, needed: 2 })
    // the inverse refuses too, so no caller can read past t by accident
    expect(() => inverseTargets([0, 0], y, Int32Array.of(0), w, m1)).toThrow(SeqcastError)
    expect(() => learnedTargetRows(y, w, m1)).toThrow(SeqcastError)
    expect(() => validateTargetTransform(seasonal2, w, { name: 'load', values: y })).not.toThrow()
  })

  it('refuses log of non-positive data, naming the first such row and the column', () => {
    const values = [3, 2, 1, 0, -1]
    expect(() =>
      validateTargetTransform({ ...change, log: true }, w, { name: 'load', values }),
    ).toThrow(
      'Transform "log": expected positive values in column "load", received 0 in data row 4.',
    )
    expect(() => validateTargetTransform(change, w, { name: 'load', values })).not.toThrow()
  })
})

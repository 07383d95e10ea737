import { describe, expect, it } from 'vitest'
import {
  actualTargets,
  baselineReport,
  maseScale,
  naiveForecast,
  seasonalNaiveForecast,
} from '../../../src/shared/baselines'
import { mae } from '../../../src/shared/metrics'
import { experimentWindows, type WindowConfig } from '../../../src/shared/windows'

// Worked by hand: sequence length 2, sampling rate 1, delay 2 (one row after the window).
const target = [1, 3, 2, 5, 4, 6, 8, 7, 9, 10]
const w: WindowConfig = {
  sequenceLength: 2,
  samplingRate: 1,
  sequenceStride: 1,
  delay: 2,
  horizon: 1,
}

describe('the MASE scale: in-sample naive MAE at the gap, over the training rows only', () => {
  // 10 rows, training rows 0–4: 1 3 2 5 4.
  const TRAIN_ROWS = experimentWindows(10, w, { train: 0.5, val: 0.25 }).ranges.train
  it('the training rows of a 0.5 split of 10 rows are 0–4', () => {
    expect(TRAIN_ROWS).toEqual({ start: 0, end: 5 })
  })

  it('at gap 1 (delay 2 after a window of 2): |3−1| |2−3| |5−2| |4−5| → 7/4', () => {
    expect(maseScale(target, TRAIN_ROWS, w)).toBe(7 / 4)
  })

  it('at gap 2 (delay 3): |2−1| |5−3| |4−2| → 5/3', () => {
    expect(maseScale(target, TRAIN_ROWS, { ...w, delay: 3 })).toBe(5 / 3)
  })

  it('does not see the validation and test rows', () => {
    const later = target.map((v, r) => (r < 5 ? v : 100 * v))
    expect(maseScale(later, TRAIN_ROWS, w)).toBe(7 / 4)
  })

  it('is NaN for a constant training target (MASE undefined, never a division by 0)', () => {
    const flat = target.map((v, r) => (r < 5 ? 4 : v))
    expect(maseScale(flat, TRAIN_ROWS, w)).toBeNaN()
  })
})

describe('naive baseline by hand', () => {
  it('predicts the target at the window’s last row', () => {
    const starts = Int32Array.from({ length: 8 }, (_, i) => i)
    const pred = naiveForecast(target, starts, w)
    const actual = actualTargets(target, starts, w)
    expect(Array.from(pred)).toEqual([3, 2, 5, 4, 6, 8, 7, 9])
    expect(Array.from(actual)).toEqual([2, 5, 4, 6, 8, 7, 9, 10])
    // |errors| 1 3 1 2 2 1 2 1 → 13/8
    expect(mae(actual, pred)).toBe(13 / 8)
  })

  it('per split, with MASE scaled by the training rows', () => {
    // 10 rows: train 0–4, val 5–6, test 7–9; data = rows[:-2] leaves 8 rows to read windows from.
    const ew = experimentWindows(10, w, { train: 0.5, val: 0.25 })
    expect(Array.from(ew.starts.train)).toEqual([0, 1, 2, 3])
    expect(Array.from(ew.starts.val)).toEqual([5])
    expect(ew.starts.test.length).toBe(0)
    const report = baselineReport(target, ew, 2)
    expect(report.naive.train!.mae).toBe(7 / 4) // 1 3 1 2
    expect(report.naive.val!.mae).toBe(1) // predicts 8 for 7
    expect(report.maseScale).toBe(7 / 4) // training rows 1 3 2 5 4 at lag 1
    expect(report.naive.train!.mase).toBe(1)
    expect(report.trainMean).toBe(3) // (1 + 3 + 2 + 5 + 4) / 5
    expect(report.mean.train!.mae).toBe(7 / 4) // actuals 2 5 4 6 vs 3
    // season 2: t = s + 2, last = s + 1 → y[t − 2] = y[s]: 1 3 2 5 vs 2 5 4 6
    expect(report['seasonal-naive']!.train!.mae).toBe(6 / 4)
    expect(report.naive.test).toBeUndefined()
  })
})

describe('seasonal naive', () => {
  it('steps back whole seasons to a row known at the window’s end', () => {
    const y = Array.from({ length: 40 }, (_, i) => i)
    const win: WindowConfig = {
      sequenceLength: 3,
      samplingRate: 1,
      sequenceStride: 1,
      delay: 9,
      horizon: 2,
    }
    // start 10: last row 12, targets 19 and 20; season 4 → 19 − 8 = 11 and 20 − 8 = 12
    expect(Array.from(seasonalNaiveForecast(y, Int32Array.of(10), win, 4))).toEqual([11, 12])
  })

  it('equals naive when the season is the gap after the window (Jena: 144 rows = 24 h)', () => {
    const y = Array.from({ length: 2000 }, (_, i) => Math.sin(i / 7) * 10 + i / 100)
    const jena: WindowConfig = {
      sequenceLength: 120,
      samplingRate: 6,
      sequenceStride: 1,
      delay: 858,
      horizon: 1,
    }
    const starts = Int32Array.of(0, 17, 300)
    expect(Array.from(seasonalNaiveForecast(y, starts, jena, 144))).toEqual(
      Array.from(naiveForecast(y, starts, jena)),
    )
  })
})

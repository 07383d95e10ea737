import { describe, expect, it } from 'vitest'
import { backtestReport, planFolds, type FoldPlan } from '../../../src/shared/backtest'
import { SeqcastError } from '../../../src/shared/errors'
import { caught } from '../csv/helpers'
import { experimentWindows, type WindowConfig } from '../../../src/shared/windows'

// By hand: N = 20, L 2, R 1, delay 2, H 1 → window s reads rows s, s + 1 and targets s + 2.
// Training fraction 0.5 → the blocks start at row 10. Under the Keras rules the windows read
// rows < N − delay = 18, so the last first target is row 18 and the blocks cut rows [10, 19):
// 9 rows, 3 folds → [10, 13), [13, 16), [16, 19).
const N = 20
const w: WindowConfig = {
  sequenceLength: 2,
  samplingRate: 1,
  sequenceStride: 1,
  delay: 2,
  horizon: 1,
}
const split = { train: 0.5, val: 0.25 }
const y = Float64Array.of(5, 3, 8, 6, 9, 4, 7, 10, 2, 11, 6, 12, 9, 14, 8, 15, 13, 20, 16, 18)
const rows = (a: Int32Array) => Array.from(a)

describe('fold plans by hand', () => {
  it('refit every: each fold fits on the rows before its block', () => {
    const plans = planFolds(N, w, split, { folds: 3, refit: 'every', valFraction: 0 })
    expect(plans.map((p) => p.targetRows)).toEqual([
      [10, 13],
      [13, 16],
      [16, 19],
    ])
    expect(plans.map((p) => p.trainRows)).toEqual([
      [0, 10],
      [0, 13],
      [0, 16],
    ])
    expect(plans.map((p) => rows(p.starts))).toEqual([
      [8, 9, 10],
      [11, 12, 13],
      [14, 15, 16],
    ])
    // a dataset that ends at row 10: windows read rows < 8, so starts 0–6 (targets 2–8)
    expect(rows(plans[0].fitStarts)).toEqual([0, 1, 2, 3, 4, 5, 6])
    expect(plans[0].earlyStopStarts.length).toBe(0)
    expect(plans.map((p) => p.fits)).toEqual([true, true, true])
    // the last fold's windows are the test split's last ones in experimentWindows
    const test = experimentWindows(N, w, split).starts.test
    expect(rows(test).at(-1)).toBe(plans[2].starts.at(-1))
  })

  it('early stopping on the last share of the training rows', () => {
    const [first, second] = planFolds(N, w, split, { folds: 3, refit: 'every', valFraction: 0.4 })
    // fold 1: 10 rows, the last ⌊4⌋ for early stopping: fit windows read rows < 6, early-stop
    // windows rows 6, 7 (the data of a fold ending at row 10 stops at row 8)
    expect(first.fitRows).toEqual([0, 6])
    expect(first.earlyStopRows).toEqual([6, 10])
    expect(rows(first.fitStarts)).toEqual([0, 1, 2, 3, 4])
    expect(rows(first.earlyStopStarts)).toEqual([6])
    // fold 2: 13 rows, ⌊5.2⌋ = 5 kept → fit [0, 8), early stopping [8, 13): windows 8, 9
    expect(second.earlyStopRows).toEqual([8, 13])
    expect(rows(second.earlyStopStarts)).toEqual([8, 9])
  })

  it('refit once: every fold uses the model fitted before the first block', () => {
    const plans = planFolds(N, w, split, { folds: 3, refit: 'once', valFraction: 0 })
    expect(plans.map((p) => p.trainRows)).toEqual([
      [0, 10],
      [0, 10],
      [0, 10],
    ])
    expect(plans.map((p) => p.fits)).toEqual([true, false, false])
    expect(plans.map((p) => rows(p.starts))).toEqual([
      [8, 9, 10],
      [11, 12, 13],
      [14, 15, 16],
    ])
  })

  it('uneven blocks differ by one row, the longer ones last; strides start at each block', () => {
    const plans = planFolds(N, w, split, { folds: 2, refit: 'every', valFraction: 0 })
    expect(plans.map((p) => p.targetRows)).toEqual([
      [10, 14],
      [14, 19],
    ])
    const strided = planFolds(N, { ...w, sequenceStride: 3 }, split, {
      folds: 2,
      refit: 'every',
      valFraction: 0,
    })
    expect(strided.map((p) => rows(p.starts))).toEqual([
      [8, 11],
      [12, 15],
    ])
  })

  it('every window of a fold trains and is forecast on the right side of its block', () => {
    const win: WindowConfig = {
      sequenceLength: 5,
      samplingRate: 3,
      sequenceStride: 1,
      delay: 17,
      horizon: 4,
    }
    const n = 400
    const plans = planFolds(
      n,
      win,
      { train: 0.4, val: 0.2 },
      { folds: 7, refit: 'every', valFraction: 0.25 },
    )
    const lastTarget = (s: number) => s + win.delay + win.horizon - 1
    let previousEnd = Math.floor(0.4 * n)
    for (const p of plans) {
      const [c, d] = p.targetRows
      expect(c).toBe(previousEnd) // consecutive blocks
      previousEnd = d
      for (const s of [...p.fitStarts, ...p.earlyStopStarts]) expect(lastTarget(s)).toBeLessThan(c)
      for (const s of p.fitStarts) expect(s + 12).toBeLessThan(p.fitRows[1]) // inputs in the fit rows
      for (const s of p.starts) {
        expect(s + win.delay).toBeGreaterThanOrEqual(c)
        expect(s + win.delay).toBeLessThan(d)
      }
      expect(p.starts.length).toBe(d - c) // stride 1: one window per first-target row
    }
    // the last first target: the window whose last row is N − delay − H (Keras' data = rows[:-delay])
    expect(previousEnd - 1).toBe(n - 4 * 3 - win.horizon)
  })
})

describe('fold plan refusals', () => {
  const refusal = (f: () => unknown) => caught(f) as SeqcastError

  it('names the fold without windows and the most folds that fit', () => {
    // 9 rows of first targets cannot hold 10 blocks: fold 1 gets [10, 10)
    const e = refusal(() => planFolds(N, w, split, { folds: 10, refit: 'every', valFraction: 0 }))
    expect(e).toBeInstanceOf(SeqcastError)
    expect(e.kind).toBe('config')
    expect(e.message).toMatch(
      /^Backtest fold 1: expected at least one window whose first target falls in rows \[10, 10\), received none: 10 folds share 9 rows .* Use at most 9 folds, or lower the training fraction\.$/,
    )
    expect(e.details).toMatchObject({ setting: 'folds', fold: 1 })
    expect(() => planFolds(N, w, split, { folds: 9, refit: 'every', valFraction: 0 })).not.toThrow()
  })

  it('names the fold with too few training rows and how many it needs', () => {
    // training fraction 0.1: 2 rows, but one window needs 2 rows + 2 rows that only hold targets
    const e = refusal(() =>
      planFolds(N, w, { train: 0.1, val: 0.25 }, { folds: 3, refit: 'every', valFraction: 0 }),
    )
    expect(e.message).toMatch(
      /^Backtest fold 1: expected at least 4 rows before its block to fit on .* received 2\. Raise the training fraction/,
    )
    // early stopping on 30 % of 10 rows keeps 3; one window there needs 4, so 14 rows in all
    const e2 = refusal(() => planFolds(N, w, split, { folds: 3, refit: 'every', valFraction: 0.3 }))
    expect(e2.message).toMatch(
      /^Backtest fold 1: expected at least 14 rows before its block .* the last 30 % are kept for early stopping \(window models\) and to calibrate the intervals, and need a window too/,
    )
    expect(e2.details).toMatchObject({ fold: 1, rows: 10, needed: 14 })
    expect(() => planFolds(N, w, split, { folds: 0, refit: 'every', valFraction: 0 })).toThrow(
      /^Folds: expected a whole number ≥ 1, received 0/,
    )
  })
})

describe('backtest report', () => {
  const plans = planFolds(N, w, split, { folds: 3, refit: 'every', valFraction: 0 })
  const constant = (p: FoldPlan) => new Float64Array(p.starts.length).fill(10)
  const forecasts = plans.map((p) => ({
    predicted: constant(p),
    lower: constant(p).map((v) => v - 2),
    upper: constant(p).map((v) => v + 2),
  }))
  const report = backtestReport(y, w, plans, forecasts, 2)

  it('per-fold naive MAE against a hand computation', () => {
    // naive predicts y[s + 1] for y[s + 2]:
    // fold 1: 11→6, 6→12, 12→9: 5 6 3 → 14/3; fold 2: 9→14, 14→8, 8→15: 5 6 7 → 6;
    // fold 3: 15→13, 13→20, 20→16: 2 7 4 → 13/3; pooled: 45/9 = 5
    expect(report.folds.map((f) => f.baselines.naive.mae)).toEqual([14 / 3, 6, 13 / 3])
    expect(report.overall.baselines.naive.mae).toBe(5)
    // seasonal naive (m = 2) predicts y[s]: fold 1: 2→6, 11→12, 6→9: 4 1 3 → 8/3
    expect(report.folds[0].baselines.seasonalNaive!.mae).toBe(8 / 3)
  })

  it('model metrics, MASE on the fold’s training rows, coverage and width', () => {
    // fold 1 actuals 6 12 9 against 10: 4 2 1
    expect(report.folds[0].metrics.mae).toBe(7 / 3)
    expect(report.folds[0].metrics.rmse).toBeCloseTo(Math.sqrt(21 / 3), 12)
    // in-sample naive error over rows 0–9 at lag 1: 2 5 2 3 5 3 3 8 9 → 40/9
    expect(report.folds[0].baselines.naive.mase).toBeCloseTo(14 / 3 / (40 / 9), 12)
    // 10 ± 2 covers 12 and 9, not 6
    expect(report.folds[0].coverage).toBe(2 / 3)
    expect(report.folds[0].width).toBe(4)
    expect(report.folds.map((f) => f.samples)).toEqual([3, 3, 3])
    expect(report.overall.samples).toBe(9)
  })

  it('prints as the JSON of issue 11', () => {
    const json = JSON.parse(JSON.stringify(report))
    expect(Object.keys(json)).toEqual(['folds', 'overall'])
    expect(json.folds[1]).toMatchObject({
      fold: 2,
      trainRows: [0, 13],
      targetRows: [13, 16],
      samples: 3,
      metrics: { mae: expect.any(Number), rmse: expect.any(Number) },
      baselines: { naive: { mae: 6 }, seasonalNaive: { mae: expect.any(Number) } },
      coverage: expect.any(Number),
    })
    const noBands = backtestReport(
      y,
      w,
      plans,
      plans.map((p) => ({ predicted: constant(p) })),
      null,
    )
    const plain = JSON.parse(JSON.stringify(noBands))
    expect(plain.folds[0].coverage).toBeNull()
    expect(plain.folds[0].baselines.seasonalNaive).toBeNull()
    expect(plain.overall.coverage).toBeNull()
  })

  it('changing the rows of the last block leaves the earlier folds identical', () => {
    const changed = y.map((v, r) => (r >= 16 ? v * 7 + 1 : v))
    const again = backtestReport(changed, w, plans, forecasts, 2)
    expect(again.folds.slice(0, 2)).toEqual(report.folds.slice(0, 2))
    expect(again.folds[2]).not.toEqual(report.folds[2])
  })
})

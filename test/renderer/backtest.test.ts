/** The Backtest panel's table and chart from a report, against hand-written rows. */
import { describe, expect, it } from 'vitest'
import type { BacktestReport } from '../../src/shared/backtest'
import {
  cancelledText,
  coverageNote,
  foldErrorOption,
  foldRows,
  hasSeasonal,
  overallMaeText,
} from '../../src/renderer/src/lib/backtest'

const m = (mae: number) => ({ mae, rmse: mae, mape: NaN, smape: NaN, mase: NaN, n: 10 })
const report: BacktestReport = {
  folds: [
    {
      fold: 1,
      trainRows: [0, 1000],
      targetRows: [1000, 1100],
      samples: 100,
      metrics: m(2),
      baselines: { naive: m(2.5), seasonalNaive: null },
      coverage: 0.9,
      width: 3,
    },
    {
      fold: 2,
      trainRows: [0, 1100],
      targetRows: [1100, 1200],
      samples: 100,
      metrics: m(3),
      baselines: { naive: m(2.5), seasonalNaive: null },
      coverage: null,
      width: null,
    },
  ],
  overall: {
    samples: 200,
    metrics: m(2.5),
    baselines: { naive: m(2.5), seasonalNaive: null },
    coverage: null,
    width: null,
  },
}

describe('backtest table', () => {
  it('one row per fold with rows counted inclusive, then all folds; % vs naive by hand', () => {
    // One number style for the MAE columns (4 significant digits of the largest, 3.000).
    expect(foldRows(report)).toEqual([
      {
        label: '1',
        train: '0–999',
        target: '1,000–1,099',
        windows: 100,
        mae: '2.000',
        naive: '2.500',
        seasonal: '—',
        change: '20.0 % better',
        versus: 'better than naive by 20.0 %',
        coverage: '90.0 %',
      },
      {
        label: '2',
        train: '0–1,099',
        target: '1,100–1,199',
        windows: 100,
        mae: '3.000',
        naive: '2.500',
        seasonal: '—',
        change: '20.0 % worse',
        versus: 'worse than naive by 20.0 %',
        coverage: '—',
      },
      {
        label: 'all folds',
        train: '',
        target: '',
        windows: 200,
        mae: '2.500',
        naive: '2.500',
        seasonal: '—',
        change: '0.0 % better',
        versus: 'as good as naive',
        coverage: '—',
      },
    ])
    expect(hasSeasonal(report)).toBe(false)
  })

  it('with a season: the seasonal naive MAE per fold, in the same number style', () => {
    const withSeason: BacktestReport = {
      folds: report.folds.map((f, i) => ({
        ...f,
        baselines: { ...f.baselines, seasonalNaive: m([1.25, 12.5][i]) },
      })),
      overall: { ...report.overall, baselines: { naive: m(2.5), seasonalNaive: m(6.875) } },
    }
    expect(hasSeasonal(withSeason)).toBe(true)
    // Largest 12.5: 4 significant digits → 2 decimals for every MAE cell.
    expect(foldRows(withSeason).map((r) => [r.mae, r.naive, r.seasonal])).toEqual([
      ['2.00', '2.50', '1.25'],
      ['3.00', '2.50', '12.50'],
      ['2.50', '2.50', '6.88'],
    ])
  })

  it('the coverage note names the level and the method of the folds’ bands', () => {
    expect(coverageNote({ ...report, level: null })).toBeNull()
    // Saved before the method was recorded: every backtest band was split conformal.
    expect(coverageNote({ ...report, level: 0.8 })).toBe(
      "Coverage: 80 % split conformal intervals, each fold's calibrated on the held-out end of the rows its model trains on.",
    )
    expect(coverageNote({ ...report, level: 0.9, method: 'aci' })).toBe(
      "Coverage: 90 % adaptive conformal intervals, each fold's calibrated on the held-out end of the rows its model trains on and adapted along its block as the actuals arrive.",
    )
  })

  it('a cancelled backtest says which fold stopped it and what the table holds', () => {
    expect(cancelledText(report)).toBeNull()
    expect(cancelledText({ ...report, cancelledAt: null }, 5)).toBeNull()
    expect(cancelledText({ ...report, cancelledAt: 3 }, 5)).toBe(
      'Cancelled during fold 3 of 5: the table holds the 2 folds that finished before it.',
    )
    const one = { ...report, folds: report.folds.slice(0, 1), cancelledAt: 2 }
    expect(cancelledText(one)).toBe(
      'Cancelled during fold 2: the table holds the fold that finished before it.',
    )
  })

  it('the error chart: MAE per fold for the model and naive (no seasonal naive without one)', () => {
    const series = foldErrorOption(report).series as { name: string; data: number[] }[]
    expect(series.map((s) => [s.name, s.data])).toEqual([
      ['model', [2, 3]],
      ['naive', [2.5, 2.5]],
    ])
  })
})

describe('a saved backtest’s summary', () => {
  it('the pooled MAE and naive MAE as the table’s all-folds row shows them', () => {
    expect(overallMaeText(report)).toBe('MAE 2.500 vs naive 2.500')
    const large = structuredClone(report)
    large.overall.metrics = m(12_345.6)
    large.overall.baselines.naive = m(23_456.7)
    const all = foldRows(large).at(-1)!
    expect(overallMaeText(large)).toBe(`MAE ${all.mae} vs naive ${all.naive}`)
    expect(overallMaeText(large)).not.toMatch(/e\+/)
  })
})

/** The Backtest panel's table and chart from a report, against hand-written rows. */
import { describe, expect, it } from 'vitest'
import type { BacktestReport } from '../../src/shared/backtest'
import { foldErrorOption, foldRows } from '../../src/renderer/src/lib/backtest'

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
    expect(foldRows(report)).toEqual([
      {
        label: '1',
        train: '0–999',
        target: '1,000–1,099',
        windows: 100,
        mae: '2',
        naive: '2.5',
        versus: 'better than naive by 20.0 %',
        coverage: '90.0 %',
      },
      {
        label: '2',
        train: '0–1,099',
        target: '1,100–1,199',
        windows: 100,
        mae: '3',
        naive: '2.5',
        versus: 'worse than naive by 20.0 %',
        coverage: '—',
      },
      {
        label: 'all folds',
        train: '',
        target: '',
        windows: 200,
        mae: '2.5',
        naive: '2.5',
        versus: 'as good as naive',
        coverage: '—',
      },
    ])
  })

  it('the error chart: MAE per fold for the model and naive (no seasonal naive without one)', () => {
    const series = foldErrorOption(report).series as { name: string; data: number[] }[]
    expect(series.map((s) => [s.name, s.data])).toEqual([
      ['model', [2, 3]],
      ['naive', [2.5, 2.5]],
    ])
  })
})

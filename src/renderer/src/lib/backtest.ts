/**
 * The Backtest panel's table and chart from a backtest report: each fold's MAE next to naive on
 * the same windows, its interval coverage, and a bar chart of the error per fold. Pure.
 */
import type { BacktestReport } from '@shared/backtest'
import { compareWith } from '@shared/run'
import { AXIS_STYLE, PALETTE, type ChartOption } from '../charts/echarts'
import { metric, percent } from './format'

export interface FoldRow {
  label: string
  train: string
  target: string
  windows: number
  mae: string
  naive: string
  /** The shared comparison: "better than naive by 20.0 %", "as good as naive", … */
  versus: string
  coverage: string
}

const range = (r: [number, number]) =>
  `${r[0].toLocaleString('en-US')}–${(r[1] - 1).toLocaleString('en-US')}`

/** One row per fold (rows shown inclusive, as people count them), then the pooled row. */
export function foldRows(report: BacktestReport): FoldRow[] {
  const row = (label: string, s: BacktestReport['overall'], train: string, target: string) => ({
    label,
    train,
    target,
    windows: s.samples,
    mae: metric(s.metrics.mae),
    naive: metric(s.baselines.naive.mae),
    versus: compareWith('naive', s.metrics, s.baselines.naive).text,
    coverage: s.coverage === null ? '—' : percent(s.coverage * 100),
  })
  return [
    ...report.folds.map((f) => row(String(f.fold), f, range(f.trainRows), range(f.targetRows))),
    row('all folds', report.overall, '', ''),
  ]
}

/** MAE per fold, the model next to naive (and seasonal naive when there is one). */
export function foldErrorOption(report: BacktestReport): ChartOption {
  const folds = report.folds.map((f) => `fold ${f.fold}`)
  const bar = (name: string, data: number[], color: string) => ({
    type: 'bar' as const,
    name,
    data: data.map((v) => (Number.isFinite(v) ? v : null)),
    itemStyle: { color },
  })
  const seasonal = report.folds.every((f) => f.baselines.seasonalNaive)
  return {
    animation: false,
    grid: { left: 60, right: 20, top: 36, bottom: 36 },
    legend: { top: 0, textStyle: { fontSize: 12 } },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (v: unknown) => metric(v as number),
    },
    xAxis: { type: 'category', data: folds, ...AXIS_STYLE },
    yAxis: { type: 'value', name: 'MAE', ...AXIS_STYLE },
    series: [
      bar(
        'model',
        report.folds.map((f) => f.metrics.mae),
        PALETTE[0],
      ),
      bar(
        'naive',
        report.folds.map((f) => f.baselines.naive.mae),
        '#94a3b8',
      ),
      ...(seasonal
        ? [
            bar(
              'seasonal naive',
              report.folds.map((f) => f.baselines.seasonalNaive!.mae),
              '#cbd5e1',
            ),
          ]
        : []),
    ],
  }
}

/**
 * The Backtest panel's table and chart from a backtest report: each fold's MAE next to naive on
 * the same windows, its interval coverage, and a bar chart of the error per fold. Pure.
 */
import type { BacktestReport } from '@shared/backtest'
import { compareWith } from '@shared/run'
import { AXIS_STYLE, PALETTE, type ChartOption } from '../charts/echarts'
import { formatChange } from '@shared/format'
import { methodName, type IntervalMethod } from '@shared/forecast/intervals'
import { levelPercent } from '@shared/intervals'
import { formatStyled, metric, numberStyle, percent } from './format'

export interface FoldRow {
  label: string
  train: string
  target: string
  windows: number
  mae: string
  naive: string
  /** Seasonal naive MAE on the same windows; '—' without a season. */
  seasonal: string
  /** Against naive, short for the column: "20.0 % better", "4.0 % worse". */
  change: string
  /** The shared comparison in full (the cell's tooltip): "better than naive by 20.0 %", … */
  versus: string
  coverage: string
}

const range = (r: [number, number]) =>
  `${r[0].toLocaleString('en-US')}–${(r[1] - 1).toLocaleString('en-US')}`

/** One row per fold (rows shown inclusive, as people count them), then the pooled row. */
export function foldRows(report: BacktestReport): FoldRow[] {
  // One number style for the three MAE columns, so their decimals line up.
  const style = numberStyle(
    [...report.folds, report.overall].flatMap((s) => [
      s.metrics.mae,
      s.baselines.naive.mae,
      s.baselines.seasonalNaive?.mae,
    ]),
  )
  const row = (label: string, s: BacktestReport['overall'], train: string, target: string) => ({
    label,
    train,
    target,
    windows: s.samples,
    mae: formatStyled(s.metrics.mae, style),
    naive: formatStyled(s.baselines.naive.mae, style),
    seasonal: s.baselines.seasonalNaive ? formatStyled(s.baselines.seasonalNaive.mae, style) : '—',
    change: formatChange(s.metrics.mae, s.baselines.naive.mae),
    versus: compareWith('naive', s.metrics, s.baselines.naive).text,
    coverage: s.coverage === null ? '—' : percent(s.coverage * 100),
  })
  return [
    ...report.folds.map((f) => row(String(f.fold), f, range(f.trainRows), range(f.targetRows))),
    row('all folds', report.overall, '', ''),
  ]
}

/**
 * "MAE 26.7 vs naive 29.2": the pooled figures as the table's "all folds" row shows them (one
 * style with the folds), for a saved backtest's one-line summary. It used toPrecision(4):
 * "46.93 vs naive 6.001" above a table reading 46.9 and 6.0, and "1.235e+4" from 12,345.
 */
export function overallMaeText(report: BacktestReport): string {
  const all = foldRows(report).at(-1)!
  return `MAE ${all.mae} vs naive ${all.naive}`
}

/** Whether the report has a seasonal naive to show (a season was set). */
export function hasSeasonal(report: BacktestReport): boolean {
  return report.folds.length > 0 && report.folds.every((f) => f.baselines.seasonalNaive)
}

/**
 * What a cancelled backtest holds: "Cancelled during fold 3 of 5: the table holds the 2 folds
 * that finished before it." Null when every fold finished.
 */
export function cancelledText(
  report: BacktestReport & { cancelledAt?: number | null },
  planned?: number,
): string | null {
  if (report.cancelledAt === null || report.cancelledAt === undefined) return null
  const n = report.folds.length
  const of = planned ? ` of ${planned}` : ''
  return `Cancelled during fold ${report.cancelledAt}${of}: the table holds the ${n === 1 ? 'fold' : `${n} folds`} that finished before it.`
}

/**
 * What the Coverage column measures: "Coverage: 80 % split conformal intervals, each fold's
 * calibrated on the held-out end of the rows its model trains on." Null without intervals.
 */
export function coverageNote(
  report: BacktestReport & { level: number | null; method?: IntervalMethod },
): string | null {
  if (report.level === null) return null
  const adapted =
    report.method === 'aci' ? ' and adapted along its block as the actuals arrive' : ''
  return `Coverage: ${levelPercent(report.level)} ${methodName(report.method ?? 'split')} intervals, each fold's calibrated on the held-out end of the rows its model trains on${adapted}.`
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
  const seasonal = hasSeasonal(report)
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

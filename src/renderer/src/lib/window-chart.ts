/**
 * The option of the Experiment view's window chart: one sample drawn on the time axis — the
 * target column around it, the rows the window reads, the span it covers, and its target row.
 */
import type { TimeStyle } from '@shared/format'
import { AXIS_STYLE, X_AXIS_LABEL, type ChartOption } from '../charts/echarts'
import type { SampleRows } from './experiment'
import { escapeHtml, formatNumber } from './format'
import { pointLabel, timeAxisLabel } from './time-style'

/** An area's word is shown when the area takes at least this share of the axis (≈ 50 px of 600). */
export const MIN_LABEL_SHARE = 0.08

export function windowChartOption(
  sample: SampleRows,
  target: { name: string; values: ArrayLike<number> },
  time: ArrayLike<number> | null,
  timeStyle: TimeStyle | null = null,
): ChartOption {
  const style = time ? timeStyle : null
  const x = (row: number) => (time ? time[row] : row)
  const line: [number, number][] = []
  for (let r = sample.from; r <= sample.to; r++) line.push([x(r), target.values[r]])
  const reads = sample.windowRows.map((r) => [x(r), target.values[r]])
  const targets = sample.targetRows.map((r) => [x(r), target.values[r]])
  const first = sample.windowRows[0]
  const last = sample.windowRows[sample.windowRows.length - 1]
  const t0 = sample.targetRows[0]
  // Labels of the window and the gap sit at the bottom of their areas, the target's at the
  // top of its line, so they never share a band; an area too narrow for its word keeps the
  // shading and loses the word (the legend and the text above the chart say it), and with a
  // delay shorter than the window the target lies inside it: there is no gap to draw. They
  // overlapped at delay 1, L 5 and at delay 858, L 120 (issue #12 item 19).
  const span = Math.max(1e-9, x(sample.to) - x(sample.from))
  const labelled = (a: number, b: number) => (x(b) - x(a)) / span >= MIN_LABEL_SHARE
  const area = (
    from: number,
    to: number,
    word: string,
    color: string,
    fill: string,
  ): [Record<string, unknown>, Record<string, unknown>] => [
    {
      xAxis: x(from),
      itemStyle: { color: fill },
      label: { show: labelled(from, to), position: 'insideBottom', color, formatter: word },
    },
    { xAxis: x(to) },
  ]
  const areas: [Record<string, unknown>, Record<string, unknown>][] = [
    area(first, last, 'window', '#1d4ed8', 'rgba(37, 99, 235, 0.08)'),
  ]
  if (t0 > last) areas.push(area(last, t0, 'gap', '#b45309', 'rgba(217, 119, 6, 0.07)'))
  return {
    animation: false,
    useUTC: true,
    grid: { left: 56, right: 20, top: 36, bottom: 40 },
    legend: { top: 0, itemWidth: 14, textStyle: { fontSize: 12 } },
    tooltip: {
      trigger: 'item',
      formatter: (p: unknown) => {
        const item = p as { seriesName: string; value: [number, number] }
        const when = time
          ? pointLabel(item.value[0], style ?? { kind: 'calendar', precision: 'minute' })
          : pointLabel(item.value[0], null)
        return `${escapeHtml(item.seriesName)}<br>${escapeHtml(when)}: ${formatNumber(item.value[1], 6)}`
      },
    },
    xAxis: {
      type: time ? 'time' : 'value',
      min: x(sample.from),
      max: x(sample.to),
      ...AXIS_STYLE,
      axisLabel: { ...X_AXIS_LABEL, formatter: timeAxisLabel(style) },
      ...(time && style ? rowTicks(sample, time, style) : {}),
      splitLine: { show: false },
    },
    yAxis: {
      type: 'value',
      scale: true,
      name: target.name,
      nameTextStyle: { align: 'left' },
      ...AXIS_STYLE,
    },
    series: [
      {
        type: 'line',
        name: target.name,
        data: line,
        showSymbol: false,
        lineStyle: { width: 1, color: '#94a3b8' },
        itemStyle: { color: '#94a3b8' },
        emphasis: { disabled: true },
        markArea: { silent: true, data: areas as never },
      },
      {
        type: 'scatter',
        name: `rows read (${sample.windowRows.length})`,
        data: reads,
        symbolSize: sample.windowRows.length > 200 ? 3 : 5,
        itemStyle: { color: '#2563eb' },
      },
      {
        type: 'scatter',
        name: sample.targetRows.length > 1 ? `targets (${sample.targetRows.length})` : 'target',
        data: targets,
        symbol: 'diamond',
        symbolSize: 13,
        itemStyle: { color: '#dc2626', borderColor: '#fff', borderWidth: 1 },
        markLine: {
          silent: true,
          symbol: 'none',
          lineStyle: { color: '#dc2626', type: 'dashed' },
          label: { position: 'end', formatter: 'target', color: '#b91c1c' },
          data: [{ xAxis: x(t0) }],
        },
      },
    ],
  }
}

const DAY_MS = 86_400_000
/** At most this many labels under the window chart (about 80 px each). */
const MAX_ROW_TICKS = 7

/** Daily rows spanning at most this long get row ticks: ECharts' would be bare day numbers. */
const SHORT_DAILY_SPAN_MS = 31 * DAY_MS

/**
 * Ticks on the sample's own rows, every k-th from the window's first, for rows more than a day
 * apart (weekly, business days with weekends): ECharts' calendar ticks for such a span mix
 * levels ("Feb 5 8" under weekly rows) and fall between the rows. Daily rows over a month or
 * less too: ECharts labels them with the day of the month alone ("2024 2 3 4 5 6" under 16 days
 * of a 40-row daily file), so the month is never read. Finer rows, and daily rows over a longer
 * span, keep ECharts' ticks, which land on round days and hours (and name the months).
 */
export function rowTicks(
  sample: SampleRows,
  time: ArrayLike<number>,
  style: TimeStyle,
): Record<string, unknown> {
  const step = time[sample.from + 1] - time[sample.from]
  const span = time[sample.to] - time[sample.from]
  const daily = step > 0.9 * DAY_MS && span <= SHORT_DAILY_SPAN_MS
  if (!(sample.to > sample.from && (step > 1.5 * DAY_MS || daily))) return {}
  const k = Math.max(1, Math.ceil((sample.to - sample.from + 1) / MAX_ROW_TICKS))
  const first = sample.windowRows[0] ?? sample.from
  const values: number[] = []
  for (let r = first - Math.floor((first - sample.from) / k) * k; r <= sample.to; r += k)
    values.push(time[r])
  return {
    axisLabel: {
      ...X_AXIS_LABEL,
      customValues: values,
      formatter: (v: number) => pointLabel(v, style),
    },
    axisTick: { customValues: values },
  }
}

/**
 * The option of the Experiment view's window chart: one sample drawn on the time axis — the
 * target column around it, the rows the window reads, the span it covers, and its target row.
 */
import type { TimeStyle } from '@shared/format'
import { AXIS_STYLE, type ChartOption } from '../charts/echarts'
import type { SampleRows } from './experiment'
import { escapeHtml, formatNumber } from './format'
import { pointLabel, timeAxisLabel } from './time-style'

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
      axisLabel: { ...AXIS_STYLE.axisLabel, formatter: timeAxisLabel(style) },
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
        markArea: {
          silent: true,
          data: [
            [
              {
                xAxis: x(first),
                itemStyle: { color: 'rgba(37, 99, 235, 0.08)' },
                label: { show: true, position: 'insideTop', color: '#1d4ed8', formatter: 'window' },
              },
              { xAxis: x(last) },
            ],
            [
              {
                xAxis: x(last),
                itemStyle: { color: 'rgba(217, 119, 6, 0.07)' },
                label: { show: true, position: 'insideTop', color: '#b45309', formatter: 'gap' },
              },
              { xAxis: x(t0) },
            ],
          ],
        },
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
          label: { formatter: 'target', color: '#b91c1c' },
          data: [{ xAxis: x(t0) }],
        },
      },
    ],
  }
}

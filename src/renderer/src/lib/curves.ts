/** The Train view's chart: loss and val loss (normalized) left, val MAE and the naive MAE right. */
import type { EpochRecord } from '@shared/run'
import { AXIS_STYLE, type ChartOption } from '../charts/echarts'
import { metric } from './format'
import { multiple, niceStep } from './nice'

export function curvesOption(
  history: EpochRecord[],
  live: [number, number][],
  naiveValMae: number | null,
  epochs: number,
): ChartOption {
  const pts = (key: 'loss' | 'valLoss' | 'valMae') =>
    history
      .filter((e) => typeof e[key] === 'number' && Number.isFinite(e[key] as number))
      .map((e) => [e.epoch, e[key] as number])
  const valMae = pts('valMae')
  // The naive line sits just under the axis top when no epoch's MAE is above it (the axis ends
  // 5 % over it): there its label goes under the line, else above, so it never leaves the plot
  // for the axis name over the right corner.
  const naiveOnTop = naiveValMae !== null && valMae.every(([, v]) => v <= (naiveValMae as number))
  return {
    animation: false,
    grid: { left: 60, right: 70, top: 40, bottom: 40 },
    legend: { top: 0, textStyle: { fontSize: 12 } },
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => metric(v as number) },
    xAxis: {
      type: 'value',
      name: 'epoch',
      nameLocation: 'middle',
      nameGap: 26,
      min: 0,
      max: Math.max(epochs, 1),
      minInterval: 1,
      ...AXIS_STYLE,
    },
    yAxis: [
      {
        type: 'value',
        name: 'loss (normalized)',
        scale: true,
        nameTextStyle: { align: 'left' },
        ...AXIS_STYLE,
      },
      {
        type: 'value',
        name: 'MAE (target units)',
        scale: true,
        nameTextStyle: { align: 'right' },
        // Keep the naive line in view: ECharts does not widen an axis for mark lines.
        ...maeAxisBounds(
          valMae.map(([, v]) => v),
          naiveValMae,
        ),
        ...AXIS_STYLE,
        splitLine: { show: false },
      },
    ],
    series: [
      {
        type: 'line',
        name: 'loss (this epoch so far)',
        data: live,
        showSymbol: false,
        lineStyle: { width: 1, type: 'dotted', color: '#93c5fd' },
        itemStyle: { color: '#93c5fd' },
      },
      {
        type: 'line',
        name: 'loss',
        data: pts('loss'),
        symbolSize: 6,
        itemStyle: { color: '#2563eb' },
      },
      {
        type: 'line',
        name: 'val loss',
        data: pts('valLoss'),
        symbolSize: 6,
        itemStyle: { color: '#dc2626' },
      },
      {
        type: 'line',
        name: 'val MAE',
        yAxisIndex: 1,
        data: valMae,
        symbolSize: 6,
        itemStyle: { color: '#059669' },
        lineStyle: { type: 'dashed' },
        markLine:
          naiveValMae !== null && Number.isFinite(naiveValMae)
            ? {
                silent: true,
                symbol: 'none',
                lineStyle: { color: '#d97706', width: 2 },
                label: {
                  formatter: `naive val MAE ${metric(naiveValMae)}`,
                  // Inside the plot at its right end (never past the canvas edge), on a light
                  // backing so the curves crossing it there do not cut through the letters.
                  position: naiveOnTop ? 'insideEndBottom' : 'insideEndTop',
                  color: '#b45309',
                  backgroundColor: 'rgba(255, 255, 255, 0.85)',
                  padding: [1, 3],
                },
                data: [{ yAxis: naiveValMae }],
              }
            : undefined,
      },
    ],
  }
}

/** A readable axis bound (2 significant digits). */
/**
 * The MAE axis from 5 % under the lowest of the epochs' val MAE and naive's to 5 % over the
 * highest, widened to multiples of a round step and ticked at it: ends rounded on their own
 * (0.31 under ticks 0.4, 0.6 …) read as one more tick off the grid.
 */
export function maeAxisBounds(
  valMae: number[],
  naive: number | null,
): { min: number; max: number; interval: number } | Record<string, never> {
  if (naive === null || !Number.isFinite(naive)) return {}
  const values = [...valMae.filter(Number.isFinite), naive]
  const [lo, hi] = [Math.min(...values) * 0.95, Math.max(...values) * 1.05]
  if (!(hi > lo)) return {}
  const step = niceStep((hi - lo) / 5)
  return {
    min: multiple(Math.floor(lo / step + 1e-9), step),
    max: multiple(Math.ceil(hi / step - 1e-9), step),
    interval: step,
  }
}

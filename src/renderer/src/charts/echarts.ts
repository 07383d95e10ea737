/**
 * ECharts with only the parts Seqcast draws: line, scatter and bar charts on cartesian grids,
 * tooltips, legends, dataZoom, mark lines / areas, on the canvas renderer (fine under the CSP).
 */
import { use, init, type EChartsType, type ComposeOption } from 'echarts/core'
import { LineChart, ScatterChart, BarChart, CustomChart } from 'echarts/charts'
import type {
  LineSeriesOption,
  ScatterSeriesOption,
  BarSeriesOption,
  CustomSeriesOption,
} from 'echarts/charts'
import {
  GridComponent,
  TooltipComponent,
  LegendComponent,
  DataZoomComponent,
  MarkLineComponent,
  MarkAreaComponent,
  TitleComponent,
  ToolboxComponent,
  AxisPointerComponent,
} from 'echarts/components'
import type {
  GridComponentOption,
  TooltipComponentOption,
  LegendComponentOption,
  DataZoomComponentOption,
  MarkLineComponentOption,
  MarkAreaComponentOption,
  TitleComponentOption,
} from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

use([
  LineChart,
  ScatterChart,
  BarChart,
  CustomChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  DataZoomComponent,
  MarkLineComponent,
  MarkAreaComponent,
  TitleComponent,
  ToolboxComponent,
  AxisPointerComponent,
  CanvasRenderer,
])

export type ChartOption = ComposeOption<
  | LineSeriesOption
  | ScatterSeriesOption
  | BarSeriesOption
  | CustomSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | LegendComponentOption
  | DataZoomComponentOption
  | MarkLineComponentOption
  | MarkAreaComponentOption
  | TitleComponentOption
>

export { init }
export type { EChartsType }

/** Series colours, readable on white, distinguishable in grey. */
export const PALETTE = [
  '#2563eb',
  '#dc2626',
  '#059669',
  '#d97706',
  '#7c3aed',
  '#0891b2',
  '#db2777',
  '#4b5563',
]

export const AXIS_STYLE = {
  axisLine: { lineStyle: { color: '#94a3b8' } },
  axisLabel: { color: '#475569', fontSize: 11, hideOverlap: true },
  splitLine: { lineStyle: { color: '#e2e8f0' } },
} as const

/**
 * The x axis' labels: AXIS_STYLE's, with the first and last kept inside the plot (a tick at the
 * data's end, e.g. a year-less file's "Dec 31 24:00", was centred on the edge and cut).
 */
export const X_AXIS_LABEL = {
  ...AXIS_STYLE.axisLabel,
  alignMinLabel: 'left',
  alignMaxLabel: 'right',
} as const

/** Interleaved [x0, y0, x1, y1, …] for a series (ECharts reads typed arrays without copying into objects). */
export function interleave(
  x: ArrayLike<number> | null,
  y: ArrayLike<number>,
  from = 0,
  to = y.length,
): Float64Array {
  const n = Math.max(0, to - from)
  const out = new Float64Array(n * 2)
  for (let i = 0; i < n; i++) {
    out[2 * i] = x ? x[from + i] : from + i
    out[2 * i + 1] = y[from + i]
  }
  return out
}

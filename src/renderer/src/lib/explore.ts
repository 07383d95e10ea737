/**
 * The Explore chart: one panel per column, stacked, sharing one time axis and its zoom.
 * Rows are drawn through level-of-detail copies (lib/pyramid): each zoom step hands ECharts only
 * the visible slice of the coarsest copy with enough points (a few per pixel), and ECharts' own
 * LTTB sampling takes it down to one per pixel. Frames cost the same for 5,000 or 420,000 rows.
 * A time axis that is unsorted or has gaps in its values falls back to ECharts' filter mode.
 *
 * Wheel zoom and drag pan are handled by the view (zoomRange / panRange below, the arithmetic of
 * ECharts' inside dataZoom), not by an inside dataZoom: that one renders the chart for its new
 * range and only then tells us, so the new slice needed a second full update per step. The view
 * sets range and slice together, once per animation frame.
 */
import { timeValues, type Dataset } from '@shared/series/dataset'
import type { TimeStyle } from '@shared/format'
import { PALETTE, AXIS_STYLE, X_AXIS_LABEL, interleave, type ChartOption } from '../charts/echarts'
import { buildLevels, isAscending, visibleSlice, type Level } from './pyramid'
import { escapeHtml, formatNumber } from './format'
import { datasetTimeStyle, pointLabel, timeAxisLabel } from './time-style'

/** Levels of each column, kept while its values array lives (toggling columns reuses them). */
const levelCache = new WeakMap<Float64Array, { x: Float64Array; levels: Level[] }>()

export class ExploreData {
  readonly names: string[]
  readonly time: Float64Array | null
  /** The x axis can be binary-searched: level-of-detail slices are used. */
  readonly sliced: boolean
  readonly extent: [number, number]
  /** How times are written (null without a time axis: rows). */
  readonly timeStyle: TimeStyle | null
  private readonly series: { name: string; values: Float64Array; levels: Level[] }[]

  constructor(dataset: Dataset, names: string[]) {
    const columns = names
      .map((n) => dataset.columns.find((c) => c.name === n))
      .filter(
        (c): c is Extract<Dataset['columns'][number], { kind: 'numeric' }> =>
          !!c && c.kind === 'numeric',
      )
    this.names = columns.map((c) => c.name)
    this.time = timeValues(dataset)
    this.timeStyle = this.time ? datasetTimeStyle(dataset) : null
    const x = this.time ?? Float64Array.from({ length: dataset.rowCount }, (_, i) => i)
    this.sliced = isAscending(x)
    this.series = columns.map((c) => {
      const cached = levelCache.get(c.values)
      if (cached && cached.x === x) return { name: c.name, values: c.values, levels: cached.levels }
      const levels = this.sliced ? buildLevels(x, c.values) : [{ x, y: c.values }]
      levelCache.set(c.values, { x, levels })
      return { name: c.name, values: c.values, levels }
    })
    let lo = Infinity
    let hi = -Infinity
    for (const v of x) {
      if (v < lo) lo = v
      if (v > hi) hi = v
    }
    this.extent = [lo, hi]
  }

  /** Interleaved data of every panel for the x range [from, to]. */
  slices(from: number, to: number, maxPoints: number): Float64Array[] {
    return this.series.map((s) =>
      this.sliced
        ? visibleSlice(s.levels, from, to, maxPoints)
        : interleave(s.levels[0].x, s.levels[0].y),
    )
  }

  /** The zoom window (percent of the full extent) a dataZoom event reports. */
  percentOf(event: unknown): ZoomRange {
    const e = event as { start?: number; end?: number; batch?: { start?: number; end?: number }[] }
    const p = e.batch?.[0] ?? e
    return [typeof p.start === 'number' ? p.start : 0, typeof p.end === 'number' ? p.end : 100]
  }

  /** The x range [from, to] of a zoom window in percent of the full extent. */
  valuesOf([start, end]: ZoomRange): [number, number] {
    const [lo, hi] = this.extent
    return [lo + ((hi - lo) * start) / 100, lo + ((hi - lo) * end) / 100]
  }

  /**
   * The value of a panel at the row nearest to x, from the full-resolution rows: what the
   * tooltip shows whatever level of detail is drawn (a zoomed slice's point may be a level's
   * min/max stand-in, or missing from the item ECharts hands over).
   */
  valueAt(panel: number, x: number): number {
    const s = this.series[panel]
    if (!s || !Number.isFinite(x)) return NaN
    const xs = s.levels[0].x
    const ys = s.levels[0].y
    if (!this.sliced) {
      let best = -1
      for (let i = 0; i < xs.length; i++)
        if (best < 0 || Math.abs(xs[i] - x) < Math.abs(xs[best] - x)) best = i
      return best < 0 ? NaN : ys[best]
    }
    let lo = 0
    let hi = xs.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (xs[mid] < x) lo = mid + 1
      else hi = mid
    }
    if (lo > 0 && Math.abs(xs[lo - 1] - x) <= Math.abs(xs[lo] - x)) lo--
    return ys[lo]
  }

  option(maxPoints: number): ChartOption | null {
    if (this.series.length === 0) return null
    const time = this.time
    const n = this.series.length
    const band = 80 / n
    const data = this.slices(this.extent[0], this.extent[1], maxPoints)
    const filterMode = this.sliced ? 'none' : 'filter'
    const all = this.series.map((_, i) => i)
    return {
      animation: false,
      useUTC: true,
      color: PALETTE,
      tooltip: {
        trigger: 'axis',
        confine: true,
        transitionDuration: 0,
        axisPointer: { type: 'line' },
        formatter: (params: unknown) => {
          const items = (Array.isArray(params) ? params : [params]) as {
            seriesName: string
            seriesIndex: number
            marker: string
            axisValue?: number
            value?: ArrayLike<number>
          }[]
          if (items.length === 0) return ''
          const x = Number(items[0].axisValue ?? items[0].value?.[0])
          return [
            escapeHtml(pointLabel(x, this.timeStyle)),
            // Top panel first, as the panels stack (ECharts handed the lower panel first).
            ...[...items]
              .sort((a, b) => a.seriesIndex - b.seriesIndex)
              .map((p) => {
                const v = this.valueAt(p.seriesIndex, x)
                return `${p.marker} ${escapeHtml(p.seriesName)} <b>${Number.isNaN(v) ? 'missing' : formatNumber(v, 6)}</b>`
              }),
          ].join('<br>')
        },
      },
      // On a canvas layer of its own: moving the pointer (every mouse move, and the tooltip's
      // refresh after each zoom step) repaints that layer, not the three panels.
      axisPointer: { link: [{ xAxisIndex: 'all' }], zlevel: 1 },
      legend: { show: false },
      grid: this.series.map((_, i) => ({
        outerBoundsMode: 'none',
        left: 64,
        right: 24,
        top: `${(5 + i * band).toFixed(2)}%`,
        height: `${(band - 6).toFixed(2)}%`,
      })),
      xAxis: this.series.map((_, i) => ({
        type: time ? 'time' : 'value',
        gridIndex: i,
        // Fixed to the whole data: the zoom's percentages map to it whatever slice is drawn.
        min: this.extent[0],
        max: this.extent[1],
        axisLabel: {
          ...X_AXIS_LABEL,
          show: i === n - 1,
          formatter: timeAxisLabel(this.timeStyle),
        },
        axisTick: { show: i === n - 1 },
        axisLine: AXIS_STYLE.axisLine,
        splitLine: { show: false },
        name: i === n - 1 && !time ? 'row' : undefined,
      })),
      yAxis: this.series.map((s, i) => ({
        type: 'value',
        gridIndex: i,
        scale: true,
        name: s.name,
        nameLocation: 'end',
        nameGap: 6,
        nameTextStyle: {
          align: 'left',
          color: PALETTE[i % PALETTE.length],
          fontWeight: 600,
          fontSize: 12,
        },
        axisLabel: AXIS_STYLE.axisLabel,
        axisLine: AXIS_STYLE.axisLine,
        splitLine: AXIS_STYLE.splitLine,
        splitNumber: 3,
      })),
      // Only the slider: the view zooms and pans on wheel and drag itself (see the top).
      dataZoom: [
        {
          type: 'slider',
          xAxisIndex: all,
          filterMode,
          bottom: 12,
          height: 24,
          showDataShadow: false,
          labelFormatter: (v: number) => pointLabel(v, this.timeStyle),
        },
      ],
      series: this.series.map((s, i) => ({
        type: 'line',
        name: s.name,
        xAxisIndex: i,
        yAxisIndex: i,
        data: data[i] as unknown as number[],
        dimensions: ['x', 'y'],
        encode: { x: 0, y: 1 },
        // ECharts' LTTB takes the slice (a few points per pixel) down to one per pixel. Line
        // series have no `large` mode in ECharts (scatter / bar / lines do).
        sampling: 'lttb',
        showSymbol: false,
        symbol: 'none',
        lineStyle: { width: 1 },
        progressive: 0,
        animation: false,
        emphasis: { disabled: true },
      })),
    }
  }
}

/** A zoom window: start and end in percent of the full x extent, as ECharts' dataZoom keeps it. */
export type ZoomRange = [number, number]

const clampPercent = (v: number) => Math.min(100, Math.max(0, v))

/**
 * The zoom factor of one wheel event as ECharts' inside dataZoom takes it: zrender's wheel delta
 * (the event's `wheelDelta` / 120, a mouse notch being ±1, or −3 × deltaY / 120 without it) sets
 * 1.1, 1.2 or 1.4 per event; scrolling up (> 1) zooms in.
 */
export function wheelScale(event: { wheelDelta?: number; deltaX: number; deltaY: number }): number {
  const d = event.deltaY !== 0 ? event.deltaY : event.deltaX
  const wheelDelta = (event.wheelDelta || -3 * d) / 120
  if (!wheelDelta) return 1
  const a = Math.abs(wheelDelta)
  const factor = a > 3 ? 1.4 : a > 1 ? 1.2 : 1.1
  return wheelDelta > 0 ? factor : 1 / factor
}

/**
 * Zooms the window by `scale` (> 1 zooms in) around the point `at` percent of the full extent,
 * which stays where it is on screen; the ends are kept within [0, 100].
 */
export function zoomRange([start, end]: ZoomRange, at: number, scale: number): ZoomRange {
  const s = 1 / Math.max(scale, 1e-9)
  return [clampPercent((start - at) * s + at), clampPercent((end - at) * s + at)]
}

/** Moves the window by `delta` percent of the full extent, keeping its span inside [0, 100]. */
export function panRange([start, end]: ZoomRange, delta: number): ZoomRange {
  const span = Math.min(100, Math.abs(end - start))
  const from = Math.min(100 - span, Math.max(0, start + delta))
  return [from, from + span]
}

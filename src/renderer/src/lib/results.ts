/**
 * Option builders of the Results view: actual vs predicted over validation and test (with other
 * runs overlaid), residuals over time and as a histogram, and the future forecast after the data.
 */
import type { Forecast, FutureForecast } from '@shared/run'
import { AXIS_STYLE, PALETTE, X_AXIS_LABEL, type ChartOption } from '../charts/echarts'
import { firstRows, niceHistogram, valueRows, type ForecastSplit } from './forecasts'
import { originOf, type ForecastOrigins } from '@shared/forecast-csv'
import { intervalCoverage, levelPercent } from '@shared/intervals'
import { methodName, widthPhrase, type IntervalMethod } from '@shared/forecast/intervals'
import type { TimeStyle } from '@shared/format'
import { count, escapeHtml, metric, percent } from './format'
import { pointLabel, timeAxisText } from './time-style'
import { finiteExtent } from '@shared/series/extent'

/** The x axis of a chart over time (or rows), its labels in the dataset's time style. */
function xAxisOf(time: boolean, style: TimeStyle | null): Record<string, unknown> {
  const text = timeAxisText(style, time)
  const label = (text.axisLabel as Record<string, unknown> | undefined) ?? {}
  return {
    type: time ? 'time' : 'value',
    min: 'dataMin',
    max: 'dataMax',
    ...AXIS_STYLE,
    axisLabel: { ...X_AXIS_LABEL, ...label },
    axisPointer: text.axisPointer,
    splitLine: { show: false },
  }
}

export interface Overlay {
  name: string
  splits: Partial<Record<ForecastSplit, Forecast>>
}

const SPLIT_ORDER: ForecastSplit[] = ['train', 'val', 'test']

/** x (time or row) and value of step h of every window, over the given splits in order. */
export function stepSeries(
  splits: Partial<Record<ForecastSplit, Forecast>>,
  step: number,
  pick: 'actual' | 'predicted' | 'residual' | 'lower' | 'width',
  only: ForecastSplit[] = ['val', 'test'],
): Float64Array {
  const parts: Float64Array[] = []
  for (const s of SPLIT_ORDER) {
    const f = splits[s]
    if (!f || !only.includes(s)) continue
    const H = f.horizon
    const h = Math.min(step, H - 1)
    const n = Math.floor(f.predicted.length / H)
    const rows = valueRows(f)
    const times = f.timestamps && f.timestamps.length === f.predicted.length ? f.timestamps : null
    const out = new Float64Array(n * 2)
    for (let k = 0; k < n; k++) {
      const i = k * H + h
      out[2 * k] = times ? times[i] : rows[i]
      out[2 * k + 1] =
        pick === 'actual'
          ? f.actual[i]
          : pick === 'predicted'
            ? f.predicted[i]
            : pick === 'residual'
              ? f.actual[i] - f.predicted[i]
              : bandValue(f, i, pick)
    }
    // A NaN point between splits breaks the line instead of joining the last validation
    // window to the first test window across the rows in between.
    if (parts.length) parts.push(Float64Array.of(out.length ? out[0] : NaN, NaN))
    parts.push(out)
  }
  const total = parts.reduce((a, p) => a + p.length, 0)
  const all = new Float64Array(total)
  let at = 0
  for (const p of parts) {
    all.set(p, at)
    at += p.length
  }
  return all
}

/**
 * The band as ECharts stacks it: the lower bound, then upper − lower on top of it. An unbounded
 * (±∞) or missing bound is NaN here: unbounded stretches are drawn apart, as full-height areas
 * (`unboundedAreas`), so they neither read as "no uncertainty" nor stretch the y axis.
 */
function bandValue(f: Forecast, i: number, pick: 'lower' | 'width'): number {
  const lo = f.lower?.[i] ?? NaN
  const hi = f.upper?.[i] ?? NaN
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return NaN
  return pick === 'lower' ? lo : hi - lo
}

/**
 * The x ranges where step h's interval is unbounded, each widened to its neighbouring windows
 * so that it meets the band on both sides (a lone unbounded window is a visible strip).
 */
export function unboundedAreas(f: Forecast, step: number): [number, number][] {
  if (!f.lower || !f.upper) return []
  const H = f.horizon
  const h = Math.min(step, H - 1)
  const n = Math.floor(f.predicted.length / H)
  const times = f.timestamps && f.timestamps.length === f.predicted.length ? f.timestamps : null
  const rows = times ? null : valueRows(f)
  const x = (k: number) => (times ? times[k * H + h] : rows![k * H + h])
  const open = (k: number) => {
    const i = k * H + h
    return Math.abs(f.lower![i]) === Infinity || Math.abs(f.upper![i]) === Infinity
  }
  const out: [number, number][] = []
  for (let k = 0; k < n; k++) {
    if (!open(k)) continue
    let end = k
    while (end + 1 < n && open(end + 1)) end++
    out.push([x(Math.max(0, k - 1)), x(Math.min(n - 1, end + 1))])
    k = end
  }
  return out
}

/** Where an unbounded whisker of the future chart ends: the drawn extent padded by a tenth. */
export function bandEdge(f: {
  actual: ArrayLike<number>
  predicted: ArrayLike<number>
  lower?: ArrayLike<number>
  upper?: ArrayLike<number>
}): { min: number; max: number } | null {
  const e = finiteExtent(
    (function* () {
      for (const a of [f.actual, f.predicted, f.lower ?? [], f.upper ?? []])
        for (let i = 0; i < a.length; i++) yield a[i]
    })(),
  )
  if (!e) return null
  const pad = (e.max - e.min) * 0.1 || Math.abs(e.max) * 0.1 || 1
  return { min: e.min - pad, max: e.max + pad }
}

/** Whether some interval of the forecast has an unbounded side. */
function isUnbounded(
  f: { lower?: ArrayLike<number>; upper?: ArrayLike<number> } | null | undefined,
): boolean {
  const inf = (a: ArrayLike<number> | undefined) => {
    if (a)
      for (let i = 0; i < a.length; i++) if (a[i] === Infinity || a[i] === -Infinity) return true
    return false
  }
  return inf(f?.lower) || inf(f?.upper)
}

/**
 * The y axis of the future chart when a whisker reaches `bandEdge`: it ends at the data's extent (the edge)
 * instead of the next round number, so an unbounded side runs into the frame. Rounded up, the
 * axis left room above the edge and the band read as a finite interval ending there (up to 500
 * on an axis to 600). The odd end values get no label; the round ticks inside keep theirs.
 */
const FRAME_AT_EDGE = {
  min: (v: { min: number }) => v.min,
  max: (v: { max: number }) => v.max,
  axisLabel: { ...AXIS_STYLE.axisLabel, showMinLabel: false, showMaxLabel: false },
}

/** "90 % interval": the legend name of a band at `level`. */
export function intervalName(level: number): string {
  return `${levelPercent(level)} interval`
}

const BAND_COLOR = 'rgba(37, 99, 235, 0.16)'

/**
 * The band of each split as two stacked lines (lower, then the width filled), one legend entry
 * named with the level. Both use 'average' sampling: the same buckets by index, so the stack
 * stays aligned when zoomed out (LTTB would pick different points for the two).
 */
function bandSeries(
  splits: Partial<Record<ForecastSplit, Forecast>>,
  shown: ForecastSplit[],
  step: number,
  level: number,
) {
  const name = intervalName(level)
  return shown
    .filter((s) => splits[s]?.lower && splits[s]?.upper)
    .flatMap((s) =>
      (['lower', 'width'] as const).map((part) => ({
        type: 'line' as const,
        name,
        data: stepSeries(splits, step, part, [s]) as unknown as number[],
        dimensions: ['x', 'y'],
        encode: { x: 0, y: 1 },
        stack: `band-${s}`,
        // 'all': a negative lower bound still carries the width on top of it ('samesign', the
        // default, would start the width at 0 wherever the two signs differ).
        stackStrategy: 'all' as const,
        sampling: 'average' as const,
        showSymbol: false,
        lineStyle: { width: 0, opacity: 0 },
        itemStyle: { color: BAND_COLOR },
        ...(part === 'width' ? { areaStyle: { color: BAND_COLOR } } : {}),
        ...(part === 'lower' ? unboundedMarks(splits[s]!, step) : {}),
        tooltip: { show: false },
        emphasis: { disabled: true },
        silent: true,
        progressive: 0,
      })),
    )
}

/** Full-height areas over the unbounded stretches of a split's band (none: no markArea). */
function unboundedMarks(f: Forecast, step: number) {
  const areas = unboundedAreas(f, step)
  if (!areas.length) return {}
  return {
    markArea: {
      silent: true,
      itemStyle: { color: BAND_COLOR },
      label: { show: false },
      data: areas.map(
        ([from, to]) => [{ xAxis: from }, { xAxis: to }] as [{ xAxis: number }, { xAxis: number }],
      ),
    },
  }
}

function hasTime(splits: Partial<Record<ForecastSplit, Forecast>>): boolean {
  return Object.values(splits).some(
    (f) => f && f.timestamps && f.timestamps.length === f.predicted.length,
  )
}

/** Start x of the test split, for the boundary line. */
function testStart(splits: Partial<Record<ForecastSplit, Forecast>>): number | null {
  const f = splits.test
  if (!f || f.predicted.length === 0) return null
  if (f.timestamps && f.timestamps.length === f.predicted.length) return f.timestamps[0]
  return valueRows(f)[0]
}

/**
 * Actual and predicted values of step `step` over validation and test, other runs overlaid.
 * Each split is its own series (same name and colour, so one legend entry): a line never joins
 * the last validation window to the first test window, and no NaN break point is needed, which
 * ECharts' LTTB sampling mishandles once the chart is zoomed (it draws a line from a point
 * outside the zoomed range).
 */
export function actualVsPredictedOption(
  name: string,
  splits: Partial<Record<ForecastSplit, Forecast>>,
  step: number,
  overlays: Overlay[],
  /** Level of the bands the forecasts carry (drawn when they have them). */
  level: number | null = null,
  timeStyle: TimeStyle | null = null,
  /**
   * Where the test split begins on the x axis: the time (or row) of its first row, the first
   * test window's start. Without it, the first test target (which lies `delay` rows later: the
   * targets of the last validation windows fall between the two).
   */
  splitAt: number | null = null,
  /**
   * Where each window's forecast was made (its last row; see `originsOf`): with a horizon over
   * one step, the tooltip names it, as the CSV's `origin` column does, since H forecasts of one
   * target time come from H different windows.
   */
  origins: ForecastOrigins | null = null,
): ChartOption {
  const time = hasTime(splits)
  const boundary = splitAt ?? testStart(splits)
  const shown = SPLIT_ORDER.filter((s) => s !== 'train' && splits[s])
  const line = (data: Float64Array, seriesName: string, color: string, width = 1.2) => ({
    type: 'line' as const,
    name: seriesName,
    data: data as unknown as number[],
    dimensions: ['x', 'y'],
    encode: { x: 0, y: 1 },
    sampling: 'lttb' as const,
    showSymbol: false,
    lineStyle: { width, color },
    itemStyle: { color },
    emphasis: { disabled: true },
    progressive: 0,
  })
  const perSplit = (
    source: Partial<Record<ForecastSplit, Forecast>>,
    pick: 'actual' | 'predicted',
    seriesName: string,
    color: string,
    width?: number,
    own = false,
  ) =>
    shown
      .filter((s) => source[s])
      .map((s) => ({
        ...line(stepSeries(source, step, pick, [s]), seriesName, color, width),
        // the tooltip finds the split and window of a point by its series id
        ...(own ? { id: `${pick}:${s}` } : {}),
      }))
  const actual = perSplit(splits, 'actual', 'actual', '#64748b', undefined, true)
  const multiStep = shown.some((s) => (splits[s]?.horizon ?? 1) > 1)
  if (actual.length && boundary !== null) {
    Object.assign(actual[0], {
      markLine: {
        silent: true,
        symbol: 'none',
        lineStyle: { color: '#0f172a', type: 'dashed' },
        label: { formatter: 'validation | test', color: '#334155' },
        data: [{ xAxis: boundary }],
      },
    })
  }
  return {
    animation: false,
    useUTC: true,
    grid: { left: 60, right: 24, top: 40, bottom: 70 },
    legend: { top: 0, type: 'scroll', textStyle: { fontSize: 12 } },
    tooltip: {
      trigger: 'axis',
      confine: true,
      valueFormatter: (v: unknown) => metric(v as number),
      formatter: forecastTooltip(
        splits,
        step,
        multiStep ? origins : null,
        time ? timeStyle : null,
        level,
        name,
      ),
    },
    xAxis: { ...xAxisOf(time, timeStyle), name: time ? undefined : 'row' },
    // Unbounded stretches of the band are full-height areas (markArea): the axis stays rounded.
    yAxis: { type: 'value', scale: true, ...AXIS_STYLE },
    dataZoom: [
      { type: 'inside', filterMode: 'filter' },
      { type: 'slider', filterMode: 'filter', bottom: 14, height: 22, showDataShadow: false },
    ],
    series: [
      ...(level === null ? [] : bandSeries(splits, shown, step, level)),
      ...actual,
      ...perSplit(splits, 'predicted', `predicted: ${name}`, PALETTE[0], 1.4, true),
      ...overlays.flatMap((o, i) =>
        perSplit(
          o.splits,
          'predicted',
          `predicted: ${o.name}`,
          PALETTE[(i + 2) % PALETTE.length],
          1.2,
        ),
      ),
    ],
  }
}

interface TooltipParam {
  seriesId?: string
  seriesName?: string
  dataIndex: number
  marker?: string
  value: [number, number]
}

/**
 * The axis tooltip of the actual vs predicted chart: the target's time, "step 3 of the forecast
 * made at 2015-02-26" for a multi-step run (the window's origin), then the window's actual,
 * prediction and interval read from the run's own arrays, then each overlaid run's value.
 * ECharts' own list keeps only the series whose sampled point lies nearest the pointer, so with
 * every window on screen (LTTB keeps different points per series) the actual went missing.
 */
export function forecastTooltip(
  splits: Partial<Record<ForecastSplit, Forecast>>,
  step: number,
  origins: ForecastOrigins | null,
  style: TimeStyle | null,
  level: number | null,
  name: string,
): (params: unknown) => string {
  // x of step h of each window, per split, ascending (as stepSeries draws them).
  const xs = new Map<ForecastSplit, Float64Array>()
  for (const s of SPLIT_ORDER) {
    if (s === 'train' || !splits[s]) continue
    const d = stepSeries(splits, step, 'actual', [s])
    xs.set(
      s,
      d.filter((_, i) => i % 2 === 0),
    )
  }
  const find = (x: number): { split: ForecastSplit; k: number } | null => {
    for (const [split, a] of xs) {
      let lo = 0
      let hi = a.length - 1
      while (lo <= hi) {
        const mid = (lo + hi) >> 1
        if (a[mid] === x) return { split, k: mid }
        if (a[mid] < x) lo = mid + 1
        else hi = mid - 1
      }
    }
    return null
  }
  const dot = (color: string) =>
    `<span style="display:inline-block;margin-right:5px;border-radius:5px;width:10px;height:10px;background:${color}"></span>`
  const row = (label: string, value: string) =>
    `<div style="display:flex;justify-content:space-between;gap:16px"><span>${label}</span><b>${escapeHtml(value)}</b></div>`
  return (params) => {
    const list = (Array.isArray(params) ? params : [params]) as TooltipParam[]
    const shown = list.filter((p) => Array.isArray(p.value) && Number.isFinite(p.value[1]))
    if (!shown.length) return ''
    const own = shown.find((p) => /^(actual|predicted):(val|test)$/.test(p.seriesId ?? ''))
    const x = (own ?? shown[0]).value[0]
    const lines = [`<div>${escapeHtml(pointLabel(x, style))}</div>`]
    const at = find(x)
    const f = at ? splits[at.split] : undefined
    if (at && f) {
      const h = Math.min(step, f.horizon - 1)
      const i = at.k * f.horizon + h
      const o = origins ? originOf(firstRows(f)[at.k], origins) : null
      if (o) {
        const made = o.time === null ? `row ${count(o.row)}` : pointLabel(o.time, style)
        lines.push(
          `<div style="color:#64748b">step ${h + 1} of the forecast made at ${escapeHtml(made)}</div>`,
        )
      }
      if (Number.isFinite(f.actual[i]))
        lines.push(row(`${dot('#64748b')}actual`, metric(f.actual[i])))
      lines.push(
        row(`${dot(PALETTE[0])}${escapeHtml(`predicted: ${name}`)}`, metric(f.predicted[i])),
      )
      const lo = f.lower?.[i]
      const hi = f.upper?.[i]
      if (
        level !== null &&
        lo !== undefined &&
        hi !== undefined &&
        !Number.isNaN(lo) &&
        !Number.isNaN(hi)
      )
        lines.push(row(`${dot(BAND_COLOR)}${intervalName(level)}`, `${metric(lo)} … ${metric(hi)}`))
    }
    // Other runs overlaid (and the run's own points when the window was not found).
    for (const p of shown) {
      if (at && /^(actual|predicted):(val|test)$/.test(p.seriesId ?? '')) continue
      if (level !== null && p.seriesName === intervalName(level)) continue
      lines.push(row(`${p.marker ?? ''}${escapeHtml(p.seriesName ?? '')}`, metric(p.value[1])))
    }
    return lines.join('')
  }
}

/**
 * Dots as large as the points allow: 2 px keeps tens of thousands of residuals apart, but under
 * the 32 residuals of a monthly run (or the 16 of a 40-row file) they were specks no one saw.
 */
export function residualSymbolSize(points: number): number {
  return points <= 300 ? 6 : points <= 3000 ? 4 : 2
}

export function residualsOption(
  splits: Partial<Record<ForecastSplit, Forecast>>,
  step: number,
  timeStyle: TimeStyle | null = null,
): ChartOption {
  const time = hasTime(splits)
  const xy = stepSeries(splits, step, 'residual')
  return {
    animation: false,
    useUTC: true,
    grid: { left: 60, right: 20, top: 36, bottom: 60 },
    tooltip: { trigger: 'item', valueFormatter: (v: unknown) => metric(v as number) },
    xAxis: xAxisOf(time, timeStyle),
    yAxis: {
      type: 'value',
      scale: true,
      name: 'actual − predicted',
      nameTextStyle: { align: 'left' },
      ...AXIS_STYLE,
    },
    dataZoom: [
      { type: 'inside', filterMode: 'filter' },
      { type: 'slider', filterMode: 'filter', bottom: 10, height: 20, showDataShadow: false },
    ],
    series: [
      {
        type: 'scatter',
        name: 'residual',
        data: xy as unknown as number[],
        dimensions: ['x', 'y'],
        encode: { x: 0, y: 1 },
        symbolSize: residualSymbolSize(xy.length / 2),
        large: true,
        largeThreshold: 2000,
        itemStyle: { color: 'rgba(37, 99, 235, 0.45)' },
        markLine: {
          silent: true,
          symbol: 'none',
          lineStyle: { color: '#0f172a' },
          label: { show: false },
          data: [{ yAxis: 0 }],
        },
      },
    ],
  }
}

export function histogramOption(
  splits: Partial<Record<ForecastSplit, Forecast>>,
  step: number,
): ChartOption {
  const xy = stepSeries(splits, step, 'residual')
  const values = new Float64Array(xy.length / 2)
  for (let i = 0; i < values.length; i++) values[i] = xy[2 * i + 1]
  const { edges, counts } = niceHistogram(values)
  const width = edges.length > 1 ? edges[1] - edges[0] : 1
  return {
    animation: false,
    grid: { left: 56, right: 20, top: 36, bottom: 40 },
    tooltip: {
      trigger: 'item',
      formatter: (p: unknown) => {
        const i = (p as { dataIndex: number }).dataIndex
        return `${metric(edges[i])} … ${metric(edges[i + 1])}: ${counts[i].toLocaleString('en-US')} windows`
      },
    },
    // A value axis with bars on the bin centres: its ticks are round numbers at their true
    // place (category labels were bin centres such as "-11, -7, -2, 2, 6").
    xAxis: {
      type: 'value',
      min: edges[0],
      max: edges[edges.length - 1],
      name: 'residual',
      nameLocation: 'middle',
      nameGap: 26,
      ...AXIS_STYLE,
      // The outer edges are the bins' ends (-11 next to -5): only the round ticks are labelled.
      axisLabel: { ...AXIS_STYLE.axisLabel, showMinLabel: false, showMaxLabel: false },
      splitLine: { show: false },
    },
    yAxis: { type: 'value', name: 'windows', minInterval: 1, ...AXIS_STYLE },
    series: [
      {
        type: 'bar',
        name: 'windows',
        data: counts.map((c, i) => [edges[i] + width / 2, c]),
        barWidth: '92%',
        itemStyle: { color: '#2563eb' },
      },
    ],
  }
}

/**
 * The last `context` rows of the target, then the forecast after the data. `rowOffset` is the
 * dataset row of `target.values[0]` when only the end of the column is given.
 */
export function futureOption(
  future: FutureForecast,
  target: { name: string; values: ArrayLike<number> },
  time: ArrayLike<number> | null,
  context: number,
  rowOffset = 0,
  level: number | null = null,
  timeStyle: TimeStyle | null = null,
): ChartOption {
  const n = target.values.length
  const from = Math.max(0, n - context)
  const history: [number, number][] = []
  for (let r = from; r < n; r++) history.push([time ? time[r] : rowOffset + r, target.values[r]])
  const H = future.horizon
  const times =
    future.timestamps && future.timestamps.length === future.predicted.length
      ? future.timestamps
      : null
  const rows = future.rowIndex.length === future.predicted.length ? future.rowIndex : null
  const forecast: [number, number][] = []
  for (let i = 0; i < future.predicted.length; i++) {
    const x = time && times ? times[i] : rows ? rows[i] : rowOffset + n + i
    forecast.push([x, future.predicted[i]])
  }
  const useTime = !!(time && times)
  const end = history[history.length - 1]
  // The interval of each step as a vertical bar from lower to upper, NaN between steps.
  const whiskers: [number, number][] = []
  if (level !== null && future.lower && future.upper) {
    // An unbounded side runs to the edge of what the chart draws, as the Results band does.
    const edge = bandEdge({
      actual: history.map((p) => p[1]),
      predicted: future.predicted,
      lower: future.lower,
      upper: future.upper,
    })
    forecast.forEach(([x], i) => {
      const lo = future.lower![i] === -Infinity ? (edge?.min ?? NaN) : future.lower![i]
      const hi = future.upper![i] === Infinity ? (edge?.max ?? NaN) : future.upper![i]
      if (Number.isFinite(lo) && Number.isFinite(hi)) whiskers.push([x, lo], [x, hi], [NaN, NaN])
    })
  }
  return {
    animation: false,
    useUTC: true,
    grid: { left: 60, right: 24, top: 36, bottom: 40 },
    legend: { top: 0, textStyle: { fontSize: 12 } },
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => metric(v as number) },
    xAxis: xAxisOf(useTime, timeStyle),
    yAxis: {
      type: 'value',
      scale: true,
      name: target.name,
      nameTextStyle: { align: 'left' },
      ...AXIS_STYLE,
      ...(whiskers.length && isUnbounded(future) ? FRAME_AT_EDGE : {}),
    },
    series: [
      {
        type: 'line',
        name: 'history',
        data: history,
        showSymbol: false,
        sampling: 'lttb',
        lineStyle: { width: 1, color: '#64748b' },
        itemStyle: { color: '#64748b' },
        markLine: end
          ? {
              silent: true,
              symbol: 'none',
              lineStyle: { color: '#94a3b8', type: 'dashed' },
              label: { formatter: 'end of data', color: '#475569' },
              data: [{ xAxis: end[0] }],
            }
          : undefined,
      },
      {
        // Not joined to the history: the forecast is for rows after a gap (the delay).
        type: H > 1 ? 'line' : 'scatter',
        name: H > 1 ? `forecast (${H} steps)` : 'forecast',
        // Above the history's end-of-data line, so its value label is not crossed by it.
        z: 5,
        data: forecast,
        symbol: 'circle',
        symbolSize: 9,
        lineStyle: { width: 2, color: '#dc2626' },
        itemStyle: { color: '#dc2626' },
        label:
          H > 1
            ? undefined
            : {
                show: true,
                position: 'top',
                // Ending at the dot, which sits at the chart's right edge: centred, the
                // interval's line ran off the canvas ("90 % interval: 4.51…").
                align: 'right',
                // On a white ground: the end-of-data line a step to the left ran through it.
                backgroundColor: 'rgba(255, 255, 255, 0.9)',
                padding: [1, 3],
                // With its interval when finite, on one line: at a few % of the axis the whisker
                // hides behind the dot, and the legend named an interval no one could read.
                formatter: (p: unknown) => {
                  const value = metric((p as { value: [number, number] }).value[1])
                  const [lo, hi] = [future.lower?.[0], future.upper?.[0]]
                  return level !== null && Number.isFinite(lo) && Number.isFinite(hi)
                    ? `${value} (${intervalName(level)} ${metric(lo!)} … ${metric(hi!)})`
                    : value
                },
              },
      },
      ...(whiskers.length
        ? [
            {
              type: 'line' as const,
              name: intervalName(level!),
              data: whiskers,
              showSymbol: false,
              connectNulls: false,
              lineStyle: { width: 8, color: 'rgba(220, 38, 38, 0.25)', cap: 'butt' as const },
              itemStyle: { color: 'rgba(220, 38, 38, 0.4)' },
              tooltip: { show: false },
              silent: true,
            },
          ]
        : []),
    ],
  }
}

/**
 * Actual vs predicted of a model's forecast of a whole dataset (`model:predict`): every window,
 * one line each, with the same zoom as the Results chart (no split boundary: there are none).
 */
export function predictionOption(
  name: string,
  forecast: Forecast,
  step: number,
  level: number | null = null,
  timeStyle: TimeStyle | null = null,
  /** Each window's forecast origin: a multi-step forecast's tooltip names it, as in Results. */
  origins: ForecastOrigins | null = null,
): ChartOption {
  return actualVsPredictedOption(name, { val: forecast }, step, [], level, timeStyle, null, origins)
}

/**
 * "90 % interval (split conformal): covers 88.1 % of 1,200 targets, mean width 12.35", from the
 * forecast's own bands; null when it has none.
 */
export function coverageText(
  f: Forecast | undefined,
  level: number,
  method: IntervalMethod = 'split',
): string | null {
  if (!f?.lower || !f.upper) return null
  const c = intervalCoverage(f.actual, f.lower, f.upper)
  if (c.n === 0) return null
  const width = widthPhrase({ width: c.meanWidth, n: c.n, unbounded: c.unbounded }, metric)
  return `${intervalName(level)} (${methodName(method)}): covers ${percent(c.coverage * 100)} of ${c.n.toLocaleString('en-US')} targets, ${width}`
}

/**
 * coverageText for one split of a run. The validation bands of the conformal methods are split
 * conformal and calibrated on those same windows (ACI adapts along the test split only), so
 * their line names that method and says so: its coverage is at least the level by construction,
 * and only the test line is an honest figure.
 */
export function splitCoverageText(
  f: Forecast | undefined,
  split: 'val' | 'test',
  level: number,
  method: IntervalMethod,
): string | null {
  const calibratedHere = split === 'val' && method !== 'model'
  const text = coverageText(f, level, calibratedHere ? 'split' : method)
  return text && calibratedHere ? `${text} (calibrated on these windows)` : text
}

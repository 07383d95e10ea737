/**
 * How a dataset's timestamps are written on screen and in exports (`datasetTimeStyle` of
 * src/shared/series/time-axis): read once per dataset object, since the cadence needs a pass over
 * the time column.
 */
import type { Dataset } from '@shared/series/dataset'
import { datasetTimeStyle as styleOf } from '@shared/series/time-axis'
import { DEFAULT_TIME_STYLE, formatTimestamp, type TimeStyle } from '@shared/format'
import { decimalYearLabel } from '../charts/decimal-year-axis'

const cache = new WeakMap<Dataset, TimeStyle>()

export function datasetTimeStyle(dataset: Dataset | null | undefined): TimeStyle {
  if (!dataset) return DEFAULT_TIME_STYLE
  const known = cache.get(dataset)
  if (known) return known
  const style = styleOf(dataset)
  cache.set(dataset, style)
  return style
}

/** A time (or, without a time axis, a row number) under a chart's pointer. */
export function pointLabel(x: number, style: TimeStyle | null): string {
  if (!style) return Number.isFinite(x) ? `row ${Math.round(x).toLocaleString('en-US')}` : '—'
  return formatTimestamp(x, style)
}

/**
 * Axis labels for a time axis in decimal years (ECharts would print calendar dates); undefined
 * keeps ECharts' own calendar labels. The label marks the axis for round decimal-year ticks of
 * one precision (charts/decimal-year-axis), which EChart.vue sets after each render.
 */
export function timeAxisLabel(style: TimeStyle | null): ((v: number) => string) | undefined {
  if (style?.kind === 'time-of-year') return timeOfYearLabel
  if (!style || style.kind !== 'decimal-year') return undefined
  return decimalYearLabel(2)
}

const DAY_MS = 86_400_000

/**
 * A tick of a year-less axis (NOAA normals' "01-01T01:00:00"): "Jan 5" at midnight, "Jan 5 06:00"
 * otherwise. ECharts' calendar labels would print the stand-in year the times are read in.
 */
function timeOfYearLabel(v: number): string {
  const midnight = ((v % DAY_MS) + DAY_MS) % DAY_MS === 0
  return formatTimestamp(v, { kind: 'time-of-year', precision: midnight ? 'day' : 'minute' })
}

/**
 * The x-axis settings that write times in the dataset's style: tick labels (decimal years and
 * year-less times; ECharts' calendar ticks fit the rest) and the pointer label, which is also the axis tooltip's
 * heading (ECharts would print "2013-09-15 00:00" for daily data).
 */
export function timeAxisText(style: TimeStyle | null, time: boolean): Record<string, unknown> {
  if (!time)
    return {
      axisPointer: { label: { formatter: (p: { value: number }) => pointLabel(p.value, null) } },
    }
  const s = style ?? DEFAULT_TIME_STYLE
  return {
    axisPointer: { label: { formatter: (p: { value: number }) => pointLabel(p.value, s) } },
    ...(timeAxisLabel(s) ? { axisLabel: { formatter: timeAxisLabel(s) } } : {}),
  }
}

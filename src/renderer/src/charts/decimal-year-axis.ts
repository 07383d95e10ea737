/**
 * Tick labels of a time axis for a file whose time column is a decimal year (R's
 * `1991.49615384615`). ECharts places time-axis ticks on calendar units (month starts, Jan 1),
 * which as decimal years read "1991.5, 1991.66, 1991.75" — one axis, mixed precision. Here the
 * ticks sit on round decimal years instead, one step for the whole axis (…, 0.1, 0.2, 0.5, 1, 2,
 * 5, …) chosen from the visible span and the axis width, and every label is written with the
 * decimals of that step: "1991.5, 1991.6, 1991.7" or "1992, 1993, 1994".
 *
 * The axes stay in epoch ms (tooltips, zoom and mark lines are unchanged); the ticks are set
 * as the axis' `customValues` for its current extent, again after each zoom or resize
 * (`syncDecimalYearTicks`), since ECharts has no way to pick ticks on a scale of its own.
 */
import { decimalYearToMs } from '@shared/series/calendar'
import { msToDecimalYear } from '@shared/format'
import type { EChartsType } from './echarts'

export interface DecimalYearTicks {
  /** Epoch ms of each tick, ascending. */
  values: number[]
  /** The decimal year of each tick, all with `decimals` decimals. */
  labels: string[]
  decimals: number
}

/** Below a millionth of a year (~32 s) a decimal-year label says nothing more. */
const MIN_STEP = 1e-6

/**
 * Round decimal years between `from` and `to` (epoch ms), at most `maxTicks` of them: the
 * smallest step of 1, 2 or 5 × 10^k years that keeps within the count.
 */
export function decimalYearTicks(from: number, to: number, maxTicks: number): DecimalYearTicks {
  if (!Number.isFinite(from) || !Number.isFinite(to) || to < from)
    return { values: [], labels: [], decimals: 0 }
  const y0 = msToDecimalYear(from)
  const y1 = msToDecimalYear(to)
  const step = niceStep(Math.max((y1 - y0) / Math.max(1, maxTicks), MIN_STEP))
  const decimals = decimalsOf(step)
  const values: number[] = []
  const labels: string[] = []
  // Whole multiples of the step (k·step), written at the step's decimals: no float noise.
  const first = Math.ceil(y0 / step - 1e-9)
  const last = Math.floor(y1 / step + 1e-9)
  for (let k = first; k <= last; k++) {
    const label = (k * step).toFixed(decimals)
    const year = Number(label)
    const t = decimalYearToMs(year)
    if (t < from - 1 || t > to + 1) continue
    values.push(t)
    labels.push(label)
  }
  return { values, labels, decimals }
}

/** The smallest 1, 2 or 5 × 10^k at or above `raw`. */
export function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw))
  for (const m of [1, 2, 5, 10]) {
    const step = Number((m * p).toPrecision(12))
    if (step >= raw * (1 - 1e-12)) return step
  }
  return 10 * p
}

/** Decimals that write every multiple of `step` exactly: 0 for 1, 2, 5…; 1 for 0.5; 2 for 0.05. */
export function decimalsOf(step: number): number {
  return step >= 1 ? 0 : Math.ceil(-Math.log10(step) - 1e-9)
}

/** Axis labels marked as decimal years, so the chart knows which axes to give ticks. */
const marked = new WeakSet<(v: number) => string>()

/** The label of a decimal-year tick, at `decimals` decimals (one count for the whole axis). */
export function decimalYearLabel(decimals: number): (v: number) => string {
  const format = (v: number) => msToDecimalYear(v).toFixed(decimals)
  marked.add(format)
  return format
}

/** Rough pixels per label ("1991.55" and the gap to the next): sets how many ticks fit. */
const PX_PER_TICK = 80

/** The parts of ECharts' model read here (public on the instance, untyped in its API). */
interface AxisModelLike {
  get(path: string[]): unknown
  axis?: { scale: { getExtent(): [number, number] }; getExtent(): [number, number] }
}
interface ModelLike {
  eachComponent(type: string, cb: (model: AxisModelLike, index: number) => void): void
}

/**
 * Sets round decimal-year ticks on every x axis labelled by `decimalYearLabel`, for the range it
 * shows now; a no-op when they are already the right ones (so it can run after every render).
 */
export function syncDecimalYearTicks(chart: EChartsType): void {
  if (chart.isDisposed()) return
  const model = (chart as unknown as { getModel(): ModelLike | null }).getModel()
  if (!model) return
  const update: Record<string, unknown>[] = []
  let changed = false
  model.eachComponent('xAxis', (axisModel, index) => {
    update[index] = {}
    const formatter = axisModel.get(['axisLabel', 'formatter'])
    const axis = axisModel.axis
    if (typeof formatter !== 'function' || !marked.has(formatter as never) || !axis) return
    const [from, to] = axis.scale.getExtent()
    const [p0, p1] = axis.getExtent()
    const ticks = decimalYearTicks(
      from,
      to,
      Math.max(2, Math.floor(Math.abs(p1 - p0) / PX_PER_TICK)),
    )
    const current = axisModel.get(['axisLabel', 'customValues'])
    if (Array.isArray(current) && sameValues(current as number[], ticks.values)) return
    changed = true
    update[index] = {
      axisLabel: { customValues: ticks.values, formatter: decimalYearLabel(ticks.decimals) },
      axisTick: { customValues: ticks.values },
    }
  })
  if (changed) chart.setOption({ xAxis: Array.from(update, (u) => u ?? {}) }, { lazyUpdate: false })
}

function sameValues(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i])
}

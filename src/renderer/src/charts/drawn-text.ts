/**
 * The text a chart draws on its canvas, read back from ECharts' scene (zrender elements), so tests
 * and assistive tools can check what a person reads: the x-axis tick labels, and any label that
 * runs off the canvas or onto another label (a clipped or colliding label reads as garbage).
 */
import type { EChartsType } from './echarts'

/** The parts of zrender's elements read here (public on the instance, untyped in its API). */
interface ElementLike {
  ignore?: boolean
  invisible?: boolean
  style?: { text?: unknown; opacity?: number }
  getTextContent?(): ElementLike | undefined
  childrenRef?(): ElementLike[]
  getBoundingRect(): RectLike
  getComputedTransform(): number[] | null
}
interface RectLike {
  x: number
  y: number
  width: number
  height: number
  clone(): RectLike
  applyTransform(m: number[] | null): void
}
interface AxisModelLike {
  get(path: string[]): unknown
  axis?: { getViewLabels?(): { formattedLabel: string }[] }
}

export interface DrawnText {
  text: string
  x: number
  y: number
  width: number
  height: number
}

/** Every visible text element, in canvas pixels. */
export function drawnTexts(chart: EChartsType): DrawnText[] {
  if (chart.isDisposed()) return []
  const zr = (chart as unknown as { getZr(): { storage: { getRoots(): ElementLike[] } } }).getZr()
  const seen = new Set<ElementLike>()
  const out: DrawnText[] = []
  const add = (text: string, el: ElementLike): void => {
    const r = el.getBoundingRect().clone()
    r.applyTransform(el.getComputedTransform())
    // ECharts may hold one label in two elements at one place (drawn once to the eye).
    const near = (a: number, b: number) => Math.abs(a - b) < 0.5
    if (!out.some((t) => t.text === text && near(t.x, r.x) && near(t.y, r.y)))
      out.push({ text, x: r.x, y: r.y, width: r.width, height: r.height })
  }
  const walk = (el: ElementLike): void => {
    if (seen.has(el) || el.ignore || el.invisible) return
    seen.add(el)
    const text = el.style?.text
    if (typeof text === 'string') {
      // A text's children are the pieces it draws itself as (spans, its backing box).
      if (text.trim() && (el.style?.opacity ?? 1) > 0) add(text, el)
      return
    }
    const label = el.getTextContent?.()
    if (label) walk(label)
    for (const child of el.childrenRef?.() ?? []) walk(child)
  }
  for (const root of zr.storage.getRoots()) walk(root)
  return out
}

/** Pixels two labels may share (anti-aliased edges, ascenders) before they collide. */
const SLACK = 1

/**
 * Texts that leave the canvas or overlap another text: "naive val MAE 9.741 ✂ canvas",
 * "validation | test ✕ 1996.5".
 */
export function unreadableTexts(chart: EChartsType): string[] {
  const w = chart.getWidth()
  const h = chart.getHeight()
  const texts = drawnTexts(chart)
  const out: string[] = []
  texts.forEach((a, i) => {
    if (a.x < -SLACK || a.y < -SLACK || a.x + a.width > w + SLACK || a.y + a.height > h + SLACK)
      out.push(`${a.text} ✂ canvas`)
    for (const b of texts.slice(i + 1))
      if (
        a.x + a.width - SLACK > b.x &&
        b.x + b.width - SLACK > a.x &&
        a.y + a.height - SLACK > b.y &&
        b.y + b.height - SLACK > a.y
      )
        out.push(`${a.text} ✕ ${b.text}`)
  })
  return out
}

/**
 * The tick labels of the chart's x axes whose labels are shown, left to right ("1991.5|1991.6").
 */
export function xAxisLabels(chart: EChartsType): string[] {
  if (chart.isDisposed()) return []
  const model = (
    chart as unknown as {
      getModel(): { eachComponent(t: string, cb: (m: AxisModelLike) => void): void } | null
    }
  ).getModel()
  const out: string[] = []
  model?.eachComponent('xAxis', (axisModel) => {
    const axis = axisModel.axis
    if (!axis?.getViewLabels || axisModel.get(['axisLabel', 'show']) === false) return
    for (const l of axis.getViewLabels()) out.push(l.formattedLabel)
  })
  return out
}

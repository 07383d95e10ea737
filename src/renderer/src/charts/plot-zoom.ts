/**
 * Wheel zoom, drag pan and touch pinch on a chart's plots, as ECharts' inside dataZoom does
 * them, but only reporting the new window: the caller draws it (the Explore view, once per
 * animation frame, together with the matching level-of-detail slice, so each step costs one
 * chart update rather than ECharts' own render plus ours). Wheel and drag are taken before
 * zrender sees them (nothing else in such a chart uses them): the tooltip then updates once per
 * step, after the new data is drawn, and it is hidden while a drag pans (it comes back with the
 * next hover). The window arithmetic is in lib/explore (pure, unit-tested).
 */
import type { EChartsType } from './echarts'
import { panRange, wheelScale, zoomRange, type ZoomRange } from '../lib/explore'

export interface PlotZoomOptions {
  /** The full x extent of the data (what 0 % and 100 % are), or null when nothing is drawn. */
  extent: () => [number, number] | null
  /** The window shown now. */
  range: () => ZoomRange
  /** Asks for another window. */
  show: (next: ZoomRange) => void
}

/** The fields of zrender's events used below. */
interface ZrEvent {
  offsetX: number
  offsetY: number
  pinchScale?: number
  pinchX?: number
  pinchY?: number
  target?: unknown
}

export function attachPlotZoom(chart: EChartsType, options: PlotZoomOptions): void {
  const zr = chart.getZr()
  const dom = chart.getDom()
  const active = () => options.extent() !== null
  const inPlot = (x: number, y: number) => chart.containPixel({ gridIndex: 'all' }, [x, y])
  const local = (e: MouseEvent): [number, number] => {
    const box = dom.getBoundingClientRect()
    return [e.clientX - box.left, e.clientY - box.top]
  }
  /** Percent of the full extent at pixel column x. */
  const percentAt = (x: number): number => {
    const [lo, hi] = options.extent() ?? [0, 1]
    const v = chart.convertFromPixel({ xAxisIndex: 0 }, x) as number
    return hi > lo ? ((v - lo) / (hi - lo)) * 100 : 0
  }
  const zoomAt = (x: number, scale: number) => {
    if (scale !== 1) options.show(zoomRange(options.range(), percentAt(x), scale))
  }

  const capture = { capture: true, passive: false }
  dom.addEventListener(
    'wheel',
    (e: WheelEvent) => {
      const [x, y] = local(e)
      if (!active() || !inPlot(x, y)) return
      e.preventDefault()
      e.stopPropagation()
      zoomAt(x, wheelScale(e))
    },
    capture,
  )
  // Touch pinch: zrender's gesture.
  zr.on('pinch', (e: ZrEvent) => {
    if (!active() || !e.pinchScale || e.pinchX == null || !inPlot(e.pinchX, e.pinchY ?? 0)) return
    zoomAt(e.pinchX, e.pinchScale)
  })

  /** The pointer dragging, and where it was; a second touch (a pinch) ends the drag. */
  let drag: { id: number; x: number } | null = null
  const down = new Set<number>()
  dom.addEventListener(
    'pointerdown',
    (e: PointerEvent) => {
      down.add(e.pointerId)
      if (down.size > 1) drag = null
      const [x, y] = local(e)
      if (!active() || drag || down.size > 1 || e.button !== 0 || !inPlot(x, y)) return
      e.stopPropagation()
      if (e.pointerType !== 'touch') e.preventDefault()
      dom.setPointerCapture(e.pointerId)
      drag = { id: e.pointerId, x }
      chart.dispatchAction({ type: 'hideTip' })
      zr.setCursorStyle('grabbing')
    },
    capture,
  )
  dom.addEventListener(
    'pointermove',
    (e: PointerEvent) => {
      if (!drag || e.pointerId !== drag.id) return
      e.stopPropagation()
      e.preventDefault()
      const [x] = local(e)
      const delta = percentAt(drag.x) - percentAt(x)
      drag.x = x
      options.show(panRange(options.range(), delta))
    },
    capture,
  )
  const up = (e: PointerEvent) => {
    down.delete(e.pointerId)
    if (!drag || e.pointerId !== drag.id) return
    e.stopPropagation()
    drag = null
    zr.setCursorStyle('grab')
  }
  dom.addEventListener('pointerup', up, capture)
  dom.addEventListener('pointercancel', up, capture)
  // The hand over the plots, as over ECharts' inside zoom.
  zr.on('mousemove', (e: ZrEvent) => {
    if (!e.target && inPlot(e.offsetX, e.offsetY)) zr.setCursorStyle('grab')
  })
}

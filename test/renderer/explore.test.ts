import { describe, expect, it } from 'vitest'
import type { Dataset } from '../../src/shared/series/dataset'
import { ExploreData, panRange, wheelScale, zoomRange } from '../../src/renderer/src/lib/explore'

const MIN = 60_000

function dataset(rows: number): Dataset {
  return {
    name: 'x.csv',
    rowCount: rows,
    timeColumn: 'time',
    columns: [
      {
        name: 'time',
        kind: 'datetime',
        format: 'iso',
        values: new Float64Array(rows).map((_, i) => i * 10 * MIN),
      },
      { name: 'p', kind: 'numeric', values: new Float64Array(rows).map((_, i) => Math.sin(i)) },
      { name: 'T', kind: 'numeric', values: new Float64Array(rows).map((_, i) => Math.cos(i)) },
    ],
  }
}

describe('explore zoom arithmetic (as ECharts’ inside dataZoom)', () => {
  it('zooms around a point that stays put, within [0, 100]', () => {
    const [a, b] = zoomRange([0, 100], 50, 2)
    expect(a).toBeCloseTo(25)
    expect(b).toBeCloseTo(75)
    // Zooming out again restores the window.
    const back = zoomRange([a, b], 50, 0.5)
    expect(back[0]).toBeCloseTo(0)
    expect(back[1]).toBeCloseTo(100)
    // The point at 30 % keeps its place: a third of the way across before and after.
    const [c, d] = zoomRange([0, 90], 30, 1.5)
    expect((30 - c) / (d - c)).toBeCloseTo(30 / 90)
    // Zooming out past the data clamps to it.
    expect(zoomRange([10, 90], 20, 0.25)).toEqual([0, 100])
  })

  it('pans keeping the span, stopping at the ends', () => {
    expect(panRange([20, 40], 10)).toEqual([30, 50])
    expect(panRange([20, 40], -30)).toEqual([0, 20])
    expect(panRange([70, 90], 25)).toEqual([80, 100])
  })

  it('takes a wheel notch up as zooming in by ECharts’ factors', () => {
    expect(wheelScale({ wheelDelta: 120, deltaX: 0, deltaY: -100 })).toBe(1.1)
    expect(wheelScale({ wheelDelta: -240, deltaX: 0, deltaY: 200 })).toBeCloseTo(1 / 1.2)
    expect(wheelScale({ wheelDelta: 600, deltaX: 0, deltaY: -500 })).toBe(1.4)
    // Without wheelDelta: zrender's polyfill from deltaY.
    expect(wheelScale({ deltaX: 0, deltaY: 100 })).toBeCloseTo(1 / 1.2)
    expect(wheelScale({ deltaX: 0, deltaY: 0 })).toBe(1)
  })
})

describe('ExploreData', () => {
  const data = new ExploreData(dataset(50_000), ['p', 'T'])

  it('maps zoom windows to x ranges and back from dataZoom events', () => {
    const [lo, hi] = data.extent
    expect(data.valuesOf([0, 100])).toEqual([lo, hi])
    expect(data.valuesOf([25, 50])).toEqual([lo + (hi - lo) / 4, lo + (hi - lo) / 2])
    expect(data.percentOf({ start: 10, end: 20 })).toEqual([10, 20])
    expect(data.percentOf({ batch: [{ start: 5, end: 6 }] })).toEqual([5, 6])
    expect(data.percentOf({})).toEqual([0, 100])
  })

  it('hands ECharts a slider only (wheel and drag are the view’s) and a pointer layer', () => {
    const option = data.option(4800)!
    const zooms = option.dataZoom as { type: string }[]
    expect(zooms.map((z) => z.type)).toEqual(['slider'])
    expect((option.axisPointer as { zlevel?: number }).zlevel).toBe(1)
    expect((option.series as unknown[]).length).toBe(2)
  })

  it('slices a zoomed window at a finer level than the whole range', () => {
    const whole = data.slices(...data.valuesOf([0, 100]), 2000)[0]
    const zoomed = data.slices(...data.valuesOf([40, 41]), 2000)[0]
    const step = (s: Float64Array) => s[2] - s[0]
    expect(step(zoomed)).toBe(10 * MIN)
    expect(step(whole)).toBeGreaterThan(10 * MIN)
    // One point beyond each end of the window, so lines reach the plot's edges.
    const [from, to] = data.valuesOf([40, 41])
    expect(zoomed[0]).toBeLessThan(from)
    expect(zoomed[zoomed.length - 2]).toBeGreaterThan(to)
  })
})

describe('explore tooltip', () => {
  it('lists the columns in the order of their panels, top first, whatever order ECharts hands them', () => {
    const option = new ExploreData(dataset(100), ['p', 'T']).option(4800)!
    const format = (option.tooltip as { formatter: (p: unknown) => string }).formatter
    const html = format([
      { seriesName: 'T', seriesIndex: 1, marker: '', axisValue: 30 * MIN },
      { seriesName: 'p', seriesIndex: 0, marker: '', axisValue: 30 * MIN },
    ])
    // Row 3 (30 minutes at 10-minute rows): p = sin 3, T = cos 3.
    expect(html.split('<br>').slice(1)).toEqual([
      ` p <b>${Number(Math.sin(3).toPrecision(6))}</b>`,
      ` T <b>${Number(Math.cos(3).toPrecision(6))}</b>`,
    ])
  })
})

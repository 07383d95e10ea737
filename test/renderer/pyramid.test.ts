import { describe, expect, it } from 'vitest'
import { buildLevels, isAscending, lttb, visibleSlice } from '../../src/renderer/src/lib/pyramid'

const series = (n: number, f: (i: number) => number) => ({
  x: Float64Array.from({ length: n }, (_, i) => i * 10),
  y: Float64Array.from({ length: n }, (_, i) => f(i)),
})

describe('lttb', () => {
  it('keeps the first and last point and the extremes of a spiky series', () => {
    const { x, y } = series(10_000, (i) =>
      i === 4321 ? 100 : i === 7777 ? -50 : Math.sin(i / 100),
    )
    const d = lttb(x, y, 500)
    expect(d.x.length).toBe(500)
    expect([d.x[0], d.y[0]]).toEqual([x[0], y[0]])
    expect([d.x[499], d.y[499]]).toEqual([x[9999], y[9999]])
    expect(Array.from(d.y)).toContain(100)
    expect(Array.from(d.y)).toContain(-50)
    expect(isAscending(d.x)).toBe(true)
    // Every kept point is a point of the input.
    for (let k = 0; k < d.x.length; k++) expect(d.y[k]).toBe(y[d.x[k] / 10])
  })

  it('keeps a run of missing values as a gap', () => {
    const { x, y } = series(10_000, (i) => (i >= 5000 && i < 6000 ? NaN : 1))
    const d = lttb(x, y, 100)
    const gapPoints = Array.from(d.y).filter(Number.isNaN).length
    expect(gapPoints).toBeGreaterThanOrEqual(5)
    expect(d.y.filter((v) => !Number.isNaN(v)).every((v) => v === 1)).toBe(true)
  })

  it('returns short series unchanged', () => {
    const { x, y } = series(50, (i) => i)
    expect(lttb(x, y, 100).x).toBe(x)
  })
})

describe('levels of detail', () => {
  it('halves down to the minimum and slices the finest level that fits', () => {
    const { x, y } = series(420_451, (i) => Math.sin(i / 1000))
    const levels = buildLevels(x, y, 1000)
    expect(levels[0].x).toBe(x)
    expect(levels.map((l) => l.x.length)).toEqual([
      420_451, 210_226, 105_113, 52_557, 26_279, 13_140, 6_570, 3_285, 1_643,
    ])
    // The whole range at 4,800 points: the 3,285-point level.
    const all = visibleSlice(levels, x[0], x[x.length - 1], 4800)
    expect(all.length / 2).toBe(3285)
    // A zoom to rows 100,000…101,000: the full data, from one row before to one row after.
    const zoom = visibleSlice(levels, 100_000 * 10, 101_000 * 10, 4800)
    expect(zoom.length / 2).toBe(1003)
    expect(zoom[0]).toBe(99_999 * 10)
    expect(zoom[zoom.length - 2]).toBe(101_001 * 10)
    expect(zoom[1]).toBe(y[99_999])
    // 40,000 rows: the finest level with at most 4,800 points there.
    const mid = visibleSlice(levels, 0, 40_000 * 10, 4800)
    expect(mid.length / 2).toBeLessThanOrEqual(4800)
    expect(mid.length / 2).toBeGreaterThan(2400)
  })

  it('knows when an axis cannot be searched', () => {
    expect(isAscending(Float64Array.of(1, 2, 2, 3))).toBe(true)
    expect(isAscending(Float64Array.of(1, 3, 2))).toBe(false)
    expect(isAscending(Float64Array.of(1, NaN, 3))).toBe(false)
    expect(isAscending(Float64Array.of(NaN))).toBe(false)
  })
})

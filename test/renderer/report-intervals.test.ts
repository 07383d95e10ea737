/**
 * The HTML report's intervals: the band on the forecast chart (its corners where the chart's
 * frame puts them: the highest upper bound on the top edge, the lowest lower bound on the bottom
 * edge), an unbounded interval breaking the band, a short future (one step ahead: one point) as
 * a marker with an error bar, and the coverage / mean width table per split with the level and
 * the method named.
 */
import { describe, expect, it } from 'vitest'
import { bandSvg, intervalsSection } from '../../src/renderer/src/lib/report-intervals'
import { FUTURE_MARKERS, forecastSvg } from '../../src/renderer/src/lib/report'
import type { RunIntervals } from '../../src/shared/forecast/intervals'

const intervals: RunIntervals = {
  level: 0.9,
  method: 'aci',
  radius: [1],
  samples: [20],
  futureRadius: [1],
  coverage: {
    val: { coverage: 0.95, width: 2, n: 20 },
    test: { coverage: 2 / 3, width: 2.5, n: 3 },
  },
  grid: [],
  note: null,
}

describe('report intervals', () => {
  it('draws a test split of 200,000 windows (a run with stride 1 on a large file)', () => {
    const n = 200_000
    const rows = Int32Array.from({ length: n }, (_, i) => i)
    const v = Float64Array.from(rows, (i) => Math.sin(i / 100))
    const svg = forecastSvg(
      {
        horizon: 1,
        rowIndex: rows,
        timestamps: null,
        actual: v,
        predicted: v,
        lower: v.map((x) => x - 1),
        upper: v.map((x) => x + 1),
      },
      null,
      null,
    )
    expect(svg).toContain('<svg')
    expect(svg).toContain('row 199,999')
  })

  it('draws the band under the lines, its extremes on the frame of the chart', () => {
    const test = {
      horizon: 1,
      rowIndex: Int32Array.of(10, 11, 12),
      timestamps: null,
      actual: Float64Array.of(4, 5, 6),
      predicted: Float64Array.of(4.5, 5.5, 5.5),
      lower: Float64Array.of(0, 3, 4),
      upper: Float64Array.of(6, 8, 10),
    }
    const svg = forecastSvg(test, null, null, 760, 260, '90 % split conformal interval')
    // y range [0, 10] (the band's), frame from y = 24 (top pad) to 260 − 34 = 226.
    const polygon = svg.match(/<polygon class="band"[^>]*points="([^"]+)"/)![1].split(' ')
    expect(polygon).toHaveLength(6)
    // x from row 10 (x = 64) to row 12 (x = 760 − 16 = 744); upper first, then lower backwards.
    expect(polygon).toEqual([
      '64.0,104.8', // 24 + (1 − 6/10) · 202
      '404.0,64.4',
      '744.0,24.0',
      '744.0,145.2',
      '404.0,165.4',
      '64.0,226.0',
    ])
    expect(svg.indexOf('<polygon')).toBeLessThan(svg.indexOf('<polyline'))
    expect(svg).toContain('■ 90 % split conformal interval')
  })

  it('a one-point future is a marker with its interval as an error bar, not an invisible line', () => {
    const test = {
      horizon: 1,
      rowIndex: Int32Array.of(10, 11, 12),
      timestamps: null,
      actual: Float64Array.of(4, 5, 6),
      predicted: Float64Array.of(4.5, 5.5, 5.5),
      lower: Float64Array.of(0, 3, 4),
      upper: Float64Array.of(6, 8, 10),
    }
    const future = {
      horizon: 1,
      fromRow: 12,
      rowIndex: Int32Array.of(13),
      timestamps: null,
      predicted: Float64Array.of(7),
      lower: Float64Array.of(5),
      upper: Float64Array.of(9),
    }
    const svg = forecastSvg(test, future, null, 760, 260, '90 % adaptive conformal interval')
    // x: rows 10 … 13 over 64 … 744; y: [0, 10] over 226 … 24, so v ↦ 24 + (1 − v/10) · 202.
    expect(svg).toContain('<circle class="future-marker" cx="744.0" cy="84.6"')
    expect(svg).toContain('<line class="error-bar" x1="744.0" x2="744.0" y1="44.2" y2="125.0"')
    expect(svg.match(/class="error-cap"/g)).toHaveLength(2)
    // The test band stops at the last test row (x = 517.3): it does not run out to the future.
    const xs = [...svg.matchAll(/<polygon class="band"[^>]*points="([^"]+)"/g)].flatMap((m) =>
      m[1].split(' ').map((p) => Number(p.split(',')[0])),
    )
    expect(Math.max(...xs)).toBeCloseTo(517.3, 1)
    expect(svg).toContain('■ forecast after the data')

    // Unbounded: the bar runs to the frame (y 24 … 226).
    const open = forecastSvg(
      test,
      { ...future, lower: Float64Array.of(-Infinity), upper: Float64Array.of(Infinity) },
      null,
    )
    expect(open).toContain('<line class="error-bar" x1="744.0" x2="744.0" y1="24.0" y2="226.0"')
    expect(open).not.toContain('Infinity')

    // A long future (more than FUTURE_MARKERS points) keeps its line over its own band.
    const n = FUTURE_MARKERS + 1
    const long = forecastSvg(
      test,
      {
        horizon: n,
        fromRow: 12,
        rowIndex: Int32Array.from({ length: n }, (_, i) => 13 + i),
        timestamps: null,
        predicted: new Float64Array(n).fill(7),
        lower: new Float64Array(n).fill(5),
        upper: new Float64Array(n).fill(9),
      },
      null,
    )
    expect(long).not.toContain('future-marker')
    expect(long.match(/<polygon class="band"/g)).toHaveLength(2)
  })

  it('the test band and the future band are two polygons, not one across the rows between', () => {
    const test = {
      horizon: 1,
      rowIndex: Int32Array.of(10, 11),
      timestamps: null,
      actual: Float64Array.of(4, 5),
      predicted: Float64Array.of(4.5, 5.5),
      lower: Float64Array.of(3, 4),
      upper: Float64Array.of(6, 7),
    }
    const future = {
      // More points than FUTURE_MARKERS: drawn as a line over its own band.
      horizon: FUTURE_MARKERS + 1,
      fromRow: 20,
      rowIndex: Int32Array.from({ length: FUTURE_MARKERS + 1 }, (_, i) => 20 + i),
      timestamps: null,
      predicted: new Float64Array(FUTURE_MARKERS + 1).fill(6),
      lower: new Float64Array(FUTURE_MARKERS + 1).fill(2),
      upper: new Float64Array(FUTURE_MARKERS + 1).fill(10),
    }
    const svg = forecastSvg(test, future, null, 760, 260, '90 % interval')
    const polygons = [...svg.matchAll(/<polygon class="band"[^>]*points="([^"]+)"/g)]
    expect(polygons).toHaveLength(2)
    // x from row 10 (64) to row 32 (744): the test band ends at row 11, the future's starts at 20
    const xs = (k: number) => polygons[k][1].split(' ').map((p) => Number(p.split(',')[0]))
    expect(Math.max(...xs(0))).toBeCloseTo(64 + (1 / 22) * 680, 1)
    expect(Math.min(...xs(1))).toBeCloseTo(64 + (10 / 22) * 680, 1)
  })

  it('an unbounded side runs to where Y puts ±∞ (the frame); a missing bound breaks the band', () => {
    const X = (v: number) => v.toFixed(1)
    // the report's Y clamps ±∞ to the frame, here 10 and −10
    const Y = (v: number) => (v === Infinity ? 10 : v === -Infinity ? -10 : v).toFixed(1)
    const pts = [0, 1, 2, 3, 4].map((x) => ({ x, lower: x - 1, upper: x + 1 }))
    pts[2] = { x: 2, lower: -Infinity, upper: Infinity }
    const one = bandSvg(pts, X, Y, '#000')
    expect(one.match(/<polygon/g)).toHaveLength(1)
    // top 0,1 1,2 2,10 3,4 4,5 then the bottom back: 4,3 3,2 2,-10 1,0 0,-1
    expect(one).toContain(
      'points="0.0,1.0 1.0,2.0 2.0,10.0 3.0,4.0 4.0,5.0 4.0,3.0 3.0,2.0 2.0,-10.0 1.0,0.0 0.0,-1.0"',
    )
    pts[2] = { x: 2, lower: NaN, upper: 3 }
    expect(bandSvg(pts, X, Y, '#000').match(/<polygon/g)).toHaveLength(2)
    expect(bandSvg([], X, Y, '#000')).toBe('')
  })

  it('lists coverage and mean width per split, with the level and the method', () => {
    const html = intervalsSection(intervals)
    expect(html).toContain('90 % intervals, adaptive conformal')
    expect(html).toContain('<tr><th>Validation</th><td>95.0 %</td><td>2</td><td>20</td></tr>')
    expect(html).toContain('<tr><th>Test</th><td>66.7 %</td><td>2.5</td><td>3</td></tr>')
    expect(intervalsSection(null)).toBe('')
    const unbounded = intervalsSection({
      ...intervals,
      coverage: { test: { coverage: 1, width: Infinity, n: 3 } },
    })
    expect(unbounded).toContain('<td>100.0 %</td><td>unbounded</td>')
  })
})

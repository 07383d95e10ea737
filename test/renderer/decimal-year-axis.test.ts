/**
 * Ticks of a decimal-year time axis (issue #12: "1991.7" next to "1991.74" on one axis): round
 * decimal years at one step, every label with that step's decimals. Expected ticks are worked out
 * by hand from the span and the tick budget; the last case renders a real ECharts chart (SVG,
 * server-side) and reads the labels it draws.
 */
import { describe, expect, it } from 'vitest'
import * as echarts from 'echarts'
import {
  decimalYearLabel,
  decimalYearTicks,
  decimalsOf,
  niceStep,
  syncDecimalYearTicks,
} from '../../src/renderer/src/charts/decimal-year-axis'
import { decimalYearToMs } from '../../src/shared/series/calendar'

const at = decimalYearToMs

describe('decimalYearTicks', () => {
  // R's EuStockMarkets: 1991.49615384615 … 1998.64615384615 (260 rows a year).
  const from = at(1991.49615384615)
  const to = at(1998.64615384615)

  it('whole years when ten ticks fit a 7.15-year span (step 0.715 → 1)', () => {
    const t = decimalYearTicks(from, to, 10)
    expect(t.labels).toEqual(['1992', '1993', '1994', '1995', '1996', '1997', '1998'])
    expect(t.decimals).toBe(0)
    expect(t.values).toEqual([1992, 1993, 1994, 1995, 1996, 1997, 1998].map((y) => at(y)))
  })

  it('half years, each with one decimal, when sixteen fit (0.447 → 0.5)', () => {
    const t = decimalYearTicks(from, to, 16)
    expect(t.labels).toEqual([
      '1991.5',
      '1992.0',
      '1992.5',
      '1993.0',
      '1993.5',
      '1994.0',
      '1994.5',
      '1995.0',
      '1995.5',
      '1996.0',
      '1996.5',
      '1997.0',
      '1997.5',
      '1998.0',
      '1998.5',
    ])
    expect(t.decimals).toBe(1)
  })

  it('tenths on a zoomed span, 1991.62 … 1992.31 with eight ticks (0.086 → 0.1)', () => {
    const t = decimalYearTicks(at(1991.62), at(1992.31), 8)
    expect(t.labels).toEqual(['1991.7', '1991.8', '1991.9', '1992.0', '1992.1', '1992.2', '1992.3'])
    // Each tick sits where its label says (the same conversion as the data's time column).
    expect(t.values).toEqual(t.labels.map((l) => at(Number(l))))
  })

  it('hundredths within a few weeks, 1995.101 … 1995.137 with five ticks (0.0072 → 0.01)', () => {
    const t = decimalYearTicks(at(1995.101), at(1995.137), 5)
    expect(t.labels).toEqual(['1995.11', '1995.12', '1995.13'])
    expect(t.decimals).toBe(2)
  })

  it('the axis label of each tick writes the same text (one precision, no float noise)', () => {
    for (const max of [3, 6, 12, 40]) {
      const t = decimalYearTicks(at(1991.62), at(1992.31), max)
      const label = decimalYearLabel(t.decimals)
      expect(t.values.map(label)).toEqual(t.labels)
      const decimals = new Set(t.labels.map((l) => (l.split('.')[1] ?? '').length))
      expect([...decimals]).toEqual([t.decimals])
    }
  })

  it('no ticks for an empty or reversed range', () => {
    expect(decimalYearTicks(NaN, to, 5).values).toEqual([])
    expect(decimalYearTicks(to, from, 5).values).toEqual([])
  })
})

describe('niceStep and decimalsOf', () => {
  it('rounds up to 1, 2 or 5 × 10^k', () => {
    expect([0.715, 0.447, 0.08625, 0.15, 3, 7, 1, 0.0072].map(niceStep)).toEqual([
      1, 0.5, 0.1, 0.2, 5, 10, 1, 0.01,
    ])
  })
  it('writes every multiple of the step exactly', () => {
    expect([1, 5, 10, 0.5, 0.2, 0.1, 0.05, 0.001].map(decimalsOf)).toEqual([0, 0, 0, 1, 1, 1, 2, 3])
  })
})

describe('syncDecimalYearTicks on a rendered chart', () => {
  /** The x-axis labels ECharts draws (SVG text), left to right. */
  function xLabels(chart: echarts.ECharts): string[] {
    const svg = chart.renderToSVGString()
    return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)]
      .map((m) => m[1])
      .filter((s) => /^\d{4}(\.\d+)?$/.test(s))
  }

  it('replaces calendar ticks (mixed decimals) with round decimal years of one precision', () => {
    const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 800, height: 300 })
    const data: [number, number][] = []
    for (let k = 0; k <= 180; k++) data.push([at(1991.49615384615 + k / 260), Math.sin(k / 9)])
    chart.setOption({
      animation: false,
      useUTC: true,
      xAxis: {
        type: 'time',
        min: 'dataMin',
        max: 'dataMax',
        axisLabel: { formatter: decimalYearLabel(2) },
      },
      yAxis: { type: 'value', axisLabel: { show: false } },
      series: [{ type: 'line', data, showSymbol: false }],
    })
    // ECharts' own ticks: month starts, not round decimal years (Aug 1 = 212 / 365 = 0.5808).
    const before = xLabels(chart)
    expect(before).toContain('1991.58')

    syncDecimalYearTicks(chart as unknown as Parameters<typeof syncDecimalYearTicks>[0])
    const after = xLabels(chart)
    // 1991.496 … 1992.188 on ~720 px: 9 ticks fit, step 0.1.
    expect(after).toEqual(['1991.5', '1991.6', '1991.7', '1991.8', '1991.9', '1992.0', '1992.1'])
    chart.dispose()
  })
})

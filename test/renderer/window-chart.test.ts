/**
 * The Experiment view's window chart: "window", "gap" and "target" never share a band, and a
 * word is only written on an area wide enough for it (issue #12 item 19: they overlapped at
 * delay 1, L 5 and at delay 858, L 120). Rows are laid out by hand as sampleRows does.
 */
import { describe, expect, it } from 'vitest'
import type { SampleRows } from '../../src/renderer/src/lib/experiment'
import { windowChartOption } from '../../src/renderer/src/lib/window-chart'

function sample(start: number, L: number, R: number, delay: number): SampleRows {
  const windowRows = Array.from({ length: L }, (_, j) => start + j * R)
  const targetRows = [start + delay]
  const margin = Math.max(3, Math.round(delay * 0.08))
  return {
    split: 'train',
    index: 0,
    count: 1,
    start,
    windowRows,
    targetRows,
    from: start - margin,
    to: start + delay + margin,
  }
}

interface Area {
  xAxis: number
  label?: { show: boolean; position: string; formatter: string }
}

function labels(s: SampleRows) {
  const values = Array.from({ length: s.to + 10 }, (_, i) => Math.sin(i))
  const option = windowChartOption(s, { name: 'T', values }, null) as {
    series: { markArea?: { data: [Area, Area][] }; markLine?: { label: { position: string } } }[]
  }
  const areas = option.series[0].markArea!.data.map(([a, b]) => ({
    word: a.label!.formatter,
    shown: a.label!.show,
    position: a.label!.position,
    from: a.xAxis,
    to: b.xAxis,
  }))
  return { areas, target: option.series[2].markLine!.label.position }
}

describe('window chart labels', () => {
  it('delay 1, L 5: the target lies inside the window, so no gap is drawn; the target is labelled at the top', () => {
    // Rows 100…104 are read, the target is row 101.
    const { areas, target } = labels(sample(100, 5, 1, 1))
    expect(areas.map((a) => a.word)).toEqual(['window'])
    expect(areas[0]).toMatchObject({ from: 100, to: 104, position: 'insideBottom' })
    expect(target).toBe('end')
  })

  it('delay 858, L 120, R 6: window and gap labelled at the bottom of their areas, target at the top', () => {
    // Window rows 1000…1714 (714 of 996 drawn rows), gap 1714…1858 (144 rows, 14 %).
    const { areas, target } = labels(sample(1000, 120, 6, 858))
    expect(areas).toEqual([
      { word: 'window', shown: true, position: 'insideBottom', from: 1000, to: 1714 },
      { word: 'gap', shown: true, position: 'insideBottom', from: 1714, to: 1858 },
    ])
    expect(target).toBe('end')
  })

  it('a gap narrower than 8 % of the axis keeps its shading but not its word', () => {
    // L 120, R 1, delay 130: gap 119…130 is 11 of 150 drawn rows (7.3 %).
    const { areas } = labels(sample(0, 120, 1, 130))
    expect(areas[1]).toMatchObject({ word: 'gap', shown: false, from: 119, to: 130 })
    expect(areas[0].shown).toBe(true)
  })
})

describe('time ticks of the window chart', () => {
  type Axis = { axisLabel: { customValues?: number[]; formatter?: (v: number) => string } }
  const day = 86_400_000
  const xAxisOf = (s: SampleRows, step: number) => {
    const time = Array.from({ length: s.to + 10 }, (_, i) => Date.UTC(2021, 0, 3) + i * step)
    const values = time.map(() => 1)
    return (
      windowChartOption(s, { name: 'units', values }, time, {
        kind: 'calendar',
        precision: 'day',
      }) as unknown as { xAxis: Axis }
    ).xAxis
  }

  it('weekly rows: ticks on the rows, every 3rd from the window’s first, labelled as dates', () => {
    // windows of 9 weekly rows from row 3, target 9 rows on: rows 0 … 15 drawn (16 rows, k = 3)
    const s = sample(3, 9, 1, 9)
    expect([s.from, s.to]).toEqual([0, 15])
    const axis = xAxisOf(s, 7 * day)
    const rows = [0, 3, 6, 9, 12, 15]
    expect(axis.axisLabel.customValues).toEqual(rows.map((r) => Date.UTC(2021, 0, 3 + 7 * r)))
    expect(axis.axisLabel.customValues!.map(axis.axisLabel.formatter!)).toEqual([
      '2021-01-03',
      '2021-01-24',
      '2021-02-14',
      '2021-03-07',
      '2021-03-28',
      '2021-04-18',
    ])
  })

  it('daily rows over a month or less: ticks on the rows as dates, not bare day numbers', () => {
    // rows 0 … 15 of days from 2021-01-03, every 3rd: ECharts wrote "2021 4 5 6 …" here
    const axis = xAxisOf(sample(3, 9, 1, 9), day)
    expect(axis.axisLabel.customValues!.map(axis.axisLabel.formatter!)).toEqual([
      '2021-01-03',
      '2021-01-06',
      '2021-01-09',
      '2021-01-12',
      '2021-01-15',
      '2021-01-18',
    ])
  })

  it('hourly rows, and daily rows over more than a month, keep ECharts’ calendar ticks', () => {
    expect(xAxisOf(sample(3, 9, 1, 9), 3_600_000).axisLabel.customValues).toBeUndefined()
    // 30 daily rows and a target 30 on: 69 days drawn, where ECharts names the months
    expect(xAxisOf(sample(3, 30, 1, 60), day).axisLabel.customValues).toBeUndefined()
  })
})

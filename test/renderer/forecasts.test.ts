import { describe, expect, it } from 'vitest'
import { formatForecastCsv, parseForecastCsv } from '../../src/shared/forecast-csv'
import type { Forecast, FutureForecast } from '../../src/shared/run'
import {
  firstRows,
  forecastsCsv,
  niceHistogram,
  splitByRows,
  splitByStarts,
  valueRows,
} from '../../src/renderer/src/lib/forecasts'
import { experimentWindows } from '../../src/shared/windows/experiment'
import { actualVsPredictedOption, predictionOption } from '../../src/renderer/src/lib/results'

const T0 = Date.UTC(2016, 6, 10, 14, 50)
const STEP = 600_000

function forecast(rows: number[], H: number, perValueRows: boolean): Forecast {
  const n = rows.length
  const values = (f: (k: number, h: number) => number) =>
    Float64Array.from({ length: n * H }, (_, i) => f(Math.floor(i / H), i % H))
  return {
    horizon: H,
    rowIndex: perValueRows
      ? Int32Array.from({ length: n * H }, (_, i) => rows[Math.floor(i / H)] + (i % H))
      : Int32Array.from(rows),
    timestamps: values((k, h) => T0 + (rows[k] + h) * STEP),
    actual: values((k, h) => 20 + k + h / 10),
    predicted: values((k, h) => 19.5 + k + h / 7),
  }
}

describe('forecast layout', () => {
  it('reads target rows whether the engine gives one per window or one per value', () => {
    for (const perValue of [false, true]) {
      const f = forecast([100, 101, 102], 2, perValue)
      expect(Array.from(firstRows(f))).toEqual([100, 101, 102])
      expect(Array.from(valueRows(f))).toEqual([100, 101, 101, 102, 102, 103])
    }
  })
})

describe('forecasts CSV', () => {
  it("writes the engine's numbers without float noise, splits in order, future rows marked", () => {
    const val = forecast([10, 11], 1, false)
    const test = forecast([20, 21, 22], 1, false)
    test.predicted[1] = 0.1 + 0.2 // 0.30000000000000004: its 17th digit is rounding noise
    const future: FutureForecast = {
      horizon: 1,
      fromRow: 30,
      rowIndex: Int32Array.of(31),
      timestamps: Float64Array.of(T0 + 31 * STEP),
      predicted: Float64Array.of(21.25),
    }
    const text = forecastsCsv({ val, test }, future)
    const rows = parseForecastCsv(text)
    expect(rows).toHaveLength(6)
    expect(rows.map((r) => r.split)).toEqual(['val', 'val', 'test', 'test', 'test', 'future'])
    expect(rows[0]).toEqual({
      timestamp: new Date(T0 + 10 * STEP).toISOString(),
      split: 'val',
      row: 10,
      step: 1,
      actual: 20,
      predicted: 19.5,
      residual: 20 - 19.5,
      lower: null,
      upper: null,
      origin: '', // no window given to the writer
    })
    expect(rows[3].predicted).toBe(0.3)
    expect(rows[3].residual).toBe(Number((test.actual[1] - 0.3).toPrecision(15)))
    expect(rows[5]).toEqual({
      timestamp: new Date(T0 + 31 * STEP).toISOString(),
      split: 'future',
      row: 31,
      step: 1,
      actual: null,
      predicted: 21.25,
      residual: null,
      lower: null,
      upper: null,
      origin: '', // no window given to the writer
    })
    // Same text as the shared formatter the CLI uses.
    expect(text).toBe(
      formatForecastCsv([
        {
          split: 'val',
          horizon: 1,
          targetRows: val.rowIndex,
          timestamps: val.timestamps,
          actual: val.actual,
          predicted: val.predicted,
        },
        {
          split: 'test',
          horizon: 1,
          targetRows: test.rowIndex,
          timestamps: test.timestamps,
          actual: test.actual,
          predicted: test.predicted,
        },
        {
          split: 'future',
          horizon: 1,
          targetRows: Int32Array.of(31),
          timestamps: future.timestamps,
          actual: null,
          predicted: future.predicted,
        },
      ]),
    )
  })
  it('numbers the horizon steps of multi-step forecasts', () => {
    const rows = parseForecastCsv(forecastsCsv({ test: forecast([5, 6], 3, true) }, null))
    expect(rows.map((r) => [r.row, r.step])).toEqual([
      [5, 1],
      [6, 2],
      [7, 3],
      [6, 1],
      [7, 2],
      [8, 3],
    ])
  })
})

describe('splitByRows', () => {
  it("splits one forecast over all windows by the split of each window's target row", () => {
    const all = forecast([40, 45, 50, 55, 60, 75, 80], 2, false)
    const parts = splitByRows(all, {
      train: { start: 0, end: 50 },
      val: { start: 50, end: 75 },
      test: { start: 75, end: 100 },
    })
    expect(Array.from(firstRows(parts.train!))).toEqual([40, 45])
    expect(Array.from(firstRows(parts.val!))).toEqual([50, 55, 60])
    expect(Array.from(firstRows(parts.test!))).toEqual([75, 80])
    expect(Array.from(parts.val!.actual)).toEqual(Array.from(all.actual.subarray(4, 10)))
    expect(Array.from(parts.test!.predicted)).toEqual(Array.from(all.predicted.subarray(10, 14)))
    expect(Array.from(parts.test!.timestamps!)).toEqual(
      Array.from(all.timestamps!.subarray(10, 14)),
    )
  })
})

describe('splitByStarts', () => {
  it('keeps the windows the engine used: a window reading training rows is not a validation window', () => {
    // 20 rows, train 0–9, validation 10–14, test 15–19; windows of 3 rows, delay 3, one every row.
    const windows = experimentWindows(
      20,
      { sequenceLength: 3, samplingRate: 1, sequenceStride: 1, delay: 3, horizon: 1 },
      { train: 0.5, val: 0.25 },
    )
    // By hand: validation windows start at 10, 11, 12 (rows 10–14 only) → targets 13, 14, 15.
    expect(Array.from(windows.starts.val)).toEqual([10, 11, 12])
    // model:predict forecasts every window: targets 3 … 19.
    const all = forecast(
      Array.from({ length: 17 }, (_, k) => k + 3),
      1,
      false,
    )
    const parts = splitByStarts(all, windows.starts, 3)
    expect(Array.from(firstRows(parts.val!))).toEqual([13, 14, 15])
    // By target row, targets 10–12 (windows starting in training rows 7–9) were validation too.
    const byRows = splitByRows(all, windows.ranges)
    expect(Array.from(firstRows(byRows.val!))).toEqual([10, 11, 12, 13, 14])
    expect(Array.from(parts.val!.actual)).toEqual(Array.from(all.actual.subarray(10, 13)))
  })
})

describe('niceHistogram', () => {
  it('about 2·n^(1/3) bins (at least 5), 1-2-2.5-5 wide, edges on multiples of the width', () => {
    // 4 values over 0.3 … 4.9: 5 bins wanted, 0.92 raw width → 1.
    expect(niceHistogram([0.3, 1.2, 1.7, 4.9, NaN])).toEqual({
      edges: [0, 1, 2, 3, 4, 5],
      counts: [1, 2, 0, 0, 1],
    })
    expect(niceHistogram([-2.5, -0.1, 0.1, 2.5])).toEqual({
      edges: [-3, -2, -1, 0, 1, 2, 3],
      counts: [1, 0, 1, 1, 0, 1],
    })
    // Edges written as a person would: 0.3, not 0.30000000000000004.
    expect(niceHistogram([0.11, 0.37]).edges).toEqual([0.1, 0.2, 0.3, 0.4])
    // 1,000 values: ⌈2 · 10⌉ = 20 bins wanted over 0 … 999, so 50 wide: 20 bins of 50.
    const h = niceHistogram(Array.from({ length: 1000 }, (_, i) => i))
    expect(h.edges[1] - h.edges[0]).toBe(50)
    expect(h.counts).toEqual(new Array(20).fill(50))
    expect(niceHistogram([])).toEqual({ edges: [], counts: [] })
  })
})

describe('actual vs predicted chart', () => {
  type Line = { name: string; data: Float64Array; markLine?: unknown }

  it('draws each split as its own series, with no NaN break point for LTTB to trip on', () => {
    const val = forecast([10, 11, 12], 2, false)
    const test = forecast([20, 21], 2, false)
    const other = { name: 'run 2', splits: { val: forecast([10, 11, 12], 2, false) } }
    const option = actualVsPredictedOption('run 1', { val, test }, 1, [other])
    const series = option.series as unknown as Line[]
    expect(series.map((s) => s.name)).toEqual([
      'actual',
      'actual',
      'predicted: run 1',
      'predicted: run 1',
      'predicted: run 2',
    ])
    for (const s of series) expect(Array.from(s.data).every(Number.isFinite)).toBe(true)
    // Step 2 (index 1) of every window of the test split: x = its time, y = its value.
    expect(Array.from(series[3].data)).toEqual([
      T0 + 21 * STEP,
      test.predicted[1],
      T0 + 22 * STEP,
      test.predicted[3],
    ])
    // The split boundary is drawn once, at the first test window.
    expect(series.filter((s) => s.markLine)).toHaveLength(1)
    expect(JSON.stringify(series[0].markLine)).toContain(String(T0 + 20 * STEP))
    // Given the split's first row (the first test window starts at row 20 − delay 4 = 16), the
    // boundary is drawn there, not at the first test target.
    const atSplit = actualVsPredictedOption(
      'run 1',
      { val, test },
      1,
      [],
      null,
      null,
      T0 + 16 * STEP,
    )
    const marked = (atSplit.series as unknown as Line[]).filter((s) => s.markLine)
    expect(marked).toHaveLength(1)
    expect(JSON.stringify(marked[0].markLine)).toContain(`"xAxis":${T0 + 16 * STEP}`)
  })

  it('shows a model’s forecast of a whole file as one series each, without a boundary', () => {
    const all = forecast([5, 6, 7, 8], 1, false)
    const series = predictionOption('LSTM(16)', all, 0).series as unknown as Line[]
    expect(series.map((s) => s.name)).toEqual(['actual', 'predicted: LSTM(16)'])
    expect(series[0].markLine).toBeUndefined()
    expect(series[1].data.length).toBe(8)
  })
})

describe('the tooltip of a multi-step run', () => {
  type Tooltip = { formatter?: (p: unknown) => string }
  // Windows of 3 rows with delay 3 (lead 1): the window ending at row r forecasts rows r+1 … r+H.
  const test = forecast([20, 21], 2, false)
  const origins = { lead: 1, time: Float64Array.from({ length: 30 }, (_, i) => T0 + i * STEP) }
  const style = { kind: 'calendar', precision: 'minute' } as const

  it('names the forecast origin of the point under the pointer, as the CSV origin column', () => {
    const option = actualVsPredictedOption('run', { test }, 1, [], null, style, null, origins)
    const { formatter } = option.tooltip as Tooltip
    // Step 2 of the second test window: target row 22 (21 + 1), made at row 21 − 1 = 20.
    const html = formatter!([
      {
        seriesId: 'actual:test',
        seriesName: 'actual',
        dataIndex: 1,
        value: [T0 + 22 * STEP, 21.1],
      },
      {
        seriesId: 'predicted:test',
        seriesName: 'predicted: run',
        dataIndex: 1,
        value: [T0 + 22 * STEP, 20.642857],
      },
    ])
    expect(html).toContain('>2016-07-10 18:30<') // T0 + 22 × 10 min
    expect(html).toContain('step 2 of the forecast made at 2016-07-10 18:10') // row 20
    expect(html).toContain('<b>20.64</b>')
  })

  it('the Forecast view’s chart of a model’s forecast names the origin the same way', () => {
    // predictionOption draws the forecast of a whole file as its one (validation-like) split.
    const option = predictionOption('LSTM(16)', test, 0, null, style, origins)
    const { formatter } = option.tooltip as Tooltip
    // Step 1 of the first window: target row 20, made at row 20 − 1 = 19.
    const html = formatter!([
      { seriesId: 'actual:val', seriesName: 'actual', dataIndex: 0, value: [T0 + 20 * STEP, 20] },
    ])
    expect(html).toContain('>2016-07-10 18:10<') // T0 + 20 × 10 min
    expect(html).toContain('step 1 of the forecast made at 2016-07-10 18:00') // T0 + 19 × 10 min
    // without origins the tooltip names no origin
    const plain = (predictionOption('LSTM(16)', test, 0, null, style).tooltip as Tooltip).formatter!
    expect(
      plain([
        { seriesId: 'actual:val', seriesName: 'actual', dataIndex: 0, value: [T0 + 20 * STEP, 20] },
      ]),
    ).not.toContain('forecast made at')
  })

  it('one-step runs and runs without origins name no origin', () => {
    const one = forecast([20, 21], 1, false)
    const params = (x: number) => [
      { seriesId: 'actual:test', seriesName: 'actual', dataIndex: 0, value: [x, 20] },
    ]
    const plain = actualVsPredictedOption('run', { test: one }, 0, [], null, style, null, origins)
    expect((plain.tooltip as Tooltip).formatter!(params(T0 + 20 * STEP))).not.toContain(
      'forecast made at',
    )
    const none = actualVsPredictedOption('run', { test }, 1, [], null, style, null, null)
    expect((none.tooltip as Tooltip).formatter!(params(T0 + 21 * STEP))).not.toContain(
      'forecast made at',
    )
  })
})

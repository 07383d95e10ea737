/**
 * Forecast assembly on tiny series worked by hand: which rows a window's values are for, their
 * times and actuals, the latest window, and the times of rows after the data's end.
 */
import { describe, expect, it } from 'vitest'
import {
  extrapolateTimes,
  futureForecast,
  futureWindowStart,
  latestWindowStart,
  windowForecast,
} from '../../../src/shared/forecast/assemble'
import type { Dataset } from '../../../src/shared/series/dataset'
import type { WindowConfig } from '../../../src/shared/windows/config'

// Windows of 3 rows, one every 2 (rows s, s+2, s+4), targets 6 and 7 rows after the start.
const w: WindowConfig = {
  sequenceLength: 3,
  samplingRate: 2,
  sequenceStride: 1,
  delay: 6,
  horizon: 2,
}

function dataset(times: number[], format = 'iso'): Dataset {
  return {
    name: 'd.csv',
    rowCount: times.length,
    timeColumn: 'when',
    columns: [
      { name: 'when', kind: 'datetime', format, values: Float64Array.from(times) },
      { name: 'y', kind: 'numeric', values: Float64Array.from(times, (_, i) => 10 * i) },
    ],
  }
}

describe('the latest window', () => {
  it('ends at the last row: 20 rows → starts at row 19 − 2·2 = 15', () => {
    expect(latestWindowStart(20, w)).toBe(15)
    expect(latestWindowStart(5, w)).toBe(0)
    expect(latestWindowStart(4, w)).toBeNull()
  })

  it('gives no future forecast when a row it reads is missing', () => {
    const matrix = new Float32Array(20).fill(1) // 20 rows × 1 feature
    expect(futureWindowStart(matrix, 1, 20, w)).toBe(15)
    matrix[16] = NaN // not read: the window reads rows 15, 17, 19
    expect(futureWindowStart(matrix, 1, 20, w)).toBe(15)
    matrix[17] = NaN
    expect(futureWindowStart(matrix, 1, 20, w)).toBeNull()
  })
})

describe('window forecasts', () => {
  it('lists each window’s target rows, their times and actuals, window-major', () => {
    const target = Float64Array.from({ length: 20 }, (_, i) => 10 * i)
    const times = Float64Array.from({ length: 20 }, (_, i) => 1000 * i)
    const f = windowForecast(
      { target, timestamps: times },
      Int32Array.of(0, 5),
      w,
      Float64Array.of(1, 2, 3, 4),
    )
    expect(Array.from(f.rowIndex)).toEqual([6, 7, 11, 12])
    expect(Array.from(f.actual)).toEqual([60, 70, 110, 120])
    expect(Array.from(f.timestamps!)).toEqual([6000, 7000, 11000, 12000])
    expect(Array.from(f.predicted)).toEqual([1, 2, 3, 4])
    expect(
      windowForecast({ target, timestamps: null }, Int32Array.of(0), w, Float64Array.of(1, 2))
        .timestamps,
    ).toBeNull()
  })
})

describe('the future forecast’s rows and times', () => {
  it('10-minute data: the rows after the end, at the same step', () => {
    const T0 = Date.UTC(2024, 0, 1)
    const d = dataset(Array.from({ length: 20 }, (_, i) => T0 + i * 600_000))
    // From the latest window at row 15 (last row read: 19), targets rows 15 + 6 = 21 and 22.
    const f = futureForecast(d, 15, w, Float64Array.of(5, 6))
    expect(f.fromRow).toBe(19)
    expect(Array.from(f.rowIndex)).toEqual([21, 22])
    expect(Array.from(f.timestamps!)).toEqual([T0 + 21 * 600_000, T0 + 22 * 600_000])
  })

  it('monthly data stays on the calendar: month starts and month ends (2024 is a leap year)', () => {
    const starts = dataset(
      Array.from({ length: 12 }, (_, m) => Date.UTC(2023, m, 1)),
      'yyyy-mm',
    )
    expect(Array.from(extrapolateTimes(starts, Int32Array.of(11, 12, 13))!)).toEqual([
      Date.UTC(2023, 11, 1),
      Date.UTC(2024, 0, 1),
      Date.UTC(2024, 1, 1),
    ])
    const ends = dataset(Array.from({ length: 12 }, (_, m) => Date.UTC(2023, m + 1, 0)))
    expect(Array.from(extrapolateTimes(ends, Int32Array.of(12, 13))!)).toEqual([
      Date.UTC(2024, 0, 31),
      Date.UTC(2024, 1, 29),
    ])
  })

  it('no times without a time column', () => {
    const d: Dataset = { ...dataset([0, 1, 2]), timeColumn: null }
    expect(extrapolateTimes(d, Int32Array.of(3))).toBeNull()
  })
})

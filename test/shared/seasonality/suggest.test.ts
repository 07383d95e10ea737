import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { centredMovingAverage, seasonalIndices } from '../../../src/shared/seasonality/classical'
import { cadenceSeasons, suggestSeasons } from '../../../src/shared/seasonality/suggest'
import { gaussian } from '../gaussian'

const MINUTE = 60_000
const MONTHLY = { ms: 30 * 24 * 60 * MINUTE, months: 1 }
const QUARTER_HOUR = { ms: 15 * MINUTE }
const HOURLY = { ms: 60 * MINUTE }

function shipped(file: string): Float64Array {
  const lines = readFileSync(`resources/data/${file}`, 'utf8').trim().split('\n').slice(1)
  return Float64Array.from(lines, (line) => Number(line.split(',')[1]))
}

describe('classical decomposition', () => {
  it('centred moving average: 2×4 weights ⅛,¼,¼,¼,⅛ for an even season', () => {
    const ma = centredMovingAverage([1, 2, 3, 4, 5, 6, 7, 8], 4)
    expect(Number.isNaN(ma[1])).toBe(true)
    expect(ma[2]).toBeCloseTo((1 / 8) * 1 + (2 + 3 + 4) / 4 + (1 / 8) * 5, 12)
    expect(ma[5]).toBeCloseTo(6, 12)
    expect(Number.isNaN(ma[6])).toBe(true)
    expect(Array.from(centredMovingAverage([3, 6, 9, 12], 3))).toEqual([NaN, 6, 9, NaN])
  })

  it('seasonal indices of a repeated profile on a line are the profile, centred', () => {
    const profile = [4, -1, -3, 0]
    const y = Array.from({ length: 40 }, (_, t) => 10 + 0.5 * t + profile[t % 4])
    Array.from(seasonalIndices(y, 4, 'additive')).forEach((v, j) =>
      expect(v).toBeCloseTo(profile[j], 10),
    )
  })
})

describe('season suggestion', () => {
  it('offers the calendar seasons of the cadence', () => {
    expect(cadenceSeasons(QUARTER_HOUR).map((c) => c.period)).toEqual([96, 672])
    expect(cadenceSeasons(HOURLY).map((c) => c.period)).toEqual([24, 168])
    expect(cadenceSeasons({ ms: 86_400_000 }).map((c) => c.period)).toEqual([7])
    expect(cadenceSeasons(MONTHLY).map((c) => c.period)).toEqual([12])
    expect(cadenceSeasons({ ms: 0, months: 3 }).map((c) => c.period)).toEqual([4])
    expect(cadenceSeasons({ ms: 7 * MINUTE })).toEqual([])
    expect(cadenceSeasons(null)).toEqual([])
  })

  it('sunspots: the 11-year cycle is no yearly season (not 12)', () => {
    expect(suggestSeasons(shipped('sunspots_monthly.csv'), MONTHLY).seasons).toEqual([])
  })

  it('AirPassengers: 12', () => {
    expect(suggestSeasons(shipped('airpassengers_monthly.csv'), MONTHLY).seasons).toEqual([12])
  })

  it('15-minute load with a daily and a weekly pattern: 96 and 672', () => {
    const noise = gaussian(1)
    const y = Float64Array.from(
      { length: 672 * 8 },
      (_, t) =>
        100 +
        20 * Math.sin((2 * Math.PI * t) / 96) +
        (Math.floor(t / 96) % 7 >= 5 ? -15 : 0) +
        3 * noise(),
    )
    expect(suggestSeasons(y, QUARTER_HOUR).seasons).toEqual([96, 672])
  })

  it('15-minute rows with a daily pattern only: 96, the week adds nothing', () => {
    const noise = gaussian(2)
    const y = Float64Array.from(
      { length: 672 * 8 },
      (_, t) => 50 + 10 * Math.sin((2 * Math.PI * t) / 96) + noise(),
    )
    expect(suggestSeasons(y, QUARTER_HOUR).seasons).toEqual([96])
  })

  it('hourly rows with a daily cycle under a trend: 24', () => {
    const noise = gaussian(3)
    const y = Float64Array.from(
      { length: 24 * 60 },
      (_, t) => 10 + 0.01 * t + 3 * Math.sin((2 * Math.PI * t) / 24) + noise(),
    )
    expect(suggestSeasons(y, HOURLY).seasons).toEqual([24])
  })

  it('white noise and a random walk: none', () => {
    const noise = gaussian(4)
    expect(suggestSeasons(Float64Array.from({ length: 300 }, noise), MONTHLY).seasons).toEqual([])
    expect(
      suggestSeasons(Float64Array.from({ length: 4000 }, noise), QUARTER_HOUR).seasons,
    ).toEqual([])
    let s = 0
    expect(
      suggestSeasons(
        Float64Array.from({ length: 2000 }, () => (s += noise())),
        HOURLY,
      ).seasons,
    ).toEqual([])
  })

  it('skips a season with fewer than three cycles of data', () => {
    const y = Float64Array.from({ length: 30 }, (_, t) => Math.sin((2 * Math.PI * t) / 12))
    expect(suggestSeasons(y, MONTHLY)).toEqual({
      seasons: [],
      candidates: [],
      tooShort: [{ period: 12, label: 'year', rows: 30 }],
    })
  })

  it('missing values do not hide a season: the strength is measured on them interpolated', () => {
    // A 15-minute meter with a daily cycle and 4 empty cells: before, the first NaN made every
    // later moving average NaN and the day read "strength 0, too weak".
    const noise = gaussian(5)
    const y = Float64Array.from(
      { length: 1500 },
      (_, t) => 42 + 18 * Math.sin((2 * Math.PI * t) / 96) + 3 * noise(),
    )
    const whole = suggestSeasons(y, QUARTER_HOUR)
    const gappy = y.slice()
    for (const r of [0, 100, 777, 1499]) gappy[r] = NaN
    const withGaps = suggestSeasons(gappy, QUARTER_HOUR)
    expect(withGaps.seasons).toEqual([96])
    expect(withGaps.filled).toBe(4)
    // Four interpolated values out of 1,500 move the strength by less than 0.01.
    expect(Math.abs(withGaps.candidates[0].strength - whole.candidates[0].strength)).toBeLessThan(
      0.01,
    )
    expect(whole.filled).toBeUndefined()
  })
})

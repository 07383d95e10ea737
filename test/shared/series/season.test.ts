/**
 * The default season of every cadence a time axis can have, counted by hand: rows per day for
 * sub-daily steps, 7 daily rows per week, 52 weekly rows per year, 12 / m rows per year for a
 * calendar step of m months.
 */
import { describe, expect, it } from 'vitest'
import { defaultSeasonRows } from '../../../src/shared/series/season'

const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

describe('defaultSeasonRows', () => {
  it.each([
    ['1 s', SECOND, 86_400],
    ['1 min', MINUTE, 1440],
    ['5 min', 5 * MINUTE, 288],
    ['10 min (Jena)', 10 * MINUTE, 144],
    ['15 min', 15 * MINUTE, 96],
    ['30 min', 30 * MINUTE, 48],
    ['1 h', HOUR, 24],
    ['2 h', 2 * HOUR, 12],
    ['3 h', 3 * HOUR, 8],
    ['6 h', 6 * HOUR, 4],
    ['8 h', 8 * HOUR, 3],
    ['12 h', 12 * HOUR, 2],
    ['1 day', DAY, 7],
    ['1 week', 7 * DAY, 52],
  ])('a fixed step of %s: %i rows', (_label, ms, rows) => {
    expect(defaultSeasonRows({ ms, months: 0 })).toBe(rows)
    expect(defaultSeasonRows({ ms })).toBe(rows) // months absent = a fixed step
  })

  it.each([
    [1, 12],
    [2, 6],
    [3, 4],
    [4, 3],
    [6, 2],
  ])('a calendar step of %i months: a year is %i rows', (months, rows) => {
    expect(defaultSeasonRows({ ms: months * 30.44 * DAY, months })).toBe(rows)
  })

  it.each([
    ['yearly data (nothing repeats within it)', { ms: 365.25 * DAY, months: 12 }],
    ['5-month steps (do not divide a year)', { ms: 152 * DAY, months: 5 }],
    ['2-year steps', { ms: 730 * DAY, months: 24 }],
    ['7-minute steps (do not divide a day)', { ms: 7 * MINUTE, months: 0 }],
    ['5-hour steps (do not divide a day)', { ms: 5 * HOUR, months: 0 }],
    ['2-day steps', { ms: 2 * DAY, months: 0 }],
    ['a zero step', { ms: 0, months: 0 }],
  ])('no season for %s', (_label, cadence) => {
    expect(defaultSeasonRows(cadence)).toBeNull()
  })

  it('no season without a time axis', () => {
    expect(defaultSeasonRows(null)).toBeNull()
  })
})

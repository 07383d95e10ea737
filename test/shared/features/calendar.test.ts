import { describe, expect, it } from 'vitest'
import {
  calendarColumnNames,
  calendarColumns,
  calendarParts,
  calendarPhase,
  chooseCalendarFeatures,
  parseCalendarSetting,
} from '../../../src/shared/features/calendar'
import { timeAfter } from '../../../src/shared/series/time-after'
import type { WindowConfig } from '../../../src/shared/windows'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const fixed = (ms: number, label: string) => ({ ms, months: 0, monthEnd: false, label })
const monthly = { ms: 30.436875 * DAY, months: 1, monthEnd: false, label: '1 month' }

describe('calendar parts of UTC timestamps', () => {
  it('2011-01-01 00:15 UTC: hour 0.25, a Saturday, day 1 of January', () => {
    const t = Date.UTC(2011, 0, 1, 0, 15)
    expect(calendarParts(t)).toEqual({ hour: 0.25, dow: 5, doy: 1, daysInYear: 365, month: 1 })
    expect(calendarPhase(t, 'hour')).toBe(0.25 / 24)
    expect(calendarPhase(t, 'dow')).toBe(5 / 7)
  })

  it('days of week before and after 1970 (Monday = 0)', () => {
    expect(calendarParts(Date.UTC(1970, 0, 1)).dow).toBe(3) // Thursday
    expect(calendarParts(Date.UTC(1969, 11, 31, 23, 59)).dow).toBe(2) // Wednesday
    expect(calendarParts(Date.UTC(2024, 1, 29)).dow).toBe(3) // Thursday
    expect(calendarParts(Date.UTC(2023, 0, 1)).dow).toBe(6) // Sunday
    expect(calendarParts(Date.UTC(2023, 0, 2)).dow).toBe(0) // Monday
  })

  it('month and day-of-year boundaries, leap years included', () => {
    const at = (y: number, m: number, d: number, h = 0) => calendarParts(Date.UTC(y, m - 1, d, h))
    expect(at(2011, 12, 31, 23)).toMatchObject({ doy: 365, daysInYear: 365, month: 12, hour: 23 })
    expect(at(2012, 1, 1)).toMatchObject({ doy: 1, daysInYear: 366, month: 1 })
    expect(at(2012, 2, 29)).toMatchObject({ doy: 60, month: 2 })
    expect(at(2012, 3, 1)).toMatchObject({ doy: 61, month: 3 })
    expect(at(2011, 3, 1)).toMatchObject({ doy: 60, month: 3 })
    expect(at(2012, 12, 31)).toMatchObject({ doy: 366 })
    expect(at(2000, 12, 31)).toMatchObject({ doy: 366, daysInYear: 366 }) // divisible by 400
    expect(at(1900, 12, 31)).toMatchObject({ doy: 365, daysInYear: 365 }) // by 100, not 400
    // phases: noon of 2011-07-02 is 182.5 days into 365; March is 2 / 12 into the year
    expect(calendarPhase(Date.UTC(2011, 6, 2, 12), 'doy')).toBe(182.5 / 365)
    expect(calendarPhase(Date.UTC(2011, 2, 15), 'month')).toBe(2 / 12)
  })
})

describe('calendar columns', () => {
  // L 2, R 1, delay 3: the target is 2 rows after the window's last row
  const w: WindowConfig = {
    sequenceLength: 2,
    samplingRate: 1,
    sequenceStride: 1,
    delay: 3,
    horizon: 1,
  }

  it('names the columns: rows first, then the target time', () => {
    expect(calendarColumnNames(['month', 'hour'])).toEqual([
      'cal:hour_sin',
      'cal:hour_cos',
      'cal:month_sin',
      'cal:month_cos',
      'cal:target_hour_sin',
      'cal:target_hour_cos',
      'cal:target_month_sin',
      'cal:target_month_cos',
    ])
  })

  it('hourly rows and the target hour, extrapolated past the data’s end', () => {
    const start = Date.UTC(2011, 0, 1, 0)
    const times = Float64Array.from({ length: 6 }, (_, r) => start + r * HOUR) // 00:00 … 05:00
    const cols = calendarColumns(times, ['hour'], w, fixed(HOUR, '1 h'))
    expect(cols.map((c) => c.name)).toEqual(calendarColumnNames(['hour']))
    const angle = (h: number) => (2 * Math.PI * h) / 24
    const [sin, cos, targetSin, targetCos] = cols.map((c) => Array.from(c.values))
    sin.forEach((v, r) => expect(v).toBeCloseTo(Math.sin(angle(r)), 12))
    cos.forEach((v, r) => expect(v).toBeCloseTo(Math.cos(angle(r)), 12))
    // row r's target is at hour r + 2: rows 4 and 5 reach 06:00 and 07:00, after the last row
    targetSin.forEach((v, r) => expect(v).toBeCloseTo(Math.sin(angle(r + 2)), 12))
    targetCos.forEach((v, r) => expect(v).toBeCloseTo(Math.cos(angle(r + 2)), 12))
    expect(targetSin[5]).toBeCloseTo(Math.sin(angle(7)), 12)
  })

  it('uses the row’s own time when the data has gaps, and calendar months past the end', () => {
    // month ends: 2019-09-30, 10-31, 11-30, 12-31; row 3's target is two months on: 2020-02-29
    const times = [
      Date.UTC(2019, 8, 30),
      Date.UTC(2019, 9, 31),
      Date.UTC(2019, 10, 30),
      Date.UTC(2019, 11, 31),
    ]
    const cols = calendarColumns(times, ['doy', 'month'], w, { ...monthly, monthEnd: true })
    const get = (name: string) => cols.find((c) => c.name === name)!.values
    expect(get('cal:target_month_sin')[3]).toBeCloseTo(Math.sin((2 * Math.PI * 1) / 12), 12)
    expect(get('cal:target_doy_sin')[3]).toBeCloseTo(Math.sin((2 * Math.PI * 59) / 366), 12)
    // row 1 (October 31st) targets row 3 (December 31st), the 365th day of 2019
    expect(get('cal:target_doy_cos')[1]).toBeCloseTo(Math.cos((2 * Math.PI * 364) / 365), 12)
    expect(get('cal:month_cos')[0]).toBeCloseTo(Math.cos((2 * Math.PI * 8) / 12), 12)
  })

  it('refuses a row without a time, naming it', () => {
    expect(() => calendarColumns([0, NaN, 2 * HOUR], ['hour'], w, fixed(HOUR, '1 h'))).toThrow(
      'Calendar features: expected a timestamp in every row, received none in data row 2.',
    )
  })
})

describe('times after the data', () => {
  it('steps by the cadence, in calendar months where the cadence is monthly', () => {
    expect(timeAfter(Date.UTC(2011, 0, 1), fixed(10 * 60_000, '10 min'), 3)).toBe(
      Date.UTC(2011, 0, 1, 0, 30),
    )
    expect(timeAfter(Date.UTC(2020, 0, 31), { ...monthly, monthEnd: true }, 1)).toBe(
      Date.UTC(2020, 1, 29),
    )
    expect(timeAfter(Date.UTC(2019, 10, 15), monthly, 3)).toBe(Date.UTC(2020, 1, 15))
    expect(timeAfter(Date.UTC(2019, 0, 1), { ...monthly, months: 3 }, 2)).toBe(Date.UTC(2019, 6, 1))
  })
})

describe('which features', () => {
  const YEAR = 365 * DAY
  it('auto: by cadence and the training rows’ span', () => {
    const pick = (c: Parameters<typeof chooseCalendarFeatures>[1], span: number) =>
      chooseCalendarFeatures('auto', c, span).features
    expect(pick(fixed(10 * 60_000, '10 min'), 4 * YEAR)).toEqual(['hour', 'dow', 'doy'])
    expect(pick(fixed(15 * 60_000, '15 min'), 20 * DAY)).toEqual(['hour', 'dow'])
    expect(pick(fixed(HOUR, '1 h'), 3 * DAY)).toEqual(['hour'])
    expect(pick(fixed(DAY, '1 day'), 2 * YEAR)).toEqual(['dow', 'doy'])
    expect(pick(fixed(7 * DAY, '1 week'), 5 * YEAR)).toEqual(['doy'])
    expect(pick(monthly, 30 * YEAR)).toEqual(['month'])
    expect(pick({ ...monthly, months: 3, label: '1 quarter' }, 10 * YEAR)).toEqual(['month'])
    expect(pick({ ...monthly, months: 12, label: '1 year' }, 100 * YEAR)).toEqual([])
    expect(pick(monthly, 300 * DAY)).toEqual([])
    expect(pick(null, 0)).toEqual([])
    // R's EuStockMarkets: 260 rows a year written as decimal years, 1.4 days apart on the clock;
    // the weekday and hour of such a row mean nothing, the day of year does
    const trading = { ...fixed(121_292_307, '1/260 year (about 1 trading day)'), perYear: 260 }
    expect(pick(trading, 3 * YEAR)).toEqual(['doy'])
    expect(chooseCalendarFeatures('auto', trading, 3 * YEAR).reason).toContain(
      'day of week (time in decimal years: rows fall at fractions of a year)',
    )
  })

  it('auto says what it chose and why it left the others out', () => {
    expect(chooseCalendarFeatures('auto', fixed(DAY, '1 day'), 2 * YEAR).reason).toBe(
      "Calendar features: day of week, day of year, as sin/cos of the window rows' and the target's time; " +
        'not hour of day (1 day data), month (day of year covers it).',
    )
    expect(chooseCalendarFeatures('auto', null, 0).reason).toMatch(
      /none, because the data has no time column/,
    )
  })

  it('parses the setting; refuses unknown names and features that cannot vary', () => {
    expect(parseCalendarSetting('auto')).toBe('auto')
    expect(parseCalendarSetting(' None ')).toBe('none')
    expect(parseCalendarSetting('month, hour,hour')).toEqual(['hour', 'month'])
    expect(() => parseCalendarSetting('hours,dow')).toThrow(
      'Calendar features: expected auto, none or a list of hour, dow, doy, month, received "hours,dow".',
    )
    expect(chooseCalendarFeatures(['dow', 'doy'], fixed(DAY, '1 day'), DAY).features).toEqual([
      'dow',
      'doy',
    ])
    expect(() => chooseCalendarFeatures(['hour', 'doy'], fixed(DAY, '1 day'), YEAR)).toThrow(
      /received "hour" \(hour of day\) for 1 day data, .* Remove it \(--calendar doy\) or use --calendar auto\./,
    )
    expect(() => chooseCalendarFeatures(['month'], null, YEAR)).toThrow(
      /expected a time column with a regular cadence/,
    )
  })
})

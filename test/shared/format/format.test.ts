import { describe, expect, it } from 'vitest'
import {
  exportDifference,
  exportNumber,
  exportTimestamp,
  formatChange,
  formatCount,
  formatDuration,
  formatNumber,
  formatPercent,
  formatSeconds,
  formatSteps,
  formatStyled,
  formatTimestamp,
  msToDecimalYear,
  numberStyle,
  timeStyleOf,
  yearFractionLabel,
} from '../../../src/shared/format'
import { decimalYearToMs } from '../../../src/shared/series/calendar'

const DAY = 86_400_000
const utc = (y: number, m: number, d: number, h = 0, min = 0) => Date.UTC(y, m - 1, d, h, min)

describe('numbers', () => {
  it('one number: significant digits by magnitude, separators, no noise', () => {
    expect(formatNumber(3.02943)).toBe('3.029')
    expect(formatNumber(0.1 + 0.2)).toBe('0.3')
    expect(formatNumber(1234567.8)).toBe('1,234,568')
    expect(formatNumber(-1281.73)).toBe('-1,282')
    expect(formatNumber(1281.73, 6)).toBe('1,281.73')
    expect(formatNumber(0.001247)).toBe('0.001247')
    expect(formatNumber(4e-5)).toBe('4e-5')
    expect(formatNumber(1.5e20)).toBe('1.5e20')
    expect(formatNumber(5)).toBe('5')
    expect(formatNumber(0)).toBe('0')
    expect(formatNumber(-0.00001)).toBe('-1e-5')
  })
  it('never writes NaN, undefined or Infinity', () => {
    expect(formatNumber(NaN)).toBe('—')
    expect(formatNumber(undefined)).toBe('—')
    expect(formatNumber(null)).toBe('—')
    expect(formatNumber(Infinity)).toBe('∞')
    expect(formatNumber(-Infinity)).toBe('−∞')
    expect(formatCount(NaN)).toBe('—')
    expect(formatPercent(undefined)).toBe('—')
  })
  it('numbers shown together share their decimals (no "16.3" next to "19.82")', () => {
    const a = numberStyle([16.3, 19.82])
    expect([16.3, 19.82].map((x) => formatStyled(x, a))).toEqual(['16.30', '19.82'])
    const b = numberStyle([0.0004, 0.001247])
    expect([0.0004, 0.001247].map((x) => formatStyled(x, b))).toEqual(['0.000400', '0.001247'])
    const c = numberStyle([1000, 25000, 3])
    expect([1000, 25000, 3].map((x) => formatStyled(x, c))).toEqual(['1,000', '25,000', '3'])
    // No "-0.00" for a tiny negative value next to large ones.
    const d = numberStyle([-0.0001, 12.5])
    expect(formatStyled(-0.0001, d)).toBe('0.00')
  })
  it('never more than six decimals on screen', () => {
    for (const x of [1e-4, 3.3e-4, 0.000123456789, 1 / 3, 2 / 3e3]) {
      const text = formatNumber(x)
      expect(text).not.toMatch(/\.\d{7,}/)
    }
  })
  it('counts and percentages', () => {
    expect(formatCount(1447)).toBe('1,447')
    expect(formatCount(420451)).toBe('420,451')
    expect(formatCount(-5)).toBe('-5')
    expect(formatPercent(0.1234)).toBe('12.3 %')
    expect(formatChange(8, 10)).toBe('20.0 % better')
    expect(formatChange(11, 10)).toBe('10.0 % worse')
  })
})

describe('exported numbers', () => {
  it('doubles with 15 significant digits at most; nothing for a missing value', () => {
    expect(exportNumber(23.1)).toBe('23.1')
    expect(exportNumber(0.1 + 0.2)).toBe('0.3')
    expect(exportNumber(1 / 3)).toBe('0.333333333333333')
    expect(exportNumber(Math.PI)).toBe('3.14159265358979')
    expect(exportNumber(-1234567.125)).toBe('-1234567.125')
    expect(exportNumber(NaN)).toBe('')
    expect(exportNumber(Infinity)).toBe('')
    expect(exportNumber(null)).toBe('')
  })
  it('a difference of exported numbers without float noise', () => {
    expect(23.1 - 22.87).not.toBe(0.23) // 0.23000000000000043
    expect(exportDifference(23.1, 22.87)).toBe('0.23')
    expect(exportDifference(3, 3)).toBe('0')
    expect(exportDifference(NaN, 1)).toBe('')
  })
})

describe('durations', () => {
  it('human units', () => {
    expect(formatDuration(15 * 60_000)).toBe('15 min')
    expect(formatDuration(DAY)).toBe('1 day')
    expect(formatDuration(3 * DAY)).toBe('3 days')
    expect(formatDuration(14 * DAY)).toBe('2 weeks')
    expect(formatDuration(858 * 600_000)).toBe('5 d 23 h')
    expect(formatDuration(250)).toBe('250 ms')
    expect(formatDuration(1500)).toBe('1.5 s')
    expect(formatDuration(NaN)).toBe('—')
  })
  it('rows in the cadence of the data', () => {
    expect(formatSteps(144, { ms: 600_000 })).toBe('1 day')
    expect(formatSteps(3, { ms: 30 * DAY, months: 1 })).toBe('3 months')
    expect(formatSteps(24, { ms: 30 * DAY, months: 1 })).toBe('2 years')
    expect(formatSteps(1, { ms: 30 * DAY, months: 1 })).toBe('1 month')
    expect(formatSteps(5, { ms: (365.2425 * DAY) / 260, perYear: 260 })).toBe(
      'about 5 trading days',
    )
    expect(formatSteps(260, { ms: (365.2425 * DAY) / 260, perYear: 260 })).toBe('1 year')
    expect(formatSteps(3, null)).toBeNull()
    expect(yearFractionLabel(260)).toBe('1/260 year (about 1 trading day)')
    expect(yearFractionLabel(52)).toBe('1 week')
  })
  it('elapsed seconds', () => {
    expect(formatSeconds(0.01)).toBe('< 0.1 s')
    expect(formatSeconds(3.24)).toBe('3.2 s')
    expect(formatSeconds(12.4)).toBe('12 s')
    expect(formatSeconds(200)).toBe('3 min 20 s')
    expect(formatSeconds(3900)).toBe('1 h 05 min')
    expect(formatSeconds(undefined)).toBe('—')
  })
})

describe('timestamps', () => {
  const daily = Float64Array.of(utc(2013, 9, 15), utc(2013, 9, 16))
  const monthly = Float64Array.of(utc(2013, 9, 1), utc(2013, 10, 1))
  const tenMin = Float64Array.of(utc(2016, 7, 10, 14, 50), utc(2016, 7, 10, 15, 0))
  it('precision from the data: a date for daily, the month for monthly', () => {
    const d = timeStyleOf({ format: 'yyyy-mm-dd', values: daily })
    expect(formatTimestamp(daily[0], d)).toBe('2013-09-15')
    const m = timeStyleOf({ format: 'yyyy-mm', values: monthly })
    expect(formatTimestamp(monthly[0], m)).toBe('2013-09')
    const t = timeStyleOf({ format: 'iso', values: tenMin })
    expect(formatTimestamp(tenMin[0], t)).toBe('2016-07-10 14:50')
    expect(formatTimestamp(NaN, t)).toBe('—')
  })
  it('decimal years stay decimal years, with decimals enough to tell rows apart', () => {
    const values = Float64Array.of(
      decimalYearToMs(1991.49615384615),
      decimalYearToMs(1998.64615384615),
    )
    const style = timeStyleOf({ format: 'decimal-year', values }, { perYear: 260 })
    expect(style).toEqual({ kind: 'decimal-year', decimals: 4 })
    expect(formatTimestamp(values[0], style)).toBe('1991.4962')
    expect(formatTimestamp(values[1], style)).toBe('1998.6462')
    // The export writes the year as R does (15 significant digits).
    expect(exportTimestamp(values[0], style)).toBe('1991.49615384615')
    expect(msToDecimalYear(decimalYearToMs(2000.5))).toBe(2000.5)
  })
  it('exports: date only for date-only data, ISO otherwise', () => {
    const d = timeStyleOf({ format: 'yyyy-mm-dd', values: daily })
    expect(exportTimestamp(utc(2014, 1, 14), d)).toBe('2014-01-14')
    const m = timeStyleOf({ format: 'yyyy-mm', values: monthly })
    expect(exportTimestamp(monthly[1], m)).toBe('2013-10-01')
    const t = timeStyleOf({ format: 'iso', values: tenMin })
    expect(exportTimestamp(tenMin[0], t)).toBe('2016-07-10T14:50:00.000Z')
    expect(exportTimestamp(NaN, t)).toBe('')
  })
  it('fractional milliseconds never print as a second decimal point', () => {
    const t = decimalYearToMs(1991.49615384615)
    expect(Number.isInteger(t)).toBe(false)
    const text = formatTimestamp(t, { kind: 'calendar', precision: 'ms' })
    expect(text).toBe('1991-07-01 02:18:27.692')
  })
})

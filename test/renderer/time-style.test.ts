/**
 * Axis tick labels in the dataset's time style: a year-less axis (NOAA normals, read in the
 * stand-in year 2001) writes month days and clock times, never a year.
 */
import { describe, expect, it } from 'vitest'
import { timeAxisText } from '../../src/renderer/src/lib/time-style'

const label = (v: number) => {
  const text = timeAxisText({ kind: 'time-of-year', precision: 'minute' }, true)
  const formatter = (text.axisLabel as { formatter: (v: number) => string }).formatter
  return formatter(v)
}

describe('year-less time axis labels', () => {
  it('a midnight tick is the day, another tick the day and the clock; the year end is 24:00', () => {
    expect(label(Date.UTC(2001, 0, 5))).toBe('Jan 5')
    expect(label(Date.UTC(2001, 6, 14, 6))).toBe('Jul 14 06:00')
    // The midnight that ends the stand-in year is NOAA's "12-31T24:00", not Jan 1 of 2002.
    expect(label(Date.UTC(2002, 0, 1))).toBe('Dec 31 24:00')
  })

  it('calendar data keeps ECharts’ own labels', () => {
    expect(timeAxisText({ kind: 'calendar', precision: 'day' }, true).axisLabel).toBeUndefined()
  })
})

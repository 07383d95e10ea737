/**
 * Times written without a year, as NOAA's hourly normals write them (`01-01T01:00:00`, hours
 * 01…24): read as times of the year with an hourly cadence (in a stand-in year without a
 * February 29, never shown), written "Jan 1 01:00" on screen and as the file wrote them in
 * exports, with no weekday feature. Month-day alone ("12-05") stays text: without a clock it is
 * as likely a range or a score.
 */
import { describe, expect, it } from 'vitest'
import {
  detectDateFormat,
  monthDayLabelNote,
  parseDateText,
} from '../../../src/shared/csv/datetime'
import { formatReport } from '../../../src/shared/csv/report'
import { chooseCalendarFeatures } from '../../../src/shared/features/calendar'
import { exportTimestamp, formatTimestamp, timeStyleOf } from '../../../src/shared/format/time'
import { analyzeTimeAxis } from '../../../src/shared/series/time-axis'
import { parse } from './helpers'

const HOUR = 3_600_000
const DAY = 24 * HOUR

/** 8,760 hours as NOAA writes them: 01-01T01:00:00 … 01-01T24:00:00, 01-02T01:00:00 … 12-31T24:00:00. */
function normals(sep: 'T' | ' ' = 'T'): string {
  const lines = ['DATE,HLY-TEMP-NORMAL']
  for (let h = 1; h <= 8760; h++) {
    const day = new Date(Date.UTC(2001, 0, 1) + Math.floor((h - 1) / 24) * DAY)
    const hour = ((h - 1) % 24) + 1
    const md = day.toISOString().slice(5, 10)
    lines.push(
      `${md}${sep}${String(hour).padStart(2, '0')}:00${sep === 'T' ? ':00' : ''},${h % 50}`,
    )
  }
  return lines.join('\n') + '\n'
}

describe('month-day times without a year', () => {
  it('detects mm-ddTHH:MM:SS and mm-dd HH:MM; month-day alone is not a time', () => {
    expect(detectDateFormat(['01-01T01:00:00', '01-01T02:00:00'])?.label).toBe('mm-ddTHH:MM:SS')
    expect(detectDateFormat(['01-01 01:00', '12-31 24:00'])?.label).toBe('mm-dd HH:MM')
    expect(detectDateFormat(['01/01 01:00', '01/01 02:00'])?.label).toBe('mm/dd HH:MM')
    expect(detectDateFormat(['12-05', '03-04', '11-02'])).toBeNull()
    // Full dates still win: yyyy-mm-dd and mm-dd-yyyy are read with their year.
    expect(detectDateFormat(['2010-01-01T01:00:00'])?.label).toBe('yyyy-mm-ddTHH:MM:SS')
    expect(detectDateFormat(['01-02-2010 01:00'])?.label).toBe('mm-dd-yyyy HH:MM')
  })

  it('reads them in a year without February 29 (hour 24 is the next midnight)', () => {
    const spec = detectDateFormat(['01-01T01:00:00'])!.spec
    const jan1 = Date.UTC(2001, 0, 1)
    expect(parseDateText('01-01T01:00:00', spec)).toBe(jan1 + HOUR)
    expect(parseDateText('02-28T24:00:00', spec)).toBe(Date.UTC(2001, 2, 1))
    expect(parseDateText('12-31T24:00:00', spec)).toBe(Date.UTC(2002, 0, 1))
    expect(parseDateText('02-29T01:00:00', spec)).toBeNaN()
    expect(parseDateText('13-01T01:00:00', spec)).toBeNaN()
    expect(parseDateText('1-01T01:00:00', spec)).toBeNaN()
  })

  it('a file of 8,760 such hours: the time axis, hourly, 8,760 rows without gap', () => {
    for (const sep of ['T', ' '] as const) {
      const { dataset, report } = parse(normals(sep))
      expect(dataset.timeColumn).toBe('DATE')
      const axis = analyzeTimeAxis(dataset)!
      expect(axis.cadence).toMatchObject({ ms: HOUR, label: '1 h', share: 1, yearless: true })
      expect([axis.sorted, axis.gaps.count, axis.duplicates.count]).toEqual([true, 0, 0])
      expect(report.timeAxis!.end - report.timeAxis!.start).toBe(8759 * HOUR)
    }
  })

  it('is written "Jan 1 01:00" on screen, as the file wrote it in exports, and by inspect', () => {
    const { dataset, report } = parse(normals())
    const column = dataset.columns.find((c) => c.name === 'DATE')!
    if (column.kind !== 'datetime') throw new Error('DATE is not a time column')
    const style = timeStyleOf(column)
    expect(style).toEqual({ kind: 'time-of-year', precision: 'minute' })
    const at = (row: number) => column.values[row]
    expect(formatTimestamp(at(0), style)).toBe('Jan 1 01:00')
    expect(formatTimestamp(at(23), style)).toBe('Jan 2 00:00') // 01-01T24:00:00
    expect(formatTimestamp(at(24 * 59 + 4), style)).toBe('Mar 1 05:00') // day 60, hour 5
    expect(formatTimestamp(at(8759), style)).toBe('Dec 31 24:00')
    // A forecast past the year's end: the next stand-in year, still without a year.
    expect(formatTimestamp(at(8759) + HOUR, style)).toBe('Jan 1 01:00')
    expect(exportTimestamp(at(0), style)).toBe('01-01T01:00:00')
    expect(exportTimestamp(at(8759), style)).toBe('12-31T24:00:00')
    const text = formatReport(report)
    expect(text).toContain('Time axis "DATE" (mm-ddTHH:MM:SS): Jan 1 01:00 … Dec 31 24:00')
    expect(text).not.toMatch(/2001|2002/)
  })

  it('a leap day has no place in the 365-day year: its rows are missing, and the message says why', () => {
    const lines = ['DATE,t']
    for (let d = 0; d < 366; d++) {
      const day = new Date(Date.UTC(2000, 0, 1 + d)).toISOString().slice(5, 10)
      for (let h = 1; h <= 24; h++) lines.push(`${day}T${String(h).padStart(2, '0')}:00:00,${h}`)
    }
    const { dataset, report } = parse(lines.join('\n') + '\n', { fileName: 'leap.csv' })
    expect(dataset.timeColumn).toBe('DATE')
    // Jan (31) + Feb 1–28 days of 24 rows before, plus the header: line 1 + 59·24 + 1 = 1,418.
    expect(report.issues.map((i) => i.message)).toContain(
      'leap.csv, line 1,418, column "DATE": "02-29T01:00:00" (and 23 more) is February 29 in times without a year, which Seqcast reads as a year of 365 days; Seqcast reads them as missing. Remove the February 29 rows (or add a year to every time).',
    )
  })

  it('month-day labels without a clock time stay text, with the reason the Data view gives', () => {
    const days = Array.from({ length: 365 }, (_, d) =>
      new Date(Date.UTC(2001, 0, 1 + d)).toISOString().slice(5, 10),
    )
    const { dataset } = parse(['DATE,t', ...days.map((d, i) => `${d},${i}`)].join('\n') + '\n')
    const column = dataset.columns.find((c) => c.name === 'DATE')!
    expect(column.kind).toBe('text')
    if (column.kind !== 'text') return
    expect(monthDayLabelNote(column.categories)).toBe(
      'Month and day without a year or a clock time ("01-01"): read as labels, not times, since such a pair may as well be a range or a score. Add a year (or an hour, as in "01-01T01:00") to every value to use the column as the time axis.',
    )
    // Not for other labels, nor for month-day pairs that are no dates ("13-40").
    expect(monthDayLabelNote(['sun', 'rain'])).toBeNull()
    expect(monthDayLabelNote(['13-40', '00-12'])).toBeNull()
  })

  it('gives hour of day but no weekday: the stand-in year would invent it', () => {
    const cadence = analyzeTimeAxis(parse(normals()).dataset)!.cadence!
    const auto = chooseCalendarFeatures('auto', cadence, 300 * DAY)
    expect(auto.features).toEqual(['hour'])
    expect(auto.reason).toContain('day of week (the times have no year, so no weekday)')
    expect(() => chooseCalendarFeatures(['hour', 'dow'], cadence, 300 * DAY)).toThrow(
      'Calendar features: "dow" (day of week) needs dates with a year, and the time column has month, day and hour only (no weekday). Remove it (--calendar hour) or use --calendar auto.',
    )
  })
})

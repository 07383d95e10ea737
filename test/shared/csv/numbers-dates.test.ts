import { describe, expect, it } from 'vitest'
import { numberOut, parseNumberAt, parseNumberText } from '../../../src/shared/csv/bytes'
import {
  detectDateFormat,
  detectNumericTime,
  numericToTime,
  parseDateText,
} from '../../../src/shared/csv/datetime'
import {
  addMonths,
  civilFromMs,
  daysFromCivil,
  decimalYearToMs,
  formatTime,
} from '../../../src/shared/series/calendar'

const enc = new TextEncoder()

function fast(text: string, decimal = '.'): number | null {
  const bytes = enc.encode(text)
  const q = parseNumberAt(bytes, 0, bytes.length, decimal.charCodeAt(0))
  return q === bytes.length ? numberOut[0] : null
}

describe('number parsing from bytes', () => {
  it('agrees bit for bit with Number() on 20,000 random decimals (Clinger fast path or null)', () => {
    let seed = 12345
    const rand = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
      return seed / 2 ** 32
    }
    let fastPath = 0
    for (let i = 0; i < 20_000; i++) {
      const digits = 1 + Math.floor(rand() * 17)
      let s = ''
      for (let k = 0; k < digits; k++) s += Math.floor(rand() * 10)
      const point = Math.floor(rand() * (digits + 1))
      s = s.slice(0, point) + '.' + s.slice(point)
      if (rand() < 0.3) s += 'e' + (Math.floor(rand() * 60) - 30)
      if (rand() < 0.5) s = '-' + s
      const v = fast(s)
      if (v !== null) {
        fastPath++
        expect(Object.is(v, Number(s)), s).toBe(true)
      }
      // the parser falls back to Number() on text for the rest
      expect(Object.is(parseNumberText(s, '.'), Number(s)), s).toBe(true)
    }
    expect(fastPath).toBeGreaterThan(15_000)
  })

  it('declines what it cannot read exactly, instead of guessing', () => {
    expect(fast('12345678901234567890')).toBeNull() // mantissa above 2^53
    expect(fast('1e400')).toBeNull()
    expect(fast('1.5e-30')).toBeNull() // 10^-31 is not exact
    expect(fast('abc')).toBeNull()
    expect(fast('-')).toBeNull()
    expect(fast('1e')).toBeNull()
    expect(fast('2,5', ',')).toBe(2.5)
    expect(parseNumberText('2,5', ',')).toBe(2.5)
    expect(parseNumberText('2.5', ',')).toBeNaN()
    expect(parseNumberText('-inf', '.')).toBe(-Infinity)
    expect(parseNumberText('0x10', '.')).toBeNaN()
  })

  it('reads thousands grouped by the mark that is not the decimal one, in threes only', () => {
    expect(parseNumberText('15,041.60', '.')).toBe(15041.6)
    expect(parseNumberText('-1,234,567', '.')).toBe(-1234567)
    expect(parseNumberText('1.234,5', ',')).toBe(1234.5)
    expect(parseNumberText('12.345.678', ',')).toBe(12345678)
    // not groups of three: no guess
    expect(parseNumberText('1,5', '.')).toBeNaN()
    expect(parseNumberText('12,34.5', '.')).toBeNaN()
    expect(parseNumberText('1234,567.8', '.')).toBeNaN()
    expect(parseNumberText('1,234.5', ',')).toBeNaN()
  })
})

describe('calendar arithmetic', () => {
  it('daysFromCivil / civilFromMs agree with Date.UTC from 1600 to 2400', () => {
    for (let y = 1600; y <= 2400; y += 7) {
      for (const [m, d] of [
        [1, 1],
        [2, 28],
        [3, 1],
        [12, 31],
      ]) {
        const ms = Date.UTC(y, m - 1, d)
        expect(daysFromCivil(y, m, d) * 86_400_000).toBe(ms)
        const c = civilFromMs(ms + 3_723_004)
        expect([c.year, c.month, c.day, c.hour, c.minute, c.second, c.ms]).toEqual([
          y,
          m,
          d,
          1,
          2,
          3,
          4,
        ])
      }
    }
    expect(daysFromCivil(2000, 2, 29) * 86_400_000).toBe(Date.UTC(2000, 1, 29))
  })

  it('adds calendar months, clamping the day or keeping month ends', () => {
    expect(addMonths(Date.UTC(2020, 0, 31), 1)).toBe(Date.UTC(2020, 1, 29))
    expect(addMonths(Date.UTC(2020, 1, 29), 1, true)).toBe(Date.UTC(2020, 2, 31))
    expect(addMonths(Date.UTC(2020, 10, 15, 6), 14)).toBe(Date.UTC(2022, 0, 15, 6))
    expect(addMonths(Date.UTC(2020, 0, 1), -1)).toBe(Date.UTC(2019, 11, 1))
  })

  it('formats times', () => {
    expect(formatTime(Date.UTC(2009, 0, 1, 0, 10))).toBe('2009-01-01 00:10:00')
    expect(formatTime(Date.UTC(1749, 0), 'month')).toBe('1749-01')
    expect(decimalYearToMs(2001.5)).toBe(Date.UTC(2001, 0, 1) + 0.5 * 365 * 86_400_000)
  })
})

describe('datetime formats', () => {
  const U = Date.UTC
  const cases: [string, number][] = [
    ['2011-01-01 00:15:00', U(2011, 0, 1, 0, 15)],
    ['2011-01-01T00:15', U(2011, 0, 1, 0, 15)],
    ['2011-01-01T00:15:30.250Z', U(2011, 0, 1, 0, 15, 30, 250)],
    ['2011-01-01T00:15:00+02:00', U(2010, 11, 31, 22, 15)],
    ['2011-01-01T00:15:00-0530', U(2011, 0, 1, 5, 45)],
    ['2011-01-01', U(2011, 0, 1)],
    ['01.01.2009 00:10:00', U(2009, 0, 1, 0, 10)],
    ['31.12.2016 23:50:00', U(2016, 11, 31, 23, 50)],
    ['1749-01', U(1749, 0, 1)],
    ['2020/02/29', U(2020, 1, 29)],
    ['2020/02/29 13:05', U(2020, 1, 29, 13, 5)],
  ]

  it('parses each supported shape to the right UTC instant', () => {
    for (const [text, ms] of cases) {
      const detected = detectDateFormat([text])
      expect(detected, text).not.toBeNull()
      expect(parseDateText(text, detected!.spec), text).toBe(ms)
    }
  })

  it('names the formats', () => {
    expect(detectDateFormat(['01.01.2009 00:10:00'])?.label).toBe('dd.mm.yyyy HH:MM:SS')
    expect(detectDateFormat(['1749-01', '1749-02'])?.label).toBe('yyyy-mm')
    expect(detectDateFormat(['2011-01-01T00:15:00Z'])?.label).toBe('yyyy-mm-ddTHH:MM:SSZ')
    expect(detectDateFormat(['2020/02/29'])?.label).toBe('yyyy/mm/dd')
  })

  it('rejects impossible dates and times', () => {
    for (const bad of [
      '2021-02-29',
      '2021-13-01',
      '32.01.2020',
      '2020-01-01 25:00',
      '2020-01-01 10:61',
      '20200101',
      'May 1 2020',
      '2020-00',
    ]) {
      const d = detectDateFormat([bad])
      expect(d === null || Number.isNaN(parseDateText(bad, d.spec)), bad).toBe(true)
    }
  })

  it('tells mm/dd/yyyy from dd/mm/yyyy when a value decides, else uses the order that sorts', () => {
    const us = detectDateFormat(['01/02/2020', '01/13/2020', '02/01/2020'])
    expect(us?.label).toBe('mm/dd/yyyy')
    expect(us?.ambiguous).toBe(false)
    const eu = detectDateFormat(['01/02/2020', '13/02/2020'])
    expect(eu?.label).toBe('dd/mm/yyyy')
    // all ≤ 12: day-first keeps these sorted (1 Feb, 1 Mar, 2 Mar, 1 Apr); month-first does not
    const sorted = detectDateFormat(['01/02/2020', '01/03/2020', '02/03/2020', '01/04/2020'])
    expect(sorted?.label).toBe('dd/mm/yyyy')
    const tie = detectDateFormat(['05/05/2020'])
    expect(tie?.label).toBe('mm/dd/yyyy')
    expect(tie?.ambiguous).toBe(true)
  })

  it('reads unix seconds, unix ms, decimal years and years from numbers', () => {
    const check = (name: string, values: number[], first = false) => {
      const arr = Float64Array.from(values)
      const fmt = detectNumericTime(name, arr, arr.length, first)
      if (fmt) numericToTime(arr, arr.length, fmt)
      return { fmt, values: Array.from(arr) }
    }
    expect(check('ts', [1.6e9, 1.6e9 + 60])).toEqual({
      fmt: 'unix-s',
      values: [1.6e12, 1.6e12 + 60_000],
    })
    expect(check('time', [1.6e12, 1.6e12 + 1])).toEqual({
      fmt: 'unix-ms',
      values: [1.6e12, 1.6e12 + 1],
    })
    expect(check('year', [1949, 1950])).toEqual({
      fmt: 'yyyy',
      values: [Date.UTC(1949, 0), Date.UTC(1950, 0)],
    })
    // R writes monthly ts times rounded: 1991.496 is not a month start, so the exact fraction is used
    const d = check('time', [1991.496, 1991.5, 1991.504])
    expect(d.fmt).toBe('decimal-year')
    expect(d.values[0]).toBeCloseTo(decimalYearToMs(1991.496), -1)
    expect(check('time', [1749, 1749.083, 1749.167]).values).toEqual([
      Date.UTC(1749, 0),
      Date.UTC(1749, 1),
      Date.UTC(1749, 2),
    ])
    // not time-like: plain numbers stay numbers
    expect(check('sales', [1.6e9, 1.7e9]).fmt).toBeNull()
    expect(check('update_count', [1500, 1600]).fmt).toBeNull()
    expect(check('x', [1.6e9, 1.6e9 + 60], true).fmt).toBe('unix-s') // first column, increasing
    expect(check('x', [1.6e9 + 60, 1.6e9], true).fmt).toBeNull()
  })
})

import { describe, expect, it } from 'vitest'
import { SeqcastError } from '../../../src/shared/errors'
import type { Dataset } from '../../../src/shared/series/dataset'
import { decimalYearToMs } from '../../../src/shared/series/calendar'
import {
  analyzeTimeAxis,
  analyzeTimes,
  cadenceLabel,
  setTimeColumn,
} from '../../../src/shared/series/time-axis'

const U = Date.UTC
const MIN = 60_000

describe('cadence', () => {
  it('labels fixed cadences in the largest whole unit', () => {
    expect(cadenceLabel(10 * MIN)).toBe('10 min')
    expect(cadenceLabel(60 * MIN)).toBe('1 h')
    expect(cadenceLabel(90 * MIN)).toBe('90 min')
    expect(cadenceLabel(86_400_000)).toBe('1 day')
    expect(cadenceLabel(14 * 86_400_000)).toBe('2 weeks')
    expect(cadenceLabel(1000)).toBe('1 s')
    expect(cadenceLabel(250)).toBe('250 ms')
    // a step of no whole unit (1/12 of a mean year, read from decimal years) in human units
    expect(cadenceLabel(2626948800.000244)).toBe('30 d 9 h') // 30.40 days: 30 d 9 h 42 min
  })

  it('finds the dominant step even with gaps and duplicates', () => {
    const t = [0, 1, 2, 2, 3, 7, 8, 9].map((k) => U(2020, 0, 1) + k * 10 * MIN)
    const r = analyzeTimes(t, 't', 'iso')
    expect(r.cadence).toMatchObject({ ms: 10 * MIN, months: 0, label: '10 min' })
    expect(r.cadence!.share).toBeCloseTo(5 / 6)
    expect(r.duplicates.count).toBe(1)
    expect(r.duplicates.examples[0]).toMatchObject({ row: 3, firstRow: 2 })
    expect(r.gaps.count).toBe(1)
    expect(r.gaps.missingRows).toBe(3)
    expect(r.gaps.largest).toMatchObject({ afterRow: 4, beforeRow: 5, missingRows: 3 })
    expect(r.sorted).toBe(true)
  })

  it('uses calendar months for monthly, quarterly and yearly data, with gaps in months', () => {
    const months = [0, 1, 2, 3, 5, 6, 7, 11] // Feb 2021 has 28 days, Mar 31: not one fixed step
    const r = analyzeTimes(
      months.map((m) => U(2021, m, 1)),
      'd',
      'yyyy-mm',
    )
    expect(r.cadence).toMatchObject({ months: 1, label: '1 month', monthEnd: false })
    expect(r.gaps.count).toBe(2)
    expect(r.gaps.missingRows).toBe(1 + 3)
    expect(r.irregularSteps).toBe(0)
    const q = analyzeTimes(
      [0, 3, 6, 9, 12].map((m) => U(2020, m, 1)),
      'd',
      '',
    )
    expect(q.cadence?.label).toBe('1 quarter')
    const y = analyzeTimes(
      [2000, 2001, 2002, 2004].map((yr) => U(yr, 0, 1)),
      'd',
      '',
    )
    expect(y.cadence?.label).toBe('1 year')
    expect(y.gaps.missingRows).toBe(1)
    const ends = analyzeTimes(
      [U(2021, 0, 31), U(2021, 1, 28), U(2021, 2, 31), U(2021, 3, 30)],
      'd',
      '',
    )
    expect(ends.cadence).toMatchObject({ months: 1, monthEnd: true })
  })

  it('reports unsorted times with the first row going back, and missing times', () => {
    const r = analyzeTimes(
      [3, 1, 2, NaN, 4].map((k) => k * MIN),
      't',
      '',
    )
    expect(r.sorted).toBe(false)
    expect(r.unsortedSteps).toBe(1)
    expect(r.firstUnsortedRow).toBe(1)
    expect(r.missing).toBe(1)
    expect(r.count).toBe(4)
    expect(r.cadence?.label).toBe('1 min') // of the sorted times
    expect(r.start).toBe(MIN)
    expect(r.end).toBe(4 * MIN)
  })

  it('counts steps that are not whole multiples as irregular, not as gaps', () => {
    const r = analyzeTimes(
      [0, 10, 20, 30, 45, 55].map((m) => m * MIN),
      't',
      '',
    )
    expect(r.cadence?.label).toBe('10 min')
    expect(r.irregularSteps).toBe(1)
    expect(r.firstIrregular).toMatchObject({ afterRow: 3, beforeRow: 4 })
    expect(r.gaps.count).toBe(0)
  })

  it('has no cadence with fewer than two distinct times', () => {
    expect(analyzeTimes([5, 5], 't', '').cadence).toBeNull()
    expect(analyzeTimes([], 't', '').count).toBe(0)
  })
})

describe('setTimeColumn', () => {
  const ds: Dataset = {
    name: 'x.csv',
    rowCount: 3,
    timeColumn: null,
    columns: [
      {
        name: 'epoch',
        kind: 'numeric',
        values: Float64Array.from([1.6e9, 1.6e9 + 3600, 1.6e9 + 7200]),
      },
      { name: 'v', kind: 'numeric', values: Float64Array.from([1, 2, 3]) },
      {
        name: 'day',
        kind: 'text',
        codes: Int32Array.from([0, 1, 2]),
        categories: ['2020-01-01', '2020-01-02', '2020-01-04'],
      },
      { name: 'label', kind: 'text', codes: Int32Array.from([0, 0, 1]), categories: ['a', 'b'] },
    ],
  }

  it('converts a numeric column of unix seconds and reports its axis', () => {
    const d = setTimeColumn(ds, 'epoch')
    expect(d.timeColumn).toBe('epoch')
    const c = d.columns[0]
    expect(c.kind === 'datetime' && c.format).toBe('unix-s')
    expect(analyzeTimeAxis(d)?.cadence?.label).toBe('1 h')
    expect(ds.columns[0].kind).toBe('numeric') // input unchanged
  })

  it('converts a text column of dates and reads the gap', () => {
    const d = setTimeColumn(ds, 'day')
    const axis = analyzeTimeAxis(d)!
    expect(axis.format).toBe('yyyy-mm-dd')
    expect(axis.gaps.missingRows).toBe(1)
  })

  it('reads numbers as the format given', () => {
    const d = setTimeColumn(ds, 'v', { as: 'unix-ms' })
    const c = d.columns[1]
    expect(c.kind === 'datetime' && Array.from(c.values)).toEqual([1, 2, 3])
  })

  it('clears the time column with null', () => {
    expect(setTimeColumn(setTimeColumn(ds, 'epoch'), null).timeColumn).toBeNull()
  })

  it('throws column errors naming the column', () => {
    for (const [name, pattern] of [
      ['label', /column "label": cannot be the time column because it holds text/],
      ['v', /column "v": cannot be the time column because it holds numbers/],
      ['nope', /no column "nope".*"epoch", "v", "day", "label"/],
    ] as const) {
      let error: unknown
      try {
        setTimeColumn(ds, name)
      } catch (e) {
        error = e
      }
      expect(error).toBeInstanceOf(SeqcastError)
      expect((error as SeqcastError).kind).toBe('column')
      expect((error as SeqcastError).message).toMatch(pattern)
    }
  })
})

describe('decimal-year time axes (R ts, 260 rows a year)', () => {
  // EuStockMarkets starts at 1991.49615384615 and steps 1/260 year; leap years make the steps
  // differ in ms, so counted in ms 914 of 1,859 steps looked "irregular".
  const years = Array.from({ length: 1860 }, (_, i) => 1991.49615384615 + i / 260)
  const ms = (ys: number[]) => Float64Array.from(ys, decimalYearToMs)
  it('finds a cadence of 1/260 year on every step, no gaps, no irregular steps', () => {
    const r = analyzeTimes(ms(years), 'time', 'decimal-year')
    expect(r.cadence).toMatchObject({ perYear: 260, label: '1/260 year (about 1 trading day)' })
    expect(r.cadence!.share).toBe(1)
    expect(r.irregularSteps).toBe(0)
    expect(r.gaps.count).toBe(0)
  })
  it('counts two missing rows as one gap of two', () => {
    const holed = years.filter((_, i) => i !== 100 && i !== 101)
    const r = analyzeTimes(ms(holed), 'time', 'decimal-year')
    expect(r.gaps).toMatchObject({ count: 1, missingRows: 2 })
    expect(r.gaps.largest!.afterRow).toBe(99)
    expect(r.irregularSteps).toBe(0)
  })
})

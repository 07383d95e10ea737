import { describe, expect, it } from 'vitest'
import { parseCsv } from '../../../src/shared/csv'
import type { Dataset } from '../../../src/shared/series/dataset'
import { applyRepairs } from '../../../src/shared/series/repairs'
import { analyzeTimeAxis } from '../../../src/shared/series/time-axis'

const H = 3_600_000
const T0 = Date.UTC(2020, 0, 1)

function dataset(csv: string): Dataset {
  return parseCsv(csv, { fileName: 'r.csv' }).dataset
}

const values = (d: Dataset, name: string): (number | string | null)[] => {
  const c = d.columns.find((x) => x.name === name)!
  if (c.kind === 'text') return Array.from(c.codes, (k) => (k < 0 ? null : c.categories[k]))
  return Array.from(c.values, (v) => (Number.isNaN(v) ? null : v))
}

const hours = (d: Dataset): (number | null)[] =>
  values(d, 't').map((v) => (v === null ? null : ((v as number) - T0) / H))

const csv = [
  't,v,w,label',
  '2020-01-01 02:00,3,30,c',
  '2020-01-01 00:00,1,10,a',
  '2020-01-01 01:00,2,-9999,b',
  '2020-01-01 00:00,1,10,a', // exact duplicate of line 3
  '2020-01-01 00:00,9,90,z', // same time, different values: kept
  '2020-01-01 05:00,,60,f',
  '2020-01-01 07:00,8,-9999,h',
].join('\n')

describe('applyRepairs', () => {
  it('changes nothing without options and never mutates its input', () => {
    const d = dataset(csv)
    const before = JSON.stringify(values(d, 'v'))
    const r = applyRepairs(d, {})
    expect(r.dataset.rowCount).toBe(7)
    expect(values(r.dataset, 'v')).toEqual(values(d, 'v'))
    expect(r.summary.notes).toEqual([])
    applyRepairs(d, {
      sortByTime: true,
      dropDuplicateRows: true,
      fillGaps: true,
      fillMissing: 'linear',
      sentinels: [-9999],
    })
    expect(JSON.stringify(values(d, 'v'))).toBe(before)
    expect(values(d, 'w')).toContain(-9999)
  })

  it('sorts by time stably: equal times keep their file order', () => {
    const r = applyRepairs(dataset(csv), { sortByTime: true })
    expect(hours(r.dataset)).toEqual([0, 0, 0, 1, 2, 5, 7])
    expect(values(r.dataset, 'label')).toEqual(['a', 'a', 'z', 'b', 'c', 'f', 'h'])
    expect(r.summary.sorted).toBe(true)
    expect(r.summary.rowsMoved).toBe(5)
    expect(analyzeTimeAxis(r.dataset)?.sorted).toBe(true)
  })

  it('drops exact duplicate rows only', () => {
    const r = applyRepairs(dataset(csv), { dropDuplicateRows: true })
    expect(r.summary.duplicatesDropped).toBe(1)
    expect(values(r.dataset, 'label')).toEqual(['c', 'a', 'b', 'z', 'f', 'h'])
  })

  it('treats sentinels as missing', () => {
    const r = applyRepairs(dataset(csv), { sentinels: [-9999] })
    expect(values(r.dataset, 'w')).toEqual([30, 10, null, 10, 90, 60, null])
    expect(r.summary.sentinelsReplaced).toBe(2)
  })

  it('fills gaps at the cadence after sorting, then interpolates in time', () => {
    const r = applyRepairs(dataset(csv), {
      sortByTime: true,
      dropDuplicateRows: true,
      fillGaps: true,
      sentinels: [-9999],
      fillMissing: 'linear',
    })
    expect(hours(r.dataset)).toEqual([0, 0, 1, 2, 3, 4, 5, 6, 7])
    expect(r.summary.rowsInserted).toBe(3)
    // v: 1, 9 at 0h; 2 at 1h; 3 at 2h; missing 3h, 4h, 5h; 8 at 7h with 6h missing
    expect(values(r.dataset, 'v')).toEqual([1, 9, 2, 3, 4, 5, 6, 7, 8])
    // w: 10, 90, (sentinel), 30, _, _, 60, _, (sentinel): the last two have no right neighbour
    expect(values(r.dataset, 'w')).toEqual([10, 90, 60, 30, 40, 50, 60, null, null])
    expect(values(r.dataset, 'label')).toEqual(['a', 'z', 'b', 'c', null, null, 'f', null, 'h'])
    expect(r.summary.stillMissing).toBe(2)
    expect(r.summary.notes.join(' ')).toMatch(/2 at the start or end of a column/)
    const axis = analyzeTimeAxis(r.dataset)!
    expect(axis.gaps.count).toBe(0)
  })

  it('forward-fills, leaving values before the first reading missing', () => {
    const d = dataset('t,v\n2020-01-01,\n2020-01-02,1\n2020-01-03,\n2020-01-04,\n2020-01-05,4\n')
    const r = applyRepairs(d, { fillMissing: 'ffill' })
    expect(values(r.dataset, 'v')).toEqual([null, 1, 1, 1, 4])
    expect(r.summary.valuesFilled).toBe(2)
    expect(r.summary.stillMissing).toBe(1)
  })

  it('interpolates by row without a time column, and only in the chosen columns', () => {
    const d = dataset('a,b\n0,0\n,\n,\n3,6\n')
    const r = applyRepairs(d, { fillMissing: 'linear', columns: ['a'] })
    expect(values(r.dataset, 'a')).toEqual([0, 1, 2, 3])
    expect(values(r.dataset, 'b')).toEqual([0, null, null, 6])
  })

  it('fills monthly gaps with calendar months', () => {
    const d = dataset('date,x\n2020-01,1\n2020-02,2\n2020-05,5\n2020-06,6\n')
    const r = applyRepairs(d, { fillGaps: true, fillMissing: 'linear' })
    expect(values(r.dataset, 'date')).toEqual([0, 1, 2, 3, 4, 5].map((m) => Date.UTC(2020, m, 1)))
    // interpolation in time: March and April lie 29 and 60 days after Feb 1 (of 90 to May 1)
    const x = values(r.dataset, 'x') as number[]
    expect(x[2]).toBeCloseTo(2 + (3 * 29) / 90, 12)
    expect(x[3]).toBeCloseTo(2 + (3 * 60) / 90, 12)
  })

  it('explains steps it cannot take', () => {
    const unsorted = applyRepairs(dataset(csv), { fillGaps: true })
    expect(unsorted.summary.rowsInserted).toBe(0)
    expect(unsorted.summary.notes[0]).toMatch(/not sorted; sort by time first/)
    const noTime = applyRepairs(dataset('a\n1\n2\n'), { sortByTime: true, fillGaps: true })
    expect(noTime.summary.notes).toHaveLength(2)
    expect(noTime.summary.notes[0]).toMatch(/no time column/)
    const huge = applyRepairs(
      dataset('t,v\n2020-01-01 00:00,1\n2020-01-01 00:01,2\n2021-01-01 00:00,3\n'),
      {
        fillGaps: true,
        maxInsertedRows: 1000,
      },
    )
    expect(huge.summary.notes[0]).toMatch(/would insert 527038 rows/)
    expect(huge.dataset.rowCount).toBe(3)
  })
})

describe('±Infinity in the repairs', () => {
  // a dataset built in memory (an older saved dataset, a transform): the import never leaves
  // infinities, but the repairs must not carry one forward or interpolate towards it
  const inMemory = (v: number[]): Dataset => ({
    name: 'm.csv',
    rowCount: v.length,
    timeColumn: null,
    columns: [{ name: 'v', kind: 'numeric', values: Float64Array.from(v) }],
  })

  it('forward fill replaces ±Infinity like a missing value', () => {
    const r = applyRepairs(inMemory([1, Infinity, NaN, 4, -Infinity]), { fillMissing: 'ffill' })
    expect(values(r.dataset, 'v')).toEqual([1, 1, 1, 4, 4])
    expect([r.summary.valuesFilled, r.summary.stillMissing]).toEqual([3, 0])
  })

  it('linear interpolation skips ±Infinity and counts the edges as still missing', () => {
    const r = applyRepairs(inMemory([Infinity, 2, Infinity, -Infinity, 8, NaN]), {
      fillMissing: 'linear',
    })
    // rows 2 and 3 lie 1/3 and 2/3 of the way from 2 (row 1) to 8 (row 4)
    expect(values(r.dataset, 'v')).toEqual([null, 2, 4, 6, 8, null])
    expect(r.summary.valuesFilled).toBe(2)
    expect(r.summary.stillMissing).toBe(2)
    // the edge at row 0 was +Infinity: it is now counted as missing, not kept as a value
    expect(Number.isFinite((r.dataset.columns[0] as { values: Float64Array }).values[0])).toBe(
      false,
    )
  })

  it('a file with Inf cells imports them as missing, so every repair sees gaps', () => {
    const d = dataset('x,v\n1,1\n2,Inf\n3,3\n4,-1e999\n5,5\n')
    const r = applyRepairs(d, { fillMissing: 'linear' })
    expect(values(r.dataset, 'v')).toEqual([1, 2, 3, 4, 5])
  })
})

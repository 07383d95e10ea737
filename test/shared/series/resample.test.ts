import { describe, expect, it } from 'vitest'
import type { Dataset } from '../../../src/shared/series/dataset'
import { resampleDataset } from '../../../src/shared/series/resample'

const H = 3_600_000
const U = Date.UTC
// Irregular readings: 00:10, 00:40, 01:20, (no reading in 02:00–03:00), 03:05, 03:50.
const data: Dataset = {
  name: 'irregular.csv',
  rowCount: 5,
  timeColumn: 'time',
  columns: [
    {
      name: 'time',
      kind: 'datetime',
      format: 'iso',
      values: Float64Array.of(
        U(2024, 0, 1, 0, 10),
        U(2024, 0, 1, 0, 40),
        U(2024, 0, 1, 1, 20),
        U(2024, 0, 1, 3, 5),
        U(2024, 0, 1, 3, 50),
      ),
    },
    { name: 'rain', kind: 'numeric', values: Float64Array.of(1, 3, 2, NaN, 4) },
    { name: 'sky', kind: 'text', codes: Int32Array.of(0, 1, 1, 0, 1), categories: ['sun', 'fog'] },
  ],
}

const col = (d: Dataset, name: string) => d.columns.find((c) => c.name === name)!

describe('resample to a regular cadence', () => {
  it('hourly buckets from the first time: mean, sum and last, empty buckets missing', () => {
    // Buckets start at 00:10, 01:10, 02:10, 03:10: {00:10, 00:40}, {01:20}, {03:05}, {03:50};
    // 03:05 is 2 h 55 min after 00:10 (bucket 2) and has no rain reading.
    const mean = resampleDataset(data, { stepMs: H, how: 'mean' })
    expect(mean.rowsAfter).toBe(4)
    const t = col(mean.dataset, 'time')
    expect(t.kind === 'datetime' && Array.from(t.values)).toEqual([
      U(2024, 0, 1, 0, 10),
      U(2024, 0, 1, 1, 10),
      U(2024, 0, 1, 2, 10),
      U(2024, 0, 1, 3, 10),
    ])
    const v = (r: typeof mean) => {
      const c = col(r.dataset, 'rain')
      return c.kind === 'numeric' ? Array.from(c.values) : []
    }
    expect(v(mean)).toEqual([2, 2, NaN, 4]) // (1 + 3) / 2; the 03:05 reading is missing
    expect(v(resampleDataset(data, { stepMs: H, how: 'sum' }))).toEqual([4, 2, NaN, 4])
    expect(v(resampleDataset(data, { stepMs: H, how: 'last' }))).toEqual([3, 2, NaN, 4])
    const sky = col(mean.dataset, 'sky')
    expect(sky.kind === 'text' && Array.from(sky.codes)).toEqual([1, 1, 0, 1])
    expect(mean.note).toBe(
      'Resampled to one row per bucket (mean of each numeric column): 5 rows became 4.',
    )
  })
  it('calendar months: buckets on the first of each month', () => {
    const days: Dataset = {
      name: 'd.csv',
      rowCount: 4,
      timeColumn: 'date',
      columns: [
        {
          name: 'date',
          kind: 'datetime',
          format: 'yyyy-mm-dd',
          values: Float64Array.of(U(2024, 0, 5), U(2024, 0, 20), U(2024, 2, 3), U(2024, 2, 31)),
        },
        { name: 'x', kind: 'numeric', values: Float64Array.of(1, 2, 10, 20) },
      ],
    }
    const r = resampleDataset(days, { stepMs: 0, months: 1, how: 'sum' })
    const t = col(r.dataset, 'date')
    expect(t.kind === 'datetime' && Array.from(t.values)).toEqual([
      U(2024, 0, 1),
      U(2024, 1, 1),
      U(2024, 2, 1),
    ])
    const x = col(r.dataset, 'x')
    expect(x.kind === 'numeric' && Array.from(x.values)).toEqual([3, NaN, 30])
    expect(r.emptyBuckets).toBe(1)
  })
})

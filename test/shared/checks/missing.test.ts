import { describe, expect, it } from 'vitest'
import { checkDatasetFits, modelColumns } from '../../../src/shared/checks/dataset-fit'
import { checkMissing } from '../../../src/shared/checks/missing'
import type { Dataset } from '../../../src/shared/series/dataset'
import type { SeqcastError } from '../../../src/shared/errors'
import type { ExperimentConfig } from '../../../src/shared/experiment'
import { prepareExperiment } from '../../../src/shared/prepare'

function error(values: number[], from = 0, to = values.length - 1): SeqcastError | null {
  try {
    checkMissing('f.csv', 'x', Float64Array.from(values), from, to)
    return null
  } catch (e) {
    return e as SeqcastError
  }
}

describe('checkMissing', () => {
  it('passes complete rows and ignores gaps outside the rows it checks', () => {
    expect(error([1, 2, 3])).toBeNull()
    expect(error([NaN, 2, 3, Infinity], 1, 2)).toBeNull()
  })

  it('names the first missing row (1-based data row) and the count', () => {
    const e = error([1, 2, NaN, 4, NaN])!
    expect(e.kind).toBe('column')
    expect(e.message).toMatch(/Column "x" of f\.csv has 2 missing values \(first in data row 3\)/)
    expect(e.message).toMatch(/--fill/)
    expect(e.details).toMatchObject({ file: 'f.csv', column: 'x', row: 3, count: 2, infinite: 0 })
  })

  it('treats ±Infinity as missing and says so', () => {
    const e = error([1, -Infinity, 3, Infinity, NaN])!
    expect(e.message).toMatch(/has 3 missing or infinite values \(first in data row 2\)/)
    expect(e.details).toMatchObject({ row: 2, count: 3, infinite: 2 })
  })
})

describe('checkDatasetFits (predict): the rows a model reads', () => {
  const manifest = {
    experiment: {
      target: 'y',
      features: ['x', 'y'],
      window: { sequenceLength: 3, samplingRate: 1, sequenceStride: 1, delay: 3, horizon: 1 },
    },
    dataset: { name: 'train.csv' },
    model: { name: 'm' },
  } as unknown as Parameters<typeof checkDatasetFits>[0]
  const dataset = (x: number[], y: number[]): Dataset => ({
    name: 'new.csv',
    rowCount: x.length,
    timeColumn: null,
    columns: [
      { name: 'x', kind: 'numeric', values: Float64Array.from(x) },
      { name: 'y', kind: 'numeric', values: Float64Array.from(y) },
    ],
  })

  it('accepts complete rows', () => {
    expect(() =>
      checkDatasetFits(manifest, dataset([1, 2, 3, 4, 5], [1, 2, 3, 4, 5])),
    ).not.toThrow()
  })

  it('refuses ±Infinity in a feature, naming the column and row and the fix', () => {
    expect(() =>
      checkDatasetFits(manifest, dataset([1, 2, -Infinity, 4, 5], [1, 2, 3, 4, 5])),
    ).toThrow(
      /^Column "x" of new\.csv has 1 missing or infinite value \(first in data row 3\)\..*--fill/,
    )
  })

  it('a statistical model reads its target alone: a file without the features fits, and one without the target is told so', () => {
    const ets = {
      ...manifest,
      model: { name: 'ets', statistical: { kind: 'ets' } },
    } as unknown as Parameters<typeof checkDatasetFits>[0]
    expect(modelColumns(ets)).toEqual(['y'])
    expect(modelColumns(manifest)).toEqual(['x', 'y'])
    const onlyTarget = (y: number[]): Dataset => ({
      name: 'y-only.csv',
      rowCount: y.length,
      timeColumn: null,
      columns: [{ name: 'y', kind: 'numeric', values: Float64Array.from(y) }],
    })
    expect(() => checkDatasetFits(ets, onlyTarget([1, 2, 3, 4, 5]))).not.toThrow()
    // A window model still needs its feature x.
    expect(() => checkDatasetFits(manifest, onlyTarget([1, 2, 3, 4, 5]))).toThrow(
      /^y-only\.csv lacks the column "x"/,
    )
    const onlyX: Dataset = { ...onlyTarget([1, 2, 3, 4, 5]), name: 'x-only.csv' }
    onlyX.columns = [{ name: 'x', kind: 'numeric', values: Float64Array.of(1, 2, 3, 4, 5) }]
    expect(() => checkDatasetFits(ets, onlyX)).toThrow(
      'x-only.csv lacks the column "y" that the model "ets" reads (a statistical model trained on train.csv, it reads its target "y" alone). Numeric columns in x-only.csv: "x". Rename the columns or use a file with the same schema.',
    )
  })
})

describe('prepareExperiment (training): infinities are refused before any training', () => {
  // An Infinity reaching the model made the normalization NaN (the column "constant") and the
  // loss NaN far from the cell; now the cell is named before training.
  const config: ExperimentConfig = {
    target: 'y',
    features: ['y'],
    window: { sequenceLength: 2, samplingRate: 1, sequenceStride: 1, delay: 2, horizon: 1 },
    split: { train: 0.5, val: 0.25 },
    normalization: 'zscore',
    seasonRows: null,
  }
  const data = (y: number[]): Dataset => ({
    name: 'held.csv',
    rowCount: y.length,
    timeColumn: null,
    columns: [{ name: 'y', kind: 'numeric', values: Float64Array.from(y) }],
  })
  const y = Array.from({ length: 40 }, (_, i) => Math.sin(i))

  it('names the column, the first row and the fix', () => {
    const bad = [...y]
    bad[7] = Infinity
    bad[30] = -Infinity
    expect(() => prepareExperiment(data(bad), config)).toThrow(
      /^Column "y" of held\.csv has 2 missing or infinite values \(first in data row 8\)\..*--fill/,
    )
    expect(() => prepareExperiment(data(y), config)).not.toThrow()
  })
})

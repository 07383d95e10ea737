import { describe, expect, it } from 'vitest'
import { checkOneHotColumns } from '../../src/shared/checks/run'
import type { ExperimentConfig } from '../../src/shared/experiment'
import { prepareExperiment } from '../../src/shared/prepare'
import { NO_TRANSFORM } from '../../src/shared/transforms/spec'
import type { Dataset, NumericColumn, TextColumn } from '../../src/shared/series/dataset'
import {
  MAX_CATEGORIES,
  oneHotEligibility,
  oneHotEncode,
  oneHotSetting,
} from '../../src/shared/features/one-hot'

function text(name: string, values: (string | null)[]): TextColumn {
  const categories: string[] = []
  const codes = Int32Array.from(values, (v) => {
    if (v === null) return -1
    let i = categories.indexOf(v)
    if (i < 0) i = categories.push(v) - 1
    return i
  })
  return { name, kind: 'text', codes, categories }
}

describe('one-hot encoding', () => {
  const weather = text('weather', ['sun', 'rain', null, 'sun', 'fog'])

  it('one 0/1 column per category, sorted, missing values all zeros (by hand)', () => {
    const setting = oneHotSetting(weather)
    expect(setting).toEqual({ column: 'weather', categories: ['fog', 'rain', 'sun'] })
    const r = oneHotEncode(weather, setting)
    expect(r.names).toEqual(['weather=fog', 'weather=rain', 'weather=sun'])
    expect(r.values.map((v) => Array.from(v))).toEqual([
      [0, 0, 0, 0, 1], // fog
      [0, 1, 0, 0, 0], // rain
      [1, 0, 0, 1, 0], // sun
    ])
    expect(r.warning).toBeNull()
  })

  it('encodes another file with the trained categories; an unseen value is all zeros with a warning', () => {
    const setting = oneHotSetting(weather)
    const later = text('weather', ['snow', 'sun', 'snow'])
    const r = oneHotEncode(later, setting)
    expect(r.values.map((v) => Array.from(v))).toEqual([
      [0, 0, 0],
      [0, 0, 0],
      [0, 1, 0],
    ])
    expect(r.unknown).toEqual([{ value: 'snow', rows: [0, 2] }])
    expect(r.warning).toBe(
      'Column "weather": "snow" (2 rows: data rows 1, 3) was not among the categories the model was trained with (fog, rain, sun): encoded as all zeros.',
    )
  })

  it(`offers columns of 2 to ${MAX_CATEGORIES} distinct values, and says why not otherwise`, () => {
    expect(oneHotEligibility(weather)).toEqual({
      ok: true,
      reason: '3 distinct values: can be one-hot encoded as 3 features',
    })
    const ids = text(
      'id',
      Array.from({ length: 13 }, (_, i) => `id${i}`),
    )
    expect(oneHotEligibility(ids)).toEqual({
      ok: false,
      reason:
        '13 distinct values, more than 12: too many to one-hot encode (an identifier or free text?)',
    })
    expect(oneHotEligibility(text('one', ['a', 'a'])).ok).toBe(false)
  })
})

describe('one-hot input names that the file already has', () => {
  const rows = 40
  const weather = text(
    'weather',
    Array.from({ length: rows }, (_, r) => (r % 3 === 0 ? 'rain' : 'sun')),
  )
  const numeric = (name: string): NumericColumn => ({
    name,
    kind: 'numeric',
    values: Float64Array.from({ length: rows }, (_, r) => r % 5),
  })
  const dataset = (second: string): Dataset => ({
    name: 'clash.csv',
    rowCount: rows,
    timeColumn: null,
    columns: [numeric('y'), weather, numeric(second)],
  })
  const experiment: ExperimentConfig = {
    target: 'y',
    features: ['y'],
    window: { sequenceLength: 3, samplingRate: 1, sequenceStride: 1, delay: 3, horizon: 1 },
    split: { train: 0.5, val: 0.25 },
    normalization: 'zscore',
    seasonRows: null,
    transform: NO_TRANSFORM,
    calendar: 'none',
    oneHot: [{ column: 'weather', categories: [] }],
  }
  const expected =
    'One-hot: column "weather" would add an input named "weather=rain", and clash.csv already has a column named "weather=rain", so two inputs would share one name. Rename the column "weather=rain" in the file (for example to "weather_rain"), or untick "weather" under Text columns in the Experiment view (or leave it out of --one-hot).'

  it('are refused naming both columns, by the check and by prepare (the engine and the app)', () => {
    expect(() => checkOneHotColumns(dataset('weather=rain'), experiment.oneHot!)).toThrow(expected)
    // Even when the numeric column is not a feature: the names would still be one.
    expect(() => prepareExperiment(dataset('weather=rain'), experiment)).toThrow(expected)
  })

  it('pass once that column is renamed (the same file otherwise)', () => {
    const prepared = prepareExperiment(dataset('weather_rain'), experiment)
    expect(prepared.config.oneHot).toEqual([{ column: 'weather', categories: ['rain', 'sun'] }])
  })

  it('two text columns joining to one name are refused, naming both', () => {
    const a = text('a', ['b=c', 'x', 'b=c', 'x'])
    const ab = text('a=b', ['c', 'y', 'c', 'y'])
    const d: Dataset = { name: 'two.csv', rowCount: 4, timeColumn: null, columns: [a, ab] }
    const settings = [
      { column: 'a', categories: [] },
      { column: 'a=b', categories: [] },
    ]
    expect(() => checkOneHotColumns(d, settings)).toThrow(
      'One-hot: columns "a" and "a=b" of two.csv would both add an input named "a=b=c". Rename one of them in the file, or untick "a=b" under Text columns in the Experiment view (or leave it out of --one-hot).',
    )
  })
})

import { describe, expect, it } from 'vitest'
import type { SeqcastError } from '../../src/shared/errors'
import { forecastSetCsv, parseForecastCsv } from '../../src/shared/forecast-csv'
import { modelColumns } from '../../src/shared/checks/dataset-fit'
import type { ModelManifest } from '../../src/shared/manifest'
import type { ForecastSet } from '../../src/shared/run'
import type { Dataset } from '../../src/shared/series/dataset'
import {
  datasetForModel,
  futureContext,
  predictData,
  predictionWindows,
} from '../../src/renderer/src/lib/predict'
import { requestData } from '../../src/renderer/src/lib/run-data'

const T0 = Date.UTC(2017, 0, 1)
const STEP = 600_000

function dataset(rows: number): Dataset {
  const seq = (f: (i: number) => number) => Float64Array.from({ length: rows }, (_, i) => f(i))
  return {
    name: 'new.csv',
    rowCount: rows,
    timeColumn: 'Date Time',
    columns: [
      { name: 'Date Time', kind: 'datetime', values: seq((i) => T0 + i * STEP), format: 'x' },
      { name: 'p', kind: 'numeric', values: seq((i) => 1000 + i) },
      { name: 'T', kind: 'numeric', values: seq((i) => i / 10) },
      { name: 'rh', kind: 'numeric', values: seq((i) => 50 + i) },
      { name: 'note', kind: 'text', codes: new Int32Array(rows), categories: ['x'] },
    ],
  }
}

function manifest(features: string[], target: string): ModelManifest {
  return {
    name: 'LSTM(16)',
    model: { name: 'LSTM(16)' },
    dataset: { name: 'train.csv', rowCount: 100, columns: [], timeColumn: 'Date Time' },
    experiment: {
      target,
      features,
      window: { sequenceLength: 4, samplingRate: 1, sequenceStride: 1, delay: 5, horizon: 2 },
      split: { train: 0.5, val: 0.25 },
      normalization: 'zscore',
      seasonRows: null,
    },
  } as unknown as ModelManifest
}

function thrown(fn: () => unknown): SeqcastError {
  try {
    fn()
  } catch (e) {
    return e as SeqcastError
  }
  throw new Error('expected an error')
}

describe('predictData (the columns of a model:predict request)', () => {
  it('sends the manifest’s columns in its order (features, then the target once), the time axis and the schema', () => {
    const d = dataset(10)
    const m = manifest(['rh', 'T', 'p'], 'T')
    expect(modelColumns(m)).toEqual(['rh', 'T', 'p'])
    const data = predictData(d, m)
    expect(data.columns.map((c) => c.name)).toEqual(['rh', 'T', 'p'])
    expect(data.columns[0].values).toBe((d.columns[3] as { values: Float64Array }).values)
    expect(data.timeColumn).toBe('Date Time')
    expect(data.timestamps?.[1]).toBe(T0 + STEP)
    expect(data.schema).toEqual([
      { name: 'Date Time', kind: 'datetime' },
      { name: 'p', kind: 'numeric' },
      { name: 'T', kind: 'numeric' },
      { name: 'rh', kind: 'numeric' },
      { name: 'note', kind: 'text' },
    ])
    expect(data.rowCount).toBe(10)
    expect(data.datasetName).toBe('new.csv')
    expect(predictData(d, manifest(['p'], 'T')).columns.map((c) => c.name)).toEqual(['p', 'T'])
  })

  it('refuses a file that lacks a column before sending anything, naming it', () => {
    const e = thrown(() => predictData(dataset(10), manifest(['p', 'wv', 'T'], 'T')))
    expect(e.kind).toBe('model-mismatch')
    expect(e.message).toBe(
      'new.csv lacks the column "wv" that the model "LSTM(16)" reads (it was trained on train.csv with features "p", "wv", "T" and target "T"). ' +
        'Numeric columns in new.csv: "p", "T", "rh". Rename the columns or use a file with the same schema.',
    )
  })

  it('names a column that holds text where the model reads numbers', () => {
    const e = thrown(() => predictData(dataset(10), manifest(['p', 'note'], 'T')))
    expect(e.kind).toBe('model-mismatch')
    expect(e.message).toBe(
      'Column "note" of new.csv holds text, but the model "LSTM(16)" was trained on numbers in that column. ' +
        'Fix the cells that are not numbers (the import report lists them) or use a file with the same schema.',
    )
    expect(e.details).toMatchObject({ column: 'note', received: 'text' })
  })

  it('refuses a file with a gap where the model reads, naming the column and the first row', () => {
    const d = dataset(10)
    const rh = d.columns[3] as { values: Float64Array }
    rh.values[6] = NaN
    rh.values[8] = NaN
    const e = thrown(() => predictData(d, manifest(['rh', 'T'], 'T')))
    expect(e.kind).toBe('column')
    expect(e.details).toMatchObject({ column: 'rh', row: 7, count: 2 })
    expect(e.message).toMatch(
      /^Column "rh" of new\.csv has 2 missing values \(first in data row 7\)\./,
    )
  })

  it('says which columns are missing when the file has none of them', () => {
    const e = thrown(() => predictData(dataset(10), manifest(['a', 'b'], 'b')))
    expect(e.kind).toBe('model-mismatch')
    expect(e.message).toMatch(/^new\.csv lacks the columns "a", "b" that the model "LSTM\(16\)"/)
    expect(e.message).toContain('Numeric columns in new.csv: "p", "T", "rh".')
  })
})

describe('forecast sets', () => {
  const set: ForecastSet = {
    dataset: { name: 'new.csv', rowCount: 20 },
    forecast: {
      horizon: 2,
      rowIndex: Int32Array.of(5, 6, 6, 7),
      timestamps: Float64Array.of(5, 6, 6, 7).map((r) => T0 + r * STEP),
      actual: Float64Array.of(1, 2, 2, 3),
      predicted: Float64Array.of(1.5, 2.25, 1.75, 3.5),
    },
    future: {
      horizon: 2,
      fromRow: 19,
      rowIndex: Int32Array.of(20, 21),
      timestamps: Float64Array.of(T0 + 20 * STEP, T0 + 21 * STEP),
      predicted: Float64Array.of(4.125, 4.5),
    },
    metrics: null,
    baselines: {},
    comparison: {},
  }

  it('writes the CLI’s forecasts CSV: every window as split "all", then the future rows', () => {
    const text = forecastSetCsv(set)
    const lines = text.trimEnd().split('\n')
    expect(lines).toEqual([
      'timestamp,split,row,step,actual,predicted,residual,lower,upper,origin',
      '2017-01-01T00:50:00.000Z,all,5,1,1,1.5,-0.5,,,',
      '2017-01-01T01:00:00.000Z,all,6,2,2,2.25,-0.25,,,',
      '2017-01-01T01:00:00.000Z,all,6,1,2,1.75,0.25,,,',
      '2017-01-01T01:10:00.000Z,all,7,2,3,3.5,-0.5,,,',
      '2017-01-01T03:20:00.000Z,future,20,1,,4.125,,,,',
      '2017-01-01T03:30:00.000Z,future,21,2,,4.5,,,,',
    ])
    expect(parseForecastCsv(text)).toHaveLength(6)
    expect(predictionWindows(set)).toBe(2)
    expect(
      forecastSetCsv({ ...set, future: null })
        .trimEnd()
        .split('\n'),
    ).toHaveLength(5)
  })

  it('keeps the last rows of the target for the future chart', () => {
    const d = dataset(1000)
    const c = futureContext(d, 'T', { delay: 100, horizon: 2 })!
    // max(200, 3 · (delay + horizon)) = 306 rows
    expect(c.firstRow).toBe(694)
    expect(c.values.length).toBe(306)
    expect(c.values[0]).toBe(69.4)
    expect(c.times?.[305]).toBe(T0 + 999 * STEP)
    expect(c.values.buffer.byteLength).toBe(306 * 8)
    expect(futureContext(dataset(50), 'T', { delay: 5, horizon: 1 })!.firstRow).toBe(0)
    expect(futureContext(d, 'note', { delay: 5, horizon: 1 })).toBeNull()
  })
})

describe('requestData with one-hot columns', () => {
  it('carries the named text columns as codes and labels; a model that one-hot encodes one asks for it', () => {
    const d = dataset(3)
    const data = requestData(d, [], ['note'])
    expect(data.textColumns).toEqual([
      { name: 'note', codes: new Int32Array(3), categories: ['x'] },
    ])
    expect(requestData(d, []).textColumns).toBeUndefined()
    const m = manifest(['T'], 'T')
    m.experiment.oneHot = [{ column: 'note', categories: ['x', 'y'] }]
    expect(predictData(dataset(10), m).textColumns?.map((c) => c.name)).toEqual(['note'])
  })

  it('refuses a column that is not text, naming it and where to fix it', () => {
    expect(thrown(() => requestData(dataset(3), [], ['p'])).message).toBe(
      'new.csv has no text column "p" to one-hot encode. Pick the one-hot columns again in the Experiment view.',
    )
  })
})

describe('the dataset offered for a model', () => {
  const cols = (...names: string[]) => names.map((name) => ({ name, kind: 'numeric' }))
  const stocks = { id: 'eu', columns: [{ name: 'time', kind: 'datetime' }, ...cols('DAX', 'SMI')] }
  const weather = { id: 'sea', columns: cols('temp_max', 'wind') }
  const copy = { id: 'sea2', columns: cols('temp_max', 'wind') }
  const textual = { id: 'txt', columns: [{ name: 'temp_max', kind: 'text' }, ...cols('wind')] }
  const all = [stocks, textual, copy, weather]
  const needs = ['temp_max', 'wind']

  it('keeps the chosen dataset while it has every column the model reads', () => {
    expect(datasetForModel(needs, 'sea2', 'sea', all)).toBe('sea2')
  })

  it('a weather model with the stock file chosen: its own training dataset instead', () => {
    expect(datasetForModel(needs, 'eu', 'sea', all)).toBe('sea')
  })

  it('its own dataset deleted: the first that fits (a text column of the name does not)', () => {
    expect(datasetForModel(needs, 'eu', 'gone', all)).toBe('sea2')
  })

  it('none fits: the choice stays, so the view can say what is missing', () => {
    expect(datasetForModel(['p'], 'eu', 'sea', all)).toBe('eu')
  })
})

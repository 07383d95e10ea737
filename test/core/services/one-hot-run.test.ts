/**
 * A one-hot run as the app sends it, through a real worker: the request data carries the text
 * column as codes and labels (validated by the `run:start` schema), the training service fixes
 * the categories and trains, and `model:predict` with the exported package reproduces the run's
 * test forecasts. Labels after a window's last row do not change its forecast (no look-ahead).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApi } from '../../../src/core/services/api'
import { createEngineFacade } from '../../../src/core/services/engine-facade'
import { createServices, datasetFromRunData } from '../../../src/core/services/handlers'
import { EngineHost } from '../../../src/core/engine/host'
import { trainRun } from '../../../src/core/services/train-run'
import { requestSchemas, type RunData } from '../../../src/shared/ipc/contract'
import type { ForecastSet, RunResult } from '../../../src/shared/run'
import {
  fileSchema,
  findColumn,
  timeValues,
  type Dataset,
  type TextColumn,
} from '../../../src/shared/series/dataset'
import { seededRandom } from '../../../src/shared/windows/random'
import { runConfig, spec, tsxWorker, window } from '../engine/helpers'

const host = new EngineHost({ createWorker: tsxWorker })
const services = createServices({
  info: { name: 'seqcast', version: 'test', platform: process.platform, versions: {} },
  transport: 'browser',
  broadcast: () => {},
  engine: createEngineFacade(host),
})
const api = createApi(services.handlers)
afterAll(async () => {
  services.shutdown()
  await host.dispose()
})

const ROWS = 300
const LABELS = ['sun', 'rain', 'fog']
const EFFECT: Record<string, number> = { sun: 0, rain: 8, fog: 3 }

/** Daily rows: weather random (seeded), y[r] = 5 + EFFECT[weather[r − 1]]; "hail" only in test rows. */
function daily(labels?: string[]): Dataset {
  const pick = seededRandom(11)
  const weather =
    labels ??
    Array.from({ length: ROWS }, (_, r) =>
      r === 280 ? 'hail' : LABELS[Math.floor(pick() * LABELS.length)],
    )
  const y = weather.map((_, r) => 5 + (r > 0 ? (EFFECT[weather[r - 1]] ?? 0) : 0))
  const categories = [...new Set(weather)]
  return {
    name: 'daily.csv',
    rowCount: ROWS,
    timeColumn: 'date',
    columns: [
      {
        name: 'date',
        kind: 'datetime',
        values: Float64Array.from({ length: ROWS }, (_, r) => Date.UTC(2021, 0, 1 + r)),
        format: 'iso-date',
      },
      { name: 'y', kind: 'numeric', values: Float64Array.from(y) },
      {
        name: 'weather',
        kind: 'text',
        codes: Int32Array.from(weather, (w) => categories.indexOf(w)),
        categories,
      },
    ],
  }
}

/**
 * The request the app sends (renderer/src/lib/run-data.ts, tested in test/renderer): y, the
 * weather codes and labels, the time axis, the schema.
 */
function sent(dataset: Dataset): RunData {
  const y = findColumn(dataset, 'y') as { values: Float64Array<ArrayBuffer> }
  const weather = findColumn(dataset, 'weather') as TextColumn
  return {
    datasetName: dataset.name,
    rowCount: dataset.rowCount,
    columns: [{ name: 'y', values: y.values }],
    textColumns: [
      {
        name: 'weather',
        codes: weather.codes as Int32Array<ArrayBuffer>,
        categories: weather.categories,
      },
    ],
    timeColumn: 'date',
    timestamps: timeValues(dataset) as Float64Array<ArrayBuffer>,
    schema: fileSchema(dataset),
  }
}

const config = runConfig(spec('linear'), window(2, 2), {
  epochs: 30,
  batchSize: 16,
  optimizer: 'adam',
  learningRate: 0.05,
  backend: 'wasm',
})
config.experiment.target = 'y'
config.experiment.features = ['y']
config.experiment.calendar = 'none'
config.experiment.transform = { kind: 'none', log: false, seasonRows: null }
config.experiment.oneHot = [{ column: 'weather', categories: [] }]

async function predict(pkg: RunResult['artifacts'], data: RunData): Promise<ForecastSet> {
  const result = await api.dispatch('model:predict', { package: pkg, data })
  if (!result.ok) throw new Error(result.error.message)
  return result.value as ForecastSet
}

describe('a one-hot run through the worker', () => {
  const dataset = daily()
  let run: RunResult
  beforeAll(async () => {
    const request = requestSchemas['run:start'].parse({ runId: 'r1', config, data: sent(dataset) })
    run = await trainRun(datasetFromRunData(request.data), request.config, { host })
  }, 120_000)

  it('stores the training labels as categories and says what became of them', () => {
    expect(run.config.experiment.oneHot).toEqual([
      { column: 'weather', categories: ['fog', 'rain', 'sun'] },
    ])
    expect(run.artifacts!.manifest.inference.inputShape).toEqual([2, 4])
    expect(run.choices).toContain(
      'One-hot: "weather" as 3 inputs (weather=fog, weather=rain, weather=sun), from the labels of the training rows; a label outside them is encoded as all zeros.',
    )
    expect(run.warnings).toContain(
      'daily.csv: Column "weather": "hail" (1 row: data row 281) was not among the categories the model was trained with (fog, rain, sun): encoded as all zeros.',
    )
    // y moves by up to 8 with yesterday's label; a model reading the labels is far closer.
    expect(run.metrics.test!.mae).toBeLessThan(run.baselines.naive.test!.mae / 3)
  })

  it('model:predict with the exported package forecasts the test windows as the run did', async () => {
    const set = await predict(run.artifacts, sent(dataset))
    expect(set.warnings).toEqual([
      'daily.csv: Column "weather": "hail" (1 row: data row 281) was not among the categories the model was trained with (fog, rain, sun): encoded as all zeros.',
    ])
    const test = run.forecasts.test!
    const byRow = new Map<number, number>()
    set.forecast.rowIndex.forEach((row, i) => byRow.set(row, set.forecast.predicted[i]))
    expect(test.rowIndex.length).toBeGreaterThan(50)
    test.rowIndex.forEach((row, i) =>
      expect(byRow.get(row)!, `row ${row}`).toBeCloseTo(test.predicted[i], 4),
    )
  })

  it('labels after a window’s last row leave its forecast unchanged', async () => {
    const labels = (dataset.columns[2] as TextColumn).codes
    const weather = Array.from(labels, (c) => (dataset.columns[2] as TextColumn).categories[c])
    const t = 200 // the window of rows 199–200 forecasts row 201
    const changed = daily(weather.map((w, r) => (r > t ? (w === 'rain' ? 'sun' : 'rain') : w)))
    const before = await predict(run.artifacts, sent(dataset))
    const after = await predict(run.artifacts, sent(changed))
    const at = (s: ForecastSet) =>
      s.forecast.predicted[Array.from(s.forecast.rowIndex).indexOf(t + 1)]
    expect(at(after)).toBe(at(before))
    // …while the next window, which reads row 201's label, changes.
    const next = (s: ForecastSet) =>
      s.forecast.predicted[Array.from(s.forecast.rowIndex).indexOf(t + 2)]
    expect(next(after)).not.toBe(next(before))
  })
})

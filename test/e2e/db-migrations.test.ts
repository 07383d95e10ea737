/**
 * The Dexie schema of the renderer (src/renderer/src/db.ts) in Chromium's real IndexedDB:
 * each upgrade opens an older database and checks that the data survived; binary column data
 * stays binary; a full disk is reported as a quota error and leaves saved work intact.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { launchBrowser, removeDir, type Browser } from './helpers/app'
import { buildPage, serveDir } from './helpers/static'

let browser: Browser
let page: Page
let site: { url: string; close(): Promise<void> }
let outDir: string

beforeAll(async () => {
  outDir = await buildPage(join(import.meta.dirname, '../renderer/db-page'))
  site = await serveDir(outDir)
  browser = await launchBrowser()
  page = browser.page
  await page.goto(site.url)
  await page.waitForSelector('body[data-ready=true]', { state: 'attached' })
})

afterAll(async () => {
  await browser?.dispose()
  await site?.close()
  if (outDir) removeDir(outDir)
})

/** A v1 database written with the raw IndexedDB API (Dexie v1 = IndexedDB version 10). */
const CREATE_V1_RAW = `(async (name) => {
  await new Promise((resolve, reject) => {
    const req = indexedDB.open(name, 10)
    req.onupgradeneeded = () => {
      const idb = req.result
      const ds = idb.createObjectStore('datasets', { keyPath: 'id' })
      ds.createIndex('name', 'name')
      ds.createIndex('createdAt', 'createdAt')
      const runs = idb.createObjectStore('runs', { keyPath: 'id' })
      runs.createIndex('datasetId', 'datasetId')
      runs.createIndex('status', 'status')
      runs.createIndex('createdAt', 'createdAt')
      const models = idb.createObjectStore('models', { keyPath: 'id' })
      models.createIndex('runId', 'runId')
      models.createIndex('createdAt', 'createdAt')
    }
    req.onsuccess = () => {
      const idb = req.result
      const tx = idb.transaction(['datasets', 'runs', 'models'], 'readwrite')
      const values = new Float64Array([1.5, NaN, -3, 1e300])
      const times = new Float64Array([0, 600000, 1200000, 1800000])
      const codes = new Int32Array([0, 1, -1, 0])
      tx.objectStore('datasets').put({
        id: 'ds-old', name: 'old.csv', fileName: 'old.csv', rowCount: 4, timeColumn: 'time',
        columns: [
          { name: 'time', kind: 'datetime', format: 'iso', data: times.buffer },
          { name: 'x', kind: 'numeric', data: values.buffer },
          { name: 'label', kind: 'text', categories: ['a', 'b'], data: codes.buffer },
        ],
        report: null, bytes: 80, createdAt: 1000,
      })
      tx.objectStore('runs').put({ id: 'run-old', name: 'old run', datasetId: 'ds-old', status: 'done', createdAt: 2000, finishedAt: 3000, history: [{ epoch: 1, loss: 0.5 }] })
      tx.objectStore('models').put({ id: 'model-old', name: 'old model', runId: 'run-old', createdAt: 3000, weights: new Uint8Array([1, 2, 3]) })
      tx.objectStore('models').put({ id: 'model-imported', name: 'imported', runId: null, createdAt: 4000, weights: new Uint8Array([9]) })
      tx.oncomplete = () => { idb.close(); resolve() }
      tx.onerror = () => reject(tx.error)
    }
    req.onerror = () => reject(req.error)
  })
})`

/** The same v1 data written through Dexie with the v1 schema, as the first release would have. */
const CREATE_V1_DEXIE = `(async (name) => {
  const { Dexie, SCHEMA_V1 } = window.seqcastDb
  const old = new Dexie(name)
  old.version(1).stores(SCHEMA_V1)
  await old.open()
  await old.table('datasets').put({
    id: 'ds-old', name: 'old.csv', fileName: 'old.csv', rowCount: 4, timeColumn: 'time',
    columns: [
      { name: 'time', kind: 'datetime', format: 'iso', data: new Float64Array([0, 600000, 1200000, 1800000]).buffer },
      { name: 'x', kind: 'numeric', data: new Float64Array([1.5, NaN, -3, 1e300]).buffer },
      { name: 'label', kind: 'text', categories: ['a', 'b'], data: new Int32Array([0, 1, -1, 0]).buffer },
    ],
    report: null, bytes: 80, createdAt: 1000,
  })
  await old.table('runs').put({ id: 'run-old', name: 'old run', datasetId: 'ds-old', status: 'done', createdAt: 2000, finishedAt: 3000, history: [{ epoch: 1, loss: 0.5 }] })
  await old.table('models').put({ id: 'model-old', name: 'old model', runId: 'run-old', createdAt: 3000, weights: new Uint8Array([1, 2, 3]) })
  await old.table('models').put({ id: 'model-imported', name: 'imported', runId: null, createdAt: 4000, weights: new Uint8Array([9]) })
  old.close()
})`

/**
 * A v2 database written through Dexie with the v2 schema (a dataset, a finished run with its
 * model and forecasts, a draft), then opened with the current db.ts, which also saves and
 * reads back a forecast of a model on a dataset.
 */
const CREATE_V2_DEXIE_THEN_OPEN = `(async (name) => {
  const { Dexie, SCHEMA_V2, openDatabase } = window.seqcastDb
  const old = new Dexie(name)
  old.version(1).stores({ datasets: '&id, name, createdAt', runs: '&id, datasetId, status, createdAt', models: '&id, runId, createdAt' })
  old.version(2).stores(SCHEMA_V2)
  await old.open()
  const before = { verno: old.verno, tables: old.tables.map((t) => t.name).sort() }
  await old.table('datasets').put({ id: 'ds-v2', name: 'v2.csv', fileName: 'v2.csv', rowCount: 3, timeColumn: null, columns: [{ name: 'x', kind: 'numeric' }], report: null, repairs: [], bytes: 24, createdAt: 1, updatedAt: 1 })
  await old.table('columns').put({ datasetId: 'ds-v2', index: 0, name: 'x', data: new Float64Array([1.5, NaN, -3]).buffer })
  await old.table('runs').put({ id: 'run-v2', name: 'run', datasetId: 'ds-v2', status: 'done', modelId: 'run-v2-model', history: [{ epoch: 1 }], createdAt: 2, updatedAt: 2 })
  await old.table('models').put({ id: 'run-v2-model', name: 'run', runId: 'run-v2', kind: 'final', weights: new Uint8Array([1, 2, 3]), createdAt: 3, updatedAt: 3 })
  await old.table('forecasts').put({ runId: 'run-v2', modelId: 'run-v2-model', source: 'run', splits: { val: { horizon: 1, rowIndex: new Int32Array([5, 6]), timestamps: null, actual: new Float64Array([20, 21]), predicted: new Float64Array([20.5, 21.25]) } }, future: null, createdAt: 4 })
  await old.table('settings').put({ key: 'draft:ds-v2', value: { training: { epochs: 7, fusedKernels: false } } })
  old.close()

  const d = openDatabase(name)
  await d.open()
  const { loadDataset } = window.seqcastDb
  const { dataset } = await loadDataset('ds-v2', d)
  const run = await d.runs.get('run-v2')
  const model = await d.models.get('run-v2-model')
  const forecast = await d.forecasts.get('run-v2')
  const draft = await d.settings.get('draft:ds-v2')
  await d.predictions.put({
    id: 'forecast-1', name: 'v2.csv with run', modelId: 'run-v2-model', modelName: 'run', datasetId: 'ds-v2', datasetName: 'v2.csv', target: 'x', seasonRows: 144,
    set: {
      dataset: { name: 'v2.csv', rowCount: 3 },
      forecast: { horizon: 1, rowIndex: new Int32Array([1, 2]), timestamps: null, actual: new Float64Array([NaN, -3]), predicted: new Float64Array([1.5, -2]) },
      future: null,
      metrics: { mae: 1, rmse: 1, mape: NaN, smape: 40, mase: 2, n: 1 },
      baselines: {}, comparison: {},
    },
    context: { firstRow: 0, values: new Float64Array([1.5, NaN, -3]), times: null },
    createdAt: 5,
  })
  const p = await d.predictions.get('forecast-1')
  const out = {
    before,
    verno: d.verno,
    tables: d.tables.map((t) => t.name).sort(),
    dataset: { name: dataset.name, x: Array.from(dataset.columns[0].values).map((v) => (Number.isNaN(v) ? 'NaN' : v)), kinds: dataset.columns.map((c) => c.kind) },
    run: { status: run.status, modelId: run.modelId, history: run.history.length },
    model: { kind: model.kind, weights: Array.from(model.weights) },
    forecast: { rowIndex: forecast.splits.val.rowIndex.constructor.name, predicted: forecast.splits.val.predicted.constructor.name, values: Array.from(forecast.splits.val.predicted) },
    draft: draft.value.training,
    prediction: {
      byModel: await d.predictions.where('modelId').equals('run-v2-model').count(),
      byDataset: await d.predictions.where('datasetId').equals('ds-v2').count(),
      rowIndex: p.set.forecast.rowIndex.constructor.name,
      predicted: p.set.forecast.predicted.constructor.name,
      values: Array.from(p.set.forecast.predicted),
      contextValues: p.context.values.constructor.name,
      mape: Number.isNaN(p.set.metrics.mape) ? 'NaN' : p.set.metrics.mape,
      seasonRows: p.seasonRows,
    },
  }
  d.close()
  return out
})`

/**
 * A v3 database (a run with its model, a forecast of a model) opened with the current db.ts,
 * which saves a comparison whose model is a run (with its model and forecasts), then deletes it.
 */
const CREATE_V3_THEN_ARENA = `(async (name) => {
  const { Dexie, SCHEMA_V3, openDatabase, deleteArena } = window.seqcastDb
  const old = new Dexie(name)
  old.version(3).stores(SCHEMA_V3)
  await old.open()
  const before = { verno: old.verno, hasArenas: old.tables.some((t) => t.name === 'arenas') }
  await old.table('runs').put({ id: 'run-v3', name: 'run', datasetId: 'ds-v3', status: 'done', modelId: 'run-v3-model', history: [], createdAt: 2, updatedAt: 2 })
  await old.table('models').put({ id: 'run-v3-model', name: 'run', runId: 'run-v3', kind: 'final', weights: new Uint8Array([1, 2, 3]), createdAt: 3, updatedAt: 3 })
  await old.table('predictions').put({ id: 'p-1', name: 'v3.csv with run', modelId: 'run-v3-model', datasetId: 'ds-v3', createdAt: 4 })
  old.close()

  const d = openDatabase(name)
  await d.open()
  const kept = {
    run: (await d.runs.get('run-v3')).status,
    prediction: (await d.predictions.get('p-1')).name,
    model: Array.from((await d.models.get('run-v3-model')).weights),
  }
  const m = (mae) => ({ mae, rmse: mae, mape: NaN, smape: 1, mase: 1, n: 2 })
  const forecast = { horizon: 1, rowIndex: new Int32Array([5, 6]), timestamps: null, actual: new Float64Array([10, 12]), predicted: new Float64Array([10.5, 11]) }
  await d.runs.put({ id: 'arena-1-ets', name: 'Compare #1 · ets', datasetId: 'ds-v3', status: 'done', modelId: 'arena-1-ets-model', history: [], createdAt: 5, updatedAt: 5, arenaId: 'arena-1' })
  await d.models.put({ id: 'arena-1-ets-model', name: 'Compare #1 · ets', runId: 'arena-1-ets', kind: 'final', weights: new Uint8Array(0), stats: '{}', createdAt: 5, updatedAt: 5 })
  await d.forecasts.put({ runId: 'arena-1-ets', modelId: 'arena-1-ets-model', source: 'run', splits: { val: forecast }, future: null, createdAt: 5 })
  await d.arenas.put({
    id: 'arena-1', name: 'Compare #1', datasetId: 'ds-v3', datasetName: 'v3.csv', status: 'done', models: ['ets'],
    board: [
      { model: 'ets', family: 'statistical', name: 'ETS(A,N,N)', val: m(0.75), test: null, seconds: 1, runId: 'arena-1-ets', splits: null, future: null },
      { model: 'naive', family: 'baseline', name: 'Naive', val: m(1), test: null, seconds: 0, runId: null, splits: { val: forecast }, future: null },
    ],
    skipped: [], seasonRows: null, sampleCounts: { train: 4, val: 2, test: 0 }, seconds: 1, createdAt: 5, updatedAt: 5,
  })
  const a = (await d.arenas.where('datasetId').equals('ds-v3').toArray())[0]
  const naive = a.board[1].splits.val
  const arena = {
    byDataset: 1,
    board: a.board.map((r) => r.model),
    runId: a.board[0].runId,
    splits: { rowIndex: naive.rowIndex.constructor.name, predicted: naive.predicted.constructor.name, values: Array.from(naive.predicted) },
    memberArena: (await d.runs.get('arena-1-ets')).arenaId,
  }
  await deleteArena('arena-1', d)
  const afterDelete = {
    arenas: await d.arenas.count(),
    runs: await d.runs.toCollection().primaryKeys(),
    models: await d.models.toCollection().primaryKeys(),
    forecasts: await d.forecasts.toCollection().primaryKeys(),
    predictions: await d.predictions.count(),
  }
  d.close()
  return { before, verno: d.verno, kept, arena, afterDelete }
})`

/**
 * A v3 database written through Dexie with the v3 schema (a run and a forecast of a model), then
 * opened with the current db.ts, which keeps both and saves a backtest under the run.
 */
const CREATE_V3_DEXIE_THEN_OPEN = `(async (name) => {
  const { Dexie, SCHEMA_V3, openDatabase } = window.seqcastDb
  const old = new Dexie(name)
  old.version(3).stores(SCHEMA_V3)
  await old.open()
  await old.table('runs').put({ id: 'run-v3', name: 'run', datasetId: 'ds', status: 'done', history: [], createdAt: 2, updatedAt: 2 })
  await old.table('predictions').put({ id: 'p-v3', modelId: 'm', datasetId: 'ds', createdAt: 3 })
  const before = old.tables.map((t) => t.name).sort()
  old.close()
  const d = openDatabase(name)
  await d.open()
  const metrics = { mae: 2, rmse: 3, mape: NaN, smape: 10, mase: 1, n: 4 }
  const score = { samples: 4, metrics, baselines: { naive: { ...metrics, mae: 2.5 }, seasonalNaive: null }, coverage: 0.75, width: 4 }
  await d.backtests.put({
    id: 'bt-1', runId: 'run-v3', datasetId: 'ds', folds: 1, refit: 'every', createdAt: 5,
    report: { folds: [{ fold: 1, trainRows: [0, 10], targetRows: [10, 14], ...score }], overall: score, level: 0.9, seconds: 1.5 },
  })
  const bt = (await d.backtests.where('runId').equals('run-v3').toArray())[0]
  const out = {
    before,
    verno: d.verno,
    run: (await d.runs.get('run-v3')).name,
    predictions: await d.predictions.count(),
    backtest: { fold: bt.report.folds[0].targetRows, mape: Number.isNaN(bt.report.overall.metrics.mape) ? 'NaN' : 0, naive: bt.report.overall.baselines.naive.mae, level: bt.report.level },
  }
  d.close()
  return out
})`

/** Opens with the current db.ts and reports what survived. */
const OPEN_CURRENT = `(async (name) => {
  const { openDatabase, loadDataset } = window.seqcastDb
  const d = openDatabase(name)
  await d.open()
  const { record, dataset } = await loadDataset('ds-old', d)
  const columnRows = await d.columns.where('datasetId').equals('ds-old').toArray()
  const run = await d.runs.get('run-old')
  const models = await d.models.orderBy('createdAt').toArray()
  const out = {
    verno: d.verno,
    tables: d.tables.map((t) => t.name).sort(),
    recordColumns: record.columns,
    recordHasData: record.columns.some((c) => 'data' in c),
    updatedAt: record.updatedAt,
    repairs: record.repairs,
    columnRows: columnRows.map((c) => ({ index: c.index, name: c.name, isBuffer: c.data instanceof ArrayBuffer, bytes: c.data.byteLength })),
    time: Array.from(dataset.columns[0].values),
    x: Array.from(dataset.columns[1].values).map((v) => (Number.isNaN(v) ? 'NaN' : v)),
    codes: Array.from(dataset.columns[2].codes),
    categories: dataset.columns[2].categories,
    kinds: dataset.columns.map((c) => c.kind),
    timeColumn: dataset.timeColumn,
    run: { status: run.status, updatedAt: run.updatedAt, history: run.history, checkpointEpoch: run.checkpointEpoch },
    models: models.map((m) => ({ id: m.id, kind: m.kind, updatedAt: m.updatedAt, weights: Array.from(m.weights) })),
    forecasts: await d.forecasts.count(),
    settings: await d.settings.count(),
    predictions: await d.predictions.count(),
  }
  d.close()
  return out
})`

function expectSurvived(result: Record<string, unknown>): void {
  expect(result.verno).toBe(5)
  expect(result.tables).toEqual([
    'arenas',
    'backtests',
    'columns',
    'datasets',
    'forecasts',
    'models',
    'predictions',
    'runs',
    'settings',
  ])
  // Column data moved out of the dataset row, byte for byte.
  expect(result.recordHasData).toBe(false)
  expect(result.recordColumns).toEqual([
    { name: 'time', kind: 'datetime', format: 'iso' },
    { name: 'x', kind: 'numeric' },
    { name: 'label', kind: 'text', categories: ['a', 'b'] },
  ])
  expect(result.columnRows).toEqual([
    { index: 0, name: 'time', isBuffer: true, bytes: 32 },
    { index: 1, name: 'x', isBuffer: true, bytes: 32 },
    { index: 2, name: 'label', isBuffer: true, bytes: 16 },
  ])
  expect(result.time).toEqual([0, 600000, 1200000, 1800000])
  expect(result.x).toEqual([1.5, 'NaN', -3, 1e300])
  expect(result.codes).toEqual([0, 1, -1, 0])
  expect(result.categories).toEqual(['a', 'b'])
  expect(result.kinds).toEqual(['datetime', 'numeric', 'text'])
  expect(result.timeColumn).toBe('time')
  expect(result.updatedAt).toBe(1000)
  expect(result.repairs).toEqual([])
  // Runs and models kept, with the fields v2 added filled in.
  expect(result.run).toEqual({
    status: 'done',
    updatedAt: 3000,
    history: [{ epoch: 1, loss: 0.5 }],
    checkpointEpoch: null,
  })
  expect(result.models).toEqual([
    { id: 'model-old', kind: 'final', updatedAt: 3000, weights: [1, 2, 3] },
    { id: 'model-imported', kind: 'imported', updatedAt: 4000, weights: [9] },
  ])
  expect(result.forecasts).toBe(0)
  expect(result.settings).toBe(0)
  expect(result.predictions).toBe(0)
}

describe('db.ts schema upgrades in Chromium', () => {
  it('v2 → v5: runs, models, forecasts and drafts are kept; forecasts of models get their table', async () => {
    const result = (await page.evaluate(`${CREATE_V2_DEXIE_THEN_OPEN}('mig-v2')`)) as Record<
      string,
      unknown
    >
    expect(result.before).toEqual({
      verno: 2,
      tables: ['columns', 'datasets', 'forecasts', 'models', 'runs', 'settings'],
    })
    expect(result.verno).toBe(5)
    expect(result.tables).toEqual([
      'arenas',
      'backtests',
      'columns',
      'datasets',
      'forecasts',
      'models',
      'predictions',
      'runs',
      'settings',
    ])
    expect(result.dataset).toEqual({ name: 'v2.csv', x: [1.5, 'NaN', -3], kinds: ['numeric'] })
    expect(result.run).toEqual({ status: 'done', modelId: 'run-v2-model', history: 1 })
    expect(result.model).toEqual({ kind: 'final', weights: [1, 2, 3] })
    expect(result.forecast).toEqual({
      rowIndex: 'Int32Array',
      predicted: 'Float64Array',
      values: [20.5, 21.25],
    })
    expect(result.draft).toEqual({ epochs: 7, fusedKernels: false })
    // A forecast of a model on a dataset round-trips as binary, NaN metrics included.
    expect(result.prediction).toEqual({
      byModel: 1,
      byDataset: 1,
      rowIndex: 'Int32Array',
      predicted: 'Float64Array',
      values: [1.5, -2],
      contextValues: 'Float64Array',
      mape: 'NaN',
      seasonRows: 144,
    })
  })

  it('v3 → v5: runs and forecasts of models are kept; a comparison is saved with its board and deleted with its runs', async () => {
    const result = (await page.evaluate(`${CREATE_V3_THEN_ARENA}('mig-v3')`)) as Record<
      string,
      unknown
    >
    expect(result.before).toEqual({ verno: 3, hasArenas: false })
    expect(result.verno).toBe(5)
    expect(result.kept).toEqual({ run: 'done', prediction: 'v3.csv with run', model: [1, 2, 3] })
    expect(result.arena).toEqual({
      byDataset: 1,
      board: ['ets', 'naive'],
      runId: 'arena-1-ets',
      splits: { rowIndex: 'Int32Array', predicted: 'Float64Array', values: [10.5, 11] },
      memberArena: 'arena-1',
    })
    // Deleting the comparison deletes its model's run, model and forecasts, nothing else.
    expect(result.afterDelete).toEqual({
      arenas: 0,
      runs: ['run-v3'],
      models: ['run-v3-model'],
      forecasts: [],
      predictions: 1,
    })
  })

  it('v3 → v5: runs and forecasts are kept; backtests get their table, found by their run', async () => {
    const result = await page.evaluate(`${CREATE_V3_DEXIE_THEN_OPEN}('mig-v3-backtests')`)
    expect(result).toEqual({
      before: ['columns', 'datasets', 'forecasts', 'models', 'predictions', 'runs', 'settings'],
      verno: 5,
      run: 'run',
      predictions: 1,
      backtest: { fold: [10, 14], mape: 'NaN', naive: 2.5, level: 0.9 },
    })
  })

  it('v1 → v2: a database written with the raw IndexedDB API keeps its datasets, runs and models', async () => {
    await page.evaluate(`${CREATE_V1_RAW}('mig-raw')`)
    const result = (await page.evaluate(`${OPEN_CURRENT}('mig-raw')`)) as Record<string, unknown>
    expectSurvived(result)
  })

  it('v1 → v2: a database written by Dexie with the v1 schema keeps its data', async () => {
    await page.evaluate(`${CREATE_V1_DEXIE}('mig-dexie')`)
    const result = (await page.evaluate(`${OPEN_CURRENT}('mig-dexie')`)) as Record<string, unknown>
    expectSurvived(result)
    // Opening again (no upgrade now) reads the same.
    const again = (await page.evaluate(`${OPEN_CURRENT}('mig-dexie')`)) as Record<string, unknown>
    expectSurvived(again)
  })

  it('a new database stores column data as binary and reads back the same dataset', async () => {
    const result = (await page.evaluate(`(async () => {
      const { openDatabase, saveDataset, loadDataset } = window.seqcastDb
      const d = openDatabase('fresh')
      const values = new Float64Array(1000).map((_, i) => Math.sin(i) * 1e3 + (i === 7 ? NaN : 0))
      const base = new Float64Array(values.buffer.slice(0))
      const dataset = { name: 'fresh.csv', rowCount: 1000, timeColumn: null, columns: [
        { name: 'v', kind: 'numeric', values: new Float64Array(new ArrayBuffer(8 * 1002), 8, 1000).map((_, i) => base[i]) },
      ] }
      await saveDataset(dataset, null, { id: 'ds-1', database: d })
      const raw = await d.columns.get(['ds-1', 0])
      const { dataset: back } = await loadDataset('ds-1', d)
      const same = back.columns[0].values.every((v, i) => Object.is(v, base[i]))
      d.close()
      return { isBuffer: raw.data instanceof ArrayBuffer, bytes: raw.data.byteLength, same, verno: d.verno }
    })()`)) as Record<string, unknown>
    // Exactly the column's 8,000 bytes, not the larger buffer the view sat in.
    expect(result).toEqual({ isBuffer: true, bytes: 8000, same: true, verno: 5 })
  })

  it('a full disk is reported as a quota error, and what was saved before stays intact', async () => {
    // Chromium applies a quota override only to an origin that has not stored anything yet:
    // a second server gives this test its own origin.
    const own = await serveDir(outDir)
    const quotaPage = await browser.context.newPage()
    try {
      await quotaPage.goto(own.url)
      await quotaPage.waitForSelector('body[data-ready=true]', { state: 'attached' })
      const cdp = await browser.context.newCDPSession(quotaPage)
      const origin = new URL(own.url).origin
      await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 1024 * 1024 })
      try {
        await checkQuota(quotaPage)
      } finally {
        await cdp.send('Storage.overrideQuotaForOrigin', { origin })
      }
    } finally {
      await quotaPage.close()
      await own.close()
    }
  })
})

async function checkQuota(page: Page): Promise<void> {
  await page.evaluate(`(async () => {
      const { openDatabase, saveDataset } = window.seqcastDb
      const d = openDatabase('quota')
      await saveDataset({ name: 'small.csv', rowCount: 100, timeColumn: null, columns: [{ name: 'v', kind: 'numeric', values: new Float64Array(100).fill(42) }] }, null, { id: 'small', database: d })
      d.close()
    })()`)
  // Chromium checks a transaction against the quota; keep saving 3.2 MB datasets until one is refused.
  const outcome = (await page.evaluate(`(async () => {
        const { openDatabase, saveDataset } = window.seqcastDb
        const d = openDatabase('quota')
        const saved = []
        try {
          for (let i = 0; i < 6; i++) {
            // Noise, not a constant: Chromium compresses IndexedDB values.
            const big = new Float64Array(400_000).map((_, k) => Math.sin(k * 12.9898 + i) * 43758.5453)
            try {
              await saveDataset({ name: 'big' + i + '.csv', rowCount: big.length, timeColumn: null, columns: [{ name: 'v', kind: 'numeric', values: big }] }, null, { id: 'big' + i, database: d })
              saved.push('big' + i)
            } catch (e) {
              return { saved, failure: { kind: e.kind, message: e.message, id: 'big' + i } }
            }
          }
          return { saved, failure: null }
        } finally {
          d.close()
        }
      })()`)) as { saved: string[]; failure: { kind: string; message: string } | null }
  expect(outcome.failure).not.toBeNull()
  expect(outcome.failure!.kind).toBe('quota')
  expect(outcome.failure!.message).toMatch(
    /^Could not save dataset "big\d\.csv": the storage for Seqcast is full/,
  )
  expect(outcome.failure!.message).toMatch(
    /Delete datasets, runs or models you no longer need in the Library, then try again\. Nothing saved before was changed\./,
  )
  const after = (await page.evaluate(`(async (saved) => {
      const { openDatabase, loadDataset } = window.seqcastDb
      const d = openDatabase('quota')
      const { dataset } = await loadDataset('small', d)
      const intact = []
      for (const id of saved) {
        const { dataset: big } = await loadDataset(id, d)
        const i = Number(id.slice(3))
        intact.push(big.rowCount === 400_000 && big.columns[0].values.every((v, k) => v === Math.sin(k * 12.9898 + i) * 43758.5453))
      }
      const ids = await d.datasets.toCollection().primaryKeys()
      const columns = await d.columns.count()
      d.close()
      return { ids: ids.sort(), columns, small: dataset.columns[0].values.every((v) => v === 42), intact }
    })(${JSON.stringify(outcome.saved)})`)) as Record<string, unknown>
  // The failed write left nothing half-saved: no 'big' row, no orphan column data.
  expect(after).toEqual({
    ids: ['small', ...outcome.saved].sort(),
    columns: 1 + outcome.saved.length,
    small: true,
    intact: outcome.saved.map(() => true),
  })
}

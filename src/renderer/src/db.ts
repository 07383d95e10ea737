/**
 * Saved work lives here, in the renderer's IndexedDB (the main process is a stateless compute
 * service). Typed Dexie database with a versioned schema; every upgrade has a test in
 * test/e2e/db-migrations.test.ts that opens an older database in real Chromium.
 *
 * Schema history
 * - v1: datasets held their column data inline (one row per dataset, columns as ArrayBuffers);
 *   runs; models.
 * - v2: column data moved to its own table (`columns`, one row per column) so listing datasets
 *   never reads megabytes; `forecasts` (one row per run) and `settings` (experiment drafts, UI
 *   state) added; runs and models got `updatedAt` / `kind` indexes for the Library.
 *
 * Binary data is stored as ArrayBuffers / typed arrays (structured clone), never number arrays.
 * Every write goes through `write()`, which turns quota and other failures into a `SeqcastError`
 * that names what was being saved; multi-table writes run in one transaction, so a failed write
 * leaves what was saved before untouched.
 */
import Dexie, { type EntityTable, type Table } from 'dexie'
import { SeqcastError } from '@shared/errors'
import type { ErrorInfo } from '@shared/errors'
import type { ResponseOf } from '@shared/ipc/contract'
import type { BaselineReport } from '@shared/baselines'
import type { ImportReport } from '@shared/csv'
import type { ArenaFamily } from '@shared/arena'
import type { Metrics } from '@shared/metrics'
import type { RunConfig } from '@shared/experiment'
import type {
  BackendReport,
  EpochRecord,
  Forecast,
  FutureForecast,
  ForecastSet,
  ModelPackage,
  RunProgress,
  RunResult,
} from '@shared/run'
import type { Column, ColumnKind, Dataset } from '@shared/series/dataset'
import { formatBytes } from './lib/format'

export const DB_NAME = 'seqcast'

// ───────────────────────────── records (current version) ─────────────────────────────

export interface ColumnMeta {
  name: string
  kind: ColumnKind
  /** Datetime columns: the detected format. */
  format?: string
  /** Text columns: the category of each code. */
  categories?: string[]
}

export interface DatasetRecord {
  id: string
  /** Display name (renamable); starts as the file name. */
  name: string
  /** The file it came from, as named in every message. */
  fileName: string
  rowCount: number
  timeColumn: string | null
  columns: ColumnMeta[]
  report: ImportReport | null
  /** Repairs applied after import, in order ("Dropped 1 duplicated timestamp", …). */
  repairs: string[]
  /** Bytes of column data. */
  bytes: number
  createdAt: number
  updatedAt: number
}

export interface ColumnRecord {
  datasetId: string
  index: number
  name: string
  /** Float64 values (numeric, datetime) or Int32 codes (text), as raw bytes. */
  data: ArrayBuffer
}

export type RunStatus = 'running' | 'done' | 'cancelled' | 'failed' | 'interrupted'
export const RUN_STATUSES: readonly RunStatus[] = [
  'running',
  'done',
  'cancelled',
  'failed',
  'interrupted',
]

export interface RunRecord {
  id: string
  name: string
  datasetId: string
  datasetName: string
  status: RunStatus
  config: RunConfig
  /** Samples per split and baseline metrics computed when the run started (prepareExperiment). */
  sampleCounts: { train: number; val: number; test: number }
  baselines: BaselineReport | null
  history: EpochRecord[]
  lastProgress: RunProgress | null
  /** The engine's result without forecasts and artifacts (those live in `forecasts` / `models`). */
  result: RunSummary | null
  backend: BackendReport | null
  error: ErrorInfo | null
  /** Epoch of the best-so-far checkpoint saved (models table, kind 'checkpoint'). */
  checkpointEpoch: number | null
  /** The model to use: the final one, else the checkpoint. */
  modelId: string | null
  createdAt: number
  updatedAt: number
  finishedAt: number | null
  /** The comparison this run is a model of (arenas table); absent for a run trained alone. */
  arenaId?: string
}

export type RunSummary = Omit<RunResult, 'forecasts' | 'future' | 'artifacts'>

export type ModelKind = 'final' | 'checkpoint' | 'imported'

export interface ModelRecord {
  id: string
  name: string
  runId: string | null
  kind: ModelKind
  epoch: number | null
  manifest: ModelPackage['manifest']
  modelJson: ModelPackage['modelJson']
  weights: Uint8Array
  /** stats.json of a statistical model (not indexed: no schema change). */
  stats?: string
  bytes: number
  createdAt: number
  updatedAt: number
}

export interface ForecastRecord {
  runId: string
  /** Model used: the run's final model, or its checkpoint for an interrupted run. */
  modelId: string | null
  /** 'run': computed by the engine at the end of training; 'predict': model:predict afterwards. */
  source: 'run' | 'predict'
  /** Window-major forecasts per split (typed arrays, stored as binary). */
  splits: Partial<Record<'train' | 'val' | 'test', Forecast>>
  future: FutureForecast | null
  createdAt: number
}

/** A model's forecast of a dataset (`model:predict`), saved so it can be reopened after a restart. */
export interface PredictionRecord {
  id: string
  /** Display name: "<dataset> with <model>". */
  name: string
  /** The model used (it may have been deleted since: its name is kept). */
  modelId: string
  modelName: string
  /** The dataset forecast (it may have been deleted since: its name is kept). */
  datasetId: string
  datasetName: string
  /** The model's target column, in whose units the numbers are. */
  target: string
  /** Season of the seasonal-naive baseline, in rows (the model's setting); null when none. */
  seasonRows: number | null
  /** The engine's answer, as is (typed arrays stored as binary). */
  set: ForecastSet
  /**
   * The last rows of the target before the future forecast (for its chart without reloading
   * the dataset): values of rows firstRow…, and their epoch ms when the data has a time axis.
   */
  context: { firstRow: number; values: Float64Array; times: Float64Array | null } | null
  createdAt: number
}

/** One row of a comparison's board. */
export interface ArenaRow {
  /** Preset id, "naive", "seasonal-naive" or "ensemble". */
  model: string
  family: ArenaFamily
  /** What was fitted ("ETS(M,A,M)", "LSTM(16)", "mean of ets, arima, theta"). */
  name: string
  val: Metrics | null
  test: Metrics | null
  seconds: number
  /** The run that holds this model (its forecasts, model and history); null for the rest. */
  runId: string | null
  /** Forecasts of a baseline or the ensemble (a model's are its run's). */
  splits: Partial<Record<'val' | 'test', Forecast>> | null
  future: FutureForecast | null
  members?: string[]
}

/** A comparison of models on one experiment ("Compare models"), ranked by validation MAE. */
export interface ArenaRecord {
  id: string
  name: string
  datasetId: string
  datasetName: string
  /**
   * 'running': each model is saved as it finishes, the board ranks the ones so far;
   * 'cancelled': stopped by the user; 'interrupted': the window that ran it was reloaded or
   * closed, or the engine failed. The board of both holds the models that finished before.
   * (Not indexed: the new values need no schema change.)
   */
  status: 'running' | 'done' | 'cancelled' | 'interrupted'
  /** The experiment, the window models' training and the intervals (model: the best one's). */
  config: RunConfig
  /** The set asked for, in the order the models ran. */
  models: string[]
  /** Ranked by validation MAE, best first. */
  board: ArenaRow[]
  skipped: { model: string; reason: string }[]
  seasonRows: number | null
  sampleCounts: { train: number; val: number; test: number }
  seconds: number
  createdAt: number
  updatedAt: number
}

/**
 * A backtest run from the app, kept under its run (Results), or, from the Experiment view's
 * settings before any run, under its `title`.
 */
export interface BacktestRecord {
  id: string
  /** The run whose settings were backtested; absent for a backtest of the Experiment's draft. */
  runId?: string
  /** What an Experiment backtest tested, e.g. "ETS → sales on monthly.csv" (no run to name it). */
  title?: string
  datasetId: string
  /** Folds asked for (the report holds fewer when it was cancelled). */
  folds: number
  refit: 'every' | 'once'
  /**
   * The per-fold report against the naive baselines, as the backtest:run channel gave it; while
   * it runs (and once cancelled or interrupted), the folds finished so far, pooled over those.
   */
  report: ResponseOf<'backtest:run'>
  /**
   * Absent: finished (every record before this field), or cancelled when the report has
   * `cancelledAt`. 'running': saved fold by fold; 'cancelled' / 'interrupted' (window reloaded or
   * closed): the folds that finished are kept.
   */
  status?: 'running' | 'cancelled' | 'interrupted'
  createdAt: number
}

export interface SettingRecord {
  key: string
  value: unknown
}

// ───────────────────────────── schema ─────────────────────────────

/** v1 layout, kept for the upgrade and its test. */
export const SCHEMA_V1 = {
  datasets: '&id, name, createdAt',
  runs: '&id, datasetId, status, createdAt',
  models: '&id, runId, createdAt',
} as const

export const SCHEMA_V2 = {
  datasets: '&id, name, createdAt, updatedAt',
  columns: '&[datasetId+index], datasetId',
  runs: '&id, datasetId, status, createdAt, updatedAt',
  models: '&id, runId, kind, createdAt, updatedAt',
  forecasts: '&runId',
  settings: '&key',
} as const

export const SCHEMA_V3 = {
  ...SCHEMA_V2,
  predictions: '&id, modelId, datasetId, createdAt',
} as const

export const SCHEMA_V4 = {
  ...SCHEMA_V3,
  arenas: '&id, datasetId, createdAt',
} as const

/** v5 adds the saved backtests (one row per backtest, found by its run). */
export const SCHEMA_V5 = {
  ...SCHEMA_V4,
  backtests: '&id, runId, createdAt',
} as const

/** A v1 dataset row: column data inline. */
export interface DatasetRecordV1 extends Omit<DatasetRecord, 'columns' | 'updatedAt'> {
  columns: (ColumnMeta & { data: ArrayBuffer })[]
  updatedAt?: number
}

export class SeqcastDB extends Dexie {
  datasets!: EntityTable<DatasetRecord, 'id'>
  columns!: Table<ColumnRecord, [string, number]>
  runs!: EntityTable<RunRecord, 'id'>
  models!: EntityTable<ModelRecord, 'id'>
  forecasts!: EntityTable<ForecastRecord, 'runId'>
  settings!: EntityTable<SettingRecord, 'key'>
  predictions!: EntityTable<PredictionRecord, 'id'>
  arenas!: EntityTable<ArenaRecord, 'id'>
  backtests!: EntityTable<BacktestRecord, 'id'>

  constructor(name = DB_NAME) {
    super(name)
    this.version(1).stores(SCHEMA_V1)
    this.version(2)
      .stores(SCHEMA_V2)
      .upgrade(async (tx) => {
        // Column data out of the dataset rows, one row per column. One dataset at a time, so
        // several large datasets never sit in memory together.
        const datasets = tx.table('datasets')
        const ids = (await datasets.toCollection().primaryKeys()) as string[]
        for (const id of ids) {
          const row = (await datasets.get(id)) as DatasetRecordV1
          await tx.table('columns').bulkPut(
            row.columns.map((c, index): ColumnRecord => ({
              datasetId: id,
              index,
              name: c.name,
              data: c.data,
            })),
          )
          const upgraded: DatasetRecord = {
            ...row,
            columns: row.columns.map(({ data: _data, ...meta }) => meta),
            repairs: row.repairs ?? [],
            updatedAt: row.updatedAt ?? row.createdAt,
          }
          await datasets.put(upgraded)
        }
        await tx
          .table('runs')
          .toCollection()
          .modify((run: Partial<RunRecord>) => {
            run.updatedAt = run.updatedAt ?? run.finishedAt ?? run.createdAt ?? 0
            run.history = run.history ?? []
            run.checkpointEpoch = run.checkpointEpoch ?? null
          })
        await tx
          .table('models')
          .toCollection()
          .modify((model: Partial<ModelRecord>) => {
            model.kind = model.kind ?? (model.runId ? 'final' : 'imported')
            model.updatedAt = model.updatedAt ?? model.createdAt ?? 0
          })
      })
    // v3 adds a table and moves nothing: no upgrade function.
    this.version(3).stores(SCHEMA_V3)
    // v4 adds a table; runs get an optional, unindexed `arenaId`: no upgrade function.
    this.version(4).stores(SCHEMA_V4)
    // v5 adds a table and moves nothing: no upgrade function.
    this.version(5).stores(SCHEMA_V5)
  }
}

let instance: SeqcastDB | null = null

export function db(): SeqcastDB {
  if (!instance) instance = new SeqcastDB()
  return instance
}

/** Tests open databases by name. */
export function openDatabase(name: string): SeqcastDB {
  return new SeqcastDB(name)
}

// ───────────────────────────── errors ─────────────────────────────

function isQuotaError(error: unknown): boolean {
  for (
    let e = error as { name?: string; inner?: unknown } | null | undefined, i = 0;
    e && i < 5;
    i++
  ) {
    if (e.name === 'QuotaExceededError' || e.name === Dexie.errnames.QuotaExceeded) return true
    e = e.inner as typeof e
  }
  return false
}

async function storageFigures(): Promise<string> {
  try {
    const { usage, quota } = await navigator.storage.estimate()
    if (usage === undefined || quota === undefined) return ''
    return ` (${formatBytes(usage)} of ${formatBytes(quota)} in use)`
  } catch {
    return ''
  }
}

/** Runs a write; failures become a SeqcastError that says what was being saved and what to do. */
export async function write<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (error) {
    if (error instanceof SeqcastError) throw error
    const inner = error as { name?: string; message?: string }
    if (isQuotaError(error)) {
      throw new SeqcastError(
        'quota',
        `Could not save ${what}: the storage for Seqcast is full${await storageFigures()}. ` +
          'Delete datasets, runs or models you no longer need in the Library, then try again. Nothing saved before was changed.',
        { what, name: inner.name },
      )
    }
    throw new SeqcastError(
      'io',
      `Could not save ${what}: ${inner.message ?? String(error)}. Nothing saved before was changed; try again, or reload the app if it keeps failing.`,
      { what, name: inner.name },
    )
  }
}

// ───────────────────────────── datasets ─────────────────────────────

/**
 * The Library's dataset holding exactly these rows, if any: same file name, columns and time
 * column, no repairs since, and byte-identical column data. Opening a file a second time then
 * opens that dataset, with its runs, instead of a copy that has none (whose runs' names would
 * repeat the first copy's, as "LSTM(16) → temp_max" twice in the run pickers).
 */
export async function findSameDataset(
  dataset: Dataset,
  database?: SeqcastDB,
): Promise<DatasetRecord | null> {
  const d = database ?? db()
  const metas = JSON.stringify(dataset.columns.map(columnMeta))
  const candidates = await d.datasets
    .filter(
      (r) =>
        r.fileName === dataset.name &&
        r.rowCount === dataset.rowCount &&
        r.timeColumn === dataset.timeColumn &&
        r.repairs.length === 0 &&
        JSON.stringify(r.columns) === metas,
    )
    .toArray()
  if (candidates.length === 0) return null
  const fresh = dataset.columns.map((c) => new Uint8Array(columnBytes(c)))
  for (const candidate of candidates) {
    const stored = await d.columns.where('datasetId').equals(candidate.id).sortBy('index')
    const same =
      stored.length === fresh.length &&
      stored.every((c, i) => {
        const a = new Uint8Array(c.data)
        const b = fresh[i]
        if (a.length !== b.length) return false
        for (let j = 0; j < a.length; j++) if (a[j] !== b[j]) return false
        return true
      })
    if (same) return candidate
  }
  return null
}

function columnBytes(column: Column): ArrayBuffer {
  const values = column.kind === 'text' ? column.codes : column.values
  // A copy: the stored buffer must hold exactly this column, not a larger shared buffer.
  return values.buffer.slice(
    values.byteOffset,
    values.byteOffset + values.byteLength,
  ) as ArrayBuffer
}

function columnMeta(column: Column): ColumnMeta {
  if (column.kind === 'datetime')
    return { name: column.name, kind: column.kind, format: column.format }
  if (column.kind === 'text')
    return { name: column.name, kind: column.kind, categories: column.categories }
  return { name: column.name, kind: column.kind }
}

function toColumn(meta: ColumnMeta, data: ArrayBuffer): Column {
  if (meta.kind === 'text')
    return {
      name: meta.name,
      kind: 'text',
      codes: new Int32Array(data),
      categories: meta.categories ?? [],
    }
  if (meta.kind === 'datetime')
    return {
      name: meta.name,
      kind: 'datetime',
      values: new Float64Array(data),
      format: meta.format ?? '',
    }
  return { name: meta.name, kind: 'numeric', values: new Float64Array(data) }
}

export async function saveDataset(
  dataset: Dataset,
  report: ImportReport | null,
  options: { id: string; name?: string; repairs?: string[]; database?: SeqcastDB },
): Promise<DatasetRecord> {
  const d = options.database ?? db()
  const now = Date.now()
  const buffers = dataset.columns.map(columnBytes)
  const record: DatasetRecord = {
    id: options.id,
    name: options.name ?? dataset.name,
    fileName: dataset.name,
    rowCount: dataset.rowCount,
    timeColumn: dataset.timeColumn,
    columns: dataset.columns.map(columnMeta),
    report,
    repairs: options.repairs ?? [],
    bytes: buffers.reduce((sum, b) => sum + b.byteLength, 0),
    createdAt: now,
    updatedAt: now,
  }
  await write(`dataset "${record.name}"`, () =>
    d.transaction('rw', d.datasets, d.columns, async () => {
      const existing = await d.datasets.get(record.id)
      if (existing) {
        record.createdAt = existing.createdAt
        record.name = options.name ?? existing.name
        await d.columns.where('datasetId').equals(record.id).delete()
      }
      await d.datasets.put(record)
      await d.columns.bulkPut(
        buffers.map((data, index) => ({
          datasetId: record.id,
          index,
          name: dataset.columns[index].name,
          data,
        })),
      )
    }),
  )
  return record
}

export async function loadDataset(
  id: string,
  database: SeqcastDB = db(),
): Promise<{ record: DatasetRecord; dataset: Dataset }> {
  const { record, rows } = await database.transaction(
    'r',
    database.datasets,
    database.columns,
    async () => {
      const record = await database.datasets.get(id)
      const rows = record
        ? await database.columns.where('datasetId').equals(id).sortBy('index')
        : []
      return { record, rows }
    },
  )
  if (!record)
    throw new SeqcastError('not-found', `The dataset is no longer in the Library (id ${id}).`, {
      datasetId: id,
    })
  if (rows.length !== record.columns.length) {
    throw new SeqcastError(
      'io',
      `Dataset "${record.name}": ${record.columns.length - rows.length} column(s) of data are missing from storage. Import ${record.fileName} again.`,
      { datasetId: id },
    )
  }
  const dataset: Dataset = {
    name: record.fileName,
    rowCount: record.rowCount,
    timeColumn: record.timeColumn,
    columns: record.columns.map((meta, i) => toColumn(meta, rows[i].data)),
  }
  return { record, dataset }
}

export async function deleteDataset(id: string): Promise<void> {
  const d = db()
  await write('the Library', () =>
    d.transaction('rw', [d.datasets, d.columns, d.settings], async () => {
      await d.columns.where('datasetId').equals(id).delete()
      await d.datasets.delete(id)
      await d.settings.delete(draftKey(id))
    }),
  )
}

// ───────────────────────────── runs, models, forecasts ─────────────────────────────

export async function putRun(run: RunRecord): Promise<void> {
  await write(`run "${run.name}"`, async () => {
    await db().runs.put(run)
  })
}

/** Read-modify-write of one run in a transaction (events from several tabs may race). */
export async function updateRun(
  id: string,
  change: (run: RunRecord) => void | false,
): Promise<RunRecord | undefined> {
  const d = db()
  return write('the run', () =>
    d.transaction('rw', d.runs, async () => {
      const run = await d.runs.get(id)
      if (!run) return undefined
      if (change(run) === false) return run
      run.updatedAt = Date.now()
      await d.runs.put(run)
      return run
    }),
  )
}

export async function renameRecord(
  table: 'datasets' | 'runs' | 'models' | 'arenas',
  id: string,
  name: string,
): Promise<void> {
  const trimmed = name.trim()
  if (!trimmed)
    throw new SeqcastError(
      'invalid-argument',
      'Name: expected at least one character, received an empty name.',
      { setting: 'name' },
    )
  const d = db()
  await write('the new name', () =>
    d.transaction('rw', d.runs, d.models, d.datasets, async () => {
      const now = Date.now()
      if (table === 'runs') {
        // The run's models carry its name ("name", "name · checkpoint"): they follow it,
        // unless they were given a name of their own.
        const run = await d.runs.get(id)
        if (run) {
          for (const m of await d.models.where('runId').equals(id).toArray()) {
            if (m.name === run.name) await d.models.update(m.id, { name: trimmed, updatedAt: now })
            else if (m.name === `${run.name} · checkpoint`)
              await d.models.update(m.id, { name: `${trimmed} · checkpoint`, updatedAt: now })
          }
        }
      }
      await d[table].update(id, { name: trimmed, updatedAt: now })
    }),
  )
}

export async function deleteRun(id: string): Promise<void> {
  const d = db()
  await write('the Library', () =>
    d.transaction('rw', [d.runs, d.models, d.forecasts, d.backtests], async () => {
      await d.models.where('runId').equals(id).delete()
      await d.backtests.where('runId').equals(id).delete()
      await d.forecasts.delete(id)
      await d.runs.delete(id)
    }),
  )
}

/** Keeps a finished backtest under its run. */
export async function saveBacktest(record: BacktestRecord): Promise<void> {
  await write('the backtest', () => db().backtests.put(record))
}

export async function deleteModel(id: string): Promise<void> {
  const d = db()
  await write('the Library', () =>
    d.transaction('rw', d.runs, d.models, async () => {
      const model = await d.models.get(id)
      await d.models.delete(id)
      if (model?.runId) {
        const run = await d.runs.get(model.runId)
        if (run && run.modelId === id)
          await d.runs.update(run.id, { modelId: null, updatedAt: Date.now() })
      }
    }),
  )
}

export function modelRecord(
  pkg: ModelPackage,
  fields: Pick<ModelRecord, 'id' | 'name' | 'runId' | 'kind' | 'epoch'>,
): ModelRecord {
  const now = Date.now()
  const weights = pkg.weights.slice()
  return {
    ...fields,
    manifest: pkg.manifest,
    modelJson: pkg.modelJson,
    weights,
    ...(pkg.stats !== undefined ? { stats: pkg.stats } : {}),
    bytes: weights.byteLength + (pkg.stats?.length ?? 0),
    createdAt: now,
    updatedAt: now,
  }
}

/** A stored model as the package the contract's model channels take. */
export function modelPackage(model: ModelRecord): ModelPackage {
  return {
    manifest: model.manifest,
    modelJson: model.modelJson,
    weights: model.weights,
    ...(model.stats !== undefined ? { stats: model.stats } : {}),
  }
}

// ───────────────────────────── predictions ─────────────────────────────

export async function putPrediction(record: PredictionRecord): Promise<void> {
  await write(`the forecast "${record.name}"`, async () => {
    await db().predictions.put(record)
  })
}

export async function deletePrediction(id: string): Promise<void> {
  await write('the Library', async () => {
    await db().predictions.delete(id)
  })
}

// ───────────────────────────── arenas ─────────────────────────────

/** Deletes a comparison with the runs, models, forecasts and backtests of its models. */
export async function deleteArena(id: string, d: SeqcastDB = db()): Promise<void> {
  await write('the Library', () =>
    d.transaction('rw', [d.arenas, d.runs, d.models, d.forecasts, d.backtests], async () => {
      const arena = await d.arenas.get(id)
      for (const runId of arena?.board.map((r) => r.runId) ?? []) {
        if (!runId) continue
        await d.models.where('runId').equals(runId).delete()
        await d.backtests.where('runId').equals(runId).delete()
        await d.forecasts.delete(runId)
        await d.runs.delete(runId)
      }
      await d.arenas.delete(id)
    }),
  )
}

// ───────────────────────────── settings ─────────────────────────────

export const draftKey = (datasetId: string) => `draft:${datasetId}`

export async function getSetting<T>(key: string): Promise<T | undefined> {
  const row = await db().settings.get(key)
  return row?.value as T | undefined
}

export async function putSetting(key: string, value: unknown): Promise<void> {
  await write('your settings', async () => {
    await db().settings.put({ key, value })
  })
}

/** Storage use for the Library footer. */
export async function storageEstimate(): Promise<{ usage: number; quota: number } | null> {
  try {
    const { usage, quota } = await navigator.storage.estimate()
    return usage === undefined || quota === undefined ? null : { usage, quota }
  } catch {
    return null
  }
}

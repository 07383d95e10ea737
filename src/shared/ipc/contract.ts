/**
 * The one IPC contract of Seqcast: every channel maps a request (validated with zod in the main
 * process, whatever the transport) to a response, and every event to its payload. The Electron
 * binding (ipcMain.handle + contextBridge) and the browser binding (loopback WebSocket) are both
 * typed from this module; results cross as `{ ok: true, value } | { ok: false, error }`.
 */
import { z } from 'zod'
import type { ErrorInfo } from '../errors'
import { experimentConfigSchema, runConfigSchema, trainingConfigSchema } from '../experiment'
import type { ArenaProgress, ArenaResponse } from '../arena-run'
import { NEURAL_PRESET_IDS, STATISTICAL_PRESET_IDS } from '../models/presets'
import type { ImportReport } from '../csv'
import type { BacktestReport } from '../backtest'
import type { IntervalMethod } from '../forecast/intervals'
import type { Dataset } from '../series/dataset'
import { modelPackageSchema } from '../models/package-check'
import { isChannelName, type ChannelName, type EventNameOf } from './names'
import type {
  BackendReport,
  EpochRecord,
  ModelPackage,
  RunProgress,
  RunResult,
  ForecastSet,
} from '../run'

const id = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected an id of 1–64 letters, digits, _ or -')
/**
 * Files cross by opaque handle, never by path: main grants a handle for a file the user picked in
 * its own dialog, dropped on the window, or uploaded to `serve` (see src/core/transport/grants.ts).
 */
const HANDLE = /^[A-Za-z0-9_-]{16,64}$/
export const fileHandle = z
  .string()
  .regex(HANDLE, 'expected a file handle from a dialog, a drop or an upload')
// One issue, one sentence: whatever else was sent (a path, an upload id), this is what is wanted.
const fileSource = z.custom<{ handle: string }>(
  (v) =>
    typeof v === 'object' &&
    v !== null &&
    Object.keys(v).length === 1 &&
    typeof (v as { handle?: unknown }).handle === 'string' &&
    HANDLE.test((v as { handle: string }).handle),
  'expected { handle } from an open dialog, a dropped file or an upload (files are never opened by path)',
)

const float64 = z.instanceof(Float64Array)
const ARENA_PRESETS: readonly string[] = [...STATISTICAL_PRESET_IDS, ...NEURAL_PRESET_IDS]

/**
 * Columns a run or a forecast needs, in the data's units. Only these cross, not the dataset; the
 * file's schema (every column's name and kind) and its time column's name come along, so an
 * exported model's manifest describes the file as it is.
 */
export const runDataSchema = z
  .object({
    datasetName: z.string().min(1).max(1024),
    rowCount: z
      .number()
      .int()
      .min(1)
      .max(2 ** 31 - 1),
    columns: z
      .array(z.object({ name: z.string().max(500), values: float64 }).strict())
      .min(1)
      .max(10_000),
    /** Text columns a run one-hot encodes (features/one-hot.ts): codes per row and their labels. */
    textColumns: z
      .array(
        z
          .object({
            name: z.string().max(500),
            codes: z.instanceof(Int32Array),
            categories: z.array(z.string().max(10_000)).max(1_000_000),
          })
          .strict(),
      )
      .max(1_000)
      .optional(),
    /** The time column's name, or null when the file has none. */
    timeColumn: z.string().max(500).nullable(),
    /** Its values (epoch ms) when it holds dates and times; null otherwise. */
    timestamps: float64.nullable(),
    /** Every column of the file, in file order. */
    schema: z
      .array(
        z
          .object({ name: z.string().max(500), kind: z.enum(['numeric', 'datetime', 'text']) })
          .strict(),
      )
      .min(1)
      .max(100_000),
  })
  .strict()
  .superRefine((data, ctx) => {
    const kinds = new Map(data.schema.map((c) => [c.name, c.kind]))
    data.columns.forEach((c, i) => {
      if (c.values.length !== data.rowCount) {
        ctx.addIssue({
          code: 'custom',
          path: ['columns', i, 'values'],
          message: `column "${c.name}": expected ${data.rowCount} values, received ${c.values.length}`,
        })
      }
      if (kinds.get(c.name) !== 'numeric') {
        ctx.addIssue({
          code: 'custom',
          path: ['columns', i, 'name'],
          message: `column "${c.name}": expected a numeric column of the schema, received ${kinds.get(c.name) ?? 'a column the schema does not list'}`,
        })
      }
    })
    data.textColumns?.forEach((c, i) => {
      if (c.codes.length !== data.rowCount) {
        ctx.addIssue({
          code: 'custom',
          path: ['textColumns', i, 'codes'],
          message: `column "${c.name}": expected ${data.rowCount} codes, received ${c.codes.length}`,
        })
      }
      if (kinds.get(c.name) !== 'text') {
        ctx.addIssue({
          code: 'custom',
          path: ['textColumns', i, 'name'],
          message: `column "${c.name}": expected a text column of the schema, received ${kinds.get(c.name) ?? 'a column the schema does not list'}`,
        })
      }
      if (c.codes.some((k) => k < -1 || k >= c.categories.length)) {
        ctx.addIssue({
          code: 'custom',
          path: ['textColumns', i, 'codes'],
          message: `column "${c.name}": expected codes from -1 (missing) to ${c.categories.length - 1}`,
        })
      }
    })
    if (data.timeColumn !== null && !kinds.has(data.timeColumn)) {
      ctx.addIssue({
        code: 'custom',
        path: ['timeColumn'],
        message: `expected a column of the schema, received "${data.timeColumn}"`,
      })
    }
    if (data.timestamps) {
      if (data.timeColumn === null || kinds.get(data.timeColumn) !== 'datetime') {
        ctx.addIssue({
          code: 'custom',
          path: ['timestamps'],
          message: 'expected timestamps only with a datetime time column',
        })
      }
      if (data.timestamps.length !== data.rowCount) {
        ctx.addIssue({
          code: 'custom',
          path: ['timestamps'],
          message: `expected ${data.rowCount} timestamps, received ${data.timestamps.length}`,
        })
      }
    }
  })

export type RunData = z.infer<typeof runDataSchema>

const fileKind = z.enum(['csv', 'model', 'zip', 'png', 'json', 'html'])

/** Request schemas, one per channel. */
export const requestSchemas = {
  /** Versions, transport, platform. */
  'app:info': z.object({}).strict(),
  /** Which TensorFlow.js backend runs, and why each other one does not. */
  'engine:backends': z.object({}).strict(),
  /**
   * Native open dialog (Electron only; the browser uses <input type=file> and uploads). Returns
   * a read handle per chosen file.
   */
  'dialog:open': z.object({ kind: z.enum(['csv', 'model']), multiple: z.boolean() }).strict(),
  /**
   * Native save dialog (Electron only; the browser downloads). Returns a one-use write handle for
   * what the user chose: a file for `file:write`, or (kind `folder`) a folder for
   * `model:write-folder`.
   */
  'dialog:save': z
    .object({
      suggestedName: z.string().min(1).max(255),
      kind: z.union([fileKind, z.literal('folder')]),
    })
    .strict(),
  /** Writes `data` to a file the user chose in `dialog:save` (Electron only). */
  'file:write': z
    .object({ handle: fileHandle, data: z.union([z.string(), z.instanceof(Uint8Array)]) })
    .strict(),
  /** Parse a CSV file into a dataset with its report; progress as `job:progress`. */
  'dataset:import': z
    .object({
      jobId: id,
      source: fileSource,
      options: z
        .object({
          delimiter: z.enum([',', ';', '\t']).optional(),
          decimal: z.enum(['.', ',']).optional(),
          timeColumn: z.string().max(500).optional(),
        })
        .strict()
        .optional(),
    })
    .strict(),
  /** Cancel an import (or any job) by id. */
  'job:cancel': z.object({ jobId: id }).strict(),
  /** Start training; returns at once. Progress, checkpoints and the result arrive as events. */
  'run:start': z.object({ runId: id, config: runConfigSchema, data: runDataSchema }).strict(),
  'run:cancel': z.object({ runId: id }).strict(),
  /** Runs the main process is training or holds a result for (for a reloaded window). */
  'run:active': z.object({}).strict(),
  /** The finished result of a run (kept until `run:forget`). */
  'run:result': z.object({ runId: id }).strict(),
  'run:forget': z.object({ runId: id }).strict(),
  /** Read an exported model folder or .zip. */
  'model:read': z.object({ source: fileSource }).strict(),
  /**
   * Write a model folder (model.json, weights.bin, seqcast.json) where the user chose in
   * `dialog:save` with kind `folder` (Electron only: the browser downloads the .zip).
   */
  'model:write-folder': z.object({ handle: fileHandle, package: modelPackageSchema }).strict(),
  /** A model package as one .zip (bytes), for saving or downloading. */
  'model:zip': z.object({ package: modelPackageSchema }).strict(),
  /** Forecast with a model package on data with the same schema. */
  'model:predict': z.object({ package: modelPackageSchema, data: runDataSchema }).strict(),
  /**
   * Rolling-origin backtest of the run's settings (see shared/backtest); progress per fold as
   * `job:progress` (phase "fold"), cancelled with `job:cancel` (the finished folds come back).
   */
  'backtest:run': z
    .object({
      jobId: id,
      config: runConfigSchema,
      folds: z.number().int().min(1).max(1000),
      refit: z.enum(['every', 'once']),
      data: runDataSchema,
    })
    .strict(),
  /**
   * The model arena (see shared/arena): every preset of the set on the same windows, ranked by
   * validation MAE next to the baselines and an ensemble. Progress per model as `arena:progress`;
   * `job:cancel` stops it and the models that finished come back (`cancelled: true`).
   */
  'arena:run': z
    .object({
      jobId: id,
      experiment: experimentConfigSchema,
      /** The window models' own settings (seed, loss, backend); optimizer and batch are the arena's. */
      training: trainingConfigSchema,
      models: z.union([
        z.enum(['all', 'statistical', 'neural']),
        z
          .array(
            z.string().refine((m) => ARENA_PRESETS.includes(m), {
              error: `expected a preset of ${ARENA_PRESETS.join(', ')}`,
            }),
          )
          .min(1)
          .max(ARENA_PRESETS.length),
      ]),
      epochs: z.number().int().min(1).max(100_000),
      /** Early stopping after this many epochs without a better validation loss; null: none. */
      patience: z.number().int().min(1).max(10_000).nullable(),
      /** The season the user set (1 = none); null: the statistical models use the suggestion. */
      season: z.number().int().min(1).max(10_000_000).nullable(),
      intervals: runConfigSchema.shape.intervals,
      data: runDataSchema,
    })
    .strict(),
} as const

export type Channel = keyof typeof requestSchemas
/** A request as its handler receives it (parsed: model packages checked and typed). */
export type RequestOf<C extends Channel> = z.infer<(typeof requestSchemas)[C]>
/** A request as a client sends it. */
export type RequestInputOf<C extends Channel> = z.input<(typeof requestSchemas)[C]>

export interface AppInfo {
  name: string
  version: string
  transport: 'electron' | 'browser'
  platform: string
  versions: Record<string, string>
}

/** Where a live run stands in the engine: waiting its turn, being prepared, training. */
export type RunStage = 'queued' | 'preparing' | 'running'

export function isLiveStatus(status: ActiveRun['status']): status is RunStage {
  return status === 'queued' || status === 'preparing' || status === 'running'
}

export interface ActiveRun {
  runId: string
  status: RunStage | 'done' | 'failed' | 'cancelled'
  /** 1-based place in the engine's queue while queued, else null. */
  position: number | null
  startedAt: number
  history: EpochRecord[]
  lastProgress: RunProgress | null
  backend: BackendReport | null
  error?: ErrorInfo
}

/** Response types, one per channel. */
export interface Responses {
  'app:info': AppInfo
  'engine:backends': BackendReport
  'dialog:open': { files: FileGrant[] } | null
  /** `location` is where the user chose, for messages only (requests never carry paths). */
  'dialog:save': (FileGrant & { location: string }) | null
  'file:write': { location: string }
  'dataset:import': { dataset: Dataset; report: ImportReport }
  'job:cancel': { cancelled: boolean }
  'run:start': { runId: string }
  'run:cancel': { cancelled: boolean }
  'run:active': ActiveRun[]
  'run:result': RunResult
  'run:forget': { forgotten: boolean }
  'model:read': ModelPackage
  'model:write-folder': { location: string; files: string[] }
  'model:zip': { bytes: Uint8Array; suggestedName: string }
  'model:predict': ForecastSet
  /**
   * `cancelledAt`: the fold that was running when `job:cancel` stopped the backtest; the report
   * then holds the folds before it (null when every fold finished).
   */
  'backtest:run': BacktestReport & {
    level: number | null
    /** How the intervals were drawn, 'split' or 'aci' (absent in backtests saved before it: split). */
    method?: IntervalMethod
    seconds: number
    cancelledAt?: number | null
  }
  'arena:run': ArenaResponse
}

export type ResponseOf<C extends Channel> = Responses[C]

/** A file main opened for the renderer: an opaque handle and the file's own name. */
export interface FileGrant {
  handle: string
  name: string
}

/** Events from the main process to every window / browser tab. */
export interface Events {
  'job:progress': {
    jobId: string
    phase: string
    done: number
    total: number
    /** `backtest:run`, after each fold: the report of the folds done so far (the app saves it). */
    report?: BacktestReport & { level: number | null; method?: IntervalMethod; seconds: number }
  }
  'run:progress': RunProgress
  /** A run's stage changed (or, while queued, its place in the queue). */
  'run:state': { runId: string; status: RunStage; position: number | null }
  /** The backend a run trains on (sent once, as soon as the worker has picked it). */
  'run:backend': { runId: string; report: BackendReport }
  'run:epoch': { runId: string; record: EpochRecord }
  /** Best-so-far weights, so a run interrupted by a crash or quit keeps a usable model. */
  'run:checkpoint': { runId: string; epoch: number; package: ModelPackage }
  'run:done': { runId: string; result: RunResult }
  'run:failed': { runId: string; error: ErrorInfo; checkpointEpoch: number | null }
  /** A comparison's model started, finished an epoch, finished or was skipped. */
  'arena:progress': ArenaProgress
  /** A menu item the renderer acts on (Electron menus; keyboard shortcuts in the browser). */
  'menu:command': {
    command:
      'open-csv' | 'import-model' | 'export-forecasts' | 'export-model' | 'about' | 'backend-report'
  }
}

export type EventName = keyof Events

export { CHANNEL_NAMES, EVENT_NAMES } from './names'

// The zod-free name lists (for the preload) must match the schemas and event types exactly.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
const channelsMatch: Same<Channel, ChannelName> = true
const eventsMatch: Same<EventName, EventNameOf> = true
void channelsMatch
void eventsMatch

export function isChannel(value: unknown): value is Channel {
  return isChannelName(value)
}

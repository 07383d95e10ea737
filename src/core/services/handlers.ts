/**
 * The handlers of every contract channel, over Electron-free services. What differs between
 * the desktop and the browser (native dialogs, the event sink) is passed in. Files are reached
 * only through handles in `grants` (granted by main's dialogs, a dropped file or an upload):
 * no request names a path.
 */
import { writeFileAtomic } from '../files/atomic-write'
import { basename } from 'node:path'
import { SeqcastError } from '../../shared/errors'
import type { AppInfo, RequestOf, RunData } from '../../shared/ipc/contract'
import type { Dataset } from '../../shared/series/dataset'
import type { BackendReport, ForecastSet, ModelPackage } from '../../shared/run'
import type { Broadcast, Dialogs, Handlers } from './api'
import type { BacktestConfig, BacktestOptions, BacktestResult } from './backtest'
import { DEFAULT_INTERVALS } from '../../shared/forecast/intervals'
import { statisticalSeasons } from '../../shared/models/statistical'
import { importCsvFile } from './import-file'
import type { ArenaEntry, ArenaOptions, ArenaResult } from './arena'
import { arenaModels } from '../../shared/arena'
import { arenaTraining, type ArenaBoardEntry, type ArenaResponse } from '../../shared/arena-run'
import type { ExperimentConfig } from '../../shared/experiment'
import { analyzeTimeAxis } from '../../shared/series/time-axis'
import { RunManager, type TrainFn } from './runs'
import { LIMITS } from '../../shared/ipc/limits'
import { checkWriteTarget, ioError } from '../transport/file-policy'
import { FileGrants } from '../transport/grants'

/** The engine as the services see it (implemented over the training worker). */
export interface EngineFacade {
  backends(): Promise<BackendReport>
  train: TrainFn
  /** `display` names the model in messages (its own name, not a temp path). */
  readModel(path: string, display?: string): Promise<ModelPackage>
  writeModelFolder(dir: string, pkg: ModelPackage): Promise<string[]>
  zipModel(pkg: ModelPackage): Promise<Uint8Array>
  predict(pkg: ModelPackage, dataset: Dataset): Promise<ForecastSet>
  backtest(
    dataset: Dataset,
    config: BacktestConfig,
    options: BacktestOptions,
  ): Promise<BacktestResult>
  arena(
    dataset: Dataset,
    experiment: ExperimentConfig,
    options: Omit<ArenaOptions, 'host'>,
  ): Promise<ArenaResult>
}

export interface ServiceDeps {
  info: Omit<AppInfo, 'transport'>
  transport: AppInfo['transport']
  broadcast: Broadcast
  engine: EngineFacade
  /** Native dialogs: the desktop shell only. */
  dialogs?: Dialogs
  /** Handles of files the user chose (dialogs, drops, uploads); default: none granted. */
  grants?: FileGrants
}

export interface Services {
  handlers: Handlers
  runs: RunManager
  /** Cancel imports and runs (on quit). */
  shutdown(): void
}

export function createServices(deps: ServiceDeps): Services {
  const runs = new RunManager(deps.engine.train, deps.broadcast)
  const jobs = new Map<string, AbortController>()

  const grants = deps.grants ?? new FileGrants()

  const needDialogs = (channel: string): Dialogs => {
    if (!deps.dialogs) {
      throw new SeqcastError(
        'invalid-argument',
        `${channel}: native dialogs exist only in the desktop app; the browser uses its own file picker and downloads.`,
        { channel },
      )
    }
    return deps.dialogs
  }

  const handlers: Handlers = {
    'app:info': async () => ({ ...deps.info, transport: deps.transport }),
    'engine:backends': () => deps.engine.backends(),
    'dialog:open': async ({ kind, multiple }) => {
      const paths = await needDialogs('dialog:open').open(kind, multiple)
      if (!paths || paths.length === 0) return null
      return {
        files: paths.map((path) =>
          grants.grant({ capability: 'read', path, name: basename(path) }),
        ),
      }
    },
    'dialog:save': async ({ suggestedName, kind }) => {
      const path = await needDialogs('dialog:save').save(suggestedName, kind)
      if (!path) return null
      const capability = kind === 'folder' ? 'write-folder' : 'write-file'
      return { ...grants.grant({ capability, path, name: basename(path) }), location: path }
    },
    'file:write': async ({ handle, data }) => {
      const { path } = grants.take(handle, 'write-file', 'Save')
      await checkWriteTarget(path, path, 'file')
      try {
        await writeFileAtomic(path, data)
      } catch (error) {
        throw ioError(path, error, 'write')
      }
      return { location: path }
    },
    'dataset:import': async ({ jobId, source, options }) => {
      const file = grants.take(source.handle, 'read', 'Import')
      const abort = new AbortController()
      jobs.set(jobId, abort)
      let last = 0
      try {
        const result = await importCsvFile(file.path, {
          ...options,
          fileName: file.name,
          maxBytes: LIMITS.csvBytes,
          signal: abort.signal,
          onProgress: (done: number, total: number) => {
            const now = Date.now()
            if (now - last < 100 && done < total) return // at most ~10 events a second
            last = now
            deps.broadcast('job:progress', { jobId, phase: 'parse', done, total })
          },
        })
        // The data now lives in the renderer: an upload's temp file goes at once.
        grants.release(source.handle)
        return result
      } finally {
        jobs.delete(jobId)
      }
    },
    'job:cancel': async ({ jobId }) => {
      const job = jobs.get(jobId)
      job?.abort()
      return { cancelled: job !== undefined }
    },
    'run:start': async ({ runId, config, data }) =>
      runs.start(runId, datasetFromRunData(data), config),
    'run:cancel': async ({ runId }) => runs.cancel(runId),
    'run:active': async () => runs.active(),
    'run:result': async ({ runId }) => runs.result(runId),
    'run:forget': async ({ runId }) => runs.forget(runId),
    'model:read': async ({ source }) => {
      const file = grants.take(source.handle, 'read', 'Import model')
      const pkg = await deps.engine.readModel(file.path, file.name)
      grants.release(source.handle)
      return pkg
    },
    'model:write-folder': async ({ handle, package: pkg }) => {
      const { path } = grants.take(handle, 'write-folder', 'Export model folder')
      const files = await deps.engine.writeModelFolder(path, pkg)
      return { location: path, files: files.map((f) => basename(f)) }
    },
    'model:zip': async ({ package: pkg }) => ({
      bytes: await deps.engine.zipModel(pkg),
      suggestedName: `${pkg.manifest.name.replace(/[^\w.-]+/g, '_') || 'seqcast-model'}.zip`,
    }),
    'model:predict': async ({ package: pkg, data }) =>
      deps.engine.predict(pkg, datasetFromRunData(data)),
    'backtest:run': async ({ jobId, config, folds, refit, data }) => {
      const abort = new AbortController()
      jobs.set(jobId, abort)
      // The run's intervals; a model's own ('model') has no per-fold variance: ACI, the default.
      const { level, method: runMethod } = config.intervals ?? DEFAULT_INTERVALS
      const method: 'split' | 'aci' = runMethod === 'split' ? 'split' : 'aci'
      const started = performance.now()
      try {
        const result = await deps.engine.backtest(
          datasetFromRunData(data),
          {
            experiment: config.experiment,
            // A statistical preset backtests as its own family (seasons fixed by the run's settings).
            model: config.model.statistical
              ? {
                  family: 'statistical',
                  kind: config.model.statistical.kind,
                  seasons: statisticalSeasons(config.model, config.experiment.seasonRows),
                }
              : { family: 'window', spec: config.model, training: config.training },
            folds,
            refit,
            level,
            method,
          },
          {
            signal: abort.signal,
            // Cancel keeps the folds that finished: the panel shows them and says so.
            keepOnCancel: true,
            onFold: (e) =>
              deps.broadcast('job:progress', {
                jobId,
                phase: 'fold',
                done: e.phase === 'done' ? e.fold : e.fold - 1,
                total: e.folds,
                ...(e.report
                  ? {
                      report: {
                        ...e.report,
                        level,
                        method,
                        seconds: (performance.now() - started) / 1000,
                      },
                    }
                  : {}),
              }),
          },
        )
        return {
          ...result.report,
          level,
          method,
          seconds: result.seconds,
          cancelledAt: result.cancelledAt,
        }
      } finally {
        jobs.delete(jobId)
      }
    },
    'arena:run': async (request) => {
      const abort = new AbortController()
      jobs.set(request.jobId, abort)
      try {
        return await runArenaJob(deps, request, abort.signal)
      } finally {
        jobs.delete(request.jobId)
      }
    },
  }

  return {
    handlers,
    runs,
    shutdown() {
      for (const job of jobs.values()) job.abort()
      runs.cancelAll()
    },
  }
}

/**
 * `arena:run` on the engine: the set's presets in order, each announced as `arena:progress`;
 * a cancel keeps the models that finished. The season rule is the CLI's: the user's season
 * (1 = none, and then no seasonal naive either) or, when unset, the suggestion from the data.
 */
async function runArenaJob(
  deps: ServiceDeps,
  request: RequestOf<'arena:run'>,
  signal: AbortSignal,
): Promise<ArenaResponse> {
  const { jobId, epochs, patience, season, intervals } = request
  const dataset = datasetFromRunData(request.data)
  const models = Array.isArray(request.models)
    ? [...new Set(request.models)]
    : arenaModels(request.models)
  const experiment: ExperimentConfig = {
    ...request.experiment,
    seasonRows: season === 1 ? null : request.experiment.seasonRows,
  }
  const at = (model: string, index: number, of: number) => ({ jobId, model, index, of })
  const arena = await deps.engine.arena(dataset, experiment, {
    models,
    training: arenaTraining(request.training, epochs, patience),
    userSeason: season,
    cadence: analyzeTimeAxis(dataset)?.cadence ?? null,
    intervals,
    signal,
    keepOnCancel: true,
    onBaselines: (entries, prepared) =>
      deps.broadcast('arena:progress', {
        jobId,
        phase: 'baselines',
        board: entries.map(boardEntry),
        sampleCounts: prepared.sampleCounts,
        seasonRows: prepared.config.seasonRows,
      }),
    onModelStart: (model, i, n) =>
      deps.broadcast('arena:progress', { ...at(model, i, n), phase: 'start' }),
    onEpoch: (model, r) => {
      const index = models.indexOf(model)
      deps.broadcast('arena:progress', {
        ...at(model, index, models.length),
        phase: 'epoch',
        epoch: r.epoch,
        epochs,
        valMae: r.valMae,
      })
    },
    onModelEnd: (e, i, n) =>
      deps.broadcast('arena:progress', {
        ...at(e.model, i, n),
        phase: 'done',
        name: e.name,
        valMae: e.val?.mae ?? null,
        seconds: e.seconds,
        result: e.result!,
      }),
    onModelSkipped: (model, reason, i, n) =>
      deps.broadcast('arena:progress', { ...at(model, i, n), phase: 'skipped', reason }),
  })
  return {
    board: arena.board.map(boardEntry),
    skipped: arena.skipped,
    models,
    cancelled: arena.cancelled,
    sampleCounts: arena.prepared.sampleCounts,
    seasonRows: arena.prepared.config.seasonRows,
    seconds: arena.seconds,
  }
}

/** A board entry as it crosses to the app. */
function boardEntry(e: ArenaEntry): ArenaBoardEntry {
  return {
    model: e.model,
    family: e.family,
    name: e.name,
    val: e.val,
    test: e.test,
    seconds: e.seconds,
    result: e.result,
    // A model's forecasts travel once, inside its result.
    forecasts: e.result ? null : e.evaluation.forecasts,
    future: e.result ? null : e.evaluation.future,
    ...(e.members ? { members: e.members } : {}),
  }
}

/**
 * The columns a run or forecast request carries, as a Dataset: the time column under its own
 * name (its values when they are dates and times), and the file's full schema as `fileColumns`.
 */
export function datasetFromRunData(data: RunData): Dataset {
  const columns: Dataset['columns'] = data.columns.map((c) => ({
    name: c.name,
    kind: 'numeric' as const,
    values: c.values,
  }))
  for (const c of data.textColumns ?? []) {
    columns.push({ name: c.name, kind: 'text', codes: c.codes, categories: c.categories })
  }
  if (data.timestamps && data.timeColumn !== null) {
    columns.unshift({
      name: data.timeColumn,
      kind: 'datetime',
      values: data.timestamps,
      format: 'epoch-ms',
    })
  }
  return {
    name: data.datasetName,
    rowCount: data.rowCount,
    columns,
    timeColumn: data.timeColumn,
    fileColumns: data.schema,
  }
}

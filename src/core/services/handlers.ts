/**
 * The handlers of every contract channel, over Electron-free services. What differs between
 * the desktop and the browser (native dialogs, uploads, the event sink) is passed in.
 */
import { SeqcastError } from '../../shared/errors'
import type { AppInfo, RunData } from '../../shared/ipc/contract'
import type { Dataset } from '../../shared/series/dataset'
import type { BackendReport, ForecastSet, ModelPackage } from '../../shared/run'
import type { Broadcast, Dialogs, Handlers } from './api'
import type { BacktestConfig, BacktestOptions, BacktestResult } from './backtest'
import { DEFAULT_INTERVALS } from '../../shared/forecast/intervals'
import { importCsvFile } from './import-file'
import { RunManager, type TrainFn } from './runs'
import type { UploadStore } from './uploads'

/** The engine as the services see it (implemented over the training worker). */
export interface EngineFacade {
  backends(): Promise<BackendReport>
  train: TrainFn
  readModel(path: string): Promise<ModelPackage>
  writeModelFolder(dir: string, pkg: ModelPackage): Promise<string[]>
  zipModel(pkg: ModelPackage): Promise<Uint8Array>
  predict(pkg: ModelPackage, dataset: Dataset): Promise<ForecastSet>
  backtest(
    dataset: Dataset,
    config: BacktestConfig,
    options: BacktestOptions,
  ): Promise<BacktestResult>
}

export interface ServiceDeps {
  info: Omit<AppInfo, 'transport'>
  transport: AppInfo['transport']
  broadcast: Broadcast
  engine: EngineFacade
  dialogs?: Dialogs
  uploads?: UploadStore
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

  const resolveSource = (source: { path: string } | { uploadId: string }): string => {
    if ('path' in source) return source.path
    if (!deps.uploads) {
      throw new SeqcastError(
        'invalid-argument',
        'Uploads exist only in the browser binding; the desktop app opens files by path.',
      )
    }
    return deps.uploads.resolve(source.uploadId).path
  }

  const needDialogs = (): Dialogs => {
    if (!deps.dialogs) {
      throw new SeqcastError(
        'invalid-argument',
        'Native dialogs exist only in the desktop app; the browser uses its own file picker and downloads.',
      )
    }
    return deps.dialogs
  }

  const handlers: Handlers = {
    'app:info': async () => ({ ...deps.info, transport: deps.transport }),
    'engine:backends': () => deps.engine.backends(),
    'dialog:open': async ({ kind, multiple }) => {
      const paths = await needDialogs().open(kind, multiple)
      return paths ? { paths } : null
    },
    'dialog:save': async ({ suggestedName, kind, data }) => {
      const path = await needDialogs().save(suggestedName, kind, data)
      return path ? { path } : null
    },
    'dataset:import': async ({ jobId, source, options }) => {
      const path = resolveSource(source)
      const fileName =
        'uploadId' in source ? deps.uploads!.resolve(source.uploadId).name : undefined
      const abort = new AbortController()
      jobs.set(jobId, abort)
      let last = 0
      try {
        return await importCsvFile(path, {
          ...options,
          fileName,
          signal: abort.signal,
          onProgress: (done: number, total: number) => {
            const now = Date.now()
            if (now - last < 100 && done < total) return // at most ~10 events a second
            last = now
            deps.broadcast('job:progress', { jobId, phase: 'parse', done, total })
          },
        })
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
    'model:read': async ({ source }) => deps.engine.readModel(resolveSource(source)),
    'model:write-folder': async ({ dir, package: pkg }) => ({
      dir,
      files: await deps.engine.writeModelFolder(dir, pkg as ModelPackage),
    }),
    'model:zip': async ({ package: pkg }) => ({
      bytes: await deps.engine.zipModel(pkg as ModelPackage),
      suggestedName: `${String((pkg.manifest as { name?: string }).name ?? 'seqcast-model').replace(/[^\w.-]+/g, '_')}.zip`,
    }),
    'model:predict': async ({ package: pkg, data }) =>
      deps.engine.predict(pkg as ModelPackage, datasetFromRunData(data)),
    'backtest:run': async ({ jobId, config, folds, refit, data }) => {
      const abort = new AbortController()
      jobs.set(jobId, abort)
      const level = (config.intervals ?? DEFAULT_INTERVALS).level
      try {
        const result = await deps.engine.backtest(
          datasetFromRunData(data),
          {
            experiment: config.experiment,
            model: { family: 'window', spec: config.model, training: config.training },
            folds,
            refit,
            level,
          },
          {
            signal: abort.signal,
            onFold: (e) =>
              deps.broadcast('job:progress', {
                jobId,
                phase: 'fold',
                done: e.phase === 'done' ? e.fold : e.fold - 1,
                total: e.folds,
              }),
          },
        )
        return { ...result.report, level, seconds: result.seconds }
      } finally {
        jobs.delete(jobId)
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
 * The columns a run or forecast request carries, as a Dataset: the time column under its own
 * name (its values when they are dates and times), and the file's full schema as `fileColumns`.
 */
export function datasetFromRunData(data: RunData): Dataset {
  const columns: Dataset['columns'] = data.columns.map((c) => ({
    name: c.name,
    kind: 'numeric' as const,
    values: c.values,
  }))
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

/**
 * The life of a run, seen from the renderer (the source of truth for saved work):
 * - start: a run row is saved as 'running', then `run:start` gets only the columns it needs;
 * - events (broadcast to every tab): epochs and best-so-far checkpoints are saved as they come,
 *   the result on `run:done` (status done, or cancelled with its checkpoint), errors on
 *   `run:failed`; then `run:forget` releases main's copy;
 * - reconcile (at start-up and after a reconnect): `run:active` lists what main still trains or
 *   holds; a run saved as running that main no longer knows becomes 'interrupted', its last
 *   checkpoint kept as its model.
 * - stage: a run saved as 'running' is, in the engine, queued (#n behind the one that trains),
 *   preparing or running; `run:state` events (and `run:active`) keep `stages` current. The stage
 *   is not saved: after a restart nothing is queued any more.
 * Every write is idempotent, so several tabs receiving the same events agree.
 */
import { computed, effectScope, shallowRef } from 'vue'
import { SeqcastError, toErrorInfo } from '@shared/errors'
import { isLiveStatus, type ActiveRun, type RunData, type RunStage } from '@shared/ipc/contract'
import type { RunConfig } from '@shared/experiment'
import { runName } from '@shared/naming/run-name'
import type { PreparedExperiment } from '@shared/prepare'
import type { EpochRecord, ModelPackage, RunProgress, RunResult } from '@shared/run'
import type { Dataset } from '@shared/series/dataset'
import { STOP_REASON_LABEL } from '@shared/format'
import { getClient } from '../api'
import { newId } from '../api/ids'
import {
  db,
  modelRecord,
  putRun,
  updateRun,
  write,
  type DatasetRecord,
  type RunRecord,
  type RunSummary,
} from '../db'
import { liveQuery } from 'dexie'
import { useNotices } from './use-notices'
import { requestData } from '../lib/run-data'
import { coalesceByKey } from '../lib/coalesce'

export const checkpointId = (runId: string) => `${runId}-checkpoint`
export const finalModelId = (runId: string) => `${runId}-model`

/** Only the columns a run reads cross to main: features and target (once), one-hot text columns, and the time axis. */
export function runData(dataset: Dataset, config: RunConfig): RunData {
  const names = [...new Set([...config.experiment.features, config.experiment.target])]
  const columns = names.map((name) => {
    const c = dataset.columns.find((col) => col.name === name)
    if (!c || c.kind !== 'numeric') {
      throw new SeqcastError(
        'column',
        `${dataset.name} has no numeric column "${name}". Pick the columns again in the Experiment view.`,
        { column: name },
      )
    }
    return { name, values: c.values as Float64Array<ArrayBuffer> }
  })
  return requestData(
    dataset,
    columns,
    (config.experiment.oneHot ?? []).map((s) => s.column),
  )
}

function mergeEpoch(history: EpochRecord[], record: EpochRecord): boolean {
  const i = history.findIndex((e) => e.epoch === record.epoch)
  if (i >= 0) {
    history[i] = record
    return true
  }
  history.push(record)
  history.sort((a, b) => a.epoch - b.epoch)
  return true
}

/** Saved epochs and the ones this window has seen but not yet saved, one per epoch, in order. */
export function mergedHistory(
  saved: EpochRecord[],
  live: EpochRecord[] | undefined,
): EpochRecord[] {
  if (!live?.length) return saved
  const out = [...saved]
  for (const e of live) mergeEpoch(out, e)
  return out
}

/** A result without forecasts and artifacts: what a run record keeps (those have their tables). */
export function runSummary(result: RunResult): RunSummary {
  const { forecasts: _f, future: _u, artifacts: _a, ...rest } = result
  return rest
}

function create() {
  const { error: report, push } = useNotices()
  const progress = shallowRef<Record<string, RunProgress>>({})
  const starting = new Set<string>()
  const allRuns = shallowRef<RunRecord[]>([])
  liveQuery(() => db().runs.orderBy('createdAt').reverse().toArray()).subscribe({
    next: (runs) => (allRuns.value = runs),
    error: (e) => report(e, 'Could not read the runs'),
  })
  const running = computed(() => allRuns.value.filter((r) => r.status === 'running'))
  /** Where each live run stands in the engine (absent until main says). */
  const stages = shallowRef<Record<string, { status: RunStage; position: number | null }>>({})
  let started = false
  /**
   * Epochs as they arrive, per running run: the Train view draws these at once; saving them
   * to Dexie is coalesced (below) and may trail by a few epochs without the view trailing.
   */
  const liveHistory = shallowRef<Record<string, EpochRecord[]>>({})

  function historyOf(run: Pick<RunRecord, 'id' | 'status' | 'history'>): EpochRecord[] {
    return run.status === 'running'
      ? mergedHistory(run.history, liveHistory.value[run.id])
      : run.history
  }

  function addLive(runId: string, records: EpochRecord[]): void {
    const list = [...(liveHistory.value[runId] ?? [])]
    for (const r of records) mergeEpoch(list, r)
    liveHistory.value = { ...liveHistory.value, [runId]: list }
  }

  /**
   * Epoch and progress events are applied at most every LIVE_MS: a small model trains hundreds
   * of epochs (and thousands of batches) a second, and redrawing the Train view for each one
   * held the page's thread until the events queued up behind it (the view trailed the run,
   * then stopped answering). Between two flushes only the latest progress per run matters;
   * every epoch is kept.
   */
  const LIVE_MS = 100
  const pendingEpochs = new Map<string, EpochRecord[]>()
  const pendingProgress = new Map<string, RunProgress>()
  let flushTimer: ReturnType<typeof setTimeout> | null = null

  function flushLive(): void {
    flushTimer = null
    if (pendingEpochs.size > 0) {
      const next = { ...liveHistory.value }
      for (const [runId, records] of pendingEpochs) {
        const list = [...(next[runId] ?? [])]
        for (const r of records) mergeEpoch(list, r)
        next[runId] = list
      }
      pendingEpochs.clear()
      liveHistory.value = next
    }
    if (pendingProgress.size > 0) {
      progress.value = { ...progress.value, ...Object.fromEntries(pendingProgress) }
      pendingProgress.clear()
    }
  }

  function scheduleLive(): void {
    flushTimer ??= setTimeout(flushLive, LIVE_MS)
  }

  function setStage(runId: string, status: RunStage, position: number | null): void {
    stages.value = { ...stages.value, [runId]: { status, position } }
  }

  /** What a run's status chip says: "queued (#2)" and "preparing" for live runs that wait. */
  function statusLabel(run: Pick<RunRecord, 'id' | 'status'>): string {
    if (run.status !== 'running') return run.status
    const stage = stages.value[run.id]
    if (!stage || stage.status === 'running') return 'running'
    return stage.status === 'queued' && stage.position !== null
      ? `queued (#${stage.position})`
      : stage.status
  }

  /** True while the run waits for another one to finish (or for its model to be prepared). */
  function isWaiting(runId: string): boolean {
    const stage = stages.value[runId]
    return stage !== undefined && stage.status !== 'running'
  }

  async function saveCheckpoint(runId: string, epoch: number, pkg: ModelPackage): Promise<void> {
    const d = db()
    await write('the checkpoint', () =>
      d.transaction('rw', d.runs, d.models, async () => {
        const run = await d.runs.get(runId)
        if (!run || run.status !== 'running') return
        if (run.checkpointEpoch !== null && run.checkpointEpoch > epoch) return
        await d.models.put(
          modelRecord(pkg, {
            id: checkpointId(runId),
            name: `${run.name} · checkpoint`,
            runId,
            kind: 'checkpoint',
            epoch,
          }),
        )
        run.checkpointEpoch = epoch
        if (!run.modelId || run.modelId === checkpointId(runId)) run.modelId = checkpointId(runId)
        run.updatedAt = Date.now()
        await d.runs.put(run)
      }),
    )
  }

  /** Stores a finished result in one transaction: summary, forecasts, model (checkpoint replaced). */
  async function saveResult(runId: string, result: RunResult): Promise<void> {
    const d = db()
    await write('the run result', () =>
      d.transaction('rw', [d.runs, d.models, d.forecasts], async () => {
        const run = await d.runs.get(runId)
        if (!run) return
        const now = Date.now()
        run.status = result.stopReason === 'cancelled' ? 'cancelled' : 'done'
        run.result = runSummary(result)
        run.history = result.history
        run.backend = result.backend
        run.baselines = result.baselines
        run.sampleCounts = result.sampleCounts
        run.finishedAt = run.finishedAt ?? now
        run.updatedAt = now
        run.error = null
        if (result.artifacts) {
          await d.models.put(
            modelRecord(result.artifacts, {
              id: finalModelId(runId),
              name: run.name,
              runId,
              // The weights of the best epoch: "final" only when that is the last one.
              kind:
                result.bestEpoch !== null &&
                result.bestEpoch < (result.history[result.history.length - 1]?.epoch ?? 0)
                  ? 'checkpoint'
                  : 'final',
              epoch: result.bestEpoch,
            }),
          )
          await d.models.delete(checkpointId(runId))
          run.modelId = finalModelId(runId)
          run.checkpointEpoch = result.bestEpoch
        }
        const splits = result.forecasts
        if (splits.val || splits.test || result.future) {
          await d.forecasts.put({
            runId,
            modelId: run.modelId,
            source: 'run',
            splits,
            future: result.future,
            createdAt: now,
          })
        }
        await d.runs.put(run)
      }),
    )
  }

  async function forget(runId: string): Promise<void> {
    try {
      await getClient().invoke('run:forget', { runId })
    } catch {
      // main may already have forgotten it (another tab); nothing is lost
    }
  }

  async function onDone(runId: string, result: RunResult): Promise<void> {
    await settleWrites(runId)
    const before = await db().runs.get(runId)
    if (!before) return
    await saveResult(runId, result)
    clearProgress(runId)
    await forget(runId)
    // Only a run that stopped before its last epoch says so: a statistical model's completed fit
    // also carries a message ("ETS(A,Ad,N) fitted on 78 training rows"), and was titled "stopped
    // early" with it.
    const stopped = result.stopReason === 'early-stopping' || result.stopReason === 'nan-loss'
    if (before.status === 'running' && result.stopMessage && stopped) {
      push(
        {
          tone: 'info',
          title: `${before.name} ${STOP_REASON_LABEL[result.stopReason]}`,
          message: result.stopMessage,
        },
        10_000,
      )
    }
  }

  async function onFailed(
    runId: string,
    error: ActiveRun['error'],
    checkpointEpoch: number | null,
  ): Promise<void> {
    await settleWrites(runId)
    const run = await updateRun(runId, (r) => {
      if (r.status === 'done') return false
      r.status = error?.kind === 'cancelled' ? 'cancelled' : 'failed'
      r.error = error ?? null
      r.finishedAt = r.finishedAt ?? Date.now()
      if (checkpointEpoch !== null && r.checkpointEpoch === null)
        r.checkpointEpoch = checkpointEpoch
    })
    clearProgress(runId)
    await forget(runId)
    if (run && error && error.kind !== 'cancelled') report(error, `${run.name} failed`)
  }

  function clearProgress(runId: string): void {
    pendingEpochs.delete(runId)
    pendingProgress.delete(runId)
    if (runId in liveHistory.value) {
      const rest = { ...liveHistory.value }
      delete rest[runId]
      liveHistory.value = rest
    }
    if (runId in stages.value) {
      const rest = { ...stages.value }
      delete rest[runId]
      stages.value = rest
    }
    if (!(runId in progress.value)) return
    const next = { ...progress.value }
    delete next[runId]
    progress.value = next
  }

  const guard = (what: string, fn: () => Promise<void>) => {
    fn().catch((e) => report(e, what))
  }

  // One Dexie transaction per batch of epochs, and only the newest of the checkpoints that
  // arrived while the previous one was being written (each is a whole model).
  const epochWrites = coalesceByKey<EpochRecord>(
    async (runId, records) => {
      await updateRun(runId, (r) => {
        if (r.status !== 'running') return false
        for (const record of records) mergeEpoch(r.history, record)
      })
    },
    (e) => report(e, 'Could not save an epoch'),
  )
  const checkpointWrites = coalesceByKey<{ epoch: number; pkg: ModelPackage }>(
    async (runId, items) => {
      const newest = items.reduce((a, b) => (b.epoch >= a.epoch ? b : a))
      await saveCheckpoint(runId, newest.epoch, newest.pkg)
    },
    (e) => report(e, 'Could not save a checkpoint'),
  )

  /** Lets the saves still queued for a run land before its end is written over them. */
  async function settleWrites(runId: string): Promise<void> {
    await epochWrites.idle(runId)
    await checkpointWrites.idle(runId)
  }

  /** Subscribes to run events and reconciles with main; once per window. */
  async function start(): Promise<void> {
    if (started) return
    started = true
    const client = getClient()
    client.on('run:progress', (p) => {
      pendingProgress.set(p.runId, p)
      scheduleLive()
    })
    client.on('run:state', ({ runId, status, position }) => setStage(runId, status, position))
    client.on('run:backend', ({ runId, report }) =>
      guard('Could not save the run’s backend', async () => {
        await updateRun(runId, (r) => {
          r.backend = report
        })
      }),
    )
    client.on('run:epoch', ({ runId, record }) => {
      const pending = pendingEpochs.get(runId)
      if (pending) pending.push(record)
      else pendingEpochs.set(runId, [record])
      scheduleLive()
      epochWrites.push(runId, record)
    })
    client.on('run:checkpoint', ({ runId, epoch, package: pkg }) =>
      checkpointWrites.push(runId, { epoch, pkg }),
    )
    client.on('run:done', ({ runId, result }) =>
      guard('Could not save the run result', () => onDone(runId, result)),
    )
    client.on('run:failed', ({ runId, error, checkpointEpoch }) =>
      guard('Could not save the run', () => onFailed(runId, error, checkpointEpoch)),
    )
    client.onConnection((state) => {
      if (state === 'open') void reconcile()
    })
    await reconcile()
  }

  async function reconcile(): Promise<void> {
    let active: ActiveRun[]
    try {
      active = await getClient().invoke('run:active', {})
    } catch (e) {
      // Without an answer nothing can be judged interrupted; try again on the next connection.
      if (!(e instanceof SeqcastError && e.kind === 'io'))
        report(e, 'Could not ask which runs are training')
      return
    }
    const byId = new Map(active.map((a) => [a.runId, a]))
    const saved = await db().runs.where('status').equals('running').toArray()
    for (const run of saved) {
      if (starting.has(run.id)) continue
      const a = byId.get(run.id)
      try {
        if (!a) {
          await updateRun(run.id, (r) => {
            if (r.status !== 'running') return false
            r.status = 'interrupted'
            r.finishedAt = Date.now()
          })
        } else if (isLiveStatus(a.status)) {
          setStage(run.id, a.status, a.position)
          addLive(run.id, a.history)
          await updateRun(run.id, (r) => {
            for (const e of a.history) mergeEpoch(r.history, e)
            r.lastProgress = a.lastProgress
            if (a.backend) r.backend = a.backend
          })
          if (a.lastProgress) progress.value = { ...progress.value, [run.id]: a.lastProgress }
        } else if (a.status === 'done' || a.status === 'cancelled') {
          const result = await getClient().invoke('run:result', { runId: run.id })
          await onDone(run.id, result)
        } else {
          await onFailed(run.id, a.error, null)
        }
      } catch (e) {
        report(e, `Could not bring run "${run.name}" up to date`)
      }
    }
  }

  async function startRun(options: {
    config: RunConfig
    dataset: Dataset
    record: DatasetRecord
    prepared: PreparedExperiment
    name?: string
    /**
     * What the engine is asked to run, 'auto' settings kept (it resolves them, saying why);
     * `config` (resolved) is what the run record keeps. Absent: `config`.
     */
    requested?: RunConfig
  }): Promise<RunRecord> {
    const { config, dataset, record, prepared } = options
    const id = newId('run')
    const now = Date.now()
    const earlier = await db().runs.where('datasetId').equals(record.id).toArray()
    const run: RunRecord = {
      id,
      name:
        options.name ??
        runName(
          config,
          earlier.map((r) => r.config),
          earlier.map((r) => r.name),
        ),
      datasetId: record.id,
      datasetName: record.name,
      status: 'running',
      config,
      sampleCounts: prepared.sampleCounts,
      baselines: prepared.baselines,
      history: [],
      lastProgress: null,
      result: null,
      backend: null,
      error: null,
      checkpointEpoch: null,
      modelId: null,
      createdAt: now,
      updatedAt: now,
      finishedAt: null,
    }
    const data = runData(dataset, config)
    await putRun(run)
    starting.add(id)
    try {
      await getClient().invoke('run:start', {
        runId: id,
        config: options.requested ?? config,
        data,
      })
    } catch (e) {
      const info = toErrorInfo(e)
      await updateRun(id, (r) => {
        r.status = 'failed'
        r.error = info
        r.finishedAt = Date.now()
      })
      throw e
    } finally {
      starting.delete(id)
    }
    return run
  }

  async function cancel(runId: string): Promise<void> {
    const { cancelled } = await getClient().invoke('run:cancel', { runId })
    if (!cancelled) {
      // main does not know it any more: it was interrupted.
      await reconcile()
    }
  }

  return {
    progress,
    running,
    stages,
    statusLabel,
    isWaiting,
    historyOf,
    allRuns,
    start,
    startRun,
    cancel,
    reconcile,
  }
}

let instance: ReturnType<typeof create> | null = null

export function useRuns(): ReturnType<typeof create> {
  if (!instance) instance = effectScope(true).run(create)!
  return instance
}

/**
 * "Compare models", seen from the renderer: one comparison at a time runs `arena:run` on the
 * engine; `arena:progress` keeps a list of the set's models with their status, epochs and time;
 * Cancel keeps the models that finished. The comparison is saved as it runs: an `arenas` row
 * marked 'running' at the start, and each model, the moment it finishes, as a finished run of
 * `runs` (its model, forecasts and history) with its row on the partial board, so Results,
 * Forecast and the exports take it as any run. The baselines (naive, seasonal naive) come
 * before any model and are saved on the board at once. The answer then completes the board
 * (ensemble) and the status. A window reloaded or closed half-way leaves the row 'running'
 * with the models that finished; `markInterruptedJobs` (at start-up) marks it 'interrupted'.
 * State lives outside the view, so leaving the Experiment view does not lose the progress.
 */
import { computed, effectScope, shallowRef } from 'vue'
import { rankBoard } from '@shared/arena'
import type { ArenaBoardEntry, ArenaProgress, ArenaResponse } from '@shared/arena-run'
import type { RunConfig } from '@shared/experiment'
import type { RunResult } from '@shared/run'
import type { Dataset } from '@shared/series/dataset'
import { getClient } from '../api'
import { newId } from '../api/ids'
import {
  db,
  modelRecord,
  write,
  type ArenaRecord,
  type ArenaRow,
  type DatasetRecord,
  type RunRecord,
  type SeqcastDB,
} from '../db'
import { holdJob } from '../lib/window-jobs'
import { useNotices } from './use-notices'
import { finalModelId, runData, runSummary } from './use-runs'

export type ModelStatus = 'waiting' | 'running' | 'done' | 'skipped' | 'cancelled'

export interface ModelProgress {
  model: string
  status: ModelStatus
  /** Epochs finished (window models), of at most `epochs`. */
  epoch: number
  epochs: number | null
  valMae: number | null
  /** What was fitted, once done; why not, once skipped. */
  name: string | null
  reason: string | null
  startedAt: number | null
  /** Seconds it took (done), else null. */
  seconds: number | null
}

export interface CompareRequest {
  /** The experiment (and intervals, training) of the draft; its model is ignored. */
  config: RunConfig
  models: 'all' | 'statistical' | 'neural' | string[]
  /** The presets the set names, in the order they run (for the list before any event). */
  presets: string[]
  epochs: number
  patience: number | null
  season: number | null
  dataset: Dataset
  record: DatasetRecord
}

/** The run that holds a finished model of comparison `arenaId` (named "<comparison> · <model>"). */
function modelRun(
  e: ArenaBoardEntry & { result: RunResult },
  record: Pick<DatasetRecord, 'id' | 'name'>,
  ids: { arenaId: string; name: string; now: number },
): RunRecord {
  const runId = `${ids.arenaId}-${e.model}`
  return {
    id: runId,
    name: `${ids.name} · ${e.model}`,
    datasetId: record.id,
    datasetName: record.name,
    status: 'done',
    config: e.result.config,
    sampleCounts: e.result.sampleCounts,
    baselines: e.result.baselines,
    history: e.result.history,
    lastProgress: null,
    result: runSummary(e.result),
    backend: e.result.backend,
    error: null,
    checkpointEpoch: e.result.bestEpoch,
    modelId: e.result.artifacts ? finalModelId(runId) : null,
    createdAt: ids.now,
    updatedAt: ids.now,
    finishedAt: ids.now,
    arenaId: ids.arenaId,
  }
}

function boardRow(e: ArenaBoardEntry, runId: string | null): ArenaRow {
  return {
    model: e.model,
    family: e.family,
    name: e.name,
    val: e.val,
    test: e.test,
    seconds: e.seconds,
    runId,
    splits: e.forecasts,
    future: e.future,
    ...(e.members ? { members: e.members } : {}),
  }
}

/** The comparison's settings, with the model of its best run (the board's first with a run). */
function arenaConfig(config: RunConfig, best: RunResult | undefined): RunConfig {
  return best ? { ...config, model: best.config.model } : config
}

/** The board and runs of an answer, as saved. */
export function arenaRecords(
  response: ArenaResponse,
  request: Pick<CompareRequest, 'config' | 'record'>,
  ids: { arenaId: string; name: string; now: number },
): { arena: ArenaRecord; runs: RunRecord[] } {
  const { arenaId, name, now } = ids
  const runs: RunRecord[] = []
  const board: ArenaRow[] = response.board.map((e) => {
    if (!e.result) return boardRow(e, null)
    const run = modelRun({ ...e, result: e.result }, request.record, ids)
    runs.push(run)
    return boardRow(e, run.id)
  })
  const best = response.board.find((e) => e.result)?.result ?? undefined
  return {
    arena: {
      id: arenaId,
      name,
      datasetId: request.record.id,
      datasetName: request.record.name,
      status: response.cancelled ? 'cancelled' : 'done',
      config: arenaConfig(request.config, best),
      models: response.models,
      board,
      skipped: response.skipped,
      seasonRows: response.seasonRows,
      sampleCounts: response.sampleCounts,
      seconds: response.seconds,
      createdAt: now,
      updatedAt: now,
    },
    runs,
  }
}

/** A finished model of a comparison as its board entry (a model's forecasts are its run's). */
export function finishedEntry(
  p: Extract<ArenaProgress, { phase: 'done' }>,
): ArenaBoardEntry & { result: RunResult } {
  return {
    model: p.model,
    family: p.result.config.model.statistical ? 'statistical' : 'neural',
    name: p.name,
    val: p.result.metrics.val ?? null,
    test: p.result.metrics.test ?? null,
    seconds: p.seconds,
    result: p.result,
    forecasts: null,
    future: null,
  }
}

/** Writes a model's run, its model and its forecasts (inside the caller's transaction). */
async function putModelRun(d: SeqcastDB, run: RunRecord, result: RunResult): Promise<void> {
  if (result.artifacts) {
    await d.models.put(
      modelRecord(result.artifacts, {
        id: finalModelId(run.id),
        name: run.name,
        runId: run.id,
        kind: 'final',
        epoch: result.bestEpoch,
      }),
    )
  }
  await d.forecasts.put({
    runId: run.id,
    modelId: run.modelId,
    source: 'run',
    splits: result.forecasts,
    future: result.future,
    createdAt: run.createdAt,
  })
  await d.runs.put(run)
}

/**
 * Saves one finished model of a running comparison: its run, model and forecasts, and its row
 * on the partial board (ranked by validation MAE), in one transaction. Nothing is written once
 * the comparison is no longer running (its answer or an interruption came first).
 */
export async function saveFinishedModel(
  arenaId: string,
  entry: ArenaBoardEntry & { result: RunResult },
  record: Pick<DatasetRecord, 'id' | 'name'>,
  d: SeqcastDB = db(),
): Promise<void> {
  await write(`model ${entry.model} of the comparison`, () =>
    d.transaction('rw', [d.arenas, d.runs, d.models, d.forecasts], async () => {
      const arena = await d.arenas.get(arenaId)
      if (!arena || arena.status !== 'running') return
      const now = Date.now()
      const run = modelRun(entry, record, { arenaId, name: arena.name, now })
      await putModelRun(d, run, entry.result)
      arena.board = rankBoard([
        ...arena.board.filter((r) => r.model !== entry.model),
        boardRow(entry, run.id),
      ])
      const bestRunId = arena.board.find((r) => r.runId)?.runId
      const best = bestRunId === run.id ? entry.result : undefined
      if (best) arena.config = arenaConfig(arena.config, best)
      else if (bestRunId) {
        const bestRun = await d.runs.get(bestRunId)
        if (bestRun) arena.config = { ...arena.config, model: bestRun.config.model }
      }
      arena.seconds = (now - arena.createdAt) / 1000
      arena.updatedAt = now
      await d.arenas.put(arena)
    }),
  )
}

/**
 * The baselines of a running comparison (sent before any model trains): their rows on the
 * board, and the split and season they were evaluated on. A comparison cancelled or reloaded
 * before its answer keeps them, as they needed no training. Nothing is written once the
 * comparison is no longer running.
 */
export async function saveBaselines(
  arenaId: string,
  p: Extract<ArenaProgress, { phase: 'baselines' }>,
  d: SeqcastDB = db(),
): Promise<void> {
  await write('the baselines of the comparison', () =>
    d.transaction('rw', d.arenas, async () => {
      const arena = await d.arenas.get(arenaId)
      if (!arena || arena.status !== 'running') return
      const models = new Set(p.board.map((e) => e.model))
      arena.board = rankBoard([
        ...arena.board.filter((r) => !models.has(r.model)),
        ...p.board.map((e) => boardRow(e, null)),
      ])
      arena.sampleCounts = p.sampleCounts
      arena.seasonRows = p.seasonRows
      arena.updatedAt = Date.now()
      await d.arenas.put(arena)
    }),
  )
}

/** The row of a comparison that starts: no model yet, marked running. */
async function saveStarted(
  arenaId: string,
  request: CompareRequest,
  d: SeqcastDB = db(),
): Promise<ArenaRecord> {
  return write('the comparison', () =>
    d.transaction('rw', d.arenas, async () => {
      const number = (await d.arenas.where('datasetId').equals(request.record.id).count()) + 1
      const now = Date.now()
      const arena: ArenaRecord = {
        id: arenaId,
        name: `Compare #${number} → ${request.config.experiment.target}`,
        datasetId: request.record.id,
        datasetName: request.record.name,
        status: 'running',
        config: request.config,
        models: request.presets,
        board: [],
        skipped: [],
        seasonRows: null,
        sampleCounts: { train: 0, val: 0, test: 0 },
        seconds: 0,
        createdAt: now,
        updatedAt: now,
      }
      await d.arenas.put(arena)
      return arena
    }),
  )
}

/** The answer, over the row saved while it ran (same id, name and start). */
async function saveAnswer(
  started: ArenaRecord,
  response: ArenaResponse,
  request: CompareRequest,
): Promise<ArenaRecord> {
  const d = db()
  const { arena, runs } = arenaRecords(response, request, {
    arenaId: started.id,
    name: started.name,
    now: Date.now(),
  })
  arena.createdAt = started.createdAt
  await write(`the comparison "${arena.name}"`, () =>
    d.transaction('rw', [d.arenas, d.runs, d.models, d.forecasts], async () => {
      // Deleted from the Library while it ran: it stays deleted.
      if (!(await d.arenas.get(arena.id))) return
      for (const run of runs) {
        const saved = await d.runs.get(run.id)
        // Saved as it finished: keep that row (its name may have been changed since).
        if (saved) continue
        const result = response.board.find((e) => run.id === `${arena.id}-${e.model}`)!.result!
        await putModelRun(d, run, result)
      }
      await d.arenas.put(arena)
    }),
  )
  return arena
}

/**
 * A comparison that stopped without its answer (the engine failed or the connection dropped):
 * 'interrupted' with the models saved so far; deleted when none finished.
 */
async function saveStopped(arenaId: string): Promise<void> {
  const d = db()
  await write('the comparison', () =>
    d.transaction('rw', d.arenas, async () => {
      const arena = await d.arenas.get(arenaId)
      if (!arena || arena.status !== 'running') return
      // Baselines alone are no comparison: kept only with a model that finished.
      if (!arena.board.some((r) => r.runId)) await d.arenas.delete(arenaId)
      else await d.arenas.put({ ...arena, status: 'interrupted', updatedAt: Date.now() })
    }),
  )
}

function create() {
  const notices = useNotices()
  const jobId = shallowRef<string | null>(null)
  const models = shallowRef<ModelProgress[]>([])
  const cancelling = shallowRef(false)
  const running = computed(() => jobId.value !== null)
  /** Saves of finished models, one after the other (each reads the board the last one wrote). */
  let saves: Promise<void> = Promise.resolve()

  function update(model: string, change: Partial<ModelProgress>): void {
    models.value = models.value.map((m) => (m.model === model ? { ...m, ...change } : m))
  }

  function onProgress(p: ArenaProgress, request: CompareRequest): void {
    if (p.jobId !== jobId.value) return
    if (p.phase === 'baselines') {
      saves = saves
        .then(() => saveBaselines(p.jobId, p))
        .catch((e) => void notices.error(e, 'Could not save the baselines of the comparison'))
    } else if (p.phase === 'start') update(p.model, { status: 'running', startedAt: Date.now() })
    else if (p.phase === 'epoch')
      update(p.model, { epoch: p.epoch, epochs: p.epochs, valMae: p.valMae })
    else if (p.phase === 'done') {
      update(p.model, { status: 'done', name: p.name, valMae: p.valMae, seconds: p.seconds })
      const entry = finishedEntry(p)
      saves = saves
        .then(() => saveFinishedModel(p.jobId, entry, request.record))
        .catch((e) => void notices.error(e, `Could not save model ${p.model} of the comparison`))
    } else update(p.model, { status: 'skipped', reason: p.reason })
  }

  /** Runs a comparison and saves it; null when nothing finished (cancelled before any model). */
  async function run(request: CompareRequest): Promise<ArenaRecord | null> {
    if (jobId.value) throw new Error('A comparison is already running.')
    const id = newId('arena')
    jobId.value = id
    cancelling.value = false
    models.value = request.presets.map((model) => ({
      model,
      status: 'waiting',
      epoch: 0,
      epochs: null,
      valMae: null,
      name: null,
      reason: null,
      startedAt: null,
      seconds: null,
    }))
    const client = getClient()
    const off = client.on('arena:progress', (p) => onProgress(p, request))
    // Held until the answer is saved: other windows see the comparison as live, not interrupted.
    const release = await holdJob(id)
    try {
      const started = await saveStarted(id, request)
      const { experiment, training, intervals } = request.config
      let response: ArenaResponse
      try {
        response = await client.invoke('arena:run', {
          jobId: id,
          experiment,
          training,
          models: request.models,
          epochs: request.epochs,
          patience: request.patience,
          season: request.season,
          ...(intervals ? { intervals } : {}),
          data: runData(request.dataset, request.config),
        })
      } catch (e) {
        await saves
        await saveStopped(id)
        throw e
      }
      await saves
      if (response.cancelled) {
        models.value = models.value.map((m) =>
          m.status === 'running' || m.status === 'waiting' ? { ...m, status: 'cancelled' } : m,
        )
      }
      if (!response.board.some((e) => e.result)) {
        await write('the comparison', () => db().arenas.delete(id))
        return null
      }
      return await saveAnswer(started, response, request)
    } finally {
      off()
      release()
      jobId.value = null
    }
  }

  async function cancel(): Promise<void> {
    if (!jobId.value) return
    cancelling.value = true
    await getClient().invoke('job:cancel', { jobId: jobId.value })
  }

  return { jobId, models, running, cancelling, run, cancel }
}

let instance: ReturnType<typeof create> | null = null

export function useArena(): ReturnType<typeof create> {
  if (!instance) instance = effectScope(true).run(create)!
  return instance
}

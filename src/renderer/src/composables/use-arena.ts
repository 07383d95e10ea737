/**
 * "Compare models", seen from the renderer: one comparison at a time runs `arena:run` on the
 * engine; `arena:progress` keeps a list of the set's models with their status, epochs and time;
 * Cancel keeps the models that finished. The answer is saved in one transaction: the board in
 * `arenas`, and each model as a finished run of `runs` (its model, forecasts and history), so
 * Results, Forecast and the exports take it as any run. State lives outside the view, so
 * leaving the Experiment view does not lose the progress.
 */
import { computed, effectScope, shallowRef } from 'vue'
import type { ArenaProgress, ArenaResponse } from '@shared/arena-run'
import type { RunConfig } from '@shared/experiment'
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
} from '../db'
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

/** The board and runs of an answer, as saved. */
export function arenaRecords(
  response: ArenaResponse,
  request: Pick<CompareRequest, 'config' | 'record'>,
  ids: { arenaId: string; name: string; now: number },
): { arena: ArenaRecord; runs: RunRecord[] } {
  const { arenaId, name, now } = ids
  const runs: RunRecord[] = []
  const board: ArenaRow[] = response.board.map((e) => {
    const runId = e.result ? `${arenaId}-${e.model}` : null
    if (e.result && runId) {
      runs.push({
        id: runId,
        name: `${name} · ${e.model}`,
        datasetId: request.record.id,
        datasetName: request.record.name,
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
        createdAt: now,
        updatedAt: now,
        finishedAt: now,
        arenaId,
      })
    }
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
  })
  const best = response.board.find((e) => e.result)?.result
  return {
    arena: {
      id: arenaId,
      name,
      datasetId: request.record.id,
      datasetName: request.record.name,
      status: response.cancelled ? 'cancelled' : 'done',
      config: best ? { ...request.config, model: best.config.model } : request.config,
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

async function save(response: ArenaResponse, request: CompareRequest): Promise<ArenaRecord> {
  const d = db()
  const arenaId = newId('arena')
  const number = (await d.arenas.where('datasetId').equals(request.record.id).count()) + 1
  const name = `Compare #${number} → ${request.config.experiment.target}`
  const { arena, runs } = arenaRecords(response, request, { arenaId, name, now: Date.now() })
  await write(`the comparison "${name}"`, () =>
    d.transaction('rw', [d.arenas, d.runs, d.models, d.forecasts], async () => {
      for (const run of runs) {
        const result = response.board.find((e) => run.id === `${arenaId}-${e.model}`)!.result!
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
      await d.arenas.put(arena)
    }),
  )
  return arena
}

function create() {
  const jobId = shallowRef<string | null>(null)
  const models = shallowRef<ModelProgress[]>([])
  const cancelling = shallowRef(false)
  const running = computed(() => jobId.value !== null)

  function update(model: string, change: Partial<ModelProgress>): void {
    models.value = models.value.map((m) => (m.model === model ? { ...m, ...change } : m))
  }

  function onProgress(p: ArenaProgress): void {
    if (p.jobId !== jobId.value) return
    if (p.phase === 'start') update(p.model, { status: 'running', startedAt: Date.now() })
    else if (p.phase === 'epoch')
      update(p.model, { epoch: p.epoch, epochs: p.epochs, valMae: p.valMae })
    else if (p.phase === 'done')
      update(p.model, { status: 'done', name: p.name, valMae: p.valMae, seconds: p.seconds })
    else update(p.model, { status: 'skipped', reason: p.reason })
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
    const off = client.on('arena:progress', onProgress)
    try {
      const { experiment, training, intervals } = request.config
      const response = await client.invoke('arena:run', {
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
      if (response.cancelled) {
        models.value = models.value.map((m) =>
          m.status === 'running' || m.status === 'waiting' ? { ...m, status: 'cancelled' } : m,
        )
      }
      if (!response.board.some((e) => e.result)) return null
      return await save(response, request)
    } finally {
      off()
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

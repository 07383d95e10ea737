/**
 * Runs in flight in this process. Training outlives any one window: a reloaded page (or a
 * second tab) asks `run:active` and keeps receiving the broadcast events; finished results stay
 * here until the renderer has saved them and calls `run:forget`. A live run is `queued` (behind
 * the one the engine trains, with its place), `preparing` or `running`; each change is
 * broadcast as `run:state`. Cancelling a queued run removes it from the queue and nothing else.
 */
import { SeqcastError, toErrorInfo } from '../../shared/errors'
import { isLiveStatus, type ActiveRun } from '../../shared/ipc/contract'
import type { RunConfig } from '../../shared/experiment'
import type { Dataset } from '../../shared/series/dataset'
import type { BackendReport, RunResult } from '../../shared/run'
import type { Broadcast } from './api'
import type { TrainRunOptions } from './train-run'

/** How the manager trains: `trainRun` over an engine (the manager sets every callback). */
export type TrainFn = (
  dataset: Dataset,
  config: RunConfig,
  options: TrainRunOptions & { runId: string },
) => Promise<RunResult>

/** A run the manager tracks: what `run:active` reports, plus its abort switch and result. */
interface ManagedRun extends ActiveRun {
  backend: BackendReport | null
  abort: AbortController
  result?: RunResult
  checkpointEpoch: number | null
}

export class RunManager {
  private readonly runs = new Map<string, ManagedRun>()

  constructor(
    private readonly train: TrainFn,
    private readonly broadcast: Broadcast,
  ) {}

  start(runId: string, dataset: Dataset, config: RunConfig): { runId: string } {
    const existing = this.runs.get(runId)
    if (existing && isLiveStatus(existing.status)) {
      throw new SeqcastError('invalid-argument', `Run ${runId} is already training.`, { runId })
    }
    const state: ManagedRun = {
      runId,
      // trainRun checks and prepares the experiment before the engine queues it (a family that
      // fits in-process never queues: it stays 'preparing' until it is done).
      status: 'preparing',
      position: null,
      startedAt: Date.now(),
      history: [],
      lastProgress: null,
      backend: null,
      abort: new AbortController(),
      checkpointEpoch: null,
    }
    this.runs.set(runId, state)
    void this.train(dataset, config, {
      runId,
      signal: state.abort.signal,
      onState: (status, position) => {
        if (!isLiveStatus(state.status)) return
        state.status = status
        state.position = position
        this.broadcast('run:state', { runId, status, position })
      },
      onProgress: (progress) => {
        state.lastProgress = progress
        this.broadcast('run:progress', progress)
      },
      onBackend: (report) => {
        state.backend = report
        this.broadcast('run:backend', { runId, report })
      },
      onEpoch: (record) => {
        state.history.push(record)
        this.broadcast('run:epoch', { runId, record })
      },
      onCheckpoint: (epoch, pkg) => {
        state.checkpointEpoch = epoch
        this.broadcast('run:checkpoint', { runId, epoch, package: pkg })
      },
    }).then(
      (result) => {
        state.result = result
        state.position = null
        state.status = result.stopReason === 'cancelled' ? 'cancelled' : 'done'
        this.broadcast('run:done', { runId, result })
      },
      (error: unknown) => {
        const info = toErrorInfo(error)
        state.error = info
        state.position = null
        state.status = info.kind === 'cancelled' ? 'cancelled' : 'failed'
        this.broadcast('run:failed', { runId, error: info, checkpointEpoch: state.checkpointEpoch })
      },
    )
    return { runId }
  }

  cancel(runId: string): { cancelled: boolean } {
    const state = this.runs.get(runId)
    if (!state || !isLiveStatus(state.status)) return { cancelled: false }
    state.abort.abort()
    return { cancelled: true }
  }

  active(): ActiveRun[] {
    return [...this.runs.values()].map(
      ({ runId, status, position, startedAt, history, lastProgress, backend, error }) => ({
        runId,
        status,
        position,
        startedAt,
        history,
        lastProgress,
        backend,
        ...(error ? { error } : {}),
      }),
    )
  }

  result(runId: string): RunResult {
    const state = this.runs.get(runId)
    if (!state)
      throw new SeqcastError('not-found', `Run ${runId} is not known to this session.`, { runId })
    if (!state.result) {
      throw new SeqcastError(
        'not-found',
        `Run ${runId} has no result${isLiveStatus(state.status) ? ` yet: it is still ${state.status === 'queued' ? 'queued' : 'training'}` : ''}.`,
        {
          runId,
          status: state.status,
        },
      )
    }
    return state.result
  }

  forget(runId: string): { forgotten: boolean } {
    const state = this.runs.get(runId)
    if (!state || isLiveStatus(state.status)) return { forgotten: false }
    return { forgotten: this.runs.delete(runId) }
  }

  cancelAll(): void {
    for (const state of this.runs.values()) if (isLiveStatus(state.status)) state.abort.abort()
  }
}

/**
 * EngineHost: the one owner of the training worker in a process (Electron main, `serve`, CLI).
 * It spawns the worker lazily, correlates requests and replies by `seq`, and runs jobs (train,
 * predict) one at a time from its own queue: a job is `queued` here, `preparing` once sent to
 * the worker (backend, model, probe step) and `running` once it trains. Cancelling a queued job
 * only removes it; cancelling the running one sets a shared flag the worker checks between
 * batches (and between preparation steps), and terminates the worker only if it has not
 * answered within a grace that follows the slowest batch measured. The host keeps each run's
 * best checkpoint and history (so terminating the worker loses nothing) and replaces the worker
 * after a crash, a hard cancel or a run that took its runtime down (out of memory).
 */
import { EventEmitter } from 'node:events'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import { fromErrorInfo, SeqcastError } from '../../shared/errors'
import type { BackendReport, EpochRecord, RunProgress } from '../../shared/run'
import type { WorkerArtifacts } from './artifacts'
import { isRuntimeAbort, runtimeAbortError } from './runtime-abort'
import type { BackendPreference } from './backends'
import {
  transferables,
  type HostMessage,
  type PredictJob,
  type PredictOutcome,
  type StatJob,
  type StatOutcome,
  type StatStep,
  type TrainJob,
  type TrainOutcome,
  type WorkerMessage,
  type WorkerStats,
} from './protocol'

export interface EngineHostOptions {
  /** Creates the worker. Default: `worker.js` next to the bundled host (out/main/). */
  createWorker?: () => Worker
  /** Least time the worker has to stop after a cancel before it is terminated (default 2 s). */
  cancelGraceMs?: number
  /** The grace is at least this many times the slowest batch measured (default 10). */
  cancelGraceBatches?: number
  /** ... and at most this long (default 2 min). */
  cancelGraceMaxMs?: number
}

/** Where a job stands: waiting in the host's queue, being prepared in the worker, training. */
export type JobState = 'queued' | 'preparing' | 'running'

export interface JobInfo {
  runId: string
  state: JobState
  /** 1-based place in the queue while queued, else null. */
  position: number | null
  /** Slowest training batch so far (the probe step counts), ms; null before the first. */
  slowestBatchMs: number | null
}

export interface TrainCallbacks {
  onProgress?(progress: RunProgress): void
  onEpoch?(record: EpochRecord): void
  /** New best weights (also kept by the host and used if the worker must be terminated). */
  onCheckpoint?(epoch: number, artifacts: WorkerArtifacts): void
  onBackend?(report: BackendReport): void
  /** The run's state changed (or, while queued, its place in the queue). */
  onState?(state: JobState, position: number | null): void
  /** A statistical fit starts its next estimation step. */
  onStep?(step: StatStep): void
  /** Aborting cancels the run (same as `cancel(runId)`). */
  signal?: AbortSignal
}

export interface EngineEvents {
  log: [{ level: 'info' | 'warn' | 'error'; message: string; seq: number | null }]
  /** The worker exited without being asked to (crash, out of memory) or was terminated. */
  exit: [{ code: number; expected: boolean; reason: string }]
  spawn: []
}

interface Pending {
  type: HostMessage['type']
  resolve(value: unknown): void
  reject(error: unknown): void
  run?: RunState
}

interface RunState {
  runId: string
  seq: number
  state: JobState
  position: number | null
  slowestBatchMs: number | null
  flag: Int32Array
  callbacks: TrainCallbacks
  history: EpochRecord[]
  checkpoint: { epoch: number; artifacts: WorkerArtifacts } | null
  backend: BackendReport | null
  cancelTimer: NodeJS.Timeout | null
  cancelRequested: boolean
}

/** worker.js next to this module, or one folder up when the host sits in a shared chunk. */
export function defaultWorkerPath(): string {
  const here = dirname(fileURLToPath(import.meta.url))
  const candidates = [join(here, 'worker.js'), join(here, '..', 'worker.js')]
  return candidates.find((p) => existsSync(p)) ?? candidates[0]
}

/**
 * The default worker: the bundled worker.js, or — when the host runs from its TypeScript sources
 * (tsx, vitest) — worker.ts through tsx's loader.
 */
export function defaultWorker(): Worker {
  const path = defaultWorkerPath()
  const source = fileURLToPath(new URL('./worker.ts', import.meta.url))
  if (!existsSync(path) && import.meta.url.endsWith('.ts') && existsSync(source)) {
    const url = JSON.stringify(pathToFileURL(source).href)
    return new Worker(
      `import('tsx/esm/api').then((m) => { m.register(); return import(${url}) })`,
      { eval: true },
    )
  }
  return new Worker(path)
}

/** `batches` × the slowest batch (ms; null before the first), within [min, max]. */
export function graceAfter(
  slowestBatchMs: number | null,
  bounds: { min: number; batches: number; max: number },
): number {
  return Math.min(bounds.max, Math.max(bounds.min, bounds.batches * (slowestBatchMs ?? 0)))
}

/** A train or predict job: sent to the worker only when no other job is there. */
interface QueuedJob {
  message: Extract<HostMessage, { type: 'train' | 'stat' | 'predict' }>
  run?: RunState
  resolve(value: unknown): void
  reject(error: unknown): void
}

export class EngineHost extends EventEmitter<EngineEvents> {
  private worker: Worker | null = null
  private seq = 0
  private readonly pending = new Map<number, Pending>()
  private readonly runs = new Map<string, RunState>()
  private readonly queue: QueuedJob[] = []
  private current: QueuedJob | null = null
  private readonly createWorker: () => Worker
  private readonly grace: { min: number; batches: number; max: number }
  private expectedExit = new WeakSet<Worker>()
  private report: BackendReport | null = null
  private spawns = 0

  constructor(options: EngineHostOptions = {}) {
    super()
    this.createWorker = options.createWorker ?? defaultWorker
    this.grace = {
      min: options.cancelGraceMs ?? 2000,
      batches: options.cancelGraceBatches ?? 10,
      max: options.cancelGraceMaxMs ?? 120_000,
    }
  }

  /** Runs this host knows: the one in the worker first, then the queue in order. */
  jobs(): JobInfo[] {
    return [...this.runs.values()]
      .map(({ runId, state, position, slowestBatchMs }) => ({
        runId,
        state,
        position,
        slowestBatchMs,
      }))
      .sort((a, b) => (a.position ?? 0) - (b.position ?? 0))
  }

  /**
   * How long a cancel of this run waits for the worker before terminating it: the slowest
   * batch so far × `cancelGraceBatches`, within [`cancelGraceMs`, `cancelGraceMaxMs`].
   */
  cancelGrace(runId: string): number | null {
    const run = this.runs.get(runId)
    return run ? graceAfter(run.slowestBatchMs, this.grace) : null
  }

  /** Workers spawned so far (1 + respawns). */
  get spawnCount(): number {
    return this.spawns
  }

  get running(): boolean {
    return this.worker !== null
  }

  /** Spawns the worker (if needed) and loads a backend; resolves with the backend report. */
  async start(backend: BackendPreference = 'auto'): Promise<BackendReport> {
    this.report = (await this.request({
      type: 'init',
      seq: this.nextSeq(),
      backend,
    })) as BackendReport
    return this.report
  }

  /** The report of the last `start`, loading the default backend if needed. */
  async backends(): Promise<BackendReport> {
    return this.report ?? this.start()
  }

  /**
   * Trains in the worker. The job's typed arrays are transferred (the caller must not reuse
   * them). Resolves with the outcome (also after a cancel, with the best checkpoint); rejects
   * with `cancelled` when no epoch finished, `nan-loss` when the first epoch already diverged.
   */
  train(job: TrainJob, callbacks: TrainCallbacks = {}): Promise<TrainOutcome> {
    return this.startRun(
      job.runId,
      (seq, flag) => ({ type: 'train', seq, job, cancelFlag: flag }),
      callbacks,
    ) as Promise<TrainOutcome>
  }

  /**
   * Fits a statistical model in the worker and forecasts its windows (the job's arrays are
   * transferred). Queued like a training run; `onStep` hears each estimation step; a cancel
   * stops it between steps (or terminates the worker after the grace, which follows the slowest
   * step) and rejects with `cancelled`.
   */
  fitStatistical(job: StatJob, callbacks: TrainCallbacks = {}): Promise<StatOutcome> {
    return this.startRun(
      job.runId,
      (seq, flag) => ({ type: 'stat', seq, job, cancelFlag: flag }),
      callbacks,
    ) as Promise<StatOutcome>
  }

  private startRun(
    runId: string,
    message: (seq: number, flag: Int32Array) => Extract<HostMessage, { type: 'train' | 'stat' }>,
    callbacks: TrainCallbacks,
  ): Promise<unknown> {
    if (this.runs.has(runId)) {
      return Promise.reject(
        new SeqcastError('invalid-argument', `Run ${runId} is already training.`, {
          runId,
        }),
      )
    }
    const seq = this.nextSeq()
    const flag = new Int32Array(new SharedArrayBuffer(4))
    const run: RunState = {
      runId,
      seq,
      state: 'queued',
      position: null,
      slowestBatchMs: null,
      flag,
      callbacks,
      history: [],
      checkpoint: null,
      backend: null,
      cancelTimer: null,
      cancelRequested: false,
    }
    this.runs.set(runId, run)
    const onAbort = () => this.cancel(runId)
    if (callbacks.signal?.aborted) queueMicrotask(onAbort)
    else callbacks.signal?.addEventListener('abort', onAbort, { once: true })
    const promise = this.enqueue(message(seq, flag), run)
    const cleanup = () => {
      callbacks.signal?.removeEventListener('abort', onAbort)
      if (run.cancelTimer) clearTimeout(run.cancelTimer)
      this.runs.delete(runId)
    }
    return promise.then(
      (outcome: unknown) => {
        cleanup()
        return outcome
      },
      (error: unknown) => {
        cleanup()
        throw error
      },
    )
  }

  /**
   * Stops a run. A queued run leaves the queue (its promise rejects with `cancelled`) and the
   * worker is not touched. The run in the worker gets the shared flag (checked between batches
   * and preparation steps); if it has not answered within `cancelGrace`, the worker is
   * terminated and the run settles from the checkpoint the host holds. Returns false when the
   * run is unknown.
   */
  cancel(runId: string): boolean {
    const run = this.runs.get(runId)
    if (!run) return false
    const index = this.queue.findIndex((j) => j.run === run)
    if (index >= 0) {
      const [job] = this.queue.splice(index, 1)
      job.reject(
        new SeqcastError(
          'cancelled',
          `Run ${runId} was cancelled while queued (#${index + 1}); it never started.`,
          { runId, state: 'queued' },
        ),
      )
      this.announceQueue()
      return true
    }
    if (run.cancelRequested) return true
    run.cancelRequested = true
    Atomics.store(run.flag, 0, 1)
    this.worker?.postMessage({ type: 'cancel', seq: this.nextSeq(), runId } satisfies HostMessage)
    const grace = this.cancelGrace(runId)!
    run.cancelTimer = setTimeout(() => this.hardCancel(run, grace), grace)
    return true
  }

  /**
   * Forecasts with a model's artifacts in the worker (the job's arrays are transferred); it
   * waits in the queue behind a run that trains.
   */
  predict(job: PredictJob): Promise<PredictOutcome> {
    return this.enqueue({
      type: 'predict',
      seq: this.nextSeq(),
      job,
    }) as Promise<PredictOutcome>
  }

  /** The artifacts of a model the worker still holds after training (a `keepModel` job). */
  export(runId: string): Promise<WorkerArtifacts> {
    return this.request({ type: 'export', seq: this.nextSeq(), runId }) as Promise<WorkerArtifacts>
  }

  /** Frees a trained model in the worker (all of them with null). */
  async disposeModel(runId: string | null): Promise<number> {
    if (!this.worker) return 0
    return (await this.request({ type: 'dispose', seq: this.nextSeq(), runId })) as number
  }

  /** Memory of the worker, answered even while it trains. */
  stats(): Promise<WorkerStats> {
    return this.request({ type: 'stats', seq: this.nextSeq() }) as Promise<WorkerStats>
  }

  /** Terminates the worker; queued and pending requests reject with `cancelled`. */
  async dispose(): Promise<void> {
    const shutdown = new SeqcastError('cancelled', 'The training engine was shut down.')
    for (const job of this.queue.splice(0)) job.reject(shutdown)
    const worker = this.worker
    if (!worker) return
    this.worker = null
    this.expectedExit.add(worker)
    this.failAll(new SeqcastError('cancelled', 'The training engine was shut down.'))
    await worker.terminate()
  }

  private enqueue(message: QueuedJob['message'], run?: RunState): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.queue.push({ message, run, resolve, reject })
      this.pump()
      this.announceQueue()
    })
  }

  /** Sends the next queued job when the worker has none. */
  private pump(): void {
    if (this.current || this.queue.length === 0) return
    const job = this.queue.shift()!
    this.current = job
    this.announceQueue()
    if (job.run) this.setState(job.run, 'preparing', null)
    const done = () => {
      if (this.current === job) this.current = null
      this.pump()
    }
    this.request(job.message, job.run).then(
      (value) => {
        done()
        job.resolve(value)
      },
      (error: unknown) => {
        done()
        job.reject(error)
      },
    )
  }

  /** Tells every queued run its place (1-based). */
  private announceQueue(): void {
    this.queue.forEach((job, i) => {
      if (job.run && job.run.position !== i + 1) this.setState(job.run, 'queued', i + 1)
    })
  }

  private setState(run: RunState, state: JobState, position: number | null): void {
    run.state = state
    run.position = position
    run.callbacks.onState?.(state, position)
  }

  private nextSeq(): number {
    this.seq = (this.seq + 1) % Number.MAX_SAFE_INTEGER
    return this.seq
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker
    const worker = this.createWorker()
    this.spawns++
    this.worker = worker
    worker.on('message', (message: WorkerMessage) => this.onMessage(message))
    worker.on('error', (error) => {
      if (this.worker === worker) this.crashed(worker, `it threw ${error.message}`)
    })
    worker.on('exit', (code) => {
      const expected = this.expectedExit.has(worker)
      if (this.worker === worker) this.crashed(worker, `exit code ${code}`)
      this.emit('exit', { code, expected, reason: expected ? 'terminated' : `exit code ${code}` })
    })
    // The worker must not keep a CLI process alive once nothing is pending.
    worker.unref()
    this.emit('spawn')
    return worker
  }

  private request(message: HostMessage, run?: RunState): Promise<unknown> {
    return new Promise((resolve, reject) => {
      let worker: Worker
      try {
        worker = this.ensureWorker()
      } catch (error) {
        reject(
          new SeqcastError(
            'backend',
            `The training worker cannot start: ${(error as Error).message}`,
          ),
        )
        return
      }
      this.pending.set(message.seq, { type: message.type, resolve, reject, run })
      if (this.pending.size === 1) worker.ref()
      try {
        worker.postMessage(message, transferables(message))
      } catch (error) {
        this.settle(message.seq)
        reject(
          new SeqcastError(
            'internal',
            `Could not send ${message.type} to the worker: ${(error as Error).message}`,
          ),
        )
      }
    })
  }

  private settle(seq: number): Pending | undefined {
    const p = this.pending.get(seq)
    this.pending.delete(seq)
    if (this.pending.size === 0) this.worker?.unref()
    return p
  }

  private onMessage(message: WorkerMessage): void {
    switch (message.type) {
      case 'log':
        this.emit('log', { level: message.level, message: message.message, seq: message.seq })
        return
      case 'progress':
      case 'stat-step':
      case 'pace':
      case 'epoch':
      case 'checkpoint': {
        const run = this.runs.get(message.runId)
        if (!run || run.seq !== message.seq) return
        if (message.type === 'pace') run.slowestBatchMs = message.slowestBatchMs
        else if (message.type === 'progress') run.callbacks.onProgress?.(message.progress)
        else if (message.type === 'stat-step') {
          if (run.state !== 'running') this.setState(run, 'running', null)
          run.callbacks.onStep?.(message.step)
        } else if (message.type === 'epoch') {
          run.history.push(message.record)
          run.callbacks.onEpoch?.(message.record)
        } else {
          run.checkpoint = { epoch: message.epoch, artifacts: message.artifacts }
          run.callbacks.onCheckpoint?.(message.epoch, message.artifacts)
        }
        return
      }
      case 'ready': {
        const p = this.pending.get(message.seq)
        if (p?.type === 'train' && p.run) {
          p.run.backend = message.report
          p.run.callbacks.onBackend?.(message.report)
          this.setState(p.run, 'running', null)
          return
        }
        this.settle(message.seq)?.resolve(message.report)
        return
      }
      case 'trained':
      case 'stat-fitted':
        this.settle(message.seq)?.resolve(message.outcome)
        return
      case 'predicted':
        this.settle(message.seq)?.resolve(message.outcome)
        return
      case 'exported':
        this.settle(message.seq)?.resolve(message.artifacts)
        return
      case 'disposed':
        this.settle(message.seq)?.resolve(message.count)
        return
      case 'stats':
        this.settle(message.seq)?.resolve(message.stats)
        return
      case 'error': {
        const error = fromErrorInfo(message.error)
        if (message.seq === null) {
          this.emit('log', { level: 'error', message: message.error.message, seq: null })
          return
        }
        this.settle(message.seq)?.reject(error)
        if (message.error.details.runtimeAbort === true) this.retire(message.error.message)
        return
      }
    }
  }

  /**
   * A job took the worker's runtime down (out of memory): nothing more runs in it. Requests
   * still pending there fail; the next queued job gets a fresh worker.
   */
  private retire(reason: string): void {
    const worker = this.worker
    if (!worker) return
    this.worker = null
    this.expectedExit.add(worker)
    this.emit('log', {
      level: 'warn',
      message: `The training worker was replaced after its runtime stopped: ${reason}`,
      seq: null,
    })
    this.failAll(
      new SeqcastError(
        'training',
        'The training worker was restarted after a run ran out of memory; run this request again.',
      ),
    )
    void worker.terminate()
  }

  /** The grace time passed: terminate the worker and settle the run from the host's state. */
  private hardCancel(run: RunState, graceMs: number): void {
    run.cancelTimer = null
    const p = this.pending.get(run.seq)
    if (!p || !this.worker) return
    const worker = this.worker
    this.worker = null
    this.expectedExit.add(worker)
    this.emit('log', {
      level: 'warn',
      message: `Run ${run.runId} did not stop within ${Math.round(graceMs)} ms of the cancel (one batch takes longer); the worker was terminated and will restart on the next request.`,
      seq: run.seq,
    })
    this.settle(run.seq)
    const outcome = p.type === 'train' ? this.outcomeFromHost(run) : null
    if (outcome) p.resolve(outcome)
    else if (p.type === 'stat')
      p.reject(
        new SeqcastError(
          'cancelled',
          'The statistical fit was cancelled (the worker was stopped during an estimation step).',
        ),
      )
    else
      p.reject(
        new SeqcastError(
          'cancelled',
          'Training was cancelled before the first epoch finished; there is no checkpoint to keep.',
        ),
      )
    this.failAll(
      new SeqcastError(
        'cancelled',
        'The training worker was restarted to stop a run; run this request again.',
        { runId: run.runId },
      ),
    )
    void worker.terminate()
  }

  private outcomeFromHost(run: RunState): TrainOutcome | null {
    if (!run.checkpoint) return null
    const best = run.checkpoint.epoch
    const record = run.history.find((r) => r.epoch === best)
    const loss = record?.valLoss ?? record?.loss
    return {
      history: run.history,
      bestEpoch: best,
      stopReason: 'cancelled',
      stopMessage: `Cancelled during epoch ${run.history.length + 1}. The model keeps the weights of epoch ${best}${loss === undefined ? '' : ` (best ${record?.valLoss === null ? 'training' : 'validation'} loss ${Number(loss.toPrecision(4))})`}.`,
      artifacts: run.checkpoint.artifacts,
      predictions: {},
      backend: run.backend ?? this.report ?? { used: 'cpu', skipped: {} },
    }
  }

  private crashed(worker: Worker, reason: string): void {
    this.worker = null
    // Only the run in the worker was affected; queued ones wait for the fresh worker.
    const runs = [...this.runs.values()].filter((r) => r.state !== 'queued')
    const checkpointEpochs = Object.fromEntries(
      runs.map((r) => [r.runId, r.checkpoint?.epoch ?? null]),
    )
    const error = isRuntimeAbort(new Error(reason))
      ? runtimeAbortError(new Error(reason), this.report?.used ?? null)
      : new SeqcastError(
          'training',
          `The training worker stopped unexpectedly (${reason}). ${runs.some((r) => r.checkpoint) ? 'The best checkpoint received before is kept. ' : ''}It restarts on the next request.`,
          { reason, checkpointEpochs },
        )
    this.failAll(error)
    void worker.terminate()
  }

  private failAll(error: SeqcastError): void {
    const all = [...this.pending.entries()]
    this.pending.clear()
    for (const [, p] of all) p.reject(error)
  }
}

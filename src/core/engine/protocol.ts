/**
 * The message protocol between the main process (EngineHost) and the training worker. Tagged
 * unions: every request carries a `seq` id, every message about it carries the same `seq`.
 * Numbers cross as typed arrays whose buffers are transferred, never as JSON arrays; errors
 * cross as `{ kind, message, details }`.
 *
 *   host → worker: init | train | stat | cancel | predict | export | dispose | stats
 *   worker → host: ready | progress | pace | epoch | checkpoint | trained | stat-step |
 *                  stat-fitted | predicted | exported | disposed | stats | log | error
 *   (`ready` also answers a `train` once its backend is chosen and its model probed)
 */
import type { ErrorInfo } from '../../shared/errors'
import type { BackendReport, EpochRecord, RunProgress } from '../../shared/run'
import type { WorkerArtifacts } from './artifacts'
import type { BackendPreference } from './backends'
import type { PredictJob, PredictOutcome, TrainJob, TrainOutcome } from './run-job'
import type { StatJob, StatOutcome, StatStep } from './stat-job'

export type {
  PredictJob,
  PredictOutcome,
  TrainJob,
  TrainOutcome,
  StatJob,
  StatOutcome,
  StatStep,
  WorkerArtifacts,
  BackendPreference,
}

export interface WorkerStats {
  /** Trained models the worker holds (kept only for jobs with `keepModel`). */
  models: number
  /** process.memoryUsage() seen from the worker (rss is the whole process). */
  memory: {
    rss: number
    heapUsed: number
    heapTotal: number
    external: number
    arrayBuffers: number
  }
  /**
   * Bytes and tensors tfjs holds on the active backend. `backend` is 'none' before tfjs is loaded
   * (only statistical fits so far) and null while a backend initializes (nothing can be counted).
   */
  tf: { backend: string | null; numBytes: number; numTensors: number }
  /** Size of the wasm backend's heap (it grows and never shrinks); null on other backends. */
  wasmHeapBytes: number | null
  /** Memory of the fused recurrent kernels (reused across batches); absent before first use. */
  fusedKernels?: { bytes: number; inUse: number } | null
}

export type HostMessage =
  /** Load a backend (and report on every other one). */
  | { type: 'init'; seq: number; backend: BackendPreference }
  /**
   * Train a model. `cancelFlag` is an Int32Array over a SharedArrayBuffer: the host sets [0] to 1
   * and the worker checks it between batches, even while its event loop is busy.
   */
  | { type: 'train'; seq: number; job: TrainJob; cancelFlag: Int32Array | null }
  /**
   * Fit a statistical model and forecast its windows (stat-job.ts). The same cancel flag as a
   * `train`, checked between estimation steps; answered by `stat-fitted` or `error`.
   */
  | { type: 'stat'; seq: number; job: StatJob; cancelFlag: Int32Array | null }
  /** Backup for the shared flag: stop the run (answered by its `trained` or `error`). */
  | { type: 'cancel'; seq: number; runId: string }
  | { type: 'predict'; seq: number; job: PredictJob }
  /** The artifacts of a trained model the worker still holds (a job with `keepModel`). */
  | { type: 'export'; seq: number; runId: string }
  /** Free one run's model, or every model with null. */
  | { type: 'dispose'; seq: number; runId: string | null }
  /** Memory of the worker: heap of its isolate, tfjs tensors, process RSS. */
  | { type: 'stats'; seq: number }

export type WorkerMessage =
  | { type: 'ready'; seq: number; report: BackendReport }
  | { type: 'progress'; seq: number; runId: string; progress: RunProgress }
  /** A new slowest batch (the probe step counts): the host's cancel grace follows it. */
  | { type: 'pace'; seq: number; runId: string; slowestBatchMs: number }
  | { type: 'epoch'; seq: number; runId: string; record: EpochRecord }
  /** New best weights: the host keeps them, so a terminated worker loses nothing. */
  | { type: 'checkpoint'; seq: number; runId: string; epoch: number; artifacts: WorkerArtifacts }
  | { type: 'trained'; seq: number; runId: string; outcome: TrainOutcome }
  /** A statistical fit is about to run its next estimation step. */
  | { type: 'stat-step'; seq: number; runId: string; step: StatStep }
  | { type: 'stat-fitted'; seq: number; runId: string; outcome: StatOutcome }
  | { type: 'predicted'; seq: number; outcome: PredictOutcome }
  | { type: 'exported'; seq: number; artifacts: WorkerArtifacts }
  | { type: 'disposed'; seq: number; count: number }
  | { type: 'stats'; seq: number; stats: WorkerStats }
  | { type: 'log'; seq: number | null; level: 'info' | 'warn' | 'error'; message: string }
  | { type: 'error'; seq: number | null; error: ErrorInfo }

/** Buffers to transfer with a message (each once; shared buffers are never transferred). */
export function transferables(
  value: unknown,
  out: Set<ArrayBuffer> = new Set(),
  depth = 0,
): ArrayBuffer[] {
  if (depth > 8 || value === null || typeof value !== 'object') return [...out]
  if (value instanceof ArrayBuffer) {
    out.add(value)
  } else if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer) out.add(value.buffer)
  } else if (Array.isArray(value)) {
    for (const v of value) transferables(v, out, depth + 1)
  } else {
    for (const v of Object.values(value as Record<string, unknown>))
      transferables(v, out, depth + 1)
  }
  return [...out]
}

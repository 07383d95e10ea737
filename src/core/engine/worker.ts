/**
 * The training worker (worker_threads): hosts TensorFlow.js and runs one job at a time for the
 * EngineHost that spawned it (the host queues the jobs and sends the next when one settles).
 * Bundled as out/main/worker.js next to the host. A trained model is disposed once its outcome
 * is posted (unless the job asks to keep it for `export`); a failure that took the runtime down
 * is reported as such (`details.runtimeAbort`), and the host then replaces this worker.
 * TensorFlow.js (worker-tf.ts) loads on the first job that needs it; statistical fits never do.
 */
import { parentPort } from 'node:worker_threads'
import { SeqcastError, toErrorInfo } from '../../shared/errors'
import type { HostMessage, WorkerMessage } from './protocol'
import { transferables } from './protocol'
import { runStatJob } from './stat-job'
import { isRuntimeAbort, runtimeAbortError } from './runtime-abort'
import type * as TfEngineModule from './worker-tf'
import type { Model } from './worker-tf'

const port = parentPort
if (!port) throw new Error('worker.ts runs only as a worker thread')

type TfEngine = typeof TfEngineModule
let tfEngine: TfEngine | null = null
async function engine(): Promise<TfEngine> {
  tfEngine ??= await import('./worker-tf')
  return tfEngine
}

const models = new Map<string, Model>()
/** Cancel flags of runs in flight (the shared one, or a local one set by a `cancel` message). */
const flags = new Map<string, Int32Array>()

function post(message: WorkerMessage, transfer = false): void {
  port!.postMessage(message, transfer ? transferables(message) : [])
}

// tfjs and the wasm loader talk through console; route it to the host's log.
for (const level of ['log', 'info', 'warn', 'error'] as const) {
  console[level] = (...args: unknown[]) => {
    const text = args
      .map((a) => (typeof a === 'string' ? a : a instanceof Error ? a.message : safeJson(a)))
      .join(' ')
    post({ type: 'log', seq: null, level: level === 'log' ? 'info' : level, message: text })
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value)
  } catch {
    return String(value)
  }
}

let queue: Promise<void> = Promise.resolve()

function safeBackend(): string | null {
  return tfEngine?.backendName() ?? null
}

port.on('message', (message: HostMessage) => {
  // Cancels act at once; everything else runs in order, one job at a time.
  if (message.type === 'cancel') {
    const flag = flags.get(message.runId)
    if (flag) Atomics.store(flag, 0, 1)
    return
  }
  if (message.type === 'stats') {
    postStats(message.seq)
    return
  }
  if (message.type === 'train' || message.type === 'stat') {
    flags.set(message.job.runId, message.cancelFlag ?? new Int32Array(1))
  }
  queue = queue
    .then(() => handle(message))
    .catch((error) => {
      const fatal = isRuntimeAbort(error) ? runtimeAbortError(error, safeBackend()) : error
      post({ type: 'error', seq: message.seq, error: toErrorInfo(fatal) })
    })
})

/** Answered at once, also while a run trains (the loop yields between batches). */
function postStats(seq: number): void {
  const m = process.memoryUsage()
  post({
    type: 'stats',
    seq,
    stats: {
      models: models.size,
      memory: {
        rss: m.rss,
        heapUsed: m.heapUsed,
        heapTotal: m.heapTotal,
        external: m.external,
        arrayBuffers: m.arrayBuffers,
      },
      // Before tfjs is loaded (only statistical fits so far) it holds nothing.
      ...(tfEngine?.tfStats() ?? {
        tf: { backend: 'none', numBytes: 0, numTensors: 0 },
        wasmHeapBytes: null,
        fusedKernels: null,
      }),
    },
  })
}

async function handle(message: Exclude<HostMessage, { type: 'cancel' | 'stats' }>): Promise<void> {
  switch (message.type) {
    case 'init': {
      const report = await (await engine()).selectBackend(message.backend)
      post({ type: 'ready', seq: message.seq, report })
      return
    }
    case 'train': {
      const { seq, job } = message
      const flag = flags.get(job.runId)!
      let slowest = 0
      try {
        const { runTrainJob } = await engine()
        const { outcome, model } = await runTrainJob(job, {
          shouldStop: () => Atomics.load(flag, 0) !== 0,
          onProgress: (progress) =>
            post({
              type: 'progress',
              seq,
              runId: job.runId,
              progress: { ...progress, runId: job.runId },
            }),
          onEpoch: (record) => post({ type: 'epoch', seq, runId: job.runId, record }),
          onCheckpoint: (epoch, artifacts) =>
            post({ type: 'checkpoint', seq, runId: job.runId, epoch, artifacts }, true),
          onLog: (level, text) => post({ type: 'log', seq, level, message: text }),
          onReady: (report) => post({ type: 'ready', seq, report }),
          onBatchTime: (ms) => {
            if (ms <= slowest) return
            slowest = ms
            post({ type: 'pace', seq, runId: job.runId, slowestBatchMs: ms })
          },
        })
        models.get(job.runId)?.dispose()
        models.delete(job.runId)
        // The outcome carries the artifacts: once posted, the model is no longer needed here.
        post({ type: 'trained', seq, runId: job.runId, outcome }, true)
        if (job.keepModel) models.set(job.runId, model)
        else model.dispose()
      } finally {
        flags.delete(job.runId)
      }
      return
    }
    case 'stat': {
      const { seq, job } = message
      const flag = flags.get(job.runId)!
      // The time of each estimation step so far, as `pace`: the host's cancel grace follows it
      // (a WebAssembly ARIMA step cannot be interrupted).
      let slowest = 0
      let stepStarted = performance.now()
      try {
        const outcome = runStatJob(job, {
          shouldStop: () => Atomics.load(flag, 0) !== 0,
          onStep: (step) => {
            const now = performance.now()
            if (step.done > 0 && now - stepStarted > slowest) {
              slowest = now - stepStarted
              post({ type: 'pace', seq, runId: job.runId, slowestBatchMs: slowest })
            }
            stepStarted = now
            post({ type: 'stat-step', seq, runId: job.runId, step })
          },
        })
        post({ type: 'stat-fitted', seq, runId: job.runId, outcome }, true)
      } finally {
        flags.delete(job.runId)
      }
      return
    }
    case 'predict': {
      const outcome = await (await engine()).runPredictJob(message.job)
      post({ type: 'predicted', seq: message.seq, outcome }, true)
      return
    }
    case 'export': {
      const model = models.get(message.runId)
      if (!model) {
        throw new SeqcastError(
          'not-found',
          `The worker holds no model for run ${message.runId} (it was disposed, or the worker restarted).`,
          {
            runId: message.runId,
          },
        )
      }
      const { modelToArtifacts } = await engine()
      post({ type: 'exported', seq: message.seq, artifacts: await modelToArtifacts(model) }, true)
      return
    }
    case 'dispose': {
      const ids = message.runId === null ? [...models.keys()] : [message.runId]
      let count = 0
      for (const id of ids) {
        const model = models.get(id)
        if (model) {
          model.dispose()
          models.delete(id)
          count++
        }
      }
      post({ type: 'disposed', seq: message.seq, count })
      return
    }
  }
}

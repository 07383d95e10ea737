/**
 * EngineHost with a real worker thread (the TypeScript sources through tsx): backend report,
 * training through the protocol, cooperative cancel (recurrent layers on the fused kernels, the
 * default), the hard-terminate fallback, crash respawn. The job queue, cancel grace, runtime
 * aborts and model disposal are in host-jobs.test.ts.
 */
import { afterAll, describe, expect, it } from 'vitest'
import type { Worker } from 'node:worker_threads'
import { EngineHost } from '../../../src/core/engine/host'
import type { TrainJob } from '../../../src/core/engine/run-job'
import { SeqcastError } from '../../../src/shared/errors'
import type { ModelSpec } from '../../../src/shared/models/spec'
import type { RunConfig } from '../../../src/shared/experiment'
import {
  expectAutoBackend,
  resolves,
  runConfig,
  spec,
  sunspots,
  trainData,
  tsxWorker,
  window,
} from './helpers'

const workers: Worker[] = []
const factory = () => {
  const w = tsxWorker()
  workers.push(w)
  return w
}
const host = new EngineHost({ createWorker: factory })

afterAll(async () => {
  await host.dispose()
})

function job(runId: string, config: RunConfig, rows = 360, keepModel = false): TrainJob {
  const d = trainData(sunspots(rows), config)
  return {
    runId,
    spec: config.model,
    training: config.training,
    window: config.experiment.window,
    features: d.source.features,
    featureCount: d.source.featureCount,
    target: d.source.target,
    starts: d.starts,
    targetScale: d.targetScale,
    evaluate: ['val', 'test'],
    futureStart: null,
    progressIntervalMs: 0,
    keepModel,
  }
}

describe('EngineHost + worker', () => {
  it('reports the backend that runs and why each one before it was skipped', async () => {
    const report = await host.start()
    expectAutoBackend(report)
    if (!resolves('@tensorflow/tfjs-node-gpu')) {
      expect(report.skipped['tfjs-node-gpu']).toMatch(/not installed .*@tensorflow\/tfjs-node-gpu/)
    }
    expect(report.versions?.tfjs).toBe('4.22.0')
  })

  it.skipIf(resolves('@tensorflow/tfjs-node'))(
    'a forced backend that cannot load is a backend error naming the reason (skipped where @tensorflow/tfjs-node is installed: it loads)',
    async () => {
      const config = runConfig(spec('linear'), window(12), { backend: 'tfjs-node' })
      await expect(host.train(job('forced', config))).rejects.toMatchObject({
        kind: 'backend',
        message: expect.stringMatching(/Backend tfjs-node cannot run: not installed/),
      })
    },
  )

  it('trains through the protocol: progress, epochs, checkpoints as ArrayBuffers, predictions', async () => {
    const config = runConfig(spec('conv-gru'), window(12), {
      epochs: 2,
      batchSize: 32,
      backend: 'auto',
    })
    const progress: number[] = []
    const epochs: number[] = []
    const checkpoints: number[] = []
    let backend = ''
    const outcome = await host.train(job('run-1', config, 360, true), {
      onProgress: (p) => progress.push(p.batch),
      onEpoch: (r) => epochs.push(r.epoch),
      onCheckpoint: (epoch, a) => {
        expect(a.weights).toBeInstanceOf(ArrayBuffer)
        checkpoints.push(epoch)
      },
      onBackend: (r) => (backend = `${r.used}: ${r.routed ?? ''}`),
    })
    if (outcome.backend.used === 'wasm') expect(backend).toMatch(/^wasm: .*Conv2DBackpropFilter/)
    expect(epochs).toEqual([1, 2])
    expect(progress.length).toBeGreaterThan(2)
    expect(checkpoints[0]).toBe(1)
    expect(outcome.stopReason).toBe('completed')
    expect(outcome.history[1].loss).toBeLessThan(outcome.history[0].loss)
    expect(outcome.predictions.val).toBeInstanceOf(Float32Array)
    expect(outcome.predictions.test!.length).toBeGreaterThan(0)
    expect(outcome.artifacts!.weights.byteLength).toBeGreaterThan(0)
    const exported = await host.export('run-1')
    expect(new Uint8Array(exported.weights)).toEqual(new Uint8Array(outcome.artifacts!.weights))
    expect(await host.disposeModel('run-1')).toBe(1)
  })

  it('cancel: the worker stops the run between batches and answers with the best checkpoint so far', async () => {
    const config = runConfig(spec('lstm'), window(12), {
      epochs: 200,
      batchSize: 8,
      backend: 'wasm',
    })
    const run = host.train(job('run-cancel', config), {
      onEpoch: (r) => {
        if (r.epoch === 2) host.cancel('run-cancel')
      },
    })
    const outcome = await run
    expect(outcome.history.length).toBeGreaterThanOrEqual(2)
    expect(outcome.history.length).toBeLessThan(200)
    expect(outcome.stopReason).toBe('cancelled')
    expect(outcome.bestEpoch).not.toBeNull()
    expect(outcome.artifacts).not.toBeNull()
    expect(outcome.predictions).toEqual({})
    expect(outcome.backend.kernels?.layers).toEqual(['LSTM(16)']) // on the fused kernels
    expect(host.spawnCount).toBe(1) // the worker answered: no hard termination
  })

  it('cancel before the first epoch: a cancelled error, nothing to keep', async () => {
    const controller = new AbortController()
    const config = runConfig(spec('lstm'), window(12), {
      epochs: 50,
      batchSize: 8,
      backend: 'wasm',
    })
    const run = host.train(job('run-early', config), {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.batch === 2) controller.abort()
      },
    })
    await expect(run).rejects.toMatchObject({ kind: 'cancelled' })
  })

  it('a worker that does not answer within the grace time is terminated; the run keeps the host-held checkpoint; the next request respawns', async () => {
    // No batch-based grace: 20 ms whatever the batches take, so the cancel must terminate.
    const slow = new EngineHost({ createWorker: factory, cancelGraceMs: 20, cancelGraceBatches: 0 })
    try {
      // A batch of 512 windows × 48 steps of LSTM(64) on stock layers takes most of a second on
      // wasm. The cancel is sent a third of a batch into epoch 2's second batch (timed from
      // epoch 1's batches), so the worker is inside a batch and cannot see it within the 20 ms
      // grace. (A cancel sent as soon as a batch reported raced the worker's yield between
      // batches, and one timed from the epoch's end raced the checkpoint under load.)
      const s: ModelSpec = {
        name: 'slow',
        layers: [{ type: 'lstm', units: 64 }],
        head: { kind: 'direct', activation: 'linear' },
        stateful: false,
      }
      // Stock layers: on the fused kernels the same batch takes a few ms.
      const config = runConfig(s, window(48), {
        epochs: 3,
        batchSize: 512,
        backend: 'wasm',
        fusedKernels: false,
      })
      let checkpointBytes = 0
      const reported: number[] = []
      let batchMs = 0
      const run = slow.train(job('run-slow', config, 1200), {
        onCheckpoint: (_epoch, a) => (checkpointBytes = a.weights.byteLength),
        onProgress: (p) => {
          if (p.phase !== 'train') return
          if (p.epoch === 1) reported.push(performance.now())
          if (p.epoch === 1 && p.batch === 2) batchMs = reported[1] - reported[0]
          if (p.epoch !== 2 || p.batch !== 1) return
          expect(p.batches).toBeGreaterThan(1)
          setTimeout(() => slow.cancel('run-slow'), batchMs / 3)
        },
      })
      const outcome = await run
      expect(outcome.stopReason).toBe('cancelled')
      expect(outcome.bestEpoch).toBe(1)
      expect(outcome.history).toHaveLength(1)
      expect(outcome.artifacts!.weights.byteLength).toBe(checkpointBytes)
      expect(outcome.stopMessage).toMatch(/keeps the weights of epoch 1/)
      expect(slow.spawnCount).toBe(1)
      expect(slow.running).toBe(false) // terminated, not answered
      const report = await slow.start()
      expectAutoBackend(report)
      expect(slow.spawnCount).toBe(2)
    } finally {
      await slow.dispose()
    }
  })

  it('a crashed worker rejects what was pending and is respawned on the next request', async () => {
    const crashy = new EngineHost({ createWorker: factory })
    try {
      await crashy.start()
      const config = runConfig(spec('lstm'), window(12), {
        epochs: 100,
        batchSize: 8,
        backend: 'wasm',
      })
      const run = crashy.train(job('run-crash', config), {
        onEpoch: () => {
          void workers[workers.length - 1].terminate()
        },
      })
      const error = await run.catch((e: unknown) => e)
      expect(error).toBeInstanceOf(SeqcastError)
      expect((error as SeqcastError).kind).toBe('training')
      expect((error as SeqcastError).message).toMatch(/stopped unexpectedly/)
      expectAutoBackend(await crashy.start())
      expect(crashy.spawnCount).toBe(2)
    } finally {
      await crashy.dispose()
    }
  })
})

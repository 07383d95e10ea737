/**
 * The EngineHost as a job runner, with a real worker thread: jobs wait in the host's queue
 * (`queued` #n), then are `preparing` and `running`; cancelling a queued job never touches the
 * one that trains; cancelling a running one stops it cooperatively within a grace that follows
 * the measured batch time; a model that takes the WebAssembly runtime down ends its own run with
 * a clear message and the next run trains in a fresh worker; trained models are disposed.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { EngineHost, graceAfter, type JobState } from '../../../src/core/engine/host'
import type { PredictJob, TrainJob } from '../../../src/core/engine/run-job'
import { isRuntimeAbort } from '../../../src/core/engine/runtime-abort'
import { SeqcastError } from '../../../src/shared/errors'
import type { RunConfig } from '../../../src/shared/experiment'
import type { ModelSpec } from '../../../src/shared/models/spec'
import { runConfig, spec, sunspots, trainData, tsxWorker, window } from './helpers'

const hosts: EngineHost[] = []
function newHost(options: ConstructorParameters<typeof EngineHost>[0] = {}): EngineHost {
  const host = new EngineHost({ createWorker: tsxWorker, ...options })
  hosts.push(host)
  return host
}

afterAll(async () => {
  for (const host of hosts) await host.dispose()
})

function job(runId: string, config: RunConfig, rows = 360): TrainJob {
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
  }
}

/** A run long enough to still be training when the test acts (it is cancelled by the test). */
const long = () =>
  runConfig(spec('lstm'), window(12), { epochs: 500, batchSize: 8, backend: 'wasm' })
const small = () =>
  runConfig(spec('dense'), window(12), { epochs: 2, batchSize: 32, backend: 'wasm' })

describe('the job queue', () => {
  it('queues runs in order; cancelling a queued run removes it and leaves the running one training', async () => {
    const host = newHost()
    const states: Record<string, string[]> = { a: [], b: [], c: [] }
    const track = (id: string) => (state: JobState, position: number | null) =>
      states[id].push(position === null ? state : `${state} #${position}`)
    let cancelledB: Promise<unknown> | null = null
    let epochsAfterCancelB = 0
    const a = host.train(job('a', long()), {
      onState: track('a'),
      onEpoch: (r) => {
        if (cancelledB) epochsAfterCancelB++
        if (r.epoch === 1) {
          expect(host.jobs().map((j) => [j.runId, j.state, j.position])).toEqual([
            ['a', 'running', null],
            ['b', 'queued', 1],
            ['c', 'queued', 2],
          ])
          expect(host.cancel('b')).toBe(true)
          cancelledB = b.catch((e: unknown) => e)
        }
        if (r.epoch === 3) host.cancel('a')
      },
    })
    const b = host.train(job('b', small()), { onState: track('b') })
    const c = host.train(job('c', small()), { onState: track('c') })
    const order: string[] = []
    const outcomeA = await a.then((o) => (order.push('a'), o))
    const outcomeC = await c.then((o) => (order.push('c'), o))

    const errorB = await cancelledB
    expect(errorB).toBeInstanceOf(SeqcastError)
    expect(errorB).toMatchObject({
      kind: 'cancelled',
      message: 'Run b was cancelled while queued (#1); it never started.',
    })
    // The running run went on after the queued one was cancelled, and stopped at its own cancel.
    expect(epochsAfterCancelB).toBeGreaterThanOrEqual(2)
    expect(outcomeA.stopReason).toBe('cancelled')
    expect(outcomeA.history.length).toBeGreaterThanOrEqual(3)
    expect(outcomeC.stopReason).toBe('completed')
    expect(outcomeC.history).toHaveLength(2)
    expect(order).toEqual(['a', 'c'])
    expect(states.a).toEqual(['preparing', 'running'])
    expect(states.b).toEqual(['queued #1'])
    expect(states.c).toEqual(['queued #2', 'queued #1', 'preparing', 'running'])
    expect(host.spawnCount).toBe(1) // nothing was terminated
    expect(host.jobs()).toEqual([])
  })

  it('a cancel while the run is being prepared stops it before any batch', async () => {
    const host = newHost()
    const a = host.train(job('first', small()))
    const b = host.train(job('second', small()), {
      onState: (state) => {
        if (state === 'preparing') host.cancel('second')
      },
      onEpoch: () => {
        throw new Error('no epoch may run')
      },
    })
    await expect(a).resolves.toMatchObject({ stopReason: 'completed' })
    await expect(b).rejects.toMatchObject({
      kind: 'cancelled',
      message: expect.stringMatching(/while the model was being prepared/),
    })
    expect(host.spawnCount).toBe(1)
  })

  it('a predict waits behind the run that trains and runs after it', async () => {
    const host = newHost()
    const trained = await host.train({ ...job('model', small()), evaluate: [] })
    const order: string[] = []
    const a = host.train(job('busy', small())).then(() => order.push('train'))
    const p = host.predict(predictJob(trained.artifacts!, small())).then((o) => {
      order.push('predict')
      return o
    })
    await Promise.all([a, p])
    expect(order).toEqual(['train', 'predict'])
    expect((await p).predictions.length).toBeGreaterThan(0)
  })
})

describe('cancel grace', () => {
  // A batch of 512 windows × 48 steps of stock LSTM(32) takes a few hundred ms on wasm.
  const slowSpec: ModelSpec = {
    name: 'slow',
    layers: [{ type: 'lstm', units: 32 }],
    head: { kind: 'direct', activation: 'linear' },
    stateful: false,
  }
  const slowConfig = () =>
    runConfig(slowSpec, window(48), {
      epochs: 3,
      batchSize: 512,
      backend: 'wasm',
      fusedKernels: false,
    })

  it('follows the slowest batch measured: a cancel mid-batch waits for the batch, the worker is not terminated', async () => {
    // The least grace is 20 ms (a batch takes far longer): the old fixed grace terminated here.
    const host = newHost({ cancelGraceMs: 20 })
    let grace: number | null = null
    let slowest: number | null = null
    const run = host.train(job('slow', slowConfig(), 1200), {
      onEpoch: (r) => {
        if (r.epoch !== 1) return
        setTimeout(() => {
          slowest = host.jobs()[0].slowestBatchMs
          grace = host.cancelGrace('slow')
          host.cancel('slow')
        }, 50)
      },
    })
    const outcome = await run
    expect(slowest).toBeGreaterThan(0)
    expect(grace).toBe(Math.max(20, 10 * slowest!))
    expect(outcome.stopReason).toBe('cancelled')
    expect(outcome.bestEpoch).toBe(1)
    expect(host.running).toBe(true) // the worker answered
    expect(host.spawnCount).toBe(1)
  })

  it('is 10 × the slowest batch within [2 s, 2 min] by default', () => {
    const bounds = { min: 2000, batches: 10, max: 120_000 }
    expect(graceAfter(null, bounds)).toBe(2000) // nothing measured yet
    expect(graceAfter(150, bounds)).toBe(2000)
    expect(graceAfter(450, bounds)).toBe(4500)
    expect(graceAfter(60_000, bounds)).toBe(120_000)
    expect(newHost().cancelGrace('unknown')).toBeNull()
  })
})

describe('runtime aborts', () => {
  it('classifies real WebAssembly traps and allocation failures, not ordinary errors', () => {
    // (module (func (export "f") unreachable)): calling f traps with a WebAssembly.RuntimeError.
    const bytes = new Uint8Array([
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03,
      0x02, 0x01, 0x00, 0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, 0x0a, 0x05, 0x01, 0x03, 0x00,
      0x00, 0x0b,
    ])
    // The Node typings here carry no WebAssembly global (no DOM lib); V8 has it.
    const wasm = (
      globalThis as unknown as {
        WebAssembly: {
          Module: new (bytes: Uint8Array) => object
          Instance: new (module: object) => { exports: Record<string, unknown> }
        }
      }
    ).WebAssembly
    const instance = new wasm.Instance(new wasm.Module(bytes))
    const caught = (fn: () => unknown) => {
      try {
        fn()
      } catch (e) {
        return e
      }
      throw new Error('did not throw')
    }
    expect(isRuntimeAbort(caught(() => (instance.exports.f as () => void)()))).toBe(true)
    expect(isRuntimeAbort(caught(() => new ArrayBuffer(2 ** 53 - 1)))).toBe(true)
    expect(isRuntimeAbort(caught(() => new Float32Array(2 ** 33)))).toBe(true)
    expect(isRuntimeAbort(new Error('Aborted(OOM). Build with -sASSERTIONS for more info.'))).toBe(
      true,
    )
    expect(isRuntimeAbort(new Error('Shapes [2,3] and [4] are incompatible'))).toBe(false)
    expect(isRuntimeAbort(new SeqcastError('cancelled', 'x'))).toBe(false)
  })

  it('a model that takes the wasm runtime down fails with a clear message; the next run trains in a fresh worker', async () => {
    const host = newHost()
    await host.start()
    const baseline = await host.stats()
    // Dense(4096) on every one of 300 steps for a batch of 1024 windows: one activation tensor
    // of 1024 × 300 × 4096 floats (5 GB) in a 4 GiB heap. checkRun refuses it before training
    // (test/shared/models/memory.test.ts); the engine must survive it when it comes anyway.
    const huge: ModelSpec = {
      name: 'huge',
      layers: [{ type: 'dense', units: 4096 }, { type: 'globalavgpool1d' }],
      head: { kind: 'direct', activation: 'linear' },
      stateful: false,
    }
    const config = runConfig(huge, window(300), { epochs: 1, batchSize: 1024, backend: 'wasm' })
    const error = await host.train(job('huge', config, 3177)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SeqcastError)
    expect(error).toMatchObject({
      kind: 'training',
      message: expect.stringMatching(
        /^The model needs more memory than the training engine has on wasm \(the runtime stopped with ".+"; about 2\.15 GB is safe\): use fewer units or layers/,
      ),
      details: { runtimeAbort: true },
    })
    const next = await host.train(job('after', small()))
    expect(next.stopReason).toBe('completed')
    expect(next.history[1].loss).toBeLessThan(next.history[0].loss)
    expect(host.spawnCount).toBe(2)
    // The fresh worker's heap is small again.
    expect((await host.stats()).memory.rss).toBeLessThan(baseline.memory.rss + 1e9)
  })
})

function predictJob(
  artifacts: NonNullable<Awaited<ReturnType<EngineHost['train']>>['artifacts']>,
  config: RunConfig,
): PredictJob {
  const d = trainData(sunspots(360), config)
  return {
    modelJson: artifacts.modelJson,
    weights: artifacts.weights.slice(0),
    spec: config.model,
    window: config.experiment.window,
    batchSize: null,
    backend: 'wasm',
    features: d.source.features,
    featureCount: d.source.featureCount,
    target: d.source.target,
    starts: d.starts.test.slice(),
    futureStart: null,
    warmup: 0,
  }
}

describe('model disposal', () => {
  it('after training and after a forecast the worker holds no model and its tensor count is back at its baseline', async () => {
    const host = newHost()
    const config = runConfig(spec('lstm'), window(12), {
      epochs: 2,
      batchSize: 16,
      backend: 'wasm',
    })
    // One warm-up run (backend, kernels) so the baseline holds what stays for good.
    const warm = await host.train(job('warm', config))
    await host.predict(predictJob(warm.artifacts!, config))
    const baseline = await host.stats()
    expect(baseline.models).toBe(0)

    const trained = await host.train(job('measured', config))
    const afterTrain = await host.stats()
    expect(afterTrain.models).toBe(0)
    expect(afterTrain.tf.numTensors).toBe(baseline.tf.numTensors)
    const forecast = await host.predict(predictJob(trained.artifacts!, config))
    expect(forecast.predictions.length).toBeGreaterThan(0)
    const afterPredict = await host.stats()
    expect(afterPredict.tf.numTensors).toBe(baseline.tf.numTensors)

    // A job that keeps its model for export holds exactly one, until it is disposed.
    await host.train({ ...job('kept', config), keepModel: true })
    expect((await host.stats()).models).toBe(1)
    expect((await host.export('kept')).weights.byteLength).toBeGreaterThan(0)
    expect(await host.disposeModel('kept')).toBe(1)
    const end = await host.stats()
    expect(end.models).toBe(0)
    expect(end.tf.numTensors).toBe(baseline.tf.numTensors)
  })
})

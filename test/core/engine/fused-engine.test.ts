/**
 * The engine with its default, the fused WebAssembly LSTM / GRU kernels, through the real
 * training worker: every recurrent preset trains on them and says so in its backend report;
 * fused and stock runs from the same seed follow the same loss curve (wasm and cpu backends);
 * models trained on them export as stock layers that tfjs loads and predicts the same with;
 * prediction jobs run through the kernels. Tiny data: the suite runs on 2 busy cores.
 */
import * as tf from '@tensorflow/tfjs'
import type { Worker } from 'node:worker_threads'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../../../src/core/engine/backends'
import { EngineHost } from '../../../src/core/engine/host'
import type { TrainJob, TrainOutcome } from '../../../src/core/engine/run-job'
import { artifactsToModel } from '../../../src/core/engine/tf-artifacts'
import type { RunConfig } from '../../../src/shared/experiment'
import type { BackendReport } from '../../../src/shared/run'
import { runConfig, spec, sunspots, trainData, tsxWorker, window } from './helpers'

const workers: Worker[] = []
const host = new EngineHost({
  createWorker: () => {
    const w = tsxWorker()
    workers.push(w)
    return w
  },
})

beforeAll(async () => {
  await selectBackend('cpu')
})

afterAll(async () => {
  await host.dispose()
})

const data = sunspots(360)

function job(runId: string, config: RunConfig, evaluate: TrainJob['evaluate'] = []): TrainJob {
  const d = trainData(data, config)
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
    evaluate,
    futureStart: null,
    progressIntervalMs: 1000,
  }
}

const EXPECTED: Record<string, string[]> = {
  lstm: ['LSTM(16)'],
  'lstm-dropout': ['LSTM(32)'],
  'gru-stacked': ['GRU(32)', 'GRU(32)'],
  bilstm: ['Bidirectional(LSTM(16))'],
  'conv-gru': ['GRU(20)', 'GRU(20)'],
  'stateful-lstm': ['LSTM(4)'],
  'lstm-10': ['LSTM(10)'],
}

describe('every recurrent preset trains on the fused kernels through the worker', () => {
  for (const id of Object.keys(EXPECTED)) {
    it(id, async () => {
      const s = spec(id)
      const config = runConfig(s, window(12), {
        backend: 'wasm',
        epochs: 3,
        batchSize: s.stateful ? 8 : 32,
        fusedKernels: true,
      })
      let ready: BackendReport | null = null
      const outcome = await host.train(job(`preset-${id}`, config), {
        onBackend: (r) => (ready = r),
      })
      const losses = outcome.history.map((h) => h.loss)
      expect(losses).toHaveLength(3)
      expect(losses.every(Number.isFinite)).toBe(true)
      expect(losses[2]).toBeLessThan(losses[0])
      expect(ready!.used).toBe('wasm')
      const k = outcome.backend.kernels!
      expect(k.fused).toBe(true)
      expect(k.layers).toEqual(EXPECTED[id])
      expect(k.stock).toEqual([])
      expect(k.summary).toMatch(
        /^(Bidirectional\()?(LSTM|GRU)\(\d+\)\)?: fused WebAssembly kernels \([12] threads?/,
      )
      expect(ready!.kernels!.layers).toEqual(EXPECTED[id])
    })
  }

  it('SimpleRNN stays stock and the report says why', async () => {
    const config = runConfig(spec('simplernn'), window(12), {
      backend: 'wasm',
      epochs: 1,
      fusedKernels: true,
    })
    const outcome = await host.train(job('simplernn', config))
    expect(outcome.backend.kernels).toMatchObject({
      fused: false,
      layers: [],
      stock: [{ layer: 'SimpleRNN(20)', reason: 'no fused kernel for SimpleRNN' }],
    })
  })

  it('--no-fused (fusedKernels false): stock layers, reported as switched off', async () => {
    const config = runConfig(spec('lstm'), window(12), {
      backend: 'wasm',
      epochs: 1,
      fusedKernels: false,
    })
    const outcome = await host.train(job('nofused', config))
    expect(outcome.backend.kernels).toMatchObject({ fused: false, layers: [] })
    expect(outcome.backend.kernels!.reason).toMatch(/switched off/)
    expect(outcome.backend.kernels!.summary).toMatch(/^LSTM\(16\): stock tfjs-layers/)
  })
})

describe('fused and stock engine runs from the same seed follow the same loss curve', () => {
  for (const backend of ['wasm', 'cpu'] as const) {
    for (const id of ['lstm', 'gru-stacked']) {
      it(`${id} on ${backend}`, async () => {
        const run = async (fused: boolean): Promise<TrainOutcome> => {
          const config = runConfig(spec(id), window(12), {
            backend,
            epochs: 3,
            batchSize: 32,
            seed: 7,
            fusedKernels: fused,
          })
          const runId = `curve-${id}-${backend}-${fused}`
          const outcome = await host.train(job(runId, config))
          return outcome
        }
        const stock = await run(false)
        const fused = await run(true)
        expect(fused.backend.used).toBe(backend)
        expect(fused.backend.kernels!.fused).toBe(true)
        expect(stock.backend.kernels!.fused).toBe(false)
        const a = stock.history
        const b = fused.history
        expect(b).toHaveLength(a.length)
        for (let i = 0; i < a.length; i++) {
          // same weights, same shuffles, same dropout masks: float32 rounding only
          expect(Math.abs(b[i].loss - a[i].loss), `epoch ${i + 1} loss`).toBeLessThanOrEqual(
            1e-5 * a[i].loss,
          )
          expect(Math.abs(b[i].valLoss! - a[i].valLoss!), `epoch ${i + 1} val`).toBeLessThanOrEqual(
            1e-5 * a[i].valLoss!,
          )
        }
        expect(a[2].loss).toBeLessThan(a[0].loss)
      })
    }
  }
})

describe('a fused-trained model outside the kernels', () => {
  it('exports as stock layers; stock tf.loadLayersModel predicts the same; predict jobs run fused', async () => {
    const config = runConfig(spec('gru-stacked'), window(12), {
      backend: 'wasm',
      epochs: 2,
      fusedKernels: true,
    })
    const trained = await host.train({ ...job('export-fused', config, ['val']), keepModel: true })
    expect(trained.backend.kernels!.fused).toBe(true)
    // the worker keeps the model, not its kernel buffers (helper stack and control block only)
    const memory = (await host.stats()).fusedKernels!
    expect(memory.bytes).toBeGreaterThan(0)
    expect(memory.inUse).toBeLessThan(256 * 1024)
    const artifacts = await host.export('export-fused')
    const topology = JSON.stringify(artifacts.modelJson.modelTopology)
    const classes = [...topology.matchAll(/"class_name":"(\w+)"/g)].map((m) => m[1])
    expect(classes).toEqual(expect.arrayContaining(['GRU', 'Dropout', 'Dense']))
    expect(topology).not.toMatch(/fused/i)

    // stock tfjs in this process (no kernels) on the validation windows
    const d = trainData(data, config)
    const starts = d.starts.val
    const stock = await artifactsToModel(artifacts.modelJson, artifacts.weights.slice(0))
    expect(stock.layers.map((l) => l.getClassName())).toEqual(['GRU', 'GRU', 'Dropout', 'Dense'])
    const x: number[] = []
    for (const s of starts) for (let t = 0; t < 12; t++) x.push(d.source.features[s + t])
    const p = (stock.predict(tf.tensor3d(x, [starts.length, 12, 1])) as tf.Tensor).dataSync()
    const fusedPredictions = trained.predictions.val!
    expect(fusedPredictions.length).toBe(starts.length)
    Array.from(p).forEach((v, i) => expect(fusedPredictions[i]).toBeCloseTo(v, 5))
    stock.dispose()

    // a predict job (saved model → worker) runs through the kernels
    const predicted = await host.predict({
      modelJson: artifacts.modelJson,
      weights: artifacts.weights.slice(0),
      spec: config.model,
      window: config.experiment.window,
      batchSize: null,
      backend: 'wasm',
      features: d.source.features,
      featureCount: d.source.featureCount,
      target: d.source.target,
      starts,
      futureStart: null,
      warmup: 0,
    })
    expect(predicted.backend.kernels).toMatchObject({ fused: true, layers: ['GRU(32)', 'GRU(32)'] })
    Array.from(p).forEach((v, i) => expect(predicted.predictions[i]).toBeCloseTo(v, 5))
    expect(await host.disposeModel('export-fused')).toBe(1)
  })
})

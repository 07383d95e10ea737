/**
 * The training loop in-process on the wasm backend (what the worker runs), on the first months
 * of the real sunspot series. Small windows and few epochs: the suite runs on 2 busy cores.
 */
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { borrowMissingKernels, selectBackend } from '../../../src/core/engine/backends'
import { buildModel } from '../../../src/core/engine/build-model'
import { predictWindows } from '../../../src/core/engine/forecast'
import { fusedStatus } from '../../../src/core/engine/fused'
import { installFusedKernels } from '../../../src/core/engine/kernels'
import { prepareModel } from '../../../src/core/engine/run-job'
import {
  makeOptimizer,
  setLearningRate,
  trainModel,
  type TraceEvent,
} from '../../../src/core/engine/train-loop'
import { MODEL_PRESETS } from '../../../src/shared/models/presets'
import type { ModelSpec } from '../../../src/shared/models/spec'
import { epochOrder } from '../../../src/shared/windows/batches'
import { runConfig, spec, sunspots, trainData, window } from './helpers'

const data = sunspots(360)
const weightsOf = (model: tf.LayersModel) => model.getWeights().map((w) => Array.from(w.dataSync()))

beforeAll(async () => {
  installFusedKernels()
  await selectBackend('wasm')
})

describe('every preset trains on wasm and its loss falls', () => {
  for (const preset of MODEL_PRESETS.filter((p) => !p.spec.statistical)) {
    it(preset.id, async () => {
      const s = spec(preset.id)
      const L = preset.id === 'conv1d' ? 72 : 12
      const config = runConfig(s, window(L), {
        backend: 'wasm',
        epochs: 3,
        batchSize: s.stateful ? 8 : 32,
      })
      const { model, backend } = await prepareModel(s, config.training, config.experiment.window, 1)
      expect(backend.used).toBe('wasm')
      if (s.layers.some((l) => l.type === 'conv1d'))
        expect(backend.routed).toMatch(/Conv2DBackpropFilter/)
      // Conv1D's 72-row windows need longer splits (every split must hold a window).
      const rows = preset.id === 'conv1d' ? sunspots(600) : data
      const result = await trainModel(model, s, config.training, trainData(rows, config))
      const losses = result.history.map((h) => h.loss)
      expect(losses).toHaveLength(3)
      expect(losses.every(Number.isFinite)).toBe(true)
      expect(losses[2]).toBeLessThan(losses[0])
      expect(result.stopReason).toBe('completed')
      model.dispose()
    })
  }
})

describe('batch order', () => {
  for (const fused of [false, true]) {
    it(`stateful${fused ? ' (fused kernels)' : ''}: Keras' order (consecutive windows in each batch, cut to a multiple of the batch), row i of batch k continues row i of batch k − 1, states reset at each epoch and validation start`, async () => {
      const s = spec('stateful-lstm')
      const B = 4
      const config = runConfig(s, window(6), {
        epochs: 2,
        batchSize: B,
        backend: 'wasm',
        shuffle: true,
      })
      const d = trainData(sunspots(120), config)
      const model = buildModel(s, {
        inputShape: [6, 1],
        horizon: 1,
        batchSize: B,
        seed: 1,
        fused,
      })
      expect(fusedStatus(model.layers[0]).fused).toBe(fused)
      const events: TraceEvent[] = []
      const stateNorms: { epoch: number; batch: number; norm: number }[] = []
      await trainModel(model, s, config.training, d, {
        trace: (event) => {
          events.push(event)
          if (event.type === 'batch' && event.phase === 'train') {
            const states = (model.layers[0] as unknown as { states: tf.Tensor[] }).states
            stateNorms.push({
              epoch: event.epoch,
              batch: event.batch,
              norm: tf.tidy(
                () => tf.sum(tf.abs(tf.concat(states.map((t) => t.flatten())))).dataSync()[0],
              ),
            })
          }
        },
      })
      const train = d.starts.train
      const K = Math.floor(train.length / B)
      expect(train.length % B).not.toBe(0) // the cut matters here
      for (const epoch of [1, 2]) {
        const batches = events.filter(
          (e): e is Extract<TraceEvent, { type: 'batch' }> =>
            e.type === 'batch' && e.phase === 'train' && e.epoch === epoch,
        )
        expect(batches).toHaveLength(K)
        batches.forEach((b, k) => {
          expect(b.starts).toHaveLength(B)
          for (let i = 0; i < B; i++) {
            // Keras' fit(shuffle=False): batch k is windows k·B … k·B + B − 1, so row i of batch
            // k continues row i of batch k − 1, the window B windows (here B rows) earlier.
            expect(b.starts[i]).toBe(train[k * B + i])
            if (k > 0) expect(b.starts[i]).toBe(batches[k - 1].starts[i] + B)
          }
        })
        // never shuffled, even with shuffle on: the same order every epoch, the tail left out
        expect(batches.flatMap((b) => Array.from(b.starts))).toEqual(
          Array.from(train.slice(0, K * B)),
        )
      }
      // Resets: before the first training batch of every epoch and before every validation pass.
      const kinds = events.map((e) =>
        e.type === 'reset' ? `reset:${e.phase}:${e.epoch}` : `${e.phase}:${e.epoch}`,
      )
      const compact = kinds.filter((k, i) => k !== kinds[i - 1])
      expect(compact).toEqual([
        'reset:train:1',
        'train:1',
        'reset:validate:1',
        'validate:1',
        'reset:train:2',
        'train:2',
        'reset:validate:2',
        'validate:2',
      ])
      const valBatches = events.filter(
        (e) => e.type === 'batch' && e.phase === 'validate' && e.epoch === 1,
      ) as Extract<TraceEvent, { type: 'batch' }>[]
      // Validation forecasts every window, as Results does: Keras' order, the last batch padded
      // with the last window (its outputs ignored).
      const val = Array.from(d.starts.val)
      const padded = Math.ceil(val.length / B) * B
      expect(valBatches.flatMap((b) => Array.from(b.starts))).toEqual(
        Array.from({ length: padded }, (_, j) => val[Math.min(j, val.length - 1)]),
      )
      // The state is zero when an epoch starts and carried (non-zero) into its second batch.
      for (const epoch of [1, 2]) {
        expect(stateNorms.find((s) => s.epoch === epoch && s.batch === 0)!.norm).toBe(0)
        expect(stateNorms.find((s) => s.epoch === epoch && s.batch === 1)!.norm).toBeGreaterThan(0)
      }
      if (fused) expect(fusedStatus(model.layers[0]).lastPath).toBe('fused')
      model.dispose()
    })
  }

  it('stateless: a seeded reshuffle every epoch, each a permutation of the training windows', async () => {
    const s = spec('dense')
    const config = runConfig(s, window(12), { epochs: 2, batchSize: 16, backend: 'wasm', seed: 5 })
    const d = trainData(data, config)
    const model = buildModel(s, {
      inputShape: [12, 1],
      horizon: 1,
      batchSize: null,
      seed: 5,
      fused: false,
    })
    const seen: Record<number, number[]> = { 1: [], 2: [] }
    await trainModel(model, s, config.training, d, {
      trace: (e) => {
        if (e.type === 'batch' && e.phase === 'train') seen[e.epoch].push(...e.starts)
      },
    })
    const sorted = Array.from(d.starts.train)
    expect([...seen[1]].sort((a, b) => a - b)).toEqual(sorted)
    expect([...seen[2]].sort((a, b) => a - b)).toEqual(sorted)
    expect(seen[1]).not.toEqual(seen[2])
    expect(seen[1]).not.toEqual(sorted)
    expect(seen[2]).toEqual(Array.from(epochOrder(d.starts.train, true, 5, 2)))
    model.dispose()
  })
})

describe('stateful prediction carries the state along each stream', () => {
  for (const fused of [false, true]) {
    it(`equals a stateless LSTM reading the concatenated windows (non-overlapping windows)${fused ? ' (fused kernels)' : ''}`, async () => {
      const s: ModelSpec = {
        name: 's',
        layers: [{ type: 'lstm', units: 3 }],
        head: { kind: 'direct', activation: 'linear' },
        stateful: true,
      }
      const L = 4
      const n = 10 // windows of rows 4k … 4k + 3
      const series = Float32Array.from({ length: L * n + 8 }, (_, i) => Math.sin(i / 3) + 0.1 * i)
      const source = { features: series, featureCount: 1, target: series }
      const w = { sequenceLength: L, samplingRate: 1, sequenceStride: L, delay: L, horizon: 1 }
      const starts = Int32Array.from({ length: n }, (_, k) => k * L)
      const B = 2
      const model = buildModel(s, {
        inputShape: [L, 1],
        horizon: 1,
        batchSize: B,
        seed: 3,
        fused,
      })
      const predicted = await predictWindows(model, source, starts, {
        spec: s,
        window: w,
        batchSize: B,
      })
      // Keras' order: row i of batch k is window k·B + i, so window w continues w − B, w − 2B, …
      const stateless = { ...s, stateful: false }
      for (const index of [0, 1, 4, 5, 8, 9]) {
        const stream = Array.from(
          { length: Math.floor(index / B) + 1 },
          (_, j) => (index % B) + j * B,
        )
        const steps = stream.length * L
        const reference = buildModel(stateless, {
          inputShape: [steps, 1],
          horizon: 1,
          batchSize: null,
          seed: 99,
          fused: false,
        })
        reference.setWeights(model.getWeights())
        const rows = stream.flatMap((j) => Array.from(series.slice(j * L, j * L + L)))
        const x = tf.tensor3d(rows, [1, steps, 1])
        const expected = (reference.predict(x) as tf.Tensor).dataSync()[0]
        expect(predicted[index]).toBeCloseTo(expected, 5)
        reference.dispose()
      }
      if (fused) expect(fusedStatus(model.layers[0]).lastPath).toBe('fused')
      model.dispose()
    })
  }
})

describe('early stopping, checkpoints, NaN, cancel, decay', () => {
  it('early stopping restores the weights of the best validation epoch (checked against an independent validation pass)', async () => {
    const s = spec('dense')
    const config = runConfig(s, window(24), {
      epochs: 40,
      batchSize: 16,
      learningRate: 0.03,
      backend: 'wasm',
      earlyStopping: { patience: 2 },
    })
    const d = trainData(sunspots(300), config)
    const model = buildModel(s, {
      inputShape: [24, 1],
      horizon: 1,
      batchSize: null,
      seed: 1,
      fused: false,
    })
    const checkpoints = new Map<number, number[][]>()
    const result = await trainModel(model, s, config.training, d, {
      onCheckpoint: (epoch, m) => {
        checkpoints.set(epoch, weightsOf(m))
      },
    })
    expect(result.stopReason).toBe('early-stopping')
    const vals = result.history.map((h) => h.valLoss!)
    const best = vals.indexOf(Math.min(...vals)) + 1
    expect(result.bestEpoch).toBe(best)
    expect(result.history).toHaveLength(best + 2)
    expect(result.stopMessage).toMatch(new RegExp(`weights of epoch ${best}`))
    expect(weightsOf(model)).toEqual(checkpoints.get(best))
    // Independent validation MSE of the final model: windows built by hand, plain tfjs predict.
    const x: number[] = []
    const y: number[] = []
    for (const start of d.starts.val) {
      for (let t = 0; t < 24; t++) x.push(d.source.features[start + t])
      y.push(d.source.target[start + 24])
    }
    const p = (model.predict(tf.tensor3d(x, [d.starts.val.length, 24, 1])) as tf.Tensor).dataSync()
    const mse = y.reduce((sum, v, i) => sum + (v - p[i]) ** 2, 0) / y.length
    expect(mse).toBeCloseTo(vals[best - 1], 4)
    expect(Math.abs(mse - vals[vals.length - 1])).toBeGreaterThan(1e-4)
    model.dispose()
  })

  it('a diverging setting stops with the NaN message and no checkpoint', async () => {
    const s = spec('dense')
    const config = runConfig(
      s,
      window(12),
      { epochs: 3, optimizer: 'sgd', learningRate: 50, backend: 'wasm' },
      'none',
    )
    const model = buildModel(s, {
      inputShape: [12, 1],
      horizon: 1,
      batchSize: null,
      seed: 1,
      fused: false,
    })
    const result = await trainModel(model, s, config.training, trainData(data, config))
    expect(result.stopReason).toBe('nan-loss')
    expect(result.bestEpoch).toBeNull()
    expect(result.stopMessage).toMatch(/the loss became (NaN|infinite)/)
    expect(result.stopMessage).toMatch(/Lower the learning rate \(it is 50 with plain SGD\)/)
    expect(result.stopMessage).toMatch(/normalized/)
    model.dispose()
  })

  it('NaN after good epochs: stops at once and keeps the last good checkpoint', async () => {
    const s = spec('dense')
    const config = runConfig(s, window(12), { epochs: 5, backend: 'wasm' })
    const model = buildModel(s, {
      inputShape: [12, 1],
      horizon: 1,
      batchSize: null,
      seed: 1,
      fused: false,
    })
    const checkpoints = new Map<number, number[][]>()
    const result = await trainModel(model, s, config.training, trainData(data, config), {
      onCheckpoint: (epoch, m) => {
        checkpoints.set(epoch, weightsOf(m))
      },
      trace: (e) => {
        if (e.type === 'batch' && e.phase === 'train' && e.epoch === 3 && e.batch === 2) {
          const [kernel, bias] = model.layers[1].getWeights()
          model.layers[1].setWeights([kernel, tf.fill(bias.shape, NaN)])
        }
      },
    })
    expect(result.stopReason).toBe('nan-loss')
    expect(result.history).toHaveLength(2)
    expect(result.stopMessage).toMatch(/epoch 3, batch 3/)
    const best = result.bestEpoch!
    expect(best).toBeLessThanOrEqual(2)
    expect(weightsOf(model)).toEqual(checkpoints.get(best))
    expect(weightsOf(model).flat().every(Number.isFinite)).toBe(true)
    model.dispose()
  })

  it('cancel between batches: stops in the same batch and restores the best weights', async () => {
    const s = spec('lstm')
    const config = runConfig(s, window(12), { epochs: 5, batchSize: 16, backend: 'wasm' })
    const model = buildModel(s, {
      inputShape: [12, 1],
      horizon: 1,
      batchSize: null,
      seed: 1,
      fused: false,
    })
    let batches = 0
    let stop = false
    const checkpoints = new Map<number, number[][]>()
    const result = await trainModel(model, s, config.training, trainData(data, config), {
      onCheckpoint: (epoch, m) => {
        checkpoints.set(epoch, weightsOf(m))
      },
      trace: (e) => {
        if (e.type === 'batch' && e.phase === 'train' && e.epoch === 2 && ++batches === 3)
          stop = true
      },
      shouldStop: () => stop,
    })
    expect(result.stopReason).toBe('cancelled')
    expect(batches).toBe(3)
    expect(result.bestEpoch).toBe(1)
    expect(result.stopMessage).toMatch(/Cancelled during epoch 2/)
    expect(weightsOf(model)).toEqual(checkpoints.get(1))
    model.dispose()
  })

  it('the learning rate reaches every optimizer (adam and rmsprop read it each step; sgd through setLearningRate)', () => {
    for (const name of ['adam', 'rmsprop', 'sgd'] as const) {
      const v = tf.variable(tf.scalar(1))
      const opt = makeOptimizer(name, 0.5)
      setLearningRate(opt, 0)
      opt.minimize(() => tf.square(v) as tf.Scalar, false, [v])
      expect(v.dataSync()[0]).toBe(1) // a zero learning rate moves nothing
      setLearningRate(opt, 0.1)
      opt.minimize(() => tf.square(v) as tf.Scalar, false, [v])
      expect(v.dataSync()[0]).toBeLessThan(1)
      opt.dispose()
      v.dispose()
    }
  })

  it("decay: Keras' lr / (1 + decay · iterations)", async () => {
    const s = spec('linear')
    const config = runConfig(s, window(12), {
      epochs: 2,
      batchSize: 32,
      optimizer: 'sgd',
      learningRate: 0.1,
      decay: 0.05,
      backend: 'wasm',
    })
    const d = trainData(data, config)
    const model = buildModel(s, {
      inputShape: [12, 1],
      horizon: 1,
      batchSize: null,
      seed: 1,
      fused: false,
    })
    const result = await trainModel(model, s, config.training, d)
    const perEpoch = Math.ceil(d.starts.train.length / 32)
    result.history.forEach((h, e) => {
      expect(h.learningRate).toBeCloseTo(0.1 / (1 + 0.05 * ((e + 1) * perEpoch - 1)), 10)
    })
    model.dispose()
  })
})

describe('multi-step heads', () => {
  it('recursive: the roll-out feeds each prediction back as the newest input', async () => {
    const s: ModelSpec = { ...spec('lstm'), head: { kind: 'recursive', activation: 'linear' } }
    const config = runConfig(s, window(12, 12, 3), { epochs: 1, backend: 'wasm' })
    const d = trainData(data, config)
    const model = buildModel(s, {
      inputShape: [12, 1],
      horizon: 3,
      batchSize: null,
      seed: 1,
      fused: false,
    })
    expect(model.outputs[0].shape).toEqual([null, 1])
    await trainModel(model, s, config.training, d)
    const starts = d.starts.test.slice(0, 5)
    const predicted = await predictWindows(model, d.source, starts, {
      spec: s,
      window: config.experiment.window,
      batchSize: 4,
    })
    starts.forEach((start, k) => {
      const win = Array.from(d.source.features.slice(start, start + 12))
      for (let h = 0; h < 3; h++) {
        const p = (model.predict(tf.tensor3d(win, [1, 12, 1])) as tf.Tensor).dataSync()[0]
        expect(predicted[k * 3 + h]).toBeCloseTo(p, 5)
        win.shift()
        win.push(p)
      }
    })
    model.dispose()
  })

  it('direct Dense(H) and every-step heads train; every-step forecasts use the last timestep', async () => {
    for (const kind of ['direct', 'every-step'] as const) {
      const s: ModelSpec = {
        name: kind,
        layers: [{ type: 'gru', units: 8, returnSequences: kind === 'every-step' }],
        head: { kind, activation: 'linear' },
        stateful: false,
      }
      const config = runConfig(s, window(12, 14, 3), { epochs: 3, backend: 'wasm' })
      const d = trainData(data, config)
      const model = buildModel(s, {
        inputShape: [12, 1],
        horizon: 3,
        batchSize: null,
        seed: 1,
        fused: false,
      })
      const result = await trainModel(model, s, config.training, d)
      expect(result.history[2].loss).toBeLessThan(result.history[0].loss)
      const starts = d.starts.val.slice(0, 3)
      const predicted = await predictWindows(model, d.source, starts, {
        spec: s,
        window: config.experiment.window,
        batchSize: 8,
      })
      const x = tf.tensor3d(
        Array.from(starts).flatMap((st) => Array.from(d.source.features.slice(st, st + 12))),
        [3, 12, 1],
      )
      const out = model.predict(x) as tf.Tensor
      const last = kind === 'every-step' ? out.slice([0, 11, 0], [3, 1, 3]).reshape([3, 3]) : out
      Array.from(last.dataSync()).forEach((v, i) => expect(predicted[i]).toBeCloseTo(v, 5))
      model.dispose()
    }
  })
})

describe('backend routing', () => {
  it('a kernel missing on wasm routes the model to the next backend and says so', async () => {
    const s = spec('conv-gru')
    const config = runConfig(s, window(12), { backend: 'wasm' })
    tf.unregisterKernel('Conv2DBackpropFilter', 'wasm')
    try {
      const { model, backend } = await prepareModel(s, config.training, config.experiment.window, 1)
      expect(backend.used).toBe('cpu')
      expect(backend.routed).toMatch(
        /cannot train on wasm \(Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'\); it was routed to cpu/,
      )
      expect(backend.skipped.wasm).toMatch(/Conv2DBackpropFilter/)
      expect(tf.getBackend()).toBe('cpu')
      model.dispose()
    } finally {
      borrowMissingKernels()
      await selectBackend('wasm')
    }
  })
})

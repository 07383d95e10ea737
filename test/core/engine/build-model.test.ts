import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildModel } from '../../../src/core/engine/build-model'
import { MODEL_PRESETS } from '../../../src/shared/models/presets'
import { summarizeModel } from '../../../src/shared/models/summary'
import { spec } from './helpers'

const opts = (L: number, F = 1, horizon = 1, batchSize: number | null = null) => ({
  inputShape: [L, F] as [number, number],
  horizon,
  batchSize,
  seed: 7,
  fused: false,
})

const values = (t: tf.Tensor) => Array.from(t.dataSync())

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe('buildModel: Keras shapes and parameter counts', () => {
  for (const preset of MODEL_PRESETS.filter((p) => !p.spec.statistical)) {
    it(`${preset.id}: params equal the Keras formulas of summarizeModel`, () => {
      const L = preset.id === 'conv1d' ? 120 : 24
      const F = 3
      const H = 2
      const model = buildModel(preset.spec, opts(L, F, H, preset.spec.stateful ? 5 : null))
      const expected = summarizeModel(preset.spec, L, F, H)
      expect(model.countParams()).toBe(expected.totalParams)
      const out = model.outputs[0].shape
      expect(out[out.length - 1]).toBe(H)
      model.dispose()
    })
  }
})

describe('buildModel: Keras defaults', () => {
  it('LSTM: sigmoid recurrent activation, unit forget bias, glorot-uniform kernel, orthogonal recurrent kernel', () => {
    const model = buildModel(spec('lstm'), opts(10, 3))
    const lstm = model.layers[0]
    const config = lstm.getConfig() as Record<string, unknown>
    expect(config.recurrentActivation).toBe('sigmoid')
    expect(config.activation).toBe('tanh')
    expect(config.unitForgetBias).toBe(true)
    const [kernel, recurrent, bias] = lstm.getWeights()
    const units = 16
    // Gate order i, f, c, o: the forget slice of the bias starts at 1, the others at 0.
    const b = values(bias)
    expect(b.slice(units, 2 * units)).toEqual(new Array(units).fill(1))
    expect([...b.slice(0, units), ...b.slice(2 * units)]).toEqual(new Array(3 * units).fill(0))
    // glorot uniform: |w| ≤ sqrt(6 / (fan_in + fan_out)) with fan_in 3, fan_out 64.
    const limit = Math.sqrt(6 / (3 + 4 * units))
    expect(Math.max(...values(kernel).map(Math.abs))).toBeLessThanOrEqual(limit)
    // orthogonal (16 × 64): rows orthonormal, R·Rᵀ = I.
    const rrt = tf.matMul(recurrent, recurrent, false, true)
    const eye = tf.eye(units)
    expect(tf.max(tf.abs(tf.sub(rrt, eye))).dataSync()[0]).toBeLessThan(1e-4)
    model.dispose()
  })

  it('Dense and Conv1D: glorot-uniform kernels (tfjs defaults to glorot-normal), zero biases', () => {
    const model = buildModel(spec('dense'), opts(10, 2))
    const dense = model.layers[1]
    const [kernel, bias] = dense.getWeights()
    const limit = Math.sqrt(6 / (20 + 16))
    expect(Math.max(...values(kernel).map(Math.abs))).toBeLessThanOrEqual(limit)
    expect(values(bias).every((v) => v === 0)).toBe(true)
    // tfjs serializes glorot-uniform as VarianceScaling(scale 1, fan_avg, uniform), as Keras does.
    const init = (dense.getConfig() as { kernelInitializer: { config: Record<string, unknown> } })
      .kernelInitializer.config
    expect(init).toMatchObject({ scale: 1, mode: 'fanAvg', distribution: 'uniform' })
    model.dispose()
  })

  it('the same seed builds the same weights; another seed does not', () => {
    const a = buildModel(spec('gru-stacked'), opts(8, 2))
    const b = buildModel(spec('gru-stacked'), opts(8, 2))
    const c = buildModel(spec('gru-stacked'), { ...opts(8, 2), seed: 8 })
    const wa = a.getWeights().map(values)
    expect(b.getWeights().map(values)).toEqual(wa)
    expect(c.getWeights().map(values)).not.toEqual(wa)
    // and distinct layers of the same shape do not share initial weights
    expect(wa[3]).not.toEqual(wa[0].slice(0, wa[3].length))
    ;[a, b, c].forEach((m) => m.dispose())
  })

  it('Bidirectional: the backward direction starts from its own weights, as in Keras', () => {
    const model = buildModel(spec('bilstm'), opts(10, 2))
    const w = model.layers[0].getWeights().map(values)
    // forward kernel, recurrent kernel, bias, then the backward ones
    expect(w[3]).not.toEqual(w[0])
    expect(w[4]).not.toEqual(w[1])
    expect(w[5]).toEqual(w[2]) // both biases: zeros with unit forget bias
    model.dispose()
  })

  it('stateful LSTM(4): fixed batch input shape, stateful layer, tanh output (Bonaccorso)', () => {
    const model = buildModel(spec('stateful-lstm'), opts(15, 1, 1, 20))
    expect(model.inputs[0].shape).toEqual([20, 15, 1])
    expect((model.layers[0].getConfig() as { stateful: boolean }).stateful).toBe(true)
    expect((model.layers[1].getConfig() as { activation: string }).activation).toBe('tanh')
    model.dispose()
  })
})

describe('GRU with recurrent dropout: Keras semantics (tfjs mixes the dropped state into the new one)', () => {
  it('one step equals the Keras formula with a mask per gate and the undropped state in the update', () => {
    const model = buildModel(
      {
        name: 'g',
        layers: [{ type: 'gru', units: 2, recurrentDropout: 0.5 }],
        head: { kind: 'direct', activation: 'linear' },
        stateful: false,
      },
      opts(1, 1),
    )
    const gru = model.layers[0] as unknown as {
      cell: {
        recurrentDropoutMask: tf.Tensor[] | null
        call(i: tf.Tensor[], k: object): tf.Tensor[]
      }
    }
    const [kernel, recurrent, bias] = model.layers[0].getWeights().map(values)
    const x = [0.7]
    const h = [0.5, -0.25]
    const masks = [
      [2, 0],
      [0, 2],
      [2, 2],
    ]
    gru.cell.recurrentDropoutMask = masks.map((m) => tf.keep(tf.tensor2d([m])))
    const out = values(gru.cell.call([tf.tensor2d([x]), tf.tensor2d([h])], { training: true })[0])
    // Reference: kernel [1 × 6], recurrent [2 × 6] (columns z0 z1 r0 r1 h0 h1), bias [6].
    const sig = (v: number) => 1 / (1 + Math.exp(-v))
    const col = (m: number[], rows: number, c: number) =>
      Array.from({ length: rows }, (_, r) => m[r * 6 + c])
    const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0)
    const masked = (i: number) => h.map((v, j) => v * masks[i][j])
    const z = [0, 1].map((u) =>
      sig(x[0] * kernel[u] + bias[u] + dot(masked(0), col(recurrent, 2, u))),
    )
    const r = [0, 1].map((u) =>
      sig(x[0] * kernel[2 + u] + bias[2 + u] + dot(masked(1), col(recurrent, 2, 2 + u))),
    )
    const rh = masked(2).map((v, j) => v * r[j])
    const hh = [0, 1].map((u) =>
      Math.tanh(x[0] * kernel[4 + u] + bias[4 + u] + dot(rh, col(recurrent, 2, 4 + u))),
    )
    const expected = [0, 1].map((u) => z[u] * h[u] + (1 - z[u]) * hh[u])
    out.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5))
    model.dispose()
  })
})

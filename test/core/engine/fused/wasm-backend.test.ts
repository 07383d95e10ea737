/**
 * The fused layers on the tfjs wasm backend (the app's default backend here): parity with the
 * stock layers on the same backend, and a short training run.
 */
import * as tf from '@tensorflow/tfjs'
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm'
import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { createRecurrentLayer, fusedStatus } from '../../../../src/core/engine/fused'
import { caseName, expectClose, makeLayer, prng, randArray, runCase, type RnnCase } from './helpers'

beforeAll(async () => {
  const require = createRequire(import.meta.url)
  setWasmPaths(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + '/')
  expect(await tf.setBackend('wasm')).toBe(true)
})

describe('fused kernels on the tfjs wasm backend', () => {
  const cases: RnnCase[] = [
    { kind: 'lstm', B: 7, T: 13, I: 5, U: 17, returnSequences: true, initialState: true },
    {
      kind: 'gru',
      B: 7,
      T: 13,
      I: 5,
      U: 3,
      recurrentDropout: 0.3,
      dropout: 0.2,
      goBackwards: true,
    },
  ]
  cases.forEach((c, n) => {
    it(caseName(c), () => {
      expect(tf.getBackend()).toBe('wasm')
      tf.tidy(() => {
        const ref = runCase(c, makeLayer(c, false, 50 + n), 50 + n)
        const fused = makeLayer(c, true, 50 + n)
        const got = runCase(c, fused, 50 + n)
        expect(fusedStatus(fused).lastPath).toBe('fused')
        ref.outputs.forEach((o, i) => expectClose(got.outputs[i], o, `output ${i}`))
        for (const [k, v] of Object.entries(ref.grads)) expectClose(got.grads[k], v, `d/d${k}`)
      })
    })
  })

  it('stacked GRU(6, seq) → LSTM(5) → Dense: 10 steps follow the stock loss curve', async () => {
    const B = 8,
      T = 12
    const rand = prng(9)
    const x = tf.tensor3d(randArray(B * T * 3, rand), [B, T, 3])
    const y = tf.tensor2d(randArray(B, rand), [B, 1])
    const make = (fused: boolean): tf.Sequential => {
      const m = tf.sequential()
      const base = { recurrentActivation: 'sigmoid' as const }
      m.add(
        createRecurrentLayer(
          'gru',
          { ...base, units: 6, inputShape: [T, 3], returnSequences: true },
          { fused },
        ),
      )
      m.add(createRecurrentLayer('lstm', { ...base, units: 5 }, { fused }))
      m.add(tf.layers.dense({ units: 1 }))
      m.compile({ optimizer: tf.train.rmsprop(0.003), loss: 'meanSquaredError' })
      return m
    }
    const stock = make(false)
    const fused = make(true)
    const init = stock
      .getWeights()
      .map((w, i) => tf.tensor(randArray(w.size, prng(80 + i), 0.4), w.shape))
    stock.setWeights(init)
    fused.setWeights(init)
    for (let step = 0; step < 10; step++) {
      const a = (await stock.trainOnBatch(x, y)) as number
      const b = (await fused.trainOnBatch(x, y)) as number
      expect(Math.abs(a - b), `step ${step}: ${b} vs ${a}`).toBeLessThanOrEqual(1e-5 * a + 1e-7)
    }
    expect(fusedStatus(fused.layers[1]).inputGradient).toBe(true)
    const pa = (stock.predict(x) as tf.Tensor).dataSync()
    fused.setWeights(stock.getWeights())
    expectClose((fused.predict(x) as tf.Tensor).dataSync(), pa, 'prediction')
  })

  it('LSTM(8) → Dense: 20 RMSprop steps follow the stock loss curve', async () => {
    const B = 16,
      T = 20
    const rand = prng(4)
    const x = tf.tensor3d(randArray(B * T * 3, rand), [B, T, 3])
    const y = tf.tensor2d(randArray(B, rand), [B, 1])
    const make = (fused: boolean): tf.Sequential => {
      const m = tf.sequential()
      m.add(
        createRecurrentLayer(
          'lstm',
          { units: 8, inputShape: [T, 3], recurrentActivation: 'sigmoid' },
          { fused },
        ),
      )
      m.add(tf.layers.dense({ units: 1 }))
      m.compile({ optimizer: tf.train.rmsprop(0.003), loss: 'meanSquaredError' })
      return m
    }
    const stock = make(false)
    const fused = make(true)
    const init = stock
      .getWeights()
      .map((w, i) => tf.tensor(randArray(w.size, prng(60 + i), 0.4), w.shape))
    stock.setWeights(init)
    fused.setWeights(init)
    for (let step = 0; step < 20; step++) {
      const a = (await stock.trainOnBatch(x, y)) as number
      const b = (await fused.trainOnBatch(x, y)) as number
      expect(Math.abs(a - b), `step ${step}: ${b} vs ${a}`).toBeLessThanOrEqual(1e-5 * a + 1e-7)
    }
  })
})

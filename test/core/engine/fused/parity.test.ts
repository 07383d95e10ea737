/**
 * Fused LSTM / GRU vs tfjs-layers (cpu backend): outputs, final states and the gradients w.r.t.
 * input, kernel, recurrent kernel, bias and initial states, on random data, to 1e-4 relative.
 * The GRU reference with recurrent dropout is the engine's GRU (tfjs' GRU with `patchGru`:
 * Keras implementation 1, one mask per gate, the unmasked state in the update).
 */
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { fusedStatus } from '../../../../src/core/engine/fused'
import { caseName, expectClose, makeLayer, oneStepDx, runCase, type RnnCase } from './helpers'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const shapes: [number, number, number, number][] = [
  // B, T, I, U — odd sizes: units 1, 3, 17; inputs 1, 5; batch 1, 7; timesteps 1, 13
  [1, 1, 1, 1],
  [7, 13, 5, 3],
  [7, 13, 5, 17],
  [1, 13, 1, 1],
  [7, 1, 5, 17],
  [3, 6, 1, 8],
]

const cases: RnnCase[] = []
for (const kind of ['lstm', 'gru'] as const) {
  for (const [B, T, I, U] of shapes) cases.push({ kind, B, T, I, U })
  const base = { kind, B: 7, T: 13, I: 5, U: 17 }
  cases.push(
    { ...base, returnSequences: true },
    { ...base, goBackwards: true },
    { ...base, returnSequences: true, goBackwards: true, hard: true },
    { ...base, initialState: true },
    { ...base, returnSequences: true, initialState: true, useBias: false },
    { ...base, dropout: 0.3 },
    { ...base, recurrentDropout: 0.4, initialState: true },
    {
      ...base,
      U: 3,
      returnSequences: true,
      dropout: 0.25,
      recurrentDropout: 0.5,
      goBackwards: true,
    },
    { kind, B: 1, T: 1, I: 1, U: 3, initialState: true, hard: true },
  )
}

// GRU with recurrent dropout (Keras implementation 1): more shapes and options
cases.push(
  { kind: 'gru', B: 7, T: 13, I: 5, U: 17, dropout: 0.3, recurrentDropout: 0.5, hard: true },
  { kind: 'gru', B: 1, T: 9, I: 1, U: 1, recurrentDropout: 0.5 },
  { kind: 'gru', B: 8, T: 6, I: 3, U: 32, recurrentDropout: 0.5, returnSequences: true },
  { kind: 'gru', B: 5, T: 7, I: 4, U: 6, dropout: 0.5, recurrentDropout: 0.25, useBias: false },
  { kind: 'gru', B: 3, T: 2, I: 2, U: 5, dropout: 0.2, recurrentDropout: 0.5 },
)

describe('fused kernels match tfjs-layers', () => {
  cases.forEach((c, n) => {
    it(caseName(c), () => {
      const seed = 1000 + n
      tf.tidy(() => {
        const stock = makeLayer(c, false, seed)
        const fused = makeLayer(c, true, seed)
        // tfjs 4.22 cannot differentiate a 1-step RNN w.r.t. its input: see oneStepDx()
        const ref = runCase(c, stock, seed, { skipDx: c.T === 1 })
        if (c.T === 1) ref.grads.x = oneStepDx(c, stock, seed)
        const got = runCase(c, fused, seed)
        expect(fusedStatus(fused).lastPath).toBe('fused')
        const names = c.kind === 'lstm' ? ['output', 'h', 'c'] : ['output', 'h']
        expect(got.outputs.length).toBe(ref.outputs.length)
        ref.outputs.forEach((o, i) => expectClose(got.outputs[i], o, `${names[i]}`))
        for (const [k, v] of Object.entries(ref.grads)) {
          expect(got.grads[k], `gradient ${k}`).toBeDefined()
          expectClose(got.grads[k], v, `d/d${k}`)
        }
        expect(Object.keys(got.grads).sort()).toEqual(Object.keys(ref.grads).sort())
      })
    })
  })
})

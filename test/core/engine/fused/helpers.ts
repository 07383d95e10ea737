import * as tf from '@tensorflow/tfjs'
import { expect } from 'vitest'
import { patchGru } from '../../../../src/core/engine/build-model'
import { fusedGRU, fusedLSTM } from '../../../../src/core/engine/fused'

/** Deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function randArray(n: number, rand: () => number, scale = 1): Float32Array {
  const a = new Float32Array(n)
  for (let i = 0; i < n; i++) a[i] = (rand() * 2 - 1) * scale
  return a
}

/**
 * A tfjs-layers `dropoutFunc` drawing masks from a seeded PRNG: two layers given functions with
 * the same seed draw identical masks (they call it in the same order).
 */
export function seededDropout(seed: number): (x: tf.Tensor, rate: number) => tf.Tensor {
  const rand = prng(seed)
  return (x, rate) => {
    const m = new Float32Array(x.size)
    for (let i = 0; i < m.length; i++) m[i] = rand() < rate ? 0 : 1 / (1 - rate)
    return tf.mul(x, tf.tensor(m, x.shape))
  }
}

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]))
  return m
}

/**
 * Elementwise |a - e| <= rtol·|e| + atol·max(1, max|e|): relative tolerance with an absolute
 * floor scaled to the tensor (float32 sums of ~100 terms differ by ~1e-7 of their magnitude).
 */
export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  what: string,
  rtol = 1e-4,
  atol = 1e-5,
): void {
  expect(actual.length, `${what}: length`).toBe(expected.length)
  const floor = atol * Math.max(1, maxAbs(expected))
  let worst = -1
  let worstExcess = 0
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i])
    const tol = rtol * Math.abs(expected[i]) + floor
    if (!(err <= tol) && err - tol >= worstExcess) {
      worst = i
      worstExcess = err - tol
    }
  }
  if (worst >= 0) {
    expect.fail(
      `${what}: element ${worst} is ${actual[worst]}, expected ${expected[worst]} ` +
        `(rtol ${rtol}, atol ${floor.toExponential(2)})`,
    )
  }
}

export type Kind = 'lstm' | 'gru'

export interface RnnCase {
  kind: Kind
  B: number
  T: number
  I: number
  U: number
  returnSequences?: boolean
  goBackwards?: boolean
  hard?: boolean
  initialState?: boolean
  dropout?: number
  recurrentDropout?: number
  useBias?: boolean
}

export function caseName(c: RnnCase): string {
  const o = [
    c.returnSequences && 'seq',
    c.goBackwards && 'back',
    c.hard && 'hardSigmoid',
    c.initialState && 'h0',
    c.dropout && `dropout ${c.dropout}`,
    c.recurrentDropout && `recDropout ${c.recurrentDropout}`,
    c.useBias === false && 'noBias',
  ].filter(Boolean)
  return `${c.kind} B${c.B} T${c.T} I${c.I} U${c.U}${o.length ? ' ' + o.join(' ') : ''}`
}

export function layerConfig(c: RnnCase, seed: number): Parameters<typeof tf.layers.lstm>[0] {
  return {
    units: c.U,
    returnSequences: c.returnSequences === true,
    goBackwards: c.goBackwards === true,
    returnState: true,
    recurrentActivation: c.hard ? 'hardSigmoid' : 'sigmoid',
    dropout: c.dropout ?? 0,
    recurrentDropout: c.recurrentDropout ?? 0,
    useBias: c.useBias !== false,
    // identical masks in the stock and the fused layer
    dropoutFunc: seededDropout(seed),
  } as Parameters<typeof tf.layers.lstm>[0]
}

/**
 * The fused layer, or the reference: tfjs-layers' LSTM, and for the GRU the engine's GRU —
 * tfjs' GRU with Keras' recurrent-dropout step (`patchGru`: one mask per gate, the unmasked
 * state in the update), which the fused GRU implements; without recurrent dropout it is stock.
 */
export function makeLayer(c: RnnCase, fused: boolean, seed: number): tf.layers.Layer {
  const cfg = layerConfig(c, seed)
  if (c.kind === 'lstm') return fused ? fusedLSTM(cfg) : tf.layers.lstm(cfg)
  return fused ? fusedGRU(cfg) : patchGru(tf.layers.gru(cfg))
}

/**
 * Scale of the random recurrent kernel. Recurrent dropout multiplies the state by 1/(1-rate)
 * (up to 2), which with ±0.6 weights makes the recurrence expansive: gradients explode and
 * float32 rounding alone (stock tfjs cpu vs stock tfjs wasm) then differs by ~1e-3. Keep those
 * cases contractive (spectral radius × 1/(1-rate) < 1).
 */
export function recurrentScale(c: RnnCase): number {
  return c.recurrentDropout ? 0.6 / Math.sqrt(c.U) : 0.6
}

export interface RunResult {
  outputs: Float32Array[]
  /** gradients: x, initial states (if any), then kernel, recurrent kernel, bias */
  grads: Record<string, Float32Array>
}

/**
 * Applies the layer to x (and initial states) with a fixed random weighting of every output,
 * and differentiates that scalar w.r.t. x, the initial states and the layer's weights.
 */
export function runCase(
  c: RnnCase,
  layer: tf.layers.Layer,
  seed: number,
  opts: { skipDx?: boolean } = {},
): RunResult {
  const rand = prng(seed)
  const G = c.kind === 'lstm' ? 4 : 3
  const nStates = c.kind === 'lstm' ? 2 : 1
  const x = tf.tensor3d(randArray(c.B * c.T * c.I, rand), [c.B, c.T, c.I])
  const init = c.initialState
    ? Array.from({ length: nStates }, () => tf.tensor2d(randArray(c.B * c.U, rand), [c.B, c.U]))
    : []
  const training = (c.dropout ?? 0) > 0 || (c.recurrentDropout ?? 0) > 0
  const kwargs = (st: tf.Tensor[]): Record<string, unknown> =>
    st.length ? { initialState: st, training } : { training }
  // build, then set deterministic weights
  layer.apply(x, kwargs(init))
  const weights: tf.Tensor[] = [
    tf.tensor2d(randArray(c.I * G * c.U, rand, 0.6), [c.I, G * c.U]),
    tf.tensor2d(randArray(c.U * G * c.U, rand, recurrentScale(c)), [c.U, G * c.U]),
  ]
  if (c.useBias !== false) weights.push(tf.tensor1d(randArray(G * c.U, rand, 0.4)))
  layer.setWeights(weights)
  const yShape = c.returnSequences ? [c.B, c.T, c.U] : [c.B, c.U]
  const wy = tf.tensor(
    randArray(
      yShape.reduce((a, b) => a * b),
      rand,
    ),
    yShape,
  )
  const ws = Array.from({ length: nStates }, () =>
    tf.tensor2d(randArray(c.B * c.U, rand), [c.B, c.U]),
  )
  const loss = (xx: tf.Tensor, st: tf.Tensor[]): tf.Scalar => {
    const outs = layer.apply(xx, kwargs(st)) as tf.Tensor[]
    let l = tf.sum(tf.mul(outs[0], wy))
    for (let i = 0; i < nStates; i++) l = tf.add(l, tf.sum(tf.mul(outs[1 + i], ws[i])))
    return l as tf.Scalar
  }
  const outs = layer.apply(x, kwargs(init)) as tf.Tensor[]
  const outputs = outs.map((t) => t.dataSync() as Float32Array)
  const grads: Record<string, Float32Array> = {}
  const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable)
  const vg = tf.variableGrads(() => loss(x, init), vars)
  const names = ['kernel', 'recurrentKernel', 'bias']
  vars.forEach((v, i) => {
    grads[names[i]] = vg.grads[v.name].dataSync() as Float32Array
  })
  if (opts.skipDx) {
    if (init.length) {
      const g = tf.grads((...ts: tf.Tensor[]) => loss(x, ts))(init)
      for (let i = 0; i < init.length; i++) grads[`state${i}`] = g[i].dataSync() as Float32Array
    }
  } else {
    const g = tf.grads((...ts: tf.Tensor[]) => loss(ts[0], ts.slice(1)))([x, ...init])
    grads.x = g[0].dataSync() as Float32Array
    for (let i = 0; i < init.length; i++) grads[`state${i}`] = g[1 + i].dataSync() as Float32Array
  }
  return { outputs, grads }
}

/**
 * dL/dx for a one-step sequence through a hand-written tfjs cell (tfjs-layers' own gradient of
 * a 1-step RNN w.r.t. its input throws in tfjs 4.22: "Argument tensors passed to stack must be
 * a Tensor[]"). Same PRNG stream as runCase; no dropout.
 */
export function oneStepDx(c: RnnCase, layer: tf.layers.Layer, seed: number): Float32Array {
  const rand = prng(seed)
  const nStates = c.kind === 'lstm' ? 2 : 1
  const x = tf.tensor3d(randArray(c.B * c.T * c.I, rand), [c.B, c.T, c.I])
  const init = c.initialState
    ? Array.from({ length: nStates }, () => tf.tensor2d(randArray(c.B * c.U, rand), [c.B, c.U]))
    : Array.from({ length: nStates }, () => tf.zeros([c.B, c.U]))
  const G = c.kind === 'lstm' ? 4 : 3
  randArray(c.I * G * c.U + c.U * G * c.U + (c.useBias !== false ? G * c.U : 0), rand)
  const yShape = c.returnSequences ? [c.B, c.T, c.U] : [c.B, c.U]
  const wy = tf.tensor(
    randArray(
      yShape.reduce((a, b) => a * b),
      rand,
    ),
    yShape,
  )
  const ws = Array.from({ length: nStates }, () =>
    tf.tensor2d(randArray(c.B * c.U, rand), [c.B, c.U]),
  )
  const [W, R, b] = layer.getWeights()
  const ract = (z: tf.Tensor): tf.Tensor =>
    c.hard ? tf.clipByValue(tf.add(0.5, tf.mul(0.2, z)), 0, 1) : tf.sigmoid(z)
  const f = (xx: tf.Tensor): tf.Scalar => {
    const x0 = tf.reshape(xx, [c.B, c.I])
    let zx: tf.Tensor = tf.matMul(x0, W as tf.Tensor2D)
    if (b) zx = tf.add(zx, b)
    let h: tf.Tensor
    let extra: tf.Tensor[] = []
    if (c.kind === 'lstm') {
      const z = tf.add(zx, tf.matMul(init[0], R))
      const [zi, zf, zc, zo] = tf.split(z, 4, 1)
      const cc = tf.add(tf.mul(ract(zf), init[1]), tf.mul(ract(zi), tf.tanh(zc)))
      h = tf.mul(ract(zo), tf.tanh(cc))
      extra = [cc]
    } else {
      const [R1, R2] = tf.split(R, [2 * c.U, c.U], 1)
      const [xz, xr, xh] = tf.split(zx, 3, 1)
      const [rz, rr] = tf.split(tf.matMul(init[0], R1), 2, 1)
      const z = ract(tf.add(xz, rz))
      const r = ract(tf.add(xr, rr))
      const hh = tf.tanh(tf.add(xh, tf.matMul(tf.mul(r, init[0]), R2)))
      h = tf.add(tf.mul(z, init[0]), tf.mul(tf.sub(1, z), hh))
    }
    let l = tf.sum(tf.mul(tf.reshape(h, yShape), wy))
    l = tf.add(l, tf.sum(tf.mul(h, ws[0])))
    if (c.kind === 'lstm') l = tf.add(l, tf.sum(tf.mul(extra[0], ws[1])))
    return l as tf.Scalar
  }
  return tf.grad(f)(x).dataSync() as Float32Array
}

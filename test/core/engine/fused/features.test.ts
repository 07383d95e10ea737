/**
 * Fused layers beyond single-call parity: stateful use, Bidirectional, serialization to stock
 * tfjs, training curves, thread split, lazy input gradient, fallbacks, memory.
 */
import * as tf from '@tensorflow/tfjs'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  FusedRnnKernel,
  createRecurrentLayer,
  fuseModel,
  fusedBidirectional,
  fusedGRU,
  fusedLSTM,
  fusedStatus,
  getRuntime,
  resolveWasmPath,
  unfuseLayer,
} from '../../../../src/core/engine/fused'
import { patchGru } from '../../../../src/core/engine/build-model'
import { expectClose, prng, randArray, seededDropout } from './helpers'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

function weightsFor(layer: tf.layers.Layer, seed: number): tf.Tensor[] {
  const rand = prng(seed)
  return layer.getWeights().map((w) => tf.tensor(randArray(w.size, rand, 0.5), w.shape))
}

describe('stateful', () => {
  for (const kind of ['lstm', 'gru'] as const) {
    it(`${kind}: states carry across calls and resetStates() clears them`, () => {
      const B = 3,
        T = 5,
        I = 2,
        U = 6
      const cfg = {
        units: U,
        stateful: true,
        batchInputShape: [B, T, I],
        returnSequences: true,
        recurrentActivation: 'sigmoid' as const,
      }
      const stock = kind === 'lstm' ? tf.layers.lstm(cfg) : tf.layers.gru(cfg)
      const fused = kind === 'lstm' ? fusedLSTM(cfg) : fusedGRU(cfg)
      const rand = prng(7)
      const xs = [0, 1, 2].map(() => tf.tensor3d(randArray(B * T * I, rand), [B, T, I]))
      stock.apply(xs[0])
      fused.apply(xs[0])
      stock.resetStates()
      fused.resetStates()
      const w = weightsFor(stock, 3)
      stock.setWeights(w)
      fused.setWeights(w)
      const run = (): void => {
        for (const x of xs) {
          const a = stock.apply(x) as tf.Tensor
          const b = fused.apply(x) as tf.Tensor
          expectClose(b.dataSync(), a.dataSync(), 'stateful output')
        }
      }
      run()
      const states = (fused as unknown as { states_: tf.Tensor[] }).states_
      expect(tf.sum(tf.abs(states[0])).dataSync()[0]).toBeGreaterThan(0)
      stock.resetStates()
      fused.resetStates()
      run()
      expect(fusedStatus(fused).lastPath).toBe('fused')
    })
  }
})

describe('functional models', () => {
  it('initial states fed as model inputs', () => {
    const build = (fused: boolean): tf.LayersModel => {
      const x = tf.input({ shape: [5, 3] })
      const h = tf.input({ shape: [4] })
      const c = tf.input({ shape: [4] })
      const cfg = { units: 4, returnSequences: true, recurrentActivation: 'sigmoid' as const }
      const l = fused ? fusedLSTM(cfg) : tf.layers.lstm(cfg)
      const y = l.apply(x, { initialState: [h, c] }) as tf.SymbolicTensor
      return tf.model({ inputs: [x, h, c], outputs: y })
    }
    const stock = build(false)
    const fused = build(true)
    fused.setWeights(stock.getWeights())
    const rand = prng(12)
    const feed = [
      tf.tensor3d(randArray(2 * 5 * 3, rand), [2, 5, 3]),
      tf.tensor2d(randArray(8, rand), [2, 4]),
      tf.tensor2d(randArray(8, rand), [2, 4]),
    ]
    const a = (stock.predict(feed) as tf.Tensor).dataSync()
    const b = (fused.predict(feed) as tf.Tensor).dataSync()
    expect(fusedStatus(fused.layers[3]).lastPath).toBe('fused')
    expectClose(b, a, 'prediction with fed initial states')
  })
})

describe('Bidirectional', () => {
  const cases = [
    { kind: 'lstm' as const, mergeMode: 'concat' as const, returnSequences: true },
    { kind: 'gru' as const, mergeMode: 'sum' as const, returnSequences: false },
    { kind: 'lstm' as const, mergeMode: 'ave' as const, returnSequences: false },
  ]
  for (const c of cases) {
    it(`${c.kind} ${c.mergeMode} seq=${c.returnSequences}: outputs and gradients match`, () => {
      const B = 4,
        T = 9,
        I = 3,
        U = 5
      const inner = (): tf.layers.Layer =>
        (c.kind === 'lstm' ? tf.layers.lstm : tf.layers.gru)({
          units: U,
          returnSequences: c.returnSequences,
          recurrentActivation: 'sigmoid',
        })
      const stock = tf.layers.bidirectional({ layer: inner() as never, mergeMode: c.mergeMode })
      const fused = fusedBidirectional({ layer: inner() as never, mergeMode: c.mergeMode })
      const rand = prng(11)
      const x = tf.tensor3d(randArray(B * T * I, rand), [B, T, I])
      stock.apply(x)
      fused.apply(x)
      const w = weightsFor(stock, 5)
      stock.setWeights(w)
      fused.setWeights(w)
      const bi = fused as unknown as {
        forwardLayer: tf.layers.Layer
        backwardLayer: tf.layers.Layer
      }
      expect(fusedStatus(bi.forwardLayer).fused).toBe(true)
      expect(fusedStatus(bi.backwardLayer).fused).toBe(true)
      const out = (l: tf.layers.Layer): tf.Tensor => l.apply(x) as tf.Tensor
      const a = out(stock)
      const b = out(fused)
      expectClose(b.dataSync(), a.dataSync(), 'bidirectional output')
      const wy = tf.tensor(randArray(a.size, rand), a.shape)
      const grads = (l: tf.layers.Layer): Float32Array[] => {
        const vars = l.trainableWeights.map((v) => v.read() as tf.Variable)
        const loss = (xx: tf.Tensor): tf.Scalar => tf.sum(tf.mul(l.apply(xx) as tf.Tensor, wy))
        const vg = tf.variableGrads(() => loss(x), vars)
        const dx = tf.grad(loss)(x)
        return [
          ...vars.map((v) => vg.grads[v.name].dataSync() as Float32Array),
          dx.dataSync() as Float32Array,
        ]
      }
      const ga = grads(stock)
      const gb = grads(fused)
      expect(gb.length).toBe(ga.length)
      ga.forEach((g, i) => expectClose(gb[i], g, `gradient ${i}`))
      expect(fusedStatus(bi.backwardLayer).lastPath).toBe('fused')
    })
  }
})

describe('Bidirectional GRU with recurrent dropout (training)', () => {
  it('matches the engine GRU (patchGru) in both directions: loss and every gradient', () => {
    const B = 6,
      T = 8,
      I = 3,
      U = 7
    const make = (fused: boolean): tf.layers.Layer => {
      const inner = tf.layers.gru({
        units: U,
        returnSequences: true,
        recurrentActivation: 'sigmoid',
        dropout: 0.3,
        recurrentDropout: 0.5,
      })
      const bi = (fused ? fusedBidirectional : tf.layers.bidirectional)({
        layer: inner as never,
        mergeMode: 'concat',
      })
      const halves = bi as unknown as {
        forwardLayer: tf.layers.Layer
        backwardLayer: tf.layers.Layer
      }
      patchGru(halves.forwardLayer)
      patchGru(halves.backwardLayer)
      return bi
    }
    const stock = make(false)
    const fused = make(true)
    const rand = prng(17)
    const x = tf.tensor3d(randArray(B * T * I, rand), [B, T, I])
    stock.apply(x)
    fused.apply(x)
    const w = weightsFor(stock, 9)
    stock.setWeights(w)
    fused.setWeights(w)
    const wy = tf.tensor3d(randArray(B * T * 2 * U, rand), [B, T, 2 * U])
    // The masks come from tf.dropout (Math.random seeds each draw): replay the same stream.
    const original = Math.random
    const run = (l: tf.layers.Layer): Float32Array[] => {
      try {
        const loss = (xx: tf.Tensor): tf.Scalar =>
          tf.sum(tf.mul(l.apply(xx, { training: true }) as tf.Tensor, wy))
        const vars = l.trainableWeights.map((v) => v.read() as tf.Variable)
        Math.random = prng(123)
        const vg = tf.variableGrads(() => loss(x), vars)
        Math.random = prng(123)
        const dx = tf.grad(loss)(x)
        return [
          vg.value.dataSync() as Float32Array,
          ...vars.map((v) => vg.grads[v.name].dataSync() as Float32Array),
          dx.dataSync() as Float32Array,
        ]
      } finally {
        Math.random = original
      }
    }
    const a = run(stock)
    const b = run(fused)
    const bi = fused as unknown as { forwardLayer: tf.layers.Layer; backwardLayer: tf.layers.Layer }
    expect(fusedStatus(bi.forwardLayer).lastPath).toBe('fused')
    expect(fusedStatus(bi.backwardLayer).lastPath).toBe('fused')
    expect(b.length).toBe(a.length)
    a.forEach((g, i) => expectClose(b[i], g, i === 0 ? 'loss' : `gradient ${i}`))
  })
})

/** Sequential model: LSTM(returnSequences) → Bidirectional(GRU) → Dense. */
function buildModel(fused: boolean, T: number, I: number): tf.Sequential {
  const m = tf.sequential()
  m.add(
    createRecurrentLayer(
      'lstm',
      { units: 6, returnSequences: true, inputShape: [T, I], recurrentActivation: 'sigmoid' },
      { fused },
    ),
  )
  m.add(
    createRecurrentLayer(
      'gru',
      { units: 4, recurrentActivation: 'sigmoid' },
      { fused, bidirectional: true },
    ),
  )
  m.add(tf.layers.dense({ units: 1 }))
  return m
}

describe('book models', () => {
  it('Bidirectional(LSTM(16)) as the first layer of a Sequential model trains like stock', async () => {
    const T = 10,
      I = 3
    const make = (fused: boolean): tf.Sequential => {
      const m = tf.sequential()
      m.add(
        createRecurrentLayer(
          'lstm',
          { units: 16, inputShape: [T, I], recurrentActivation: 'sigmoid' },
          { fused, bidirectional: true },
        ),
      )
      m.add(tf.layers.dense({ units: 1 }))
      m.compile({ optimizer: tf.train.rmsprop(0.003), loss: 'meanSquaredError' })
      return m
    }
    const stock = make(false)
    const fused = make(true)
    fused.setWeights(stock.getWeights())
    const rand = prng(31)
    const x = tf.tensor3d(randArray(8 * T * I, rand), [8, T, I])
    const y = tf.tensor2d(randArray(8, rand), [8, 1])
    for (let i = 0; i < 5; i++) {
      const a = (await stock.trainOnBatch(x, y)) as number
      const b = (await fused.trainOnBatch(x, y)) as number
      expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-5 * a + 1e-7)
    }
    expect(fusedStatus(fused.layers[0])).toMatchObject({ fused: true, lastPath: 'fused' })
  })
})

describe('serialization', () => {
  it('saves as plain LSTM / GRU / Bidirectional and loads in stock tfjs with the same predictions', async () => {
    const T = 7,
      I = 3
    const model = buildModel(true, T, I)
    const rand = prng(21)
    const x = tf.tensor3d(randArray(5 * T * I, rand), [5, T, I])
    const pred = (model.predict(x) as tf.Tensor).dataSync()
    expect(fusedStatus(model.layers[0]).lastPath).toBe('fused')
    let artifacts: tf.io.ModelArtifacts | null = null
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = a
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }
      }),
    )
    const topology = JSON.stringify(artifacts!.modelTopology)
    const classNames = [...topology.matchAll(/"class_name":"(\w+)"/g)].map((m) => m[1])
    expect(classNames).toEqual(expect.arrayContaining(['LSTM', 'GRU', 'Bidirectional', 'Dense']))
    expect(topology).not.toMatch(/fused/i)

    // same process: stock classes, not fused
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts!))
    expect(fusedStatus(loaded.layers[0]).fused).toBe(false)
    const p2 = (loaded.predict(x) as tf.Tensor).dataSync()
    expectClose(p2, pred, 'stock reload prediction')
    // fuse the loaded model: same predictions through the kernels
    expect(fuseModel(loaded)).toHaveLength(2)
    const p3 = (loaded.predict(x) as tf.Tensor).dataSync()
    expect(fusedStatus(loaded.layers[1]).lastPath).toBe('fused')
    expectClose(p3, pred, 'fused reload prediction')

    // another process with nothing but @tensorflow/tfjs
    const dir = mkdtempSync(join(tmpdir(), 'seqcast-fused-'))
    try {
      const file = join(dir, 'model.json')
      writeFileSync(
        file,
        JSON.stringify({
          modelTopology: artifacts!.modelTopology,
          weightSpecs: artifacts!.weightSpecs,
          weightData: Buffer.from(artifacts!.weightData as ArrayBuffer).toString('base64'),
          x: Array.from(x.dataSync()),
          shape: x.shape,
        }),
      )
      const script = `
        import * as tf from '@tensorflow/tfjs'
        import { readFileSync } from 'node:fs'
        await tf.setBackend('cpu')
        const a = JSON.parse(readFileSync(process.argv[1], 'utf8'))
        const buf = Buffer.from(a.weightData, 'base64')
        const m = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: a.modelTopology, weightSpecs: a.weightSpecs, weightData: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length) }))
        const p = m.predict(tf.tensor(a.x, a.shape))
        process.stdout.write(JSON.stringify(Array.from(p.dataSync())))
      `
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', script, file], {
        cwd: process.cwd(),
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      })
      expectClose(JSON.parse(out) as number[], pred, 'stock tfjs (separate process) prediction')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('training', () => {
  /** Synthetic series: windows of a noisy two-channel sine; target = next value of channel 0. */
  function data(B: number, T: number): { x: tf.Tensor; y: tf.Tensor } {
    const rand = prng(99)
    const n = B + T + 1
    const s0 = Array.from({ length: n }, (_, i) => Math.sin(i / 3) + 0.1 * (rand() - 0.5))
    const s1 = Array.from({ length: n }, (_, i) => Math.cos(i / 5))
    const xs = new Float32Array(B * T * 2)
    const ys = new Float32Array(B)
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        xs[(b * T + t) * 2] = s0[b + t]
        xs[(b * T + t) * 2 + 1] = s1[b + t]
      }
      ys[b] = s0[b + T]
    }
    return { x: tf.tensor3d(xs, [B, T, 2]), y: tf.tensor2d(ys, [B, 1]) }
  }

  const variants = [
    { name: 'LSTM(8) → Dense', kind: 'lstm' as const, extra: {} },
    {
      name: 'GRU(8, dropout 0.2, recurrentDropout 0.3) → Dense',
      kind: 'gru' as const,
      extra: { dropout: 0.2, recurrentDropout: 0.3 },
    },
  ]
  for (const v of variants) {
    it(`${v.name}: 30 RMSprop steps follow the stock (engine) loss curve`, async () => {
      const B = 32,
        T = 24
      const { x, y } = data(B, T)
      const make = (fused: boolean): tf.Sequential => {
        const m = tf.sequential()
        const layer = createRecurrentLayer(
          v.kind,
          {
            units: 8,
            inputShape: [T, 2],
            recurrentActivation: 'sigmoid',
            ...v.extra,
            dropoutFunc: seededDropout(5),
          } as never,
          { fused },
        )
        // the reference GRU is the engine's: Keras' recurrent-dropout step
        m.add(fused ? layer : patchGru(layer))
        m.add(tf.layers.dense({ units: 1 }))
        m.compile({ optimizer: tf.train.rmsprop(0.003), loss: 'meanSquaredError' })
        return m
      }
      const stock = make(false)
      const fused = make(true)
      const init = stock
        .getWeights()
        .map((w, i) => tf.tensor(randArray(w.size, prng(40 + i), 0.4), w.shape))
      stock.setWeights(init)
      fused.setWeights(init)
      const la: number[] = []
      const lb: number[] = []
      let tensors = 0
      for (let step = 0; step < 30; step++) {
        la.push((await stock.trainOnBatch(x, y)) as number)
        lb.push((await fused.trainOnBatch(x, y)) as number)
        if (step === 2) tensors = tf.memory().numTensors
      }
      expect(fusedStatus(fused.layers[0]).lastPath).toBe('fused')
      // first layer: dL/dx is never requested, so it is not computed
      expect(fusedStatus(fused.layers[0]).inputGradient).toBe(false)
      expect(la[29]).toBeLessThan(la[0])
      expect(la[29]).toBeLessThan(0.8 * la[0])
      for (let i = 0; i < la.length; i++) {
        expect(Math.abs(lb[i] - la[i]), `step ${i}: ${lb[i]} vs ${la[i]}`).toBeLessThanOrEqual(
          1e-5 * la[i] + 1e-7,
        )
      }
      // no tensor leak per step
      expect(tf.memory().numTensors).toBeLessThanOrEqual(tensors)
      // inference through the kernels with the trained weights of the stock model
      fused.setWeights(stock.getWeights())
      const pa = (stock.predict(x) as tf.Tensor).dataSync()
      const pb = (fused.predict(x) as tf.Tensor).dataSync()
      expectClose(pb, pa, 'prediction with trained weights')
    })
  }

  it('a stacked model computes dL/dx for the second layer only', async () => {
    const T = 6,
      I = 2
    const m = buildModel(true, T, I)
    m.compile({ optimizer: 'rmsprop', loss: 'meanSquaredError' })
    const rand = prng(3)
    await m.trainOnBatch(tf.tensor3d(randArray(4 * T * I, rand), [4, T, I]), tf.zeros([4, 1]))
    expect(fusedStatus(m.layers[0]).inputGradient).toBe(false)
    expect(fusedStatus(m.layers[1]).inputGradient).toBe(true)
  })
})

describe('fallbacks and switches', () => {
  it('falls back to stock tfjs for unsupported configs and says why', () => {
    const cfg = { units: 4, activation: 'relu' as const, recurrentActivation: 'sigmoid' as const }
    const stock = tf.layers.lstm(cfg)
    const fused = fusedLSTM(cfg)
    const x = tf.tensor3d(randArray(2 * 3 * 2, prng(1)), [2, 3, 2])
    stock.apply(x)
    fused.apply(x)
    fused.setWeights(stock.getWeights())
    expectClose(
      (fused.apply(x) as tf.Tensor).dataSync(),
      (stock.apply(x) as tf.Tensor).dataSync(),
      'fallback',
    )
    expect(fusedStatus(fused)).toMatchObject({ fused: true, lastPath: 'stock' })
    expect(fusedStatus(fused).reason).toMatch(/activation 'relu'/)
  })

  it('createRecurrentLayer({ fused: false }) and unfuseLayer() give stock layers', () => {
    const a = createRecurrentLayer('gru', { units: 3 }, { fused: false })
    expect(fusedStatus(a).fused).toBe(false)
    const b = createRecurrentLayer('lstm', { units: 3 })
    expect(fusedStatus(b).fused).toBe(true)
    unfuseLayer(b)
    expect(fusedStatus(b).fused).toBe(false)
    expect(Object.prototype.hasOwnProperty.call(b, 'call')).toBe(false)
  })

  it('dropout applies in training only; inference matches stock predict', () => {
    const cfg = {
      units: 5,
      dropout: 0.5,
      recurrentDropout: 0.5,
      recurrentActivation: 'sigmoid' as const,
    }
    const stock = tf.layers.lstm(cfg)
    const fused = fusedLSTM(cfg)
    const x = tf.tensor3d(randArray(4 * 6 * 3, prng(8)), [4, 6, 3])
    stock.apply(x)
    fused.apply(x)
    fused.setWeights(stock.getWeights())
    const inf = (fused.apply(x) as tf.Tensor).dataSync()
    expectClose(inf, (stock.apply(x) as tf.Tensor).dataSync(), 'inference')
    const train = (fused.apply(x, { training: true }) as tf.Tensor).dataSync()
    expect(Array.from(train)).not.toEqual(Array.from(inf))
  })
})

describe('kernel API', () => {
  // the runtime starts no helper thread on one core: skipped with the reason, never a silent pass
  const cores = availableParallelism()
  it.skipIf(cores < 2)(
    `multi-thread split equals the single-thread path (outputs bitwise, gradients ~1e-5)${cores < 2 ? ` (skipped: needs 2 cores, this machine has ${cores})` : ''}`,
    async () => {
      expect(await getRuntime().startHelper()).toBe(true)
      for (const kind of ['lstm', 'gru'] as const) {
        const rand = prng(kind === 'lstm' ? 1 : 2)
        const B = 37,
          T = 11,
          I = 5,
          U = 17,
          G = kind === 'lstm' ? 4 : 3
        const inp = {
          x: randArray(B * T * I, rand),
          batch: B,
          timesteps: T,
          inputDim: I,
          units: U,
          kernel: randArray(I * G * U, rand, 0.5),
          recurrentKernel: randArray(U * G * U, rand, 0.5),
          bias: randArray(G * U, rand, 0.3),
          h0: randArray(B * U, rand),
          recurrentMask: randArray(B * U, rand).map((v) => (v > 0 ? 2 : 0)),
          returnSequences: true,
          training: true,
        }
        const dy = randArray(B * T * U, rand)
        if (kind === 'gru') {
          // Keras-1 GRU masks (recurrent dropout in the engine): one per gate
          const mask = (n: number): Float32Array => randArray(n, rand).map((v) => (v > 0 ? 2 : 0))
          Object.assign(inp, {
            recurrentMask: null,
            gateMasks: {
              input: [mask(B * I), mask(B * I), mask(B * I)],
              recurrent: [mask(B * U), mask(B * U), mask(B * U)],
            },
          })
        }
        const one = new FusedRnnKernel(kind)
        const two = new FusedRnnKernel(kind)
        const f1 = one.forward({ ...inp, threads: 1 })
        const f2 = two.forward({ ...inp, threads: 2 })
        expect(one.lastThreads).toBe(1)
        expect(two.lastThreads).toBe(2)
        expect(Buffer.from(f2.y.buffer).equals(Buffer.from(f1.y.buffer))).toBe(true)
        const g1 = one.backward({ dy })
        const g2 = two.backward({ dy })
        expect(Buffer.from(g2.dx!.buffer).equals(Buffer.from(g1.dx!.buffer))).toBe(true)
        // weight gradients: two partial sums added instead of one running sum
        expectClose(g2.dKernel, g1.dKernel, 'dKernel', 1e-5, 1e-6)
        expectClose(g2.dRecurrentKernel, g1.dRecurrentKernel, 'dRecurrentKernel', 1e-5, 1e-6)
        expectClose(g2.dBias!, g1.dBias!, 'dBias', 1e-5, 1e-6)
        expect(Buffer.from(g2.dh0.buffer).equals(Buffer.from(g1.dh0.buffer))).toBe(true)
        one.dispose()
        two.dispose()
      }
    },
  )

  it("'auto' keeps small calls on one thread", () => {
    const rand = prng(6)
    const k = new FusedRnnKernel('gru')
    k.forward({
      x: randArray(4 * 5 * 2, rand),
      batch: 4,
      timesteps: 5,
      inputDim: 2,
      units: 3,
      kernel: randArray(2 * 9, rand),
      recurrentKernel: randArray(3 * 9, rand),
      threads: 'auto',
    })
    expect(k.lastThreads).toBe(1)
    k.dispose()
  })

  it('tanh / sigmoid approximations are within 5e-7 of the exact functions', () => {
    const rt = getRuntime()
    const n = 1 << 16
    const xp = rt.alloc(n * 4)
    const yp = rt.alloc(n * 4)
    const x = new Float32Array(n).map((_, i) => -20 + (40 * i) / n)
    rt.f32.set(x, xp >> 2)
    for (const [fn, ref] of [
      ['vec_tanh', Math.tanh],
      ['vec_sigmoid', (v: number) => 1 / (1 + Math.exp(-v))],
    ] as const) {
      rt.exports[fn](xp, yp, n)
      const y = rt.f32.subarray(yp >> 2, (yp >> 2) + n)
      let worst = 0
      for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(y[i] - ref(x[i])))
      expect(worst, fn).toBeLessThan(5e-7)
    }
    rt.release(xp)
    rt.release(yp)
  })

  it('reuses its wasm memory across calls and releases it on dispose', () => {
    const rt = getRuntime()
    const before = rt.bytesInUse
    const k = new FusedRnnKernel('lstm')
    const rand = prng(4)
    const inp = {
      x: randArray(8 * 10 * 3, rand),
      batch: 8,
      timesteps: 10,
      inputDim: 3,
      units: 5,
      kernel: randArray(3 * 20, rand),
      recurrentKernel: randArray(5 * 20, rand),
      training: true,
    }
    k.forward(inp)
    k.backward({ dy: randArray(8 * 5, rand) })
    const used = rt.bytesInUse
    for (let i = 0; i < 5; i++) {
      k.forward(inp)
      k.backward({ dy: randArray(8 * 5, rand) })
    }
    expect(rt.bytesInUse).toBe(used)
    k.dispose()
    expect(rt.bytesInUse).toBe(before)
  })

  it('finds resources/kernels from the module location; a wrong explicit path is an error', () => {
    expect(resolveWasmPath({})).toMatch(/resources[\\/]kernels[\\/]seqcast_rnn\.wasm$/)
    expect(() => resolveWasmPath({ wasmPath: '/nonexistent/seqcast_rnn.wasm' })).toThrow(/wasmPath/)
  })
})

/**
 * Training / inference speed of the book's Jena recurrent models (batch 256 × 120 steps × 14
 * features): fused kernels (1 and 2 threads) vs tfjs-layers on the wasm and cpu backends vs
 * PyTorch CPU (1 and 2 threads), all measured in this run. Prints medians and ratios.
 *
 *   node --import tsx bench/train.ts [--quick] [--repeat N] [--no-cpu] [--no-torch] [--only lstm16]
 *
 * --repeat N alternates N rounds of PyTorch and fused measurements and keeps the best median of
 * each (for shared machines); tfjs-layers is measured once (it is 10–200× slower).
 *
 * Models (Chollet, Deep Learning with Python 2nd ed., ch. 10), built by the engine's buildModel
 * from its presets, as a training run builds them (fused: the default; tfjs: --no-fused):
 *   lstm16          LSTM(16) → Dense(1)                                    preset lstm
 *   lstm32-dropout  LSTM(32, recurrentDropout 0.25) → Dropout(0.5) → Dense(1)   lstm-dropout
 *   gru32-stacked   GRU(32, recurrentDropout 0.5, returnSequences) → GRU(32, recurrentDropout
 *                   0.5) → Dropout(0.5) → Dense(1)                         gru-stacked
 * With recurrent dropout the GRU is Keras' implementation 1 (one mask per gate), fused and stock.
 * One training batch = model.trainOnBatch (forward, MSE, backward, RMSprop update); one
 * inference batch = model.predict(x, { batchSize: 256 }) + read back. PyTorch (bench/torch_train.py) has no recurrent
 * dropout; its models have the same shapes and FLOPs.
 */
import * as tf from '@tensorflow/tfjs'
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm'
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildModel } from '../src/core/engine/build-model'
import { FusedRnnKernel, getRuntime, setFusedOptions } from '../src/core/engine/fused'
import { installFusedKernels } from '../src/core/engine/kernels'
import { presetSpec } from '../src/shared/models/presets'

const args = process.argv.slice(2)
const quick = args.includes('--quick')
const repeatIdx = args.indexOf('--repeat')
const repeat = repeatIdx >= 0 ? Math.max(1, Number(args[repeatIdx + 1])) : 1
const onlyIdx = args.indexOf('--only')
const only = onlyIdx >= 0 ? args[onlyIdx + 1] : null
const B = 256
const T = 120
const I = 14

/** The book's models, built by the engine (presets, Keras initializers, `patchGru`). */
const MODELS = [
  { name: 'lstm16', preset: 'lstm' },
  { name: 'lstm32-dropout', preset: 'lstm-dropout' },
  { name: 'gru32-stacked', preset: 'gru-stacked' },
].filter((m) => !only || m.name === only)
type BenchModel = (typeof MODELS)[number]

/**
 * What a training run builds: fused = the engine's default (LSTM / GRU on the kernels), stock =
 * `--no-fused` (tfjs-layers; the GRU with Keras' recurrent-dropout step).
 */
function build(m: BenchModel, fused: boolean): tf.Sequential {
  const model = buildModel(presetSpec(m.preset)!, {
    inputShape: [T, I],
    horizon: 1,
    batchSize: null,
    seed: 1,
    fused,
  })
  model.compile({ optimizer: tf.train.rmsprop(1e-3), loss: 'meanSquaredError' })
  return model
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const n = s.length
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2
}

async function time(fn: () => Promise<void>, n: number, warmup: number): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn()
  const ts: number[] = []
  for (let i = 0; i < n; i++) {
    const t0 = performance.now()
    await fn()
    ts.push(performance.now() - t0)
  }
  return median(ts)
}

interface Timing {
  train: number
  infer: number
}

async function measure(
  spec: BenchModel,
  fused: boolean,
  n: number,
  warmup: number,
): Promise<Timing> {
  const x = tf.randomNormal([B, T, I])
  const y = tf.randomNormal([B, 1])
  const model = build(spec, fused)
  const train = await time(
    async () => {
      await model.trainOnBatch(x, y)
    },
    n,
    warmup,
  )
  const infer = await time(
    async () => {
      const p = model.predict(x, { batchSize: B }) as tf.Tensor
      p.dataSync()
      p.dispose()
    },
    n,
    warmup,
  )
  model.dispose()
  x.dispose()
  y.dispose()
  return { train, infer }
}

function torchPython(): string | null {
  const candidates = [process.env.SEQCAST_TORCH_PYTHON, '/usr/bin/python3', 'python3'].filter(
    Boolean,
  ) as string[]
  for (const py of candidates) {
    const r = spawnSync(py, ['-c', 'import torch'], { stdio: 'ignore' })
    if (r.status === 0) return py
  }
  return null
}

let warnedBlas = false

function runTorch(py: string, threads: number): Record<string, Timing> | null {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'torch_train.py')
  const n = quick ? 5 : 15
  const r = spawnSync(
    py,
    [script, '--json', '--threads', String(threads), '--train', String(n), '--infer', String(n)],
    {
      encoding: 'utf8',
    },
  )
  if (r.status !== 0) {
    console.log(`PyTorch (${threads} thread) failed: ${r.stderr.trim().split('\n').pop()}`)
    return null
  }
  const out = JSON.parse(r.stdout) as {
    configs: Record<string, { train_ms: number; infer_ms: number }>
    blas?: string
  }
  if (out.blas === 'reference' && !warnedBlas) {
    warnedBlas = true
    console.log(
      "warning: PyTorch runs on Debian's reference BLAS here, about 3 × slower than with OpenBLAS, " +
        'which flatters every ratio against it; for a fair reference: apt-get install libopenblas0-pthread',
    )
  } else if (out.blas && !warnedBlas) {
    warnedBlas = true
    console.log(`PyTorch BLAS: ${out.blas}`)
  }
  return Object.fromEntries(
    Object.entries(out.configs).map(([k, v]) => [k, { train: v.train_ms, infer: v.infer_ms }]),
  )
}

/** Kernel-only forward + backward, 1 vs 2 threads, for shapes around the split threshold. */
function splitTable(): void {
  const rows: string[][] = []
  const shapes: [number, number, number, number][] = [
    [8, 20, 4, 8],
    [32, 30, 4, 16],
    [16, 120, 14, 16],
    [64, 120, 14, 16],
    [256, 120, 14, 16],
    [256, 120, 14, 32],
  ]
  const rand = (n: number): Float32Array => new Float32Array(n).map(() => Math.random() * 0.6 - 0.3)
  for (const kind of ['lstm', 'gru'] as const) {
    for (const [b, t, i, u] of shapes) {
      const G = kind === 'lstm' ? 4 : 3
      const inp = {
        x: rand(b * t * i),
        batch: b,
        timesteps: t,
        inputDim: i,
        units: u,
        kernel: rand(i * G * u),
        recurrentKernel: rand(u * G * u),
        bias: rand(G * u),
        training: true,
      }
      const dy = rand(b * u)
      const k = new FusedRnnKernel(kind)
      const ms = (threads: 1 | 2): number => {
        const ts: number[] = []
        for (let it = 0; it < (quick ? 10 : 30); it++) {
          const t0 = performance.now()
          k.forward({ ...inp, threads })
          k.backward({ dy, inputGradient: false })
          ts.push(performance.now() - t0)
        }
        return median(ts.slice(3))
      }
      const st = ms(1)
      const mt = ms(2)
      k.dispose()
      const work = b * t * (i + u) * G * Math.ceil(u / 4) * 4
      rows.push([
        `${kind.toUpperCase()}(${u}) B${b} T${t} I${i}`,
        work.toExponential(1),
        st.toFixed(3),
        mt.toFixed(3),
        (st / mt).toFixed(2),
      ])
    }
  }
  printTable(['kernel fwd+bwd', 'MACs', '1 thread ms', '2 threads ms', 'speed-up'], rows)
}

function printTable(head: string[], rows: string[][]): void {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const line = (r: string[]): string =>
    r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ')
  console.log(line(head))
  console.log(w.map((n) => '-'.repeat(n)).join('  '))
  for (const r of rows) console.log(line(r))
  console.log()
}

async function main(): Promise<void> {
  installFusedKernels()
  const require = createRequire(import.meta.url)
  setWasmPaths(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + '/')
  const rt = getRuntime()
  const helper = await rt.startHelper()
  console.log(
    `Jena configuration: batch ${B} × ${T} steps × ${I} features; medians of ${quick ? 5 : 15} ` +
      `batches${repeat > 1 ? `, best of ${repeat} rounds` : ''}.`,
  )
  console.log(`fused kernels: ${rt.wasmPath}; helper thread: ${helper ? 'yes' : 'no'}\n`)

  const results: Record<string, Record<string, Timing | null>> = {}
  for (const spec of MODELS) results[spec.name] = {}
  const n = quick ? 5 : 15

  // PyTorch and the fused kernels are measured `repeat` times, alternating, keeping the best
  // median of each cell: on a shared machine a burst of other work then spoils one round only.
  const keep = (name: string, col: string, t: Timing | null): void => {
    const old = results[name][col]
    if (!t) return
    results[name][col] = old
      ? { train: Math.min(old.train, t.train), infer: Math.min(old.infer, t.infer) }
      : t
  }
  const py = args.includes('--no-torch') ? null : torchPython()
  if (!py && !args.includes('--no-torch')) {
    console.log('PyTorch skipped: no python3 with torch (set SEQCAST_TORCH_PYTHON)')
  }
  await tf.setBackend('wasm')
  for (let round = 0; round < repeat; round++) {
    if (py) {
      for (const threads of [1, 2]) {
        const r = runTorch(py, threads)
        if (r) for (const spec of MODELS) keep(spec.name, `torch ${threads}T`, r[spec.name] ?? null)
      }
    }
    for (const spec of MODELS) {
      setFusedOptions({ threads: 1 })
      keep(spec.name, 'fused 1T', await measure(spec, true, n, 3))
      if (helper) {
        setFusedOptions({ threads: 2 })
        keep(spec.name, 'fused 2T', await measure(spec, true, n, 3))
      }
    }
    console.log(`round ${round + 1}/${repeat}: measured fused${py ? ' and PyTorch' : ''}`)
  }
  for (const spec of MODELS) {
    results[spec.name]['tfjs wasm'] = await measure(spec, false, quick ? 2 : 5, 2)
    console.log(`measured ${spec.name} (tfjs wasm)`)
  }
  setFusedOptions({ threads: 'auto' })
  if (!args.includes('--no-cpu')) {
    await tf.setBackend('cpu')
    for (const spec of MODELS) {
      results[spec.name]['tfjs cpu'] = await measure(spec, false, 2, 1)
      console.log(`measured ${spec.name} (tfjs cpu)`)
    }
  }
  console.log()
  const cols = ['fused 1T', 'fused 2T', 'tfjs wasm', 'tfjs cpu', 'torch 1T', 'torch 2T']
  for (const what of ['train', 'infer'] as const) {
    const rows = MODELS.map((spec) => [
      spec.name,
      ...cols.map((c) => {
        const r = results[spec.name][c]
        return r ? r[what].toFixed(1) : '-'
      }),
    ])
    printTable([`${what} ms/batch`, ...cols], rows)
  }
  const ratioRows = MODELS.map((spec) => {
    const r = results[spec.name]
    const best = (a: string, b: string): number | null => {
      const v = [r[a]?.train, r[b]?.train].filter((x): x is number => x != null)
      return v.length ? Math.min(...v) : null
    }
    const fusedBest = best('fused 1T', 'fused 2T')
    const torchBest = best('torch 1T', 'torch 2T')
    const f = (a: number | null | undefined, b: number | null | undefined): string =>
      a != null && b != null ? (a / b).toFixed(2) : '-'
    const fusedInfer = Math.min(...['fused 1T', 'fused 2T'].map((c) => r[c]?.infer ?? Infinity))
    return [
      spec.name,
      f(r['fused 1T']?.train, r['torch 1T']?.train),
      f(fusedBest, torchBest),
      f(r['tfjs wasm']?.train, fusedBest),
      f(r['tfjs wasm']?.infer, fusedInfer),
      f(r['tfjs cpu']?.train, fusedBest),
    ]
  })
  printTable(
    [
      'ratios',
      'fused1T/torch1T train',
      'fused best/torch best train',
      'tfjs-wasm/fused train',
      'tfjs-wasm/fused infer',
      'tfjs-cpu/fused train',
    ],
    ratioRows,
  )
  console.log(
    'Goal: fused training ≤ 1.0 × PyTorch; inference ≥ 10 × faster than tfjs-layers on wasm.\n',
  )
  splitTable()
  await rt.stopHelper()
}

if (!existsSync(join(dirname(fileURLToPath(import.meta.url)), 'torch_train.py'))) {
  throw new Error('bench/torch_train.py missing')
}
void main()

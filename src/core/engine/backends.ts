/**
 * TensorFlow.js backends in the worker: tfjs-node-gpu → tfjs-node → wasm → cpu, each tried
 * once per worker, with a reason for every one that does not run. The user may force one.
 *
 * The wasm backend lacks a few gradient kernels (Conv2DBackpropFilter: Conv1D cannot train).
 * Seqcast registers those on wasm as the cpu backend's implementation (inputs copied to the cpu
 * backend, the result copied back: one op, the rest of the model stays on wasm). Before training,
 * a one-step probe runs the real model on the chosen backend; if it still fails (a kernel missing
 * that nobody foresaw), the run is routed to the next backend that trains it, and the report
 * says what happened.
 */
import * as tf from '@tensorflow/tfjs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { SeqcastError } from '../../shared/errors'
import type { BackendName } from '../../shared/experiment'
import type { BackendReport } from '../../shared/run'

export const BACKEND_ORDER: readonly BackendName[] = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu']
export type BackendPreference = 'auto' | BackendName

/** tfjs' registry name of each backend. */
const TF_NAME: Record<BackendName, string> = {
  'tfjs-node-gpu': 'tensorflow',
  'tfjs-node': 'tensorflow',
  wasm: 'wasm',
  cpu: 'cpu',
}

const PACKAGE: Partial<Record<BackendName, string>> = {
  'tfjs-node-gpu': '@tensorflow/tfjs-node-gpu',
  'tfjs-node': '@tensorflow/tfjs-node',
}

/** Kernels the cpu backend has and wasm lacks that training Seqcast's layers can need. */
const BORROWABLE = [
  'Conv2DBackpropFilter',
  'DepthwiseConv2dNativeBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput',
  'UnsortedSegmentSum',
]

interface LoadState {
  /** Outcome of loading each backend: true, or the reason it cannot run. */
  loaded: Partial<Record<BackendName, true | string>>
  borrowed: string[]
}

const state: LoadState = { loaded: {}, borrowed: [] }

/** Turns a load failure into the reason a person can act on. */
export function explainLoadFailure(name: BackendName, error: unknown): string {
  const e = error as { code?: string; message?: string }
  const message = String(e?.message ?? error)
  const firstLine = message.split('\n')[0].slice(0, 300)
  const pkg = PACKAGE[name] ?? name
  if (
    e?.code === 'ERR_MODULE_NOT_FOUND' ||
    e?.code === 'MODULE_NOT_FOUND' ||
    (/Cannot find (package|module)/.test(message) && message.includes(pkg))
  ) {
    return `not installed (${pkg} is an optional dependency; its install downloads libtensorflow, which needs internet access: run "npm install ${pkg}" on a connected machine)`
  }
  if (/libcudnn/i.test(message)) {
    return `cuDNN is missing (${firstLine}): tfjs-node-gpu 4.22 needs CUDA 11.2 and cuDNN 8.1 on the library path`
  }
  if (/libcu(dart|blas|fft|rand|solver|sparse)|CUDA/i.test(message)) {
    return `the CUDA libraries are missing (${firstLine}): tfjs-node-gpu 4.22 needs CUDA 11.2 and cuDNN 8.1 on the library path`
  }
  if (/libtensorflow/i.test(message)) {
    return `libtensorflow is missing (${firstLine}): its download failed at install time; reinstall ${pkg} with internet access`
  }
  if (/tfjs_binding\.node|\.node:|NODE_MODULE_VERSION/i.test(message)) {
    return `its native binding does not load (${firstLine}); reinstall ${pkg} for this Node version`
  }
  return firstLine
}

async function importOptional(specifier: string): Promise<unknown> {
  // A variable specifier keeps bundlers from resolving a package that may not be installed.
  return import(/* @vite-ignore */ specifier)
}

export function wasmDirectory(): string {
  const require = createRequire(import.meta.url)
  return join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/'
}

async function load(name: BackendName): Promise<true | string> {
  const cached = state.loaded[name]
  if (cached !== undefined) return cached
  let outcome: true | string
  try {
    if (name === 'tfjs-node-gpu' || name === 'tfjs-node') {
      const other = name === 'tfjs-node' ? 'tfjs-node-gpu' : 'tfjs-node'
      if (state.loaded[other] === true) {
        throw new Error(
          `${other} is already loaded in this worker and provides the same tensorflow backend`,
        )
      }
      await importOptional(PACKAGE[name]!)
      if (!(await tf.setBackend('tensorflow')))
        throw new Error('the tensorflow backend did not initialize')
    } else if (name === 'wasm') {
      const wasm = await import('@tensorflow/tfjs-backend-wasm')
      wasm.setWasmPaths(wasmDirectory())
      if (!(await tf.setBackend('wasm'))) {
        throw new Error('the WebAssembly module did not initialize (see the worker log)')
      }
      borrowMissingKernels()
    } else {
      if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend did not initialize')
    }
    // One op end to end: a backend that registers but cannot compute fails here.
    const probe = tf.tidy(() => tf.add(tf.tensor1d([1, 2]), tf.scalar(1)).dataSync())
    if (probe[0] !== 2 || probe[1] !== 3) throw new Error('a probe addition gave a wrong result')
    outcome = true
  } catch (error) {
    outcome = explainLoadFailure(name, error)
  }
  state.loaded[name] = outcome
  return outcome
}

/**
 * Registers, on wasm, the cpu implementation of kernels wasm lacks: inputs are read from the
 * wasm heap into the cpu backend, the cpu kernel runs, the outputs are written back.
 */
export function borrowMissingKernels(): void {
  const wasmKernels = new Set(tf.getKernelsForBackend('wasm').map((k) => k.kernelName))
  for (const kernelName of BORROWABLE) {
    if (wasmKernels.has(kernelName)) continue
    const cpuKernel = tf.getKernel(kernelName, 'cpu')
    if (!cpuKernel) continue
    if (!state.borrowed.includes(kernelName)) state.borrowed.push(kernelName)
    tf.registerKernel({
      kernelName,
      backendName: 'wasm',
      kernelFunc: ({ inputs, backend, attrs }) => {
        const wasm = backend as tf.KernelBackend & {
          makeOutput(
            shape: number[],
            dtype: tf.DataType,
            offset?: number,
            values?: tf.backend_util.BackendValues,
          ): tf.TensorInfo
        }
        const cpu = tf.engine().findBackend('cpu') as tf.KernelBackend
        const cpuInputs: Record<string, tf.TensorInfo> = {}
        for (const [key, info] of Object.entries(inputs)) {
          if (!info) continue
          const values = wasm.readSync(info.dataId)
          cpuInputs[key] = {
            dataId: cpu.write(values, info.shape, info.dtype),
            shape: info.shape,
            dtype: info.dtype,
          }
        }
        try {
          const result = cpuKernel.kernelFunc({ inputs: cpuInputs, backend: cpu, attrs })
          const outs = Array.isArray(result) ? result : [result]
          const moved = outs.map((o) => {
            const values = cpu.readSync(o.dataId)
            cpu.disposeData(o.dataId)
            return wasm.makeOutput(o.shape, o.dtype, undefined, values)
          })
          return Array.isArray(result) ? moved : moved[0]
        } finally {
          for (const info of Object.values(cpuInputs)) cpu.disposeData(info.dataId)
        }
      },
    })
  }
}

/** Kernels registered on wasm from the cpu backend (for the report). */
export function borrowedKernels(): string[] {
  return [...state.borrowed]
}

/**
 * Selects the backend for a run: the first of the order that loads (or the forced one).
 * Returns the report; the backend is active (tf.getBackend()) when this resolves.
 */
export async function selectBackend(preference: BackendPreference): Promise<BackendReport> {
  const skipped: BackendReport['skipped'] = {}
  if (preference !== 'auto') {
    const outcome = await load(preference)
    if (outcome !== true) {
      throw new SeqcastError(
        'backend',
        `Backend ${preference} cannot run: ${outcome}. Pick "auto" to use the best backend that loads.`,
        { backend: preference, reason: outcome },
      )
    }
    await tf.setBackend(TF_NAME[preference])
    for (const name of BACKEND_ORDER) {
      if (name !== preference) skipped[name] = `not tried: the backend was set to ${preference}`
    }
    return { used: preference, skipped, forced: true, versions: versions(preference) }
  }
  for (const name of BACKEND_ORDER) {
    const outcome = await load(name)
    if (outcome === true) {
      await tf.setBackend(TF_NAME[name])
      return { used: name, skipped, versions: versions(name) }
    }
    skipped[name] = outcome
  }
  throw new SeqcastError(
    'backend',
    'No TensorFlow.js backend could run, not even the cpu backend.',
    { skipped },
  )
}

/** Backends after `used` in the order that load, for re-routing a model that fails its probe. */
export async function fallbacksAfter(used: BackendName): Promise<BackendName[]> {
  const out: BackendName[] = []
  for (const name of BACKEND_ORDER.slice(BACKEND_ORDER.indexOf(used) + 1)) {
    if ((await load(name)) === true) out.push(name)
  }
  return out
}

export async function activate(name: BackendName): Promise<void> {
  const outcome = await load(name)
  if (outcome !== true)
    throw new SeqcastError('backend', `Backend ${name} cannot run: ${outcome}.`, { backend: name })
  await tf.setBackend(TF_NAME[name])
}

function versions(name: BackendName): Record<string, string> {
  const v: Record<string, string> = { tfjs: tf.version.tfjs, node: process.versions.node }
  if (name === 'wasm') v['tfjs-backend-wasm'] = tf.version.tfjs
  return v
}

/** True when an error is a kernel missing on a backend (what re-routing can cure). */
export function isMissingKernel(error: unknown): boolean {
  const message = String((error as Error)?.message ?? error)
  return (
    /Kernel '.*' not registered for backend/.test(message) ||
    /not (yet )?implemented/i.test(message)
  )
}

/** A test hook: forget what was loaded (the tfjs registry itself is process-wide). */
export function resetBackendCache(): void {
  state.loaded = {}
}

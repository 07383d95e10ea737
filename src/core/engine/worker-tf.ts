/**
 * The TensorFlow.js half of the training worker, imported on the first job that needs it
 * (`init`, `train`, `predict`, `export`): a statistical fit never loads tfjs, which saves a
 * `train --model ets` process about a second of CPU (the import of @tensorflow/tfjs).
 */
import * as tf from '@tensorflow/tfjs'
import type { WorkerStats } from './protocol'
import { kernelMemory } from './fused'
import { installFusedKernels } from './kernels'

export { selectBackend } from './backends'
export { runPredictJob, runTrainJob } from './run-job'
export { modelToArtifacts } from './tf-artifacts'

export type Model = tf.LayersModel

// Models built here put their LSTM / GRU layers on the fused WebAssembly kernels when the run's
// `training.fusedKernels` is true (the default); `false` (--no-fused) builds stock layers.
installFusedKernels()

export function backendName(): string | null {
  try {
    return tf.getBackend() ?? null
  } catch {
    return null
  }
}

/**
 * What tfjs holds, or null while a backend initializes: tfjs throws from every call that reaches
 * the backend until `setBackend` settles, and a poll answered outside the queue can land then.
 */
export function tfStats(): Pick<WorkerStats, 'tf' | 'wasmHeapBytes' | 'fusedKernels'> {
  const fusedKernels = kernelMemory()
  try {
    const t = tf.memory()
    const backend = tf.getBackend()
    return {
      tf: { backend, numBytes: t.numBytes, numTensors: t.numTensors },
      wasmHeapBytes:
        backend === 'wasm'
          ? ((tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } }).wasm?.HEAPU8
              ?.byteLength ?? null)
          : null,
      fusedKernels,
    }
  } catch {
    return { tf: { backend: null, numBytes: 0, numTensors: 0 }, wasmHeapBytes: null, fusedKernels }
  }
}

/**
 * The engine's side of the fused WebAssembly LSTM / GRU kernels (engine/fused): installs them as
 * the model builder's recurrent-layer factory (`setRecurrentFactory`), starts their helper
 * thread, and reports which recurrent layers of a model run on them and why any do not.
 *
 * With `training.fusedKernels` (the default) every LSTM and GRU layer — Bidirectional and
 * stateful ones included — is built by `createRecurrentLayer`: a stock tfjs layer whose call
 * runs the whole sequence in one kernel call, and which saves as a plain LSTM / GRU. SimpleRNN
 * stays stock. With `fusedKernels: false` (`--no-fused`) every layer is stock tfjs-layers.
 */
import type * as tf from '@tensorflow/tfjs'
import type { KernelReport } from '../../shared/run'
import { recurrentFactory, setRecurrentFactory, type RecurrentFactory } from './build-model'
import { createRecurrentLayer, fusedKernelsAvailable, fusedStatus, getRuntime } from './fused'
import type { LstmConfig } from './fused'

/** LSTM and GRU layers (plain or Bidirectional) on the fused kernels; SimpleRNN stays stock. */
export const fusedRecurrentFactory: RecurrentFactory = (kind, config, options) =>
  kind === 'simplernn'
    ? null
    : createRecurrentLayer(kind, config as unknown as LstmConfig, {
        fused: options.fused,
        bidirectional: options.bidirectional === true,
        mergeMode: options.mergeMode,
      })

/** Makes buildModel() put LSTM / GRU layers on the fused kernels when a run asks for them. */
export function installFusedKernels(): void {
  if (recurrentFactory() !== fusedRecurrentFactory) setRecurrentFactory(fusedRecurrentFactory)
}

/**
 * Loads the kernels and starts their helper thread (once per worker), so the first batches can
 * already split. Never throws: a failure shows in the report and the layers fall back to stock.
 */
export async function startKernels(): Promise<void> {
  if (!fusedKernelsAvailable().ok) return
  await getRuntime().startHelper()
}

const SWITCHED_OFF = 'fused kernels switched off: training.fusedKernels is false (--no-fused)'

interface Entry {
  layer: tf.layers.Layer
  label: string
  kind: string
}

function recurrentLayers(model: tf.LayersModel, out: Entry[] = []): Entry[] {
  for (const layer of model.layers) {
    const nested = layer as unknown as { layers?: tf.layers.Layer[] }
    if (Array.isArray(nested.layers) && layer.getClassName() !== 'Bidirectional') {
      recurrentLayers(layer as unknown as tf.LayersModel, out)
      continue
    }
    const c = layer.getClassName()
    const inner =
      c === 'Bidirectional'
        ? (layer as unknown as { forwardLayer: tf.layers.Layer }).forwardLayer
        : layer
    const kind = inner.getClassName()
    if (kind !== 'LSTM' && kind !== 'GRU' && kind !== 'SimpleRNN') continue
    const units = (inner as unknown as { cell: { units: number } }).cell.units
    const label = c === 'Bidirectional' ? `Bidirectional(${kind}(${units}))` : `${kind}(${units})`
    out.push({ layer, label, kind })
  }
  return out
}

/**
 * Which recurrent layers of `model` run on the fused kernels (read after at least one training
 * step or prediction: a fused layer can still fall back to stock for a call it does not
 * support). `after`: report the threads the calls used rather than the threads available.
 * Undefined for a model without recurrent layers.
 */
export function kernelReport(
  model: tf.LayersModel,
  enabled: boolean,
  after = false,
): KernelReport | undefined {
  const entries = recurrentLayers(model)
  if (entries.length === 0) return undefined
  const layers: string[] = []
  const stock: KernelReport['stock'] = []
  let calls = 0
  let split = 0
  for (const { layer, label, kind } of entries) {
    const status = fusedStatus(layer)
    let reason: string | null = null
    if (kind === 'SimpleRNN') reason = 'no fused kernel for SimpleRNN'
    else if (!enabled) reason = SWITCHED_OFF
    else if (!status.fused) {
      const avail = fusedKernelsAvailable()
      reason = avail.ok
        ? 'built as a stock layer (the fused-kernel factory is not installed in this process)'
        : `the fused kernels do not load: ${avail.reason}`
    } else if (status.lastPath === 'stock') {
      reason = status.reason ?? 'fell back to stock tfjs-layers'
    }
    if (reason) stock.push({ layer: label, reason })
    else {
      layers.push(label)
      calls += status.calls ?? 0
      split += status.splitCalls ?? 0
    }
  }
  const fused = layers.length > 0
  const helper = fused ? getRuntime().helperStatus : { threads: 1 as const, reason: null }
  let threads: number = helper.threads
  let threadReason = helper.reason
  if (after && calls > 0) {
    threads = split > 0 ? 2 : 1
    if (split === 0 && !threadReason) {
      threadReason =
        'no batch was split: too small for a second thread to pay, or splitting measured slower here'
    }
  }
  const threadText =
    threads > 1 ? '2 threads' : `1 thread${threadReason ? `: ${threadReason}` : ''}`
  const summary = entries
    .map(({ label }) => {
      const s = stock.find((e) => e.layer === label)
      return s
        ? `${label}: stock tfjs-layers (${s.reason})`
        : `${label}: fused WebAssembly kernels (${threadText})`
    })
    .join('; ')
  const report: KernelReport = { fused, layers, stock, threads, summary }
  if (!enabled) report.reason = SWITCHED_OFF
  else if (!fused) report.reason = stock[0]?.reason
  else if (threads < 2 && threadReason) report.reason = threadReason
  return report
}

/**
 * tfjs-layers integration of the fused kernels.
 *
 * A fused layer *is* a stock tfjs `LSTM` / `GRU` layer (same class, config, weights, variables,
 * serialization) whose `call` is replaced on the instance by one that runs the whole sequence in
 * one wasm call. Models therefore save as ordinary `LSTM` / `GRU` / `Bidirectional` layers and
 * load in stock tfjs / Keras; `fuseModel()` re-enables the kernels on a loaded model.
 *
 * Training: the forward runs as one tape node (engine.runKernelFunc, what tf.customGrad uses)
 * whose gradient functions are lazy per input, so dL/dx is only computed when something upstream
 * needs it (not for the first layer of a model). tfjs optimizers update the layer's own
 * LayerVariables as usual.
 */
import * as tf from '@tensorflow/tfjs'
import { FusedRnnKernel, type RnnForwardInput, type RnnGradients, type RnnKind } from './kernel'
import { getRuntime, fusedKernelsAvailable } from './runtime'

export type LstmConfig = Parameters<typeof tf.layers.lstm>[0]
export type GruConfig = Parameters<typeof tf.layers.gru>[0]
export type BidirectionalConfig = Parameters<typeof tf.layers.bidirectional>[0]
export type MergeMode = BidirectionalConfig['mergeMode']
type Layer = tf.layers.Layer
type Kwargs = Record<string, unknown> | undefined

interface LayerVariableLike {
  read(): tf.Tensor
}
interface CellInternals {
  units: number
  dropout: number
  recurrentDropout: number
  dropoutFunc?: (x: tf.Tensor, rate: number) => tf.Tensor
  kernel: LayerVariableLike
  recurrentKernel: LayerVariableLike
  bias: LayerVariableLike | null
  useBias: boolean
  activation: { getClassName(): string }
  recurrentActivation: { getClassName(): string }
}
interface RnnInternals {
  name: string
  cell: CellInternals
  returnSequences: boolean
  returnState: boolean
  goBackwards: boolean
  stateful: boolean
  states_: tf.Tensor[] | null
  resetStates(states?: tf.Tensor | tf.Tensor[], training?: boolean): void
  call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[]
  dispose(): unknown
  getClassName(): string
}
interface BidirectionalInternals {
  forwardLayer: Layer
  backwardLayer: Layer
  getClassName(): string
}
type Save = (tensors: tf.Tensor[]) => void
interface EngineInternals {
  isTapeOn(): boolean
  runKernelFunc(params: {
    forwardFunc: (backend: unknown, save: Save) => tf.Tensor | tf.Tensor[]
    backwardsFunc: (
      dy: tf.Tensor | tf.Tensor[],
      saved: tf.Tensor[],
    ) => Record<string, () => tf.Tensor>
    inputs: Record<string, tf.Tensor>
  }): tf.Tensor | tf.Tensor[]
}

export interface FusedOptions {
  /** 1, 2 or 'auto' (default): split batches over a helper thread where it pays. */
  threads?: 1 | 2 | 'auto'
}

let options: Required<FusedOptions> = { threads: 'auto' }

/** Sets process-wide options of the fused layers. */
export function setFusedOptions(next: FusedOptions): void {
  options = { ...options, ...next }
}

export interface FusedStatus {
  /** the layer's call is replaced by the fused one */
  fused: boolean
  /** path taken by the last call: 'fused', 'stock' (fallback), or null before any call */
  lastPath: 'fused' | 'stock' | null
  /** why the last call fell back to the stock implementation */
  reason?: string
  /** threads used by the last fused call */
  threads?: number
  /** fused calls so far, and how many of them split the batch over two threads */
  calls?: number
  splitCalls?: number
  /** whether the last backward pass computed dL/dx (false for a model's first layer) */
  inputGradient?: boolean
}

interface FusedState {
  kind: RnnKind
  kernel: FusedRnnKernel | null
  stockCall: RnnInternals['call']
  stockDispose: RnnInternals['dispose']
  status: FusedStatus
}

const states = new WeakMap<object, FusedState>()

function noteThreads(st: FusedState, kernel: FusedRnnKernel): void {
  const n = kernel.lastThreads
  st.status.threads = n
  st.status.calls = (st.status.calls ?? 0) + 1
  if (n > 1) st.status.splitCalls = (st.status.splitCalls ?? 0) + 1
}
/** Releases a fused layer's wasm memory when the layer is garbage-collected without dispose(). */
const released = new FinalizationRegistry<FusedState>((st) => {
  st.kernel?.dispose()
  st.kernel = null
})

function kindOf(layer: { getClassName(): string }): RnnKind | null {
  const c = layer.getClassName()
  return c === 'LSTM' ? 'lstm' : c === 'GRU' ? 'gru' : null
}

/** Why this call cannot use the fused kernel (null = it can). */
function unsupported(
  l: RnnInternals,
  inputs: tf.Tensor | tf.Tensor[],
  kwargs: Kwargs,
): string | null {
  const cell = l.cell
  const act = cell.activation.getClassName()
  if (act !== 'tanh') return `activation '${act}' (fused kernels implement tanh)`
  const ract = cell.recurrentActivation.getClassName()
  if (ract !== 'sigmoid' && ract !== 'hardSigmoid') {
    return `recurrentActivation '${ract}' (fused kernels implement sigmoid and hardSigmoid)`
  }
  if (kwargs && kwargs.mask != null) return 'input mask (Masking layer)'
  if (Array.isArray(inputs) && inputs.length !== 1) return 'list inputs'
  const x = Array.isArray(inputs) ? inputs[0] : inputs
  if (x.rank !== 3) return `input rank ${x.rank}`
  if (x.dtype !== 'float32') return `input dtype ${x.dtype}`
  const avail = fusedKernelsAvailable()
  if (!avail.ok) return avail.reason ?? 'kernels unavailable'
  return null
}

/**
 * The values of a float32 tensor for one immediate copy into the kernels' memory. On the cpu
 * backend dataSync() returns the backing array; on the wasm backend it would copy the tensor out
 * of the tfjs heap first, so read a view of the heap instead (valid until the next tfjs op).
 */
function tensorData(t: tf.Tensor): Float32Array {
  if (tf.getBackend() === 'wasm') {
    const backend = tf.backend() as unknown as {
      typedArrayFromHeap?: (info: { shape: number[]; dtype: string; dataId: object }) => unknown
    }
    if (typeof backend.typedArrayFromHeap === 'function') {
      try {
        const view = backend.typedArrayFromHeap(t)
        if (view instanceof Float32Array && view.length === t.size) return view
      } catch {
        // the tensor lives on another backend: fall through
      }
    }
  }
  return t.dataSync() as Float32Array
}

/**
 * `count` dropout masks drawn as tfjs-layers' generateDropoutMask and the engine's GRU step
 * (build-model.ts patchGru) draw them: one dropoutFunc / tf.dropout call per mask, in order.
 */
function drawMasks(
  cell: CellInternals,
  rate: number,
  shape: [number, number],
  count: number,
): Float32Array[] {
  return tf.tidy(() => {
    const masks: Float32Array[] = []
    for (let i = 0; i < count; i++) {
      const ones = tf.ones(shape)
      const m = cell.dropoutFunc != null ? cell.dropoutFunc(ones, rate) : tf.dropout(ones, rate)
      masks.push(new Float32Array(m.dataSync()))
    }
    return masks
  })
}

const active = (rate: number): boolean => rate > 0 && rate < 1

function runFused(
  l: RnnInternals,
  st: FusedState,
  x: tf.Tensor,
  initialState: tf.Tensor[] | null,
  training: boolean,
): tf.Tensor[] {
  const kind = st.kind
  const cell = l.cell
  const [B, T, I] = x.shape as [number, number, number]
  const U = cell.units
  const count = kind === 'lstm' ? 4 : 3
  let inputMask: Float32Array | null = null
  let recurrentMask: Float32Array | null = null
  let gateMasks: RnnForwardInput['gateMasks'] = null
  if (training && kind === 'gru' && active(cell.recurrentDropout)) {
    // Keras implementation 1 (as the engine's patched GRU step): every mask is used, one per
    // gate, and the update mixes the unmasked state. Same draws, same order as patchGru.
    const input = active(cell.dropout) ? drawMasks(cell, cell.dropout, [B, I], 3) : null
    gateMasks = { input, recurrent: drawMasks(cell, cell.recurrentDropout, [B, U], 3) }
  } else {
    // tfjs-layers (implementation 2): `count` masks are drawn, only the first one is used.
    if (training && active(cell.dropout)) {
      inputMask = drawMasks(cell, cell.dropout, [B, I], count)[0]
    }
    if (training && active(cell.recurrentDropout)) {
      recurrentMask = drawMasks(cell, cell.recurrentDropout, [B, U], count)[0]
    }
  }
  if (!st.kernel) st.kernel = new FusedRnnKernel(kind)
  const kernel = st.kernel
  // tf.tensor() on the wasm backend copies into the tfjs heap at once: no intermediate copy.
  // (The cpu backend keeps the array it is given, so it must get its own.)
  kernel.views = tf.getBackend() === 'wasm'
  if (options.threads !== 1) void getRuntime().startHelper()

  const W = cell.kernel.read()
  const R = cell.recurrentKernel.read()
  const bias = cell.useBias && cell.bias ? cell.bias.read() : null
  const h0 = initialState ? initialState[0] : null
  const c0 = kind === 'lstm' && initialState ? initialState[1] : null
  const needStates = l.stateful || l.returnState
  const yShape = l.returnSequences ? [B, T, U] : [B, U]
  const base = {
    batch: B,
    timesteps: T,
    inputDim: I,
    units: U,
    inputMask,
    recurrentMask,
    gateMasks,
    goBackwards: l.goBackwards,
    recurrentActivation: cell.recurrentActivation.getClassName() as 'sigmoid' | 'hardSigmoid',
    returnSequences: l.returnSequences,
    threads: options.threads,
  }
  const f32 = (t: tf.Tensor | null): Float32Array | null => (t ? tensorData(t) : null)
  const input = (
    xs: tf.Tensor,
    w: tf.Tensor,
    r: tf.Tensor,
    b: tf.Tensor | null,
    h: tf.Tensor | null,
    c: tf.Tensor | null,
    train: boolean,
  ): RnnForwardInput => ({
    ...base,
    x: f32(xs)!,
    kernel: f32(w)!,
    recurrentKernel: f32(r)!,
    bias: f32(b),
    h0: f32(h),
    c0: f32(c),
    training: train,
  })
  const toTensors = (
    o: { y: Float32Array; h: Float32Array; c?: Float32Array },
    all: boolean,
  ): tf.Tensor[] => {
    const out = [tf.tensor(o.y, yShape)]
    if (all) {
      out.push(tf.tensor(o.h, [B, U]))
      if (kind === 'lstm') out.push(tf.tensor(o.c!, [B, U]))
    }
    return out
  }

  const engine = tf.engine() as unknown as EngineInternals
  if (!engine.isTapeOn()) {
    // Inference (predict / evaluate): no activations kept, ring-buffered states.
    const o = kernel.forward(input(x, W, R, bias, h0, c0, false))
    noteThreads(st, kernel)
    return toTensors(o, true)
  }

  const inputs: Record<string, tf.Tensor> = { x, kernel: W, recurrentKernel: R }
  if (bias) inputs.bias = bias
  if (h0) inputs.h0 = h0
  if (c0) inputs.c0 = c0
  const names = Object.keys(inputs)
  let generation = -1
  const result = engine.runKernelFunc({
    inputs,
    forwardFunc: (_backend, save) => {
      const o = kernel.forward(input(x, W, R, bias, h0, c0, true))
      generation = kernel.generation
      noteThreads(st, kernel)
      save(names.map((n) => inputs[n]))
      const outs = toTensors(o, needStates)
      return outs.length === 1 ? outs[0] : outs
    },
    backwardsFunc: (dys, saved) => {
      const dyList = Array.isArray(dys) ? dys : [dys]
      let grads: RnnGradients | null = null
      const run = (needDx: boolean): RnnGradients => {
        if (grads && (!needDx || grads.dx)) return grads
        if (kernel.generation !== generation) {
          // This layer ran again since this forward (shared layer): recompute its activations.
          const s = Object.fromEntries(names.map((n, i) => [n, saved[i]]))
          kernel.forward(
            input(
              s.x,
              s.kernel,
              s.recurrentKernel,
              s.bias ?? null,
              s.h0 ?? null,
              s.c0 ?? null,
              true,
            ),
          )
          generation = kernel.generation
        }
        st.status.inputGradient = needDx
        grads = kernel.backward({
          dy: f32(dyList[0]),
          dh: needStates ? f32(dyList[1]) : null,
          dc: needStates && kind === 'lstm' ? f32(dyList[2]) : null,
          inputGradient: needDx,
        })
        return grads
      }
      // tfjs calls these only for inputs on the path to the differentiated variables, in
      // insertion order: when the first call is not for x, dL/dx is never needed.
      const g: Record<string, () => tf.Tensor> = {
        x: () => tf.tensor(run(true).dx!, [B, T, I]),
        kernel: () => tf.tensor(run(false).dKernel, W.shape),
        recurrentKernel: () => tf.tensor(run(false).dRecurrentKernel, R.shape),
      }
      if (bias) g.bias = () => tf.tensor(run(false).dBias!, bias.shape)
      if (h0) g.h0 = () => tf.tensor(run(false).dh0, [B, U])
      if (c0) g.c0 = () => tf.tensor(run(false).dc0!, [B, U])
      return g
    },
  })
  return Array.isArray(result) ? result : [result]
}

function fusedCall(
  this: RnnInternals,
  inputs: tf.Tensor | tf.Tensor[],
  kwargs: Kwargs,
): tf.Tensor | tf.Tensor[] {
  const st = states.get(this)!
  const reason = unsupported(this, inputs, kwargs)
  if (reason) {
    st.status.lastPath = 'stock'
    st.status.reason = reason
    return st.stockCall.call(this, inputs, kwargs)
  }
  st.status.lastPath = 'fused'
  delete st.status.reason
  return tf.tidy(() => {
    const x = Array.isArray(inputs) ? inputs[0] : inputs
    const training = kwargs?.training === true
    let initialState = (kwargs?.initialState ?? null) as tf.Tensor | tf.Tensor[] | null
    if (initialState == null && this.stateful) initialState = this.states_
    if (initialState != null && !Array.isArray(initialState)) initialState = [initialState]
    const numStates = st.kind === 'lstm' ? 2 : 1
    if (initialState != null && initialState.length !== numStates) {
      throw new Error(
        `RNN Layer has ${numStates} state(s) but was passed ${initialState.length} initial state(s).`,
      )
    }
    const outs = runFused(this, st, x, initialState as tf.Tensor[] | null, training)
    if (this.stateful) this.resetStates(outs.slice(1, 1 + numStates), training)
    if (this.returnState) return outs.slice(0, 1 + numStates)
    return outs[0]
  })
}

/**
 * Makes an LSTM / GRU layer (or both halves of a Bidirectional wrapping one) use the fused
 * kernels. The layer keeps its class, config and weights; returns the same layer.
 */
export function fuseLayer<L extends Layer>(layer: L): L {
  if (layer.getClassName() === 'Bidirectional') {
    const bi = layer as unknown as BidirectionalInternals
    fuseLayer(bi.forwardLayer)
    fuseLayer(bi.backwardLayer)
    return layer
  }
  const kind = kindOf(layer)
  if (!kind || states.has(layer)) return layer
  const l = layer as unknown as RnnInternals
  const st: FusedState = {
    kind,
    kernel: null,
    stockCall: l.call,
    stockDispose: l.dispose,
    status: { fused: true, lastPath: null },
  }
  states.set(layer, st)
  released.register(layer, st, st)
  l.call = fusedCall
  l.dispose = function (this: RnnInternals) {
    const r = st.stockDispose.call(this)
    st.kernel?.dispose()
    st.kernel = null
    return r
  }
  return layer
}

/** Restores the stock tfjs implementation on a layer fused by fuseLayer(). */
export function unfuseLayer<L extends Layer>(layer: L): L {
  if (layer.getClassName() === 'Bidirectional') {
    const bi = layer as unknown as BidirectionalInternals
    unfuseLayer(bi.forwardLayer)
    unfuseLayer(bi.backwardLayer)
    return layer
  }
  const st = states.get(layer)
  if (!st) return layer
  const l = layer as unknown as Record<string, unknown>
  delete l.call
  delete l.dispose
  st.kernel?.dispose()
  released.unregister(st)
  states.delete(layer)
  return layer
}

/** Fusion status of a layer (for a Bidirectional: of its forward half). */
export function fusedStatus(layer: Layer): FusedStatus {
  if (layer.getClassName() === 'Bidirectional') {
    return fusedStatus((layer as unknown as BidirectionalInternals).forwardLayer)
  }
  return states.get(layer)?.status ?? { fused: false, lastPath: null }
}

/** tf.layers.lstm(config) running on the fused kernels; serializes as a plain `LSTM`. */
export function fusedLSTM(config: LstmConfig): ReturnType<typeof tf.layers.lstm> {
  return fuseLayer(tf.layers.lstm(config))
}

/** tf.layers.gru(config) running on the fused kernels; serializes as a plain `GRU`. */
export function fusedGRU(config: GruConfig): ReturnType<typeof tf.layers.gru> {
  return fuseLayer(tf.layers.gru(config))
}

/**
 * tf.layers.bidirectional(config) with fused kernels in both directions. (A fused layer passed to
 * the stock wrapper would be cloned through its config into two stock layers; this fuses the
 * clones.) Serializes as a plain `Bidirectional`.
 */
export function fusedBidirectional(
  config: BidirectionalConfig,
): ReturnType<typeof tf.layers.bidirectional> {
  return fuseLayer(tf.layers.bidirectional(config))
}

export interface RecurrentLayerOptions {
  /** use the fused kernels (default true); falls back to stock tfjs where they do not apply */
  fused?: boolean
  /** wrap in Bidirectional (merge mode default 'concat') */
  bidirectional?: boolean
  mergeMode?: MergeMode
}

/**
 * The engine's entry point: builds an LSTM / GRU layer (optionally Bidirectional) from a
 * tf.layers config, fused unless `fused: false`.
 */
export function createRecurrentLayer(
  kind: 'lstm' | 'gru',
  config: LstmConfig | GruConfig,
  opts: RecurrentLayerOptions = {},
): Layer {
  const fused = opts.fused !== false
  if (opts.bidirectional) {
    // The wrapper, not the wrapped layer, is what a Sequential model asks for its input shape.
    const { inputShape, batchInputShape, batchSize, name, ...inner } = config as LstmConfig
    const rnn =
      kind === 'lstm' ? tf.layers.lstm(inner as LstmConfig) : tf.layers.gru(inner as GruConfig)
    const outer: Record<string, unknown> = { mergeMode: opts.mergeMode ?? 'concat' }
    if (inputShape) outer.inputShape = inputShape
    if (batchInputShape) outer.batchInputShape = batchInputShape
    if (batchSize) outer.batchSize = batchSize
    if (name) outer.name = name
    const bi = tf.layers.bidirectional({
      ...outer,
      layer: rnn as unknown as BidirectionalConfig['layer'],
    } as BidirectionalConfig)
    return fused ? fuseLayer(bi) : bi
  }
  const layer =
    kind === 'lstm' ? tf.layers.lstm(config as LstmConfig) : tf.layers.gru(config as GruConfig)
  return fused ? fuseLayer(layer) : layer
}

/**
 * Fuses every LSTM / GRU / Bidirectional(LSTM | GRU) layer of a model, nested models included
 * (e.g. after tf.loadLayersModel). Returns the names of the fused layers.
 */
export function fuseModel(model: tf.LayersModel): string[] {
  const names: string[] = []
  for (const layer of model.layers) {
    const c = layer.getClassName()
    if (layer instanceof tf.LayersModel) {
      names.push(...fuseModel(layer))
    } else if (c === 'LSTM' || c === 'GRU') {
      fuseLayer(layer)
      names.push(layer.name)
    } else if (c === 'Bidirectional') {
      if (!kindOf((layer as unknown as BidirectionalInternals).forwardLayer)) continue
      fuseLayer(layer)
      names.push(layer.name)
    }
  }
  return names
}

/**
 * Gives the wasm memory of every fused layer of a model back to the kernels' allocator (a layer
 * allocates again, sized for its next call, when it runs). For models kept after training: their
 * training buffers (activations of a whole batch) are not needed to export or to predict.
 */
export function releaseKernelMemory(model: tf.LayersModel): void {
  const release = (layer: Layer): void => {
    if (layer.getClassName() === 'Bidirectional') {
      const bi = layer as unknown as BidirectionalInternals
      release(bi.forwardLayer)
      release(bi.backwardLayer)
      return
    }
    const st = states.get(layer)
    if (st?.kernel) {
      st.kernel.dispose()
      st.kernel = null
    }
  }
  for (const layer of model.layers) {
    if (layer instanceof tf.LayersModel) releaseKernelMemory(layer)
    else release(layer)
  }
}

/** Restores the stock implementation on every fused layer of a model. */
export function unfuseModel(model: tf.LayersModel): void {
  for (const layer of model.layers) {
    if (layer instanceof tf.LayersModel) unfuseModel(layer)
    else unfuseLayer(layer)
  }
}

/**
 * ModelSpec (plain data) → tf.LayersModel with Keras semantics and defaults, so a model built
 * here matches what the textbook chapters build with Keras and exports as stock tfjs layers:
 *
 * - recurrent layers: activation tanh, recurrent activation sigmoid (tfjs defaults to
 *   hardSigmoid), kernel glorot-uniform, recurrent orthogonal, bias zeros, LSTM unit forget bias;
 * - Dense and Conv1D: glorot-uniform kernel (tfjs defaults to glorot-normal), zero bias;
 * - every initializer is seeded from the run's seed, so the same seed builds the same weights.
 *
 * Every recurrent layer is made by `recurrentLayer`, the one place where Seqcast's fused
 * WebAssembly LSTM/GRU kernels can be switched in.
 */
import * as tf from '@tensorflow/tfjs'
import {
  isRecurrent,
  type LayerSpec,
  type ModelSpec,
  type RecurrentLayerSpec,
} from '../../shared/models/spec'
import { checkSpec } from '../../shared/checks/run'
import { outputUnits } from '../../shared/run'

export interface BuildOptions {
  /** Timesteps L and features F of one window. */
  inputShape: [number, number]
  horizon: number
  /** Fixed batch size of a stateful model (ignored for stateless ones). */
  batchSize: number | null
  seed: number
  /** Use the fused kernels where they apply (see `recurrentLayer`). */
  fused: boolean
}

export interface RecurrentLayerOptions {
  seed: number
  stateful: boolean
  fused: boolean
  /** Set on the first layer of the model only. */
  inputShape?: number[]
  batchInputShape?: number[]
  name?: string
}

/**
 * Returns null for a layer it does not handle (the stock tfjs layer is built then). With
 * `bidirectional` it returns the Bidirectional wrapper (input shape and name on the wrapper).
 */
export type RecurrentFactory = (
  kind: RecurrentLayerSpec['type'],
  config: Record<string, unknown>,
  options: { fused: boolean; bidirectional?: boolean; mergeMode?: 'concat' },
) => tf.layers.Layer | null

let fusedFactory: RecurrentFactory | null = null

/**
 * Installs the fused-kernel factory (over `createRecurrentLayer` of engine/fused, e.g.
 * `(kind, config, o) => kind === 'simplernn' ? null : createRecurrentLayer(kind, config, o)`;
 * the engine installs it with `installFusedKernels()` of engine/kernels.ts).
 * Layers it returns must serialize as plain tfjs LSTM/GRU so exported models load in stock
 * TensorFlow.js. GRU layers it returns still get Keras' recurrent-dropout step (`patchGru`)
 * when they run through tfjs' GRUCell.
 */
export function setRecurrentFactory(factory: RecurrentFactory | null): void {
  fusedFactory = factory
}

/** The installed factory (null: every recurrent layer is stock tfjs). */
export function recurrentFactory(): RecurrentFactory | null {
  return fusedFactory
}

/** Keras' config for one recurrent layer, ready for `tf.layers.lstm/gru/simpleRNN`. */
export function recurrentConfig(
  spec: RecurrentLayerSpec,
  options: RecurrentLayerOptions,
): Record<string, unknown> {
  const config: Record<string, unknown> = {
    units: spec.units,
    activation: spec.activation ?? 'tanh',
    useBias: true,
    kernelInitializer: tf.initializers.glorotUniform({ seed: options.seed }),
    recurrentInitializer: tf.initializers.orthogonal({ seed: options.seed + 1, gain: 1 }),
    biasInitializer: 'zeros',
    dropout: spec.dropout ?? 0,
    recurrentDropout: spec.recurrentDropout ?? 0,
    returnSequences: spec.returnSequences ?? false,
    stateful: options.stateful,
  }
  if (spec.type !== 'simplernn') config.recurrentActivation = 'sigmoid'
  if (spec.type === 'lstm') config.unitForgetBias = true
  if (options.inputShape) config.inputShape = options.inputShape
  if (options.batchInputShape) config.batchInputShape = options.batchInputShape
  if (options.name) config.name = options.name
  return config
}

/** The one constructor of recurrent layers (stock tfjs, or the fused kernels when installed). */
export function recurrentLayer(
  spec: RecurrentLayerSpec,
  options: RecurrentLayerOptions,
): tf.layers.Layer {
  const config = recurrentConfig(spec, options)
  const fused =
    fusedFactory && options.fused ? fusedFactory(spec.type, config, { fused: true }) : null
  if (fused) return spec.type === 'gru' ? patchGru(fused) : fused
  switch (spec.type) {
    case 'lstm':
      return tf.layers.lstm(config as unknown as Parameters<typeof tf.layers.lstm>[0])
    case 'gru':
      return patchGru(tf.layers.gru(config as unknown as Parameters<typeof tf.layers.gru>[0]))
    case 'simplernn':
      return tf.layers.simpleRNN(config as unknown as Parameters<typeof tf.layers.simpleRNN>[0])
  }
}

interface GruCell {
  units: number
  useBias: boolean
  dropout: number
  recurrentDropout: number
  kernel: { read(): tf.Tensor }
  recurrentKernel: { read(): tf.Tensor }
  bias: { read(): tf.Tensor }
  activation: { apply(x: tf.Tensor): tf.Tensor }
  recurrentActivation: { apply(x: tf.Tensor): tf.Tensor }
  dropoutMask: tf.Tensor[] | null
  recurrentDropoutMask: tf.Tensor[] | null
  dropoutFunc?: (x: tf.Tensor, rate: number) => tf.Tensor
  call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor[]
}

/**
 * Keras' per-sequence dropout masks: kept across timesteps, freed by the layer's next call.
 * One `dropoutFunc` (tfjs' test hook, when set) or `tf.dropout` call per mask, in order — the
 * fused GRU draws its masks the same way, so seeded runs see identical masks.
 */
function dropoutMasks(
  like: tf.Tensor,
  rate: number,
  training: boolean,
  count: number,
  dropoutFunc?: (x: tf.Tensor, rate: number) => tf.Tensor,
): tf.Tensor[] {
  return Array.from({ length: count }, () =>
    tf.keep(
      training
        ? dropoutFunc
          ? dropoutFunc(tf.onesLike(like), rate)
          : tf.dropout(tf.onesLike(like), rate)
        : tf.onesLike(like),
    ),
  )
}

/**
 * tfjs' GRUCell multiplies the carried state by the recurrent dropout mask and then mixes that
 * dropped state into the new one (h = z·(h⊙mask) + …): with a rate of 0.5 the state is scaled by
 * 2 wherever the mask keeps it, step after step, and training diverges. Keras (which switches to
 * implementation 1 when recurrent_dropout > 0) drops only the copies that enter the recurrent
 * products, one mask per gate, and mixes the undropped state. This step does what Keras does;
 * without recurrent dropout the stock step already agrees. Inference (training = false) is the
 * same in both, so saved models still load as stock GRU layers. The fused GRU kernel computes the
 * same step (src/kernels/gru.c, "Keras implementation 1"). Returns the same layer.
 */
export function patchGru<L extends tf.layers.Layer>(layer: L): L {
  const cell = (layer as unknown as { cell?: GruCell }).cell
  if (!cell || !(cell.recurrentDropout > 0 && cell.recurrentDropout < 1)) return layer
  cell.call = (inputs, kwargs) =>
    tf.tidy(() => {
      const [x, hPrev] = inputs as tf.Tensor[]
      const training = kwargs?.training === true
      if (cell.dropout > 0 && cell.dropout < 1 && cell.dropoutMask == null) {
        cell.dropoutMask = dropoutMasks(x, cell.dropout, training, 3, cell.dropoutFunc)
      }
      if (cell.recurrentDropoutMask == null) {
        cell.recurrentDropoutMask = dropoutMasks(
          hPrev,
          cell.recurrentDropout,
          training,
          3,
          cell.dropoutFunc,
        )
      }
      const dp = cell.dropout > 0 && cell.dropout < 1 ? cell.dropoutMask : null
      const rdp = cell.recurrentDropoutMask!
      const [kz, kr, kh] = tf.split(cell.kernel.read(), 3, 1)
      const [rz, rr, rh] = tf.split(cell.recurrentKernel.read(), 3, 1)
      const xi = (i: number) => (dp ? tf.mul(x, dp[i]) : x)
      let xz = tf.matMul(xi(0) as tf.Tensor2D, kz as tf.Tensor2D) as tf.Tensor
      let xr = tf.matMul(xi(1) as tf.Tensor2D, kr as tf.Tensor2D) as tf.Tensor
      let xh = tf.matMul(xi(2) as tf.Tensor2D, kh as tf.Tensor2D) as tf.Tensor
      if (cell.useBias) {
        const [bz, br, bh] = tf.split(cell.bias.read(), 3)
        xz = tf.add(xz, bz)
        xr = tf.add(xr, br)
        xh = tf.add(xh, bh)
      }
      const hz = tf.mul(hPrev, rdp[0]) as tf.Tensor2D
      const hr = tf.mul(hPrev, rdp[1]) as tf.Tensor2D
      const hhm = tf.mul(hPrev, rdp[2])
      const z = cell.recurrentActivation.apply(tf.add(xz, tf.matMul(hz, rz as tf.Tensor2D)))
      const r = cell.recurrentActivation.apply(tf.add(xr, tf.matMul(hr, rr as tf.Tensor2D)))
      const hh = cell.activation.apply(
        tf.add(xh, tf.matMul(tf.mul(r, hhm) as tf.Tensor2D, rh as tf.Tensor2D)),
      )
      const h = tf.add(tf.mul(z, hPrev), tf.mul(tf.sub(1, z), hh))
      return [h, h]
    })
  return layer
}

/** Per-layer seeds: distinct for every layer and initializer, never 0 (tfjs reads 0 as "none"). */
function layerSeed(seed: number, index: number): number {
  return (seed % 1_000_000) * 100 + index * 7 + 11
}

/**
 * Builds (and compiles nothing: Seqcast trains with its own loop) the model of a spec. Throws a
 * `config` error naming the layer when shapes do not fit, as `summarizeModel` explains them.
 */
export function buildModel(spec: ModelSpec, options: BuildOptions): tf.Sequential {
  const [steps, features] = options.inputShape
  checkSpec(spec, options)
  const stateful = spec.stateful
  const model = tf.sequential({ name: 'seqcast' })
  const first = (): { inputShape?: number[]; batchInputShape?: number[] } =>
    stateful
      ? { batchInputShape: [options.batchSize!, steps, features] }
      : { inputShape: [steps, features] }
  const bidirectionals: { layer: tf.layers.Layer; seed: number }[] = []

  spec.layers.forEach((layer, index) => {
    const input = index === 0 ? first() : {}
    const seed = layerSeed(options.seed, index)
    model.add(makeLayer(layer, index, seed, input, stateful, options.fused, bidirectionals))
  })
  const head = tf.layers.dense({
    units: outputUnits(spec, options.horizon),
    activation: spec.head.activation,
    kernelInitializer: tf.initializers.glorotUniform({ seed: layerSeed(options.seed, 99) }),
    biasInitializer: 'zeros',
    name: 'output',
    ...(spec.layers.length === 0 ? first() : {}),
  })
  model.add(head)
  // tfjs builds both directions of a Bidirectional layer from one config, so both would start
  // from the same seeded weights; Keras draws them independently. Redraw the backward ones.
  for (const { layer, seed } of bidirectionals) {
    const backward = (layer as unknown as { backwardLayer: tf.layers.Layer }).backwardLayer
    const fresh = tf.tidy(() =>
      backward.getWeights().map((w, i) => redraw(w, seed + 1000 + i, backward, i)),
    )
    backward.setWeights(fresh)
    tf.dispose(fresh)
  }
  return model
}

function redraw(w: tf.Tensor, seed: number, layer: tf.layers.Layer, index: number): tf.Tensor {
  const name = layer.weights[index]?.name ?? ''
  if (name.includes('recurrent_kernel')) {
    return tf.initializers.orthogonal({ seed, gain: 1 }).apply(w.shape)
  }
  if (name.includes('kernel')) return tf.initializers.glorotUniform({ seed }).apply(w.shape)
  return w.clone() // biases (zeros / unit forget bias) stay as built
}

function patchBidirectionalGru(wrapped: tf.layers.Layer): void {
  const w = wrapped as unknown as { forwardLayer: tf.layers.Layer; backwardLayer: tf.layers.Layer }
  patchGru(w.forwardLayer)
  patchGru(w.backwardLayer)
}

function makeLayer(
  layer: LayerSpec,
  index: number,
  seed: number,
  input: { inputShape?: number[]; batchInputShape?: number[] },
  stateful: boolean,
  fused: boolean,
  bidirectionals: { layer: tf.layers.Layer; seed: number }[],
): tf.layers.Layer {
  const name = `${layer.type}_${index + 1}`
  if (isRecurrent(layer)) {
    if (layer.bidirectional) {
      const fusedWrapper =
        fused && fusedFactory
          ? fusedFactory(
              layer.type,
              recurrentConfig(layer, {
                seed,
                stateful,
                fused,
                name: `bidirectional_${index + 1}`,
                ...input,
              }),
              { fused: true, bidirectional: true, mergeMode: 'concat' },
            )
          : null
      if (fusedWrapper) {
        bidirectionals.push({ layer: fusedWrapper, seed })
        if (layer.type === 'gru') patchBidirectionalGru(fusedWrapper)
        return fusedWrapper
      }
      const inner = recurrentLayer(layer, { seed, stateful, fused: false })
      const wrapped = tf.layers.bidirectional({
        layer: inner as unknown as Parameters<typeof tf.layers.bidirectional>[0]['layer'],
        mergeMode: 'concat',
        name: `bidirectional_${index + 1}`,
        ...input,
      })
      bidirectionals.push({ layer: wrapped, seed })
      if (layer.type === 'gru') patchBidirectionalGru(wrapped)
      return wrapped
    }
    return recurrentLayer(layer, { seed, stateful, fused, name, ...input })
  }
  switch (layer.type) {
    case 'dense':
      return tf.layers.dense({
        units: layer.units,
        activation: layer.activation ?? 'linear',
        kernelInitializer: tf.initializers.glorotUniform({ seed }),
        biasInitializer: 'zeros',
        name,
        ...input,
      })
    case 'conv1d':
      return tf.layers.conv1d({
        filters: layer.filters,
        kernelSize: layer.kernelSize,
        strides: layer.strides ?? 1,
        padding: layer.padding ?? 'valid',
        activation: layer.activation ?? 'linear',
        kernelInitializer: tf.initializers.glorotUniform({ seed }),
        biasInitializer: 'zeros',
        name,
        ...input,
      })
    case 'maxpool1d':
      return tf.layers.maxPooling1d({ poolSize: layer.poolSize, name, ...input })
    case 'globalavgpool1d':
      return tf.layers.globalAveragePooling1d({ name, ...input })
    case 'flatten':
      return tf.layers.flatten({ name, ...input })
    case 'dropout':
      return tf.layers.dropout({ rate: layer.rate, seed, name, ...input })
  }
}

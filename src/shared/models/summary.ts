import { SeqcastError } from '../errors'
import { isRecurrent, type LayerSpec, type ModelSpec } from './spec'

/** One row of the model summary the UI shows: output shape and trainable parameters. */
export interface LayerSummary {
  index: number
  label: string
  /** Output shape without the batch dimension: [steps, channels] or [units]. */
  outputShape: number[]
  params: number
  /** For recurrent layers, the course formula g·(n·(n+i)+n) with the numbers filled in. */
  formula?: string
}

export interface ModelSummary {
  layers: LayerSummary[]
  totalParams: number
}

const GATES = { lstm: 4, gru: 3, simplernn: 1 } as const
const NAMES = { lstm: 'LSTM', gru: 'GRU', simplernn: 'SimpleRNN' } as const

/**
 * Shapes and parameter counts with Keras' formulas, for inputs of `steps` timesteps ×
 * `features` features and a horizon of H. Recurrent layers: g·(n·(n+i)+n) with g = 4 (LSTM),
 * 3 (GRU as TensorFlow.js builds it, reset_after = false), 1 (SimpleRNN); doubled when
 * bidirectional. Throws a `config` error naming the layer when shapes do not fit.
 */
export function summarizeModel(
  spec: ModelSpec,
  steps: number,
  features: number,
  horizon: number,
): ModelSummary {
  let shape: number[] = [steps, features]
  const rows: LayerSummary[] = []
  spec.layers.forEach((layer, index) => {
    const { outputShape, params, formula } = step(layer, shape, index, spec)
    rows.push({ index, label: layerLabel(layer), outputShape, params, formula })
    shape = outputShape
  })
  // The output head: Dense(H) on the last features (on every timestep for `every-step`).
  if (spec.head.kind === 'every-step') {
    if (shape.length !== 2) {
      throw layerError(
        spec.layers.length - 1,
        spec,
        'must return sequences for an every-step head',
        'Turn on "return sequences" for the last recurrent layer.',
      )
    }
  } else if (shape.length !== 1) {
    throw layerError(
      spec.layers.length - 1,
      spec,
      `outputs a sequence (${shape.join(' × ')}), but the output layer needs a vector`,
      'Add Flatten or GlobalAveragePooling1D, or turn off "return sequences" on the last recurrent layer.',
    )
  }
  const outUnits = spec.head.kind === 'recursive' ? 1 : horizon
  const inUnits = shape[shape.length - 1]
  rows.push({
    index: spec.layers.length,
    label: `Dense(${outUnits}${spec.head.activation === 'linear' ? '' : `, ${spec.head.activation}`}) output`,
    outputShape: shape.length === 2 ? [shape[0], outUnits] : [outUnits],
    params: inUnits * outUnits + outUnits,
  })
  return { layers: rows, totalParams: rows.reduce((sum, r) => sum + r.params, 0) }
}

function step(
  layer: LayerSpec,
  shape: number[],
  index: number,
  spec: ModelSpec,
): { outputShape: number[]; params: number; formula?: string } {
  const needsSequence = () => {
    if (shape.length !== 2) {
      throw layerError(
        index,
        spec,
        `needs a sequence as input, received a vector of ${shape[0]}`,
        'Turn on "return sequences" on the recurrent layer before it, or move this layer earlier.',
      )
    }
  }
  if (isRecurrent(layer)) {
    needsSequence()
    const [t, i] = shape
    const n = layer.units
    const g = GATES[layer.type]
    const one = g * (n * (n + i) + n)
    const dirs = layer.bidirectional ? 2 : 1
    const width = n * dirs
    const formula = `${dirs === 2 ? '2 × ' : ''}${g}·(${n}·(${n}+${i})+${n}) = ${(one * dirs).toLocaleString('en-US')}`
    return {
      outputShape: layer.returnSequences ? [t, width] : [width],
      params: one * dirs,
      formula,
    }
  }
  switch (layer.type) {
    case 'dense': {
      const inUnits = shape[shape.length - 1]
      const out = [...shape.slice(0, -1), layer.units]
      return { outputShape: out, params: inUnits * layer.units + layer.units }
    }
    case 'conv1d': {
      needsSequence()
      const [t, c] = shape
      const s = layer.strides ?? 1
      const k = layer.kernelSize
      const padding = layer.padding ?? 'valid'
      const steps = padding === 'valid' ? Math.floor((t - k) / s) + 1 : Math.ceil(t / s)
      if (steps < 1) {
        throw layerError(
          index,
          spec,
          `has kernel size ${k} but receives only ${t} steps`,
          'Lower the kernel size or raise the sequence length.',
        )
      }
      return { outputShape: [steps, layer.filters], params: k * c * layer.filters + layer.filters }
    }
    case 'maxpool1d': {
      needsSequence()
      const steps = Math.floor((shape[0] - layer.poolSize) / layer.poolSize) + 1
      if (steps < 1) {
        throw layerError(
          index,
          spec,
          `has pool size ${layer.poolSize} but receives only ${shape[0]} steps`,
          'Lower the pool size or remove a pooling layer.',
        )
      }
      return { outputShape: [steps, shape[1]], params: 0 }
    }
    case 'globalavgpool1d':
      needsSequence()
      return { outputShape: [shape[1]], params: 0 }
    case 'flatten':
      return { outputShape: [shape.reduce((a, b) => a * b, 1)], params: 0 }
    case 'dropout':
      return { outputShape: shape, params: 0 }
  }
}

export function layerLabel(layer: LayerSpec): string {
  if (isRecurrent(layer)) {
    const opts: string[] = []
    if (layer.returnSequences) opts.push('sequences')
    if (layer.dropout) opts.push(`dropout ${layer.dropout}`)
    if (layer.recurrentDropout) opts.push(`recurrent dropout ${layer.recurrentDropout}`)
    const inner = `${NAMES[layer.type]}(${[layer.units, ...opts].join(', ')})`
    return layer.bidirectional ? `Bidirectional(${inner})` : inner
  }
  switch (layer.type) {
    case 'dense':
      return `Dense(${layer.units}${layer.activation && layer.activation !== 'linear' ? `, ${layer.activation}` : ''})`
    case 'conv1d':
      return `Conv1D(${layer.filters}, ${layer.kernelSize}${layer.strides && layer.strides > 1 ? `, strides ${layer.strides}` : ''}${layer.activation && layer.activation !== 'linear' ? `, ${layer.activation}` : ''})`
    case 'maxpool1d':
      return `MaxPooling1D(${layer.poolSize})`
    case 'globalavgpool1d':
      return 'GlobalAveragePooling1D'
    case 'flatten':
      return 'Flatten'
    case 'dropout':
      return `Dropout(${layer.rate})`
  }
}

function layerError(index: number, spec: ModelSpec, problem: string, fix: string): SeqcastError {
  const layer = spec.layers[index]
  const label = layer ? layerLabel(layer) : 'the input'
  return new SeqcastError(
    'config',
    `Model "${spec.name}", layer ${index + 1} (${label}) ${problem}. ${fix}`,
    {
      setting: `layers[${index}]`,
      layer: index,
    },
  )
}

/**
 * Model specifications as plain data: what the user edits, what is stored with a run and in an
 * exported model's manifest, and what the engine builds with Keras semantics and defaults.
 * The hidden layers are listed; the builder appends the output head (Dense(H) by default).
 */
export type Activation = 'linear' | 'relu' | 'tanh' | 'sigmoid' | 'elu' | 'selu'

export type RecurrentType = 'lstm' | 'gru' | 'simplernn'

export interface RecurrentLayerSpec {
  type: RecurrentType
  units: number
  /** Output every timestep (needed when another recurrent layer follows). */
  returnSequences?: boolean
  /** Fraction of the inputs dropped, one mask per sequence (Keras `dropout`). */
  dropout?: number
  /** Fraction of the recurrent state dropped, one mask per sequence (Keras `recurrent_dropout`). */
  recurrentDropout?: number
  /** Run forward and backward over the window and concatenate the outputs. */
  bidirectional?: boolean
  /** Cell activation, tanh by default (the recurrent activation is always sigmoid, as Keras 2). */
  activation?: Activation
}

export interface DenseLayerSpec {
  type: 'dense'
  units: number
  activation?: Activation
}

export interface Conv1DLayerSpec {
  type: 'conv1d'
  filters: number
  kernelSize: number
  strides?: number
  padding?: 'valid' | 'same' | 'causal'
  activation?: Activation
}

export interface MaxPool1DLayerSpec {
  type: 'maxpool1d'
  poolSize: number
}

export interface GlobalAvgPool1DLayerSpec {
  type: 'globalavgpool1d'
}

export interface FlattenLayerSpec {
  type: 'flatten'
}

export interface DropoutLayerSpec {
  type: 'dropout'
  rate: number
}

export type LayerSpec =
  | RecurrentLayerSpec
  | DenseLayerSpec
  | Conv1DLayerSpec
  | MaxPool1DLayerSpec
  | GlobalAvgPool1DLayerSpec
  | FlattenLayerSpec
  | DropoutLayerSpec

export type LayerType = LayerSpec['type']

/**
 * How the model covers a horizon of H steps:
 * - `direct`: one Dense(H) head predicts all H values at once (H = 1 is plain one-step);
 * - `recursive`: a one-step model whose prediction is fed back as the newest input H times
 *   (univariate series, sampling rate 1: the target must be the only feature);
 * - `every-step`: the last recurrent layer returns sequences and Dense(H) predicts the next H
 *   values at every timestep (Géron's sequence-to-sequence training); forecasts use the last step.
 */
export type HeadKind = 'direct' | 'recursive' | 'every-step'

export interface ModelSpec {
  name: string
  /** The preset this spec started from, if any. */
  preset?: string
  layers: LayerSpec[]
  head: { kind: HeadKind; activation: Activation }
  /**
   * Stateful recurrent layers keep their state from batch to batch within an epoch (row i of
   * batch k continues row i of batch k − 1); states reset at each epoch start. Needs a fixed
   * batch size and no shuffling.
   */
  stateful: boolean
  /**
   * Set for a statistical model (ETS, ARIMA, Theta, MSTL): it forecasts the target from its own
   * past, so `layers` is empty, the head is direct and the features are not read. Absent for
   * window models (and in every manifest written before statistical models existed).
   */
  statistical?: StatisticalSpec
}

export type StatisticalKind = 'ets' | 'arima' | 'theta' | 'mstl'
export const STATISTICAL_KINDS: readonly StatisticalKind[] = ['ets', 'arima', 'theta', 'mstl']

export interface StatisticalSpec {
  kind: StatisticalKind
  /**
   * Seasons in rows, shortest first (ETS, ARIMA and Theta use the first, MSTL all); [] for none.
   * Absent: the experiment's season (`seasonRows`) when it is above 1.
   */
  seasons?: number[]
}

/** Window models read windows of features; statistical models only the target's own past. */
export type ModelFamily = 'neural' | 'statistical'

export function modelFamily(spec: Pick<ModelSpec, 'statistical'>): ModelFamily {
  return spec.statistical ? 'statistical' : 'neural'
}

export const RECURRENT_TYPES: readonly RecurrentType[] = ['lstm', 'gru', 'simplernn']

export function isRecurrent(layer: LayerSpec): layer is RecurrentLayerSpec {
  return (RECURRENT_TYPES as readonly string[]).includes(layer.type)
}

import type { ModelSpec, StatisticalKind } from './spec'

export interface ModelPreset {
  id: string
  label: string
  /** Where the model comes from, shown next to it. */
  source: string
  spec: ModelSpec
}

/** What the app and the CLI say about every statistical preset. */
export const STATISTICAL_NOTE = 'forecasts the target from its own past'

const direct = { kind: 'direct', activation: 'linear' } as const

function preset(
  id: string,
  label: string,
  source: string,
  spec: Omit<ModelSpec, 'name' | 'preset'>,
): ModelPreset {
  return { id, label, source, spec: { name: label, preset: id, ...spec } }
}

/** The models of the textbook chapters; every one is a starting point the user can edit. */
export const MODEL_PRESETS: readonly ModelPreset[] = [
  preset('linear', 'Linear', 'Géron ch. 15: linear baseline', {
    layers: [{ type: 'flatten' }],
    head: direct,
    stateful: false,
  }),
  preset('dense', 'Dense', 'Chollet ch. 10: densely connected model', {
    layers: [{ type: 'flatten' }, { type: 'dense', units: 16, activation: 'relu' }],
    head: direct,
    stateful: false,
  }),
  preset('conv1d', 'Conv1D', 'Chollet ch. 10: 1D convolutional model', {
    layers: [
      { type: 'conv1d', filters: 8, kernelSize: 24, activation: 'relu' },
      { type: 'maxpool1d', poolSize: 2 },
      { type: 'conv1d', filters: 8, kernelSize: 12, activation: 'relu' },
      { type: 'maxpool1d', poolSize: 2 },
      { type: 'conv1d', filters: 8, kernelSize: 6, activation: 'relu' },
      { type: 'globalavgpool1d' },
    ],
    head: direct,
    stateful: false,
  }),
  preset('lstm', 'LSTM(16)', 'Chollet ch. 10: simple LSTM', {
    layers: [{ type: 'lstm', units: 16 }],
    head: direct,
    stateful: false,
  }),
  preset('lstm-dropout', 'LSTM(32) + dropout', 'Chollet ch. 10: dropout-regularized LSTM', {
    layers: [
      { type: 'lstm', units: 32, recurrentDropout: 0.25 },
      { type: 'dropout', rate: 0.5 },
    ],
    head: direct,
    stateful: false,
  }),
  preset('gru-stacked', 'Stacked GRU(32)', 'Chollet ch. 10: stacked, dropout-regularized GRU', {
    layers: [
      { type: 'gru', units: 32, recurrentDropout: 0.5, returnSequences: true },
      { type: 'gru', units: 32, recurrentDropout: 0.5 },
      { type: 'dropout', rate: 0.5 },
    ],
    head: direct,
    stateful: false,
  }),
  preset('bilstm', 'Bidirectional LSTM(16)', 'Chollet ch. 10: bidirectional LSTM', {
    layers: [{ type: 'lstm', units: 16, bidirectional: true }],
    head: direct,
    stateful: false,
  }),
  preset('simplernn', 'SimpleRNN(20)', 'Géron ch. 15: simple RNN', {
    layers: [{ type: 'simplernn', units: 20 }],
    head: direct,
    stateful: false,
  }),
  preset('deep-rnn', 'Deep RNN', 'Géron ch. 15: deep RNN', {
    layers: [
      { type: 'simplernn', units: 20, returnSequences: true },
      { type: 'simplernn', units: 20 },
    ],
    head: direct,
    stateful: false,
  }),
  preset('conv-gru', 'Conv1D + GRU', 'Géron ch. 15: Conv1D before GRUs', {
    layers: [
      { type: 'conv1d', filters: 20, kernelSize: 4, strides: 2, padding: 'valid' },
      { type: 'gru', units: 20, returnSequences: true },
      { type: 'gru', units: 20 },
    ],
    head: direct,
    stateful: false,
  }),
  preset('stateful-lstm', 'Stateful LSTM(4)', 'Bonaccorso: stateful LSTM on sunspots', {
    layers: [{ type: 'lstm', units: 4 }],
    head: { kind: 'direct', activation: 'tanh' },
    stateful: true,
  }),
  preset('lstm-10', 'LSTM(10)', 'Gulli: electricity load, stateless or stateful', {
    layers: [{ type: 'lstm', units: 10 }],
    head: direct,
    stateful: false,
  }),
  statistical(
    'ets',
    'ETS',
    'Automatic exponential smoothing: error, trend (damped allowed) and season chosen by AICc',
  ),
  statistical('arima', 'ARIMA', 'Automatic seasonal ARIMA (orders by AIC)'),
  statistical(
    'theta',
    'Theta',
    'The Theta method (Assimakopoulos & Nikolopoulos), optimized theta line',
  ),
  statistical(
    'mstl',
    'MSTL + ETS',
    'MSTL decomposition over every season, ETS on the seasonally adjusted series',
  ),
]

/**
 * A statistical preset: no layers (it reads no windows of features), a direct head of H outputs.
 * Its seasons are resolved when a run is set up (`--season`, or the suggestion from the data).
 */
function statistical(id: StatisticalKind, label: string, source: string): ModelPreset {
  return preset(id, label, `${source}; ${STATISTICAL_NOTE}`, {
    layers: [],
    head: direct,
    stateful: false,
    statistical: { kind: id },
  })
}

/** Preset ids of the window models (`neural`) and of the statistical models. */
export const NEURAL_PRESET_IDS: readonly string[] = MODEL_PRESETS.filter(
  (p) => !p.spec.statistical,
).map((p) => p.id)
export const STATISTICAL_PRESET_IDS: readonly string[] = MODEL_PRESETS.filter(
  (p) => p.spec.statistical,
).map((p) => p.id)

export function findPreset(id: string): ModelPreset | undefined {
  return MODEL_PRESETS.find((p) => p.id === id)
}

/** A deep copy of a preset's spec, ready to edit. */
export function presetSpec(id: string): ModelSpec | undefined {
  const p = findPreset(id)
  return p ? (JSON.parse(JSON.stringify(p.spec)) as ModelSpec) : undefined
}

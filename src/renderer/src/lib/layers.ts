import type { LayerSpec, LayerType } from '@shared/models'

export const LAYER_TYPES: { type: LayerType; label: string }[] = [
  { type: 'lstm', label: 'LSTM' },
  { type: 'gru', label: 'GRU' },
  { type: 'simplernn', label: 'SimpleRNN' },
  { type: 'dense', label: 'Dense' },
  { type: 'conv1d', label: 'Conv1D' },
  { type: 'maxpool1d', label: 'MaxPooling1D' },
  { type: 'globalavgpool1d', label: 'GlobalAveragePooling1D' },
  { type: 'flatten', label: 'Flatten' },
  { type: 'dropout', label: 'Dropout' },
]

export function defaultLayer(type: LayerType): LayerSpec {
  switch (type) {
    case 'lstm':
    case 'gru':
    case 'simplernn':
      return { type, units: 16 }
    case 'dense':
      return { type, units: 16, activation: 'relu' }
    case 'conv1d':
      return { type, filters: 8, kernelSize: 3, activation: 'relu' }
    case 'maxpool1d':
      return { type, poolSize: 2 }
    case 'dropout':
      return { type, rate: 0.25 }
    case 'globalavgpool1d':
      return { type }
    case 'flatten':
      return { type }
  }
}

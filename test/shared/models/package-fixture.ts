/**
 * A hand-written model package: Flatten([steps, features]) → Dense(units). Its weights are a
 * (steps·features)×units kernel and a bias of `units`, float32: for 12 × 1 → 1 that is 13 values,
 * 52 bytes, whatever the code under test computes.
 */
import type { ModelPackage, TfjsModelJson } from '../../../src/shared/run'
import { runConfig, sampleManifest, spec, window } from '../../core/engine/helpers'

export const manifest = sampleManifest(runConfig(spec('linear'), window(12)))

export function modelJson(inputShape: (number | null)[] = [null, 12, 1], units = 1): TfjsModelJson {
  return {
    format: 'layers-model',
    modelTopology: {
      class_name: 'Sequential',
      config: {
        name: 'seqcast',
        layers: [
          { class_name: 'Flatten', config: { name: 'flatten_1', batch_input_shape: inputShape } },
          { class_name: 'Dense', config: { name: 'dense_1', units } },
        ],
      },
    },
    weightsManifest: [
      {
        paths: ['./weights.bin'],
        weights: [
          {
            name: 'dense_1/kernel',
            shape: [(inputShape[1] ?? 1) * (inputShape[2] ?? 1), units],
            dtype: 'float32',
          },
          { name: 'dense_1/bias', shape: [units], dtype: 'float32' },
        ],
      },
    ],
  }
}

export const weights = (values: number[]) => new Uint8Array(new Float32Array(values).buffer)
export const goodWeights = () => weights(Array.from({ length: 13 }, (_, i) => i / 10))

export function linearPackage(): ModelPackage {
  return { manifest, modelJson: modelJson(), weights: goodWeights() }
}

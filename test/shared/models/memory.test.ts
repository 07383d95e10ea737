/**
 * The training-memory estimate against hand-computed numbers: parameter counts from Keras'
 * formulas (Dense (i+1)·u, Conv1D k·c·f+f, recurrent g·(n·(n+i)+n)), weight copies per optimizer,
 * activations per batch; and the refusal through `checkRun`, which the UI, the CLI and the
 * training service all call.
 */
import { describe, expect, it } from 'vitest'
import { checkRun } from '../../../src/shared/checks/run'
import { SeqcastError } from '../../../src/shared/errors'
import { DEFAULT_TRAINING, type RunConfig } from '../../../src/shared/experiment'
import {
  checkTrainingMemory,
  estimateTrainingMemory,
  formatBytes,
  TRAINING_MEMORY_LIMIT_BYTES,
} from '../../../src/shared/models/memory'
import { MODEL_PRESETS } from '../../../src/shared/models/presets'
import type { LayerSpec, ModelSpec } from '../../../src/shared/models/spec'

const direct = { kind: 'direct', activation: 'linear' } as const
const model = (layers: LayerSpec[], stateful = false): ModelSpec => ({
  name: 'm',
  layers,
  head: direct,
  stateful,
})

/** Flatten + 20 × Dense(4096): the model of issue 8 that aborted the wasm runtime. */
const huge = model([
  { type: 'flatten' },
  ...Array.from({ length: 20 }, () => ({ type: 'dense', units: 4096 }) as const),
])

describe('estimateTrainingMemory', () => {
  it('LSTM(32) on 24 × 3 with Adam: 4·(32·(32+3)+32) + 33 parameters, 5 copies, activations', () => {
    const e = estimateTrainingMemory(model([{ type: 'lstm', units: 32 }]), {
      inputShape: [24, 3],
      horizon: 1,
      batchSize: 32,
      optimizer: 'adam',
    })
    expect(e.layers.map((l) => l.params)).toEqual([4608, 33])
    expect(e.params).toBe(4641)
    expect(e.weightCopies).toBe(5) // weights, gradients, best copy, Adam's m and v
    expect(e.weightBytes).toBe(4641 * 5 * 4)
    // Per sample: input 24·3 = 72; LSTM 2·24·32·(2·4+2) = 15,360; head 2·1 = 2 → 15,434 values.
    // A training batch of 32 keeps 32·15,434; an evaluation batch of 256 (forward) 128·15,434.
    expect(e.activationBytes).toBe(128 * 15434 * 4)
    expect(e.totalBytes).toBe(92_820 + 7_902_208)
  })

  it('bidirectional GRU, Conv1D and SGD: 2·3·(16·(16+2)+16), 3·2·8+8, three copies', () => {
    const e = estimateTrainingMemory(
      model([
        { type: 'conv1d', filters: 2, kernelSize: 3, padding: 'same' },
        { type: 'gru', units: 16, bidirectional: true },
      ]),
      { inputShape: [10, 2], horizon: 3, batchSize: 512, optimizer: 'sgd' },
    )
    expect(e.layers.map((l) => l.params)).toEqual([
      3 * 2 * 2 + 2,
      2 * 3 * (16 * 18 + 16),
      32 * 3 + 3,
    ])
    expect(e.weightCopies).toBe(3)
    // Per sample: input 20; conv 2·10·2 = 40; GRU 2·10·2·16·(2·3+2) = 5,120; head 2·3 = 6.
    expect(e.activationBytes).toBe(512 * (20 + 40 + 5120 + 6) * 4)
  })

  it('a stateful model forecasts with its own batch size', () => {
    const e = estimateTrainingMemory(model([{ type: 'simplernn', units: 4 }], true), {
      inputShape: [5, 1],
      horizon: 1,
      batchSize: 8,
      optimizer: 'rmsprop',
    })
    expect(e.params).toBe(4 * (4 + 1) + 4 + 5)
    expect(e.weightCopies).toBe(5)
    // input 5; SimpleRNN 2·5·4·(2·1+2) = 160; head 2.
    expect(e.activationBytes).toBe(8 * 167 * 4)
  })

  it('Flatten + 20 × Dense(4096): 12·4096+4096 + 19·(4096·4096+4096) + 4097 parameters', () => {
    const e = estimateTrainingMemory(huge, {
      inputShape: [12, 1],
      horizon: 1,
      batchSize: 32,
      optimizer: 'adam',
    })
    expect(e.params).toBe(53_248 + 19 * 16_781_312 + 4097)
    expect(e.weightBytes).toBe(e.params * 5 * 4)
    expect(e.totalBytes).toBeGreaterThan(6e9)
  })
})

describe('checkTrainingMemory', () => {
  it('refuses the huge model naming its largest layers and what to change', () => {
    const shape = { inputShape: [12, 1] as [number, number], horizon: 1, batchSize: 32 }
    let error: unknown
    try {
      checkTrainingMemory(huge, { ...shape, optimizer: 'adam' })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(SeqcastError)
    const { kind, message, details } = error as SeqcastError
    expect(kind).toBe('config')
    // 318,902,273 parameters × 5 × 4 bytes = 6,378,045,460; activations: an evaluation batch of
    // 256 keeps 128 × (12 + 2·12 + 20·2·4096 + 2) values × 4 bytes = 83,905,536.
    expect(message).toMatch(
      /^Model "m" needs about 6\.46 GB to train \(319 M parameters × 5 copies with adam: 6\.38 GB; activations of one batch: 83\.9 MB/,
    )
    expect(message).toMatch(/more than the 2\.15 GB the training engine can use/)
    expect(message).toMatch(
      /Layer 3, Dense\(4096\), has 16\.8 M parameters; layer 4, Dense\(4096\)/,
    )
    expect(message).toMatch(/Use fewer units or layers/)
    expect(details).toMatchObject({ setting: 'layers', layer: 2, limitBytes: 2 ** 31 })
  })

  it('when activations dominate it points at the batch, sequence length or units', () => {
    const wide = model([{ type: 'dense', units: 4096 }, { type: 'globalavgpool1d' }])
    expect(() =>
      checkTrainingMemory(wide, {
        inputShape: [300, 1],
        horizon: 1,
        batchSize: 1024,
        optimizer: 'adam',
      }),
    ).toThrow(/Layer 1, Dense\(4096\), keeps 10\.1 GB per batch.*smaller batch size/)
  })

  it('every window-model preset fits at Jena-like settings (L 120, 14 features, batch 256)', () => {
    // Statistical presets train no tensors (checkRun skips this check for them).
    for (const preset of MODEL_PRESETS.filter((p) => !p.spec.statistical)) {
      const e = checkTrainingMemory(
        { ...preset.spec, name: preset.id, stateful: false },
        { inputShape: [120, 14], horizon: 1, batchSize: 256, optimizer: 'rmsprop' },
      )
      expect(e.totalBytes).toBeLessThan(TRAINING_MEMORY_LIMIT_BYTES)
    }
  })

  it('the limit is a parameter: one byte less than the estimate refuses, the estimate passes', () => {
    const spec = model([{ type: 'dense', units: 8 }, { type: 'flatten' }])
    const shape = { inputShape: [4, 2] as [number, number], horizon: 1, batchSize: 2 }
    const e = estimateTrainingMemory(spec, { ...shape, optimizer: 'sgd' })
    expect(checkTrainingMemory(spec, { ...shape, optimizer: 'sgd' }, e.totalBytes)).toEqual(e)
    expect(() =>
      checkTrainingMemory(spec, { ...shape, optimizer: 'sgd' }, e.totalBytes - 1),
    ).toThrow(SeqcastError)
  })

  it('checkRun refuses the huge model before anything is built', () => {
    const config: RunConfig = {
      experiment: {
        target: 'y',
        features: ['y'],
        window: { sequenceLength: 12, samplingRate: 1, sequenceStride: 1, delay: 12, horizon: 1 },
        split: { train: 0.5, val: 0.25 },
        normalization: 'zscore',
        seasonRows: null,
      },
      model: huge,
      training: { ...DEFAULT_TRAINING, optimizer: 'adam', batchSize: 32 },
    }
    expect(() => checkRun(config, 1000)).toThrow(/needs about 6\.46 GB to train/)
  })
})

describe('formatBytes', () => {
  it('decimal units with three significant digits', () => {
    expect(formatBytes(512)).toBe('512 bytes')
    expect(formatBytes(1500)).toBe('1.5 kB')
    expect(formatBytes(2 ** 31)).toBe('2.15 GB')
    expect(formatBytes(12_345_678)).toBe('12.3 MB')
  })
})

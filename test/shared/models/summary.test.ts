import { describe, expect, it } from 'vitest'
import {
  MODEL_PRESETS,
  parseModelSpec,
  presetSpec,
  summarizeModel,
} from '../../../src/shared/models'
import type { ModelSpec } from '../../../src/shared/models'

const spec = (id: string): ModelSpec => presetSpec(id)!

describe('parameter counts (Keras formulas, Chollet ch. 10 summaries)', () => {
  it('LSTM(16) on 14 features: 4·(16·(16+14)+16) = 1,984, then Dense(1) = 17', () => {
    const s = summarizeModel(spec('lstm'), 120, 14, 1)
    expect(s.layers.map((l) => l.params)).toEqual([1984, 17])
    expect(s.layers[0].formula).toBe('4·(16·(16+14)+16) = 1,984')
    expect(s.totalParams).toBe(2001)
  })

  it('the course formula for an LSTM over 10 past closes (i = 1)', () => {
    const s = summarizeModel({ ...spec('lstm'), layers: [{ type: 'lstm', units: 50 }] }, 10, 1, 1)
    expect(s.layers[0].params).toBe(4 * (50 * (50 + 1) + 50))
  })

  it('Conv1D preset: shapes 97 → 48 → 37 → 18 → 13 steps', () => {
    const s = summarizeModel(spec('conv1d'), 120, 14, 1)
    expect(s.layers.map((l) => l.outputShape)).toEqual([
      [97, 8],
      [48, 8],
      [37, 8],
      [18, 8],
      [13, 8],
      [8],
      [1],
    ])
    expect(s.layers.map((l) => l.params)).toEqual([2696, 0, 776, 0, 392, 0, 9])
  })

  it('GRU as TensorFlow.js builds it (reset_after = false): 3·(n·(n+i)+n)', () => {
    const s = summarizeModel(spec('gru-stacked'), 120, 14, 1)
    expect(s.layers.map((l) => l.params)).toEqual([4512, 6240, 0, 33])
  })

  it('bidirectional doubles parameters and width', () => {
    const s = summarizeModel(spec('bilstm'), 120, 14, 1)
    expect(s.layers[0]).toMatchObject({ params: 3968, outputShape: [32] })
  })

  it('a direct head of H outputs', () => {
    const s = summarizeModel(spec('dense'), 120, 14, 10)
    expect(s.layers.map((l) => l.params)).toEqual([0, 1680 * 16 + 16, 17 * 10])
  })

  it('every window-model preset summarizes on the Jena shapes', () => {
    for (const p of MODEL_PRESETS.filter((q) => !q.spec.statistical))
      expect(summarizeModel(p.spec, 120, 14, 1).totalParams).toBeGreaterThan(0)
  })
})

describe('shape errors name the layer and the fix', () => {
  it('a recurrent layer after a vector', () => {
    const bad: ModelSpec = {
      ...spec('lstm'),
      name: 'two LSTMs',
      layers: [
        { type: 'lstm', units: 8 },
        { type: 'lstm', units: 8 },
      ],
    }
    expect(() => summarizeModel(bad, 20, 1, 1)).toThrow(
      'Model "two LSTMs", layer 2 (LSTM(8)) needs a sequence as input, received a vector of 8. Turn on "return sequences"',
    )
  })
  it('a sequence into the output layer', () => {
    const bad: ModelSpec = {
      ...spec('lstm'),
      layers: [{ type: 'lstm', units: 8, returnSequences: true }],
    }
    expect(() => summarizeModel(bad, 20, 1, 1)).toThrow(
      /outputs a sequence \(20 × 8\), but the output layer needs a vector/,
    )
  })
  it('a kernel longer than the window', () => {
    expect(() => summarizeModel(spec('conv1d'), 20, 1, 1)).toThrow(
      /layer 1 \(Conv1D\(8, 24, relu\)\) has kernel size 24 but receives only 20 steps/,
    )
  })
})

describe('parseModelSpec', () => {
  it('accepts every preset', () => {
    for (const p of MODEL_PRESETS) expect(parseModelSpec(p.spec)).toEqual(p.spec)
  })
  it('says where and what is wrong', () => {
    expect(() =>
      parseModelSpec({ ...spec('lstm'), layers: [{ type: 'lstm', units: 0 }] }, 'spec.json'),
    ).toThrow(/^spec.json is not a valid model: model.layers\[0\].units: Too small/)
    expect(() => parseModelSpec({ ...spec('lstm'), layers: [{ type: 'transformer' }] })).toThrow(
      /model.layers\[0\].type/,
    )
  })
})

/**
 * The run checks the Experiment view, the training service and the CLI share: each refusal names
 * the setting and says what to change. Expected counts are Keras' arithmetic done by hand.
 */
import { describe, expect, it } from 'vitest'
import { checkRun, checkTrainingBatches } from '../../../src/shared/checks/run'
import { SeqcastError } from '../../../src/shared/errors'
import { DEFAULT_TRAINING, type RunConfig } from '../../../src/shared/experiment'
import { presetSpec } from '../../../src/shared/models/presets'
import type { ModelSpec } from '../../../src/shared/models/spec'

function config(
  model: ModelSpec,
  window: { L: number; delay: number; horizon?: number; rate?: number },
  batchSize = 32,
): RunConfig {
  return {
    experiment: {
      target: 'y',
      features: ['y'],
      window: {
        sequenceLength: window.L,
        samplingRate: window.rate ?? 1,
        sequenceStride: 1,
        delay: window.delay,
        horizon: window.horizon ?? 1,
      },
      split: { train: 0.5, val: 0.25 },
      // A tanh output needs min-max to [−1, 1] (checkOutputRange, tested in nonsense.test.ts).
      normalization: model.head.activation === 'tanh' ? 'minmax-sym' : 'zscore',
      seasonRows: null,
    },
    model,
    training: { ...DEFAULT_TRAINING, batchSize, shuffle: !model.stateful },
  }
}

const preset = (id: string, edit: Partial<ModelSpec> = {}): ModelSpec => ({
  ...presetSpec(id)!,
  ...edit,
})
const recursive = { head: { kind: 'recursive', activation: 'linear' } } as const

function refusal(fn: () => void): SeqcastError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(SeqcastError)
    return error as SeqcastError
  }
  throw new Error('expected the run to be refused')
}

describe('checkRun: a recursive roll-out', () => {
  it('runs on the target alone, every row, with the target right after the window', () => {
    expect(() =>
      checkRun(config(preset('lstm', recursive), { L: 12, delay: 12, horizon: 6 })),
    ).not.toThrow()
  })

  it('refuses a gap after the window, naming the delay it needs', () => {
    const e = refusal(() =>
      checkRun(config(preset('lstm', recursive), { L: 12, delay: 20, horizon: 6 })),
    )
    expect(e.kind).toBe('config')
    expect(e.details.setting).toBe('head')
    expect(e.message).toBe(
      'Model "LSTM(16)" rolls a one-step forecast out 6 steps by feeding each prediction back as the newest input: ' +
        'the delay must equal the sequence length, 12 (it is 20), so the target is the row right after the window. ' +
        'Change these settings or use a direct head (Dense(H)).',
    )
  })

  it('refuses other features and a sampling rate above 1, listing both', () => {
    const c = config(preset('lstm', recursive), { L: 4, delay: 7, rate: 2 })
    c.experiment.features = ['y', 'x']
    const e = refusal(() => checkRun(c))
    expect(e.details.problems).toEqual([
      'the target "y" must be the only feature (features: y, x)',
      'the sampling rate must be 1 (it is 2)',
    ])
  })
})

describe('checkRun: stateful models', () => {
  it('refuse a recursive head (every roll-out step would advance the state)', () => {
    const e = refusal(() =>
      checkRun(config(preset('stateful-lstm', recursive), { L: 15, delay: 15, horizon: 3 }, 20)),
    )
    expect(e.details.setting).toBe('head')
    expect(e.message).toMatch(/a recursive roll-out cannot be stateful/)
  })

  it('refuse bidirectional layers and models without a recurrent layer', () => {
    expect(
      refusal(() => checkRun(config(preset('bilstm', { stateful: true }), { L: 12, delay: 12 })))
        .message,
    ).toMatch(/cannot have bidirectional layers/)
    expect(
      refusal(() => checkRun(config(preset('dense', { stateful: true }), { L: 12, delay: 12 })))
        .message,
    ).toMatch(/is stateful but has no recurrent layer/)
  })

  it('need one whole batch of training windows when their number is known', () => {
    const c = config(preset('stateful-lstm'), { L: 15, delay: 15 }, 20)
    expect(() => checkRun(c)).not.toThrow()
    expect(() => checkRun(c, 20)).not.toThrow() // 20 windows: one batch of 20
    const e = refusal(() => checkRun(c, 19))
    expect(e.details).toMatchObject({ setting: 'batchSize', windows: 19, batchSize: 20 })
    expect(e.message).toBe(
      'Batch size: a stateful model needs at least one full batch of training windows; the training split has 19 windows and the batch size is 20. ' +
        'Lower the batch size to 19 or less, or give the training split more rows.',
    )
  })
})

describe('checkTrainingBatches', () => {
  it('a stateless run trains on a partial batch; it needs one window', () => {
    expect(() => checkTrainingBatches(false, 1, 256)).not.toThrow()
    expect(refusal(() => checkTrainingBatches(false, 0, 256)).message).toMatch(
      /^The training split has no windows/,
    )
  })
})

describe('checkRun: shapes', () => {
  it('names the layer whose output does not fit the head', () => {
    const s = preset('lstm', { layers: [{ type: 'lstm', units: 16, returnSequences: true }] })
    expect(refusal(() => checkRun(config(s, { L: 12, delay: 12 }))).message).toMatch(
      /layer 1 \(LSTM\(16, sequences\)\)/,
    )
  })
})

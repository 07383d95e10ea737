/** Run names from what differs between the runs of a dataset (issue #12, "run names that say what differs"). */
import { describe, expect, it } from 'vitest'
import { DEFAULT_TRAINING, type RunConfig } from '../../../src/shared/experiment'
import { presetSpec } from '../../../src/shared/models/presets'
import { runName } from '../../../src/shared/naming/run-name'

function config(change: (c: RunConfig) => void = () => {}): RunConfig {
  const c: RunConfig = {
    experiment: {
      target: 'T (degC)',
      features: ['p (mbar)', 'T (degC)'],
      window: { sequenceLength: 24, samplingRate: 1, sequenceStride: 1, delay: 24, horizon: 1 },
      split: { train: 0.5, val: 0.25 },
      normalization: 'zscore',
      seasonRows: null,
      transform: { kind: 'change', log: false, seasonRows: null },
      calendar: 'none',
    },
    model: structuredClone(presetSpec('lstm')!),
    training: { ...DEFAULT_TRAINING },
  } as RunConfig
  change(c)
  return c
}

describe('runName', () => {
  const lstm = presetSpec('lstm')!.name

  it('names the first run of a dataset by its model and target', () => {
    expect(runName(config(), [])).toBe(`${lstm} → T (degC)`)
  })

  it('names each later run by the model and the settings that differ across the runs', () => {
    const first = config()
    const second = config((c) => (c.experiment.window.sequenceLength = 48))
    // Only L differs: the name is the model and the new L.
    expect(runName(second, [first])).toBe(`${lstm} · L 48`)
    // A third run with L 24 and log change: L differs from the second, the transform from both.
    const third = config(
      (c) => (c.experiment.transform = { kind: 'change', log: true, seasonRows: null }),
    )
    expect(runName(third, [first, second])).toBe(`${lstm} · L 24 · log change`)
  })

  it('names the target, the horizon, the optimizer and the batch when those differ', () => {
    const first = config()
    const other = config((c) => {
      c.experiment.target = 'p (mbar)'
      c.experiment.window.horizon = 6
      c.training.optimizer = 'adam'
      c.training.learningRate = 0.005
      c.training.batchSize = 64
    })
    expect(runName(other, [first])).toBe(`${lstm} · → p (mbar) · H 6 · Adam 0.005 · batch 64`)
  })

  it('names the one-hot columns when they differ', () => {
    const first = config()
    const labelled = config(
      (c) => (c.experiment.oneHot = [{ column: 'weather', categories: ['rain', 'sun'] }]),
    )
    expect(runName(labelled, [first])).toBe(`${lstm} · one-hot weather`)
    expect(runName(config(), [first, labelled])).toBe(`${lstm} · no one-hot`)
  })

  it('keeps names apart when a run repeats the settings of an earlier one', () => {
    const first = config()
    const names = [runName(first, [])]
    const again = runName(config(), [first], names)
    expect(again).toBe(`${lstm} → T (degC) (2)`)
    expect(runName(config(), [first, first], [...names, again])).toBe(`${lstm} → T (degC) (3)`)
  })

  it('says "target only" and "seasonal 24" in words a person reads', () => {
    const first = config()
    const other = config((c) => {
      c.experiment.features = ['T (degC)']
      c.experiment.transform = { kind: 'seasonal', log: false, seasonRows: 24 }
    })
    expect(runName(other, [first])).toBe(`${lstm} · target only · seasonal 24`)
  })
})

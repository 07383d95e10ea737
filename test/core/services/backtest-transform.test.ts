/**
 * A backtest's window model learns what a run of the same experiment learns: with a target
 * transform (`change` here) the learned rows, normalized on the fold's training rows only, turned
 * back into data units before any score. Before, folds trained on the levels whatever the
 * transform said, so an LSTM run that matched naive (transform change, chosen automatically on a
 * trending weekly series) backtested at 4–8 × naive's MAE.
 *
 * Answers: the normalization's centre is the mean of y[r] − y[r − 1] over the fold's rows, by
 * hand; perfect learned values round-trip to the actual targets; a change after the fold's rows
 * leaves its normalization as it was; and on a trending series the backtest with `change` beats
 * the one with the levels, which cannot leave the training range.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { EngineHost } from '../../../src/core/engine/host'
import { backtestRun, foldTargetUnits } from '../../../src/core/services/backtest'
import { actualTargets } from '../../../src/shared/baselines'
import type { ExperimentConfig } from '../../../src/shared/experiment'
import { toDataUnits } from '../../../src/shared/forecast/data-units'
import { prepareExperiment } from '../../../src/shared/prepare'
import type { Dataset } from '../../../src/shared/series/dataset'
import { learnedTargets } from '../../../src/shared/transforms/target'
import { spec, training, tsxWorker, window } from '../engine/helpers'

const host = new EngineHost({ createWorker: tsxWorker })
afterAll(() => host.dispose())

const N = 160
/** A rising series with a wobble: y = 50 + 2t + 5 sin(t / 3), rounded to 2 decimals. */
function trending(n = N, bump = 0, from = n): Dataset {
  const values = new Float64Array(n)
  for (let t = 0; t < n; t++)
    values[t] = Number((50 + 2 * t + 5 * Math.sin(t / 3) + (t >= from ? bump : 0)).toFixed(2))
  return {
    name: 'trend.csv',
    rowCount: n,
    columns: [{ name: 'y', kind: 'numeric', values }],
    timeColumn: null,
  }
}

const change = { kind: 'change' as const, log: false, seasonRows: null }
const experiment = (transform: ExperimentConfig['transform']): ExperimentConfig => ({
  target: 'y',
  features: ['y'],
  window: { ...window(8), horizon: 1 }, // rows s … s+7, target s+8
  split: { train: 0.5, val: 0.25 },
  normalization: 'zscore',
  seasonRows: null,
  transform,
  calendar: 'none',
})

describe('foldTargetUnits: a fold learns the transformed target, fitted on its own rows', () => {
  const data = trending()
  const y = (data.columns[0] as { values: Float64Array }).values
  const prepared = prepareExperiment(data, experiment(change))
  const trainEnd = 100

  it('learns y[r] − y[r − 1], normalized with the mean and std of the fold’s rows, by hand', () => {
    const units = foldTargetUnits(prepared, trainEnd)
    expect(units.targetWidth).toBe(1)
    const diffs: number[] = []
    for (let r = 1; r < trainEnd; r++) diffs.push(y[r] - y[r - 1])
    const mean = diffs.reduce((a, b) => a + b, 0) / diffs.length
    expect(units.dataUnits.center).toBeCloseTo(mean, 10)
    expect(units.target[50]).toBeCloseTo((y[50] - y[49] - mean) / units.dataUnits.scale, 5)
  })

  it('perfect learned values come back as the actual targets (round trip)', () => {
    const units = foldTargetUnits(prepared, trainEnd)
    const w = prepared.config.window
    const starts = Int32Array.from({ length: 40 }, (_, i) => 100 + i)
    const perfect = learnedTargets(Float64Array.from(units.target), starts, w)
    const back = toDataUnits(perfect, starts, w, units.dataUnits)
    const actual = actualTargets(y, starts, w)
    for (let i = 0; i < actual.length; i++) expect(back[i]).toBeCloseTo(actual[i], 3)
  })

  it('no look-ahead: changing rows after the fold leaves its normalization as it was', () => {
    const other = prepareExperiment(trending(N, 500, trainEnd), experiment(change))
    const a = foldTargetUnits(prepared, trainEnd)
    const b = foldTargetUnits(other, trainEnd)
    expect(b.dataUnits.center).toBe(a.dataUnits.center)
    expect(b.dataUnits.scale).toBe(a.dataUnits.scale)
  })
})

describe('backtestRun of a window model honours the target transform', () => {
  it('on a trending series, folds learning the change beat folds learning the levels', async () => {
    const model = {
      family: 'window' as const,
      spec: spec('linear'),
      training: training({ epochs: 20, seed: 1 }),
    }
    const run = (transform: ExperimentConfig['transform']) =>
      backtestRun(
        trending(),
        { experiment: experiment(transform), model, folds: 2, refit: 'every', level: null },
        { host },
      )
    const levels = await run({ kind: 'none', log: false, seasonRows: null })
    const changes = await run(change)
    // Every fold's block lies above the rows its model was fitted on.
    for (const [k, f] of changes.report.folds.entries()) {
      expect(f.metrics.mae).toBeLessThan(levels.report.folds[k].metrics.mae)
      // The wobble's step is at most 2 + 5/3 ≈ 3.7, so a model of the change stays near naive.
      expect(f.metrics.mae).toBeLessThan(2 * f.baselines.naive.mae)
    }
  }, 120_000)
})

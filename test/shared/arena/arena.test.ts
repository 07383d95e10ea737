/** The arena's rules: model sets, ranking by validation MAE, the ensemble's members and mean. */
import { describe, expect, it } from 'vitest'
import {
  arenaModels,
  SLOW_PRESET_IDS,
  ensembleMembers,
  meanForecast,
  percentBetter,
  rankBoard,
  type BoardEntry,
} from '../../../src/shared/arena'
import { arenaTraining, modelTraining } from '../../../src/shared/arena-run'
import type { TrainingConfig } from '../../../src/shared/experiment'
import type { Metrics } from '../../../src/shared/metrics'

const m = (mae: number): Metrics => ({ mae, rmse: mae, mape: NaN, smape: NaN, mase: NaN, n: 1 })
const entry = (model: string, family: BoardEntry['family'], val: number | null): BoardEntry => ({
  model,
  family,
  val: val === null ? null : m(val),
  test: m(1),
  seconds: 0,
})

describe('arena', () => {
  it('model sets: statistical, neural, all, a list; unknown names are refused by name', () => {
    expect(arenaModels('statistical')).toEqual(['ets', 'arima', 'theta', 'mstl'])
    expect(arenaModels('neural')).toContain('lstm')
    expect(arenaModels('neural')).not.toContain('ets')
    expect(arenaModels('all')).toEqual([...arenaModels('statistical'), ...arenaModels('neural')])
    expect(arenaModels('ets, lstm,ets')).toEqual(['ets', 'lstm'])
    // default: every statistical model and the fast window presets; neural keeps the slow ones.
    const fast = arenaModels('default')
    expect(fast.slice(0, 4)).toEqual(arenaModels('statistical'))
    expect(fast).toEqual(arenaModels('all').filter((id) => !SLOW_PRESET_IDS.includes(id)))
    for (const id of ['simplernn', 'deep-rnn', 'conv-gru', 'conv1d']) {
      expect(fast).not.toContain(id)
      expect(arenaModels('neural')).toContain(id)
    }
    expect(fast).toEqual(expect.arrayContaining(['linear', 'dense', 'lstm', 'bilstm']))
    expect(() => arenaModels('ets,prophet')).toThrow(/--models: .*unknown: prophet/)
  })

  it('ranks by validation MAE, lower first; no or NaN validation last; ties keep run order', () => {
    const board = rankBoard([
      entry('a', 'neural', 3),
      entry('b', 'statistical', NaN),
      entry('c', 'baseline', 1),
      entry('d', 'neural', null),
      entry('e', 'statistical', 2),
      entry('f', 'statistical', 2),
    ])
    expect(board.map((e) => e.model)).toEqual(['c', 'e', 'f', 'a', 'b', 'd'])
  })

  it('the ensemble takes the k best fitted models, never baselines, and needs two', () => {
    const all = [
      entry('naive', 'baseline', 0.5),
      entry('a', 'neural', 4),
      entry('b', 'statistical', 1),
      entry('c', 'statistical', 3),
      entry('d', 'neural', 2),
      entry('e', 'neural', NaN),
    ]
    expect(ensembleMembers(all).map((e) => e.model)).toEqual(['b', 'd', 'c'])
    expect(ensembleMembers(all, 2).map((e) => e.model)).toEqual(['b', 'd'])
    expect(ensembleMembers([all[0], all[1], all[5]])).toEqual([])
  })

  it('the mean forecast is the element-wise mean; percent better than a reference', () => {
    expect(Array.from(meanForecast([Float64Array.of(1, 2), Float64Array.of(3, 6)]))).toEqual([2, 4])
    expect(percentBetter(8, 10)).toBeCloseTo(20, 12)
    expect(percentBetter(12, 10)).toBeCloseTo(-20, 12)
    expect(percentBetter(1, 0)).toBeNull()
  })
})

describe('the training of one model of a comparison (the arena and compare --folds alike)', () => {
  const base = arenaTraining({ shuffle: true, batchSize: 256 } as TrainingConfig)
  it('a stateful model keeps its batches in order, at most one batch of its training windows', () => {
    expect(base.batchSize).toBe(64)
    expect(modelTraining({ stateful: true }, base, 1000)).toMatchObject({
      shuffle: false,
      batchSize: 64,
    })
    expect(modelTraining({ stateful: true }, base, 40).batchSize).toBe(40)
    expect(modelTraining({ stateful: true }, base, 0).batchSize).toBe(1)
  })
  it('any other model trains with the arena settings as they are', () => {
    expect(modelTraining({ stateful: false }, base, 40)).toBe(base)
  })
})

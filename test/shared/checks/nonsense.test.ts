/**
 * The checks against silent nonsense, on small hand-made series whose answers are read off by
 * eye: constant columns, values outside the training range, tanh outputs, a stateful validation
 * split smaller than a batch, and the verdict when a model is worse than naive.
 */
import { describe, expect, it } from 'vitest'
import {
  checkOutputRange,
  constantColumnIssues,
  constantColumnMessage,
  constantColumns,
  defaultTargetColumn,
  naiveVerdict,
  outputNormalization,
  outsideTrainingRange,
  rowLabelColumns,
  runWarnings,
} from '../../../src/shared/checks/nonsense'
import { checkRun } from '../../../src/shared/checks/run'
import { parseCsv } from '../../../src/shared/csv'
import { DEFAULT_TRAINING, type ExperimentConfig } from '../../../src/shared/experiment'
import { presetSpec } from '../../../src/shared/models/presets'

const meters = parseCsv('t,meter0,meter1,temp\n1,0,5,20\n2,0,7,21\n3,0,6,20.5\n', {
  fileName: 'load.csv',
}).dataset

const ranges = {
  train: { start: 0, end: 4 },
  val: { start: 4, end: 6 },
  test: { start: 6, end: 8 },
}

function experiment(over: Partial<ExperimentConfig> = {}): ExperimentConfig {
  return {
    target: 'y',
    features: ['y'],
    window: { sequenceLength: 2, samplingRate: 1, sequenceStride: 1, delay: 2, horizon: 1 },
    split: { train: 0.5, val: 0.25 },
    normalization: 'zscore',
    seasonRows: null,
    ...over,
  }
}

describe('constant columns', () => {
  it('a meter that reads 0 in every row is flagged and never the default target', () => {
    expect(constantColumns(meters)).toEqual(['meter0'])
    // t counts rows 1, 2, 3: a label, not a quantity (see the row-label test below)
    expect(defaultTargetColumn(meters)).toBe('meter1')
    const noTime = parseCsv('meter0,meter1\n0,5\n0,7\n', { fileName: 'm.csv' }).dataset
    expect(defaultTargetColumn(noTime)).toBe('meter1')
    expect(constantColumnMessage(noTime, 'meter0')).toMatch(
      /^Column "meter0" is constant \(every value is 0\).*not offered as the default target/,
    )
  })
})

describe('row labels are never the default target', () => {
  it("R's row names (1, 2, 3 …) before the time: the first measured column is the target", () => {
    const r = parseCsv(
      '"","time","DAX","SMI"\n"1",1991.49615384615,1628.75,1678.1\n"2",1991.5,1613.63,1688.5\n"3",1991.50384615385,1606.51,1678.6\n',
      { fileName: 'eustock.csv' },
    ).dataset
    expect(rowLabelColumns(r)).toEqual(['column 1'])
    expect(defaultTargetColumn(r)).toBe('DAX')
  })

  it("NOAA's year and month beside the decimal date: the average is the target", () => {
    const co2 = parseCsv(
      'year,month,decimal date,average\n1958,3,1958.2083,315.7\n1958,4,1958.2917,317.45\n1958,5,1958.375,317.51\n',
      { fileName: 'co2.csv' },
    ).dataset
    expect(rowLabelColumns(co2)).toContain('month')
    expect(defaultTargetColumn(co2)).toBe('average')
  })

  it('a measured column of whole numbers that only looks like a counter somewhere is kept', () => {
    const d = parseCsv('t,count\n1,1\n2,2\n3,4\n', { fileName: 'c.csv' }).dataset
    expect(rowLabelColumns(d)).toEqual(['t'])
    expect(defaultTargetColumn(d)).toBe('count')
  })
})

describe('values outside the training range', () => {
  // Training rows 1, 3, 2, 4: range 1 … 4. Validation 5, 2 (one outside); test 0, 9 (both).
  const y = [1, 3, 2, 4, 5, 2, 0, 9]

  it('counts them per split', () => {
    expect(outsideTrainingRange(y, ranges)).toEqual([
      { split: 'val', outside: 1, count: 2, min: 1, max: 4 },
      { split: 'test', outside: 2, count: 2, min: 1, max: 4 },
    ])
  })

  it('warns with the range and suggests change for a model of the levels; not with change', () => {
    const base = {
      model: { stateful: false },
      batchSize: 32,
      target: y,
      ranges,
      valWindows: 2,
      constantInputs: [],
    }
    const warnings = runWarnings({ ...base, experiment: experiment() })
    expect(warnings).toEqual([
      expect.stringMatching(
        /^50 % of the validation values of "y" lie outside the training range 1 … 4.*--transform change/,
      ),
      expect.stringMatching(
        /^100 % of the test values of "y" lie outside the training range 1 … 4/,
      ),
    ])
    const change = experiment({ transform: { kind: 'change', log: false, seasonRows: null } })
    expect(runWarnings({ ...base, experiment: change })).toEqual([])
  })

  it('no transform advice for a statistical model (ETS follows the level by itself)', () => {
    expect(
      runWarnings({
        model: { stateful: false, statistical: { kind: 'ets' } },
        batchSize: 32,
        target: y,
        ranges,
        valWindows: 2,
        constantInputs: [],
        experiment: experiment(),
      }),
    ).toEqual([])
  })

  it('a constant target and constant inputs are named', () => {
    const w = runWarnings({
      experiment: experiment({ features: ['y', 'x'] }),
      model: { stateful: false },
      batchSize: 32,
      target: [0, 0, 0, 0, 0, 0, 0, 0],
      ranges,
      valWindows: 2,
      constantInputs: ['y', 'x'],
    })
    expect(w[0]).toMatch(/^Target "y" is constant in the training rows \(every value is 0\)/)
    expect(w[1]).toMatch(/^Input "x" is constant in the training rows/)
  })
})

describe('stateful validation smaller than a batch', () => {
  it('a direct head is validated all the same (its forecasts pad the last batch): no warning', () => {
    const w = runWarnings({
      experiment: experiment(),
      model: { stateful: true, head: { kind: 'direct' } },
      batchSize: 20,
      target: [1, 2, 3, 4, 3, 2, 3, 4],
      ranges,
      valWindows: 12,
      constantInputs: [],
    })
    expect(w).toEqual([])
  })

  it('an every-step head: says that it is not evaluated and that early stopping watches the training loss', () => {
    const w = runWarnings({
      experiment: experiment(),
      model: { stateful: true, head: { kind: 'every-step' } },
      batchSize: 20,
      target: [1, 2, 3, 4, 3, 2, 3, 4],
      ranges,
      valWindows: 12,
      constantInputs: [],
    })
    expect(w).toEqual([
      'Validation: a stateful model with an every-step head reads whole batches of 20 windows for its validation loss, and the validation split has 12, so it is not evaluated during training: ' +
        'early stopping and the best epoch watch the training loss. Lower the batch size to 12 or less, or give the validation split more rows.',
    ])
  })
})

describe('tanh outputs', () => {
  const lstm4 = presetSpec('stateful-lstm')!
  it('the stateful LSTM(4) preset needs min-max to [−1, 1]; z-score is refused with the fix', () => {
    expect(outputNormalization(lstm4)).toBe('minmax-sym')
    expect(outputNormalization(presetSpec('lstm')!)).toBeNull()
    expect(() => checkOutputRange(lstm4, 'minmax-sym')).not.toThrow()
    expect(() => checkOutputRange(lstm4, 'zscore')).toThrow(
      /ends in tanh, whose outputs lie in \[−1, 1\], but the normalization is zscore.*--normalize minmax-sym/,
    )
    const config = {
      experiment: experiment({
        window: { sequenceLength: 15, samplingRate: 1, sequenceStride: 1, delay: 15, horizon: 1 },
      }),
      model: lstm4,
      training: { ...DEFAULT_TRAINING, batchSize: 20, shuffle: false },
    }
    expect(() => checkRun(config)).toThrow(/ends in tanh/)
  })
})

describe('naiveVerdict', () => {
  const metrics = (mae: number) => ({ mae, rmse: mae, mape: NaN, smape: NaN, mase: NaN, n: 2 })
  it('null when the model beats naive', () => {
    expect(
      naiveVerdict({
        experiment: experiment(),
        target: [1, 2],
        ranges,
        model: metrics(1),
        naive: metrics(2),
      }),
    ).toBeNull()
  })

  it('writes its MAEs as the metric tables do (4 significant digits), not 6', () => {
    const text = naiveVerdict({
      experiment: experiment(),
      target: [1, 3, 2, 4, 5, 9, 0, 0],
      ranges,
      model: metrics(3.15749),
      naive: metrics(2.77745),
    })
    // (3.15749 / 2.77745 − 1) = 13.68 % → "13.7 %"
    expect(text).toMatch(
      /^Worse than naive on validation: MAE 3\.157 against 2\.777 for repeating the last value \(13\.7 % worse\)\./,
    )
  })

  it('names the validation values outside the training range first, then a trend, then the gap', () => {
    const outside = naiveVerdict({
      experiment: experiment(),
      target: [1, 3, 2, 4, 5, 9, 0, 0],
      ranges,
      model: metrics(3),
      naive: metrics(2),
    })
    expect(outside).toBe(
      'Worse than naive on validation: MAE 3 against 2 for repeating the last value (50 % worse). ' +
        'Likely cause: 100 % of the validation values lie outside the training range 1 … 4, which a model of the levels reaches only by extrapolating (saturating layers such as LSTM or tanh cannot). Try the transform change.',
    )
    // Training rows 1, 2, 3, 4 lie on a line (R² = 100 %); validation values inside the range.
    const trend = naiveVerdict({
      experiment: experiment(),
      target: [1, 2, 3, 4, 3, 2, 0, 0],
      ranges,
      model: metrics(3),
      naive: metrics(2),
    })
    expect(trend).toMatch(
      /Likely cause: the target trends \(a straight line explains 100 % .*Try the transform change\.$/,
    )
    const level = naiveVerdict({
      experiment: experiment(),
      target: [1, 3, 1, 3, 2, 2, 0, 0],
      ranges,
      model: metrics(3),
      naive: metrics(2),
    })
    expect(level).toMatch(
      /Likely cause: 1 row ahead the last value is already a close forecast.*calendar features, or a longer window\.$/,
    )
  })

  it('a statistical model is given no window-model advice: no transform, no saturating layers', () => {
    const ets = (target: number[]) =>
      naiveVerdict({
        experiment: experiment(),
        target,
        ranges,
        model: metrics(3),
        naive: metrics(2),
        statistical: 'ETS',
      })
    expect(ets([1, 3, 2, 4, 5, 9, 0, 0])).toBe(
      'Worse than naive on validation: MAE 3 against 2 for repeating the last value (50 % worse). ' +
        'Likely cause: 100 % of the validation values lie outside the training range 1 … 4, which the ETS fitted on the training rows alone did not foresee. ' +
        'Try the other statistical models (Compare models ranks them on the same windows), the Season field, more training rows, or a window model learning the change.',
    )
    // inside the range: no cause named, the same advice
    expect(ets([1, 3, 1, 3, 2, 2, 0, 0])).toBe(
      'Worse than naive on validation: MAE 3 against 2 for repeating the last value (50 % worse). ' +
        'Try the other statistical models (Compare models ranks them on the same windows), the Season field, more training rows, or a window model learning the change.',
    )
  })
})

describe('constantColumnIssues', () => {
  it('one Data view warning per constant column, naming file and column', () => {
    expect(constantColumnIssues(meters)).toEqual([
      expect.objectContaining({
        code: 'constant-column',
        severity: 'warning',
        file: 'load.csv',
        column: 'meter0',
        message: expect.stringMatching(/^Column "meter0" is constant/),
      }),
    ])
  })
})

describe('checkRun with transforms and calendar features', () => {
  const run = (model: string, over: Partial<ExperimentConfig>) => ({
    experiment: experiment({
      window: { sequenceLength: 4, samplingRate: 1, sequenceStride: 1, delay: 4, horizon: 2 },
      seasonRows: 4,
      ...over,
    }),
    model: presetSpec(model)!,
    training: { ...DEFAULT_TRAINING },
  })
  it('a recursive roll-out refuses a transform and calendar features; every-step refuses seasonal', () => {
    const recursive = (over: Partial<ExperimentConfig>) => {
      const c = run('linear', over)
      c.model = { ...c.model, head: { kind: 'recursive', activation: 'linear' } }
      return c
    }
    expect(() => checkRun(recursive({}))).not.toThrow()
    expect(() =>
      checkRun(recursive({ transform: { kind: 'change', log: false, seasonRows: null } })),
    ).toThrow(/the transform must be none/)
    expect(() => checkRun(recursive({ calendar: ['month'] }))).toThrow(
      /calendar features must be off/,
    )
    const everyStep = run('linear', { transform: { kind: 'seasonal', log: false, seasonRows: 4 } })
    everyStep.model = { ...everyStep.model, head: { kind: 'every-step', activation: 'linear' } }
    expect(() => checkRun(everyStep)).toThrow(/transform "seasonal" has no value one season before/)
  })

  it('the input count includes the calendar columns (4 per feature: sin/cos of row and target)', () => {
    const c = run('linear', { calendar: ['month', 'dow'] })
    expect(() => checkRun(c)).not.toThrow()
  })
})

/**
 * Every evaluation path scores a model the same way (issue 11): `train`, a 1-fold `backtest`,
 * `compare` and `predict` on the training file, through a real worker, for each setting that
 * changes what a model learns or reads (target transform, calendar and one-hot inputs,
 * normalization, horizon > 1, sampling rate and stride, recursive and tanh heads, statistical
 * models, --refit once).
 *
 * Answers known without the code under test: a run on 480 rows with split 0.6 / 0.15 fits on
 * rows [0, 288), early-stops on [288, 360) and forecasts the windows that start at row 360 or
 * later. A backtest of the same experiment with training fraction 0.75 and validation fraction
 * 0.2, in one fold, fits on rows [0, 360 − ⌊0.2 · 360⌋) = [0, 288), early-stops on [288, 360)
 * and forecasts every window whose first target is row 360 or later, the run's among them: with
 * one epoch (no best-epoch choice between differing early-stopping windows) and the same seed its
 * forecasts of those are the run's test forecasts; a statistical model's are identical. `predict`
 * with the run's model on the training file gives the run's test forecasts, and `compare`
 * reports a `train` of the same model.
 *
 * Not asserted: a stateful model's forecasts of a window depend on the windows streamed before it
 * in the same call, so a fold (7 more windows) and `predict` (every window of the file) differ
 * from the run's test forecasts by design (on this series, row 367: run 115.29, predict 116.78).
 */
import { afterAll, describe, expect, it } from 'vitest'
import { EngineHost } from '../../../src/core/engine/host'
import { backtestRun } from '../../../src/core/services/backtest'
import { predictWithModel } from '../../../src/core/services/predict-run'
import { runArena } from '../../../src/core/services/arena'
import { modelTraining } from '../../../src/shared/arena-run'
import { trainRun } from '../../../src/core/services/train-run'
import type { ExperimentConfig, RunConfig, TrainingConfig } from '../../../src/shared/experiment'
import type { ModelSpec } from '../../../src/shared/models/spec'
import type { Forecast } from '../../../src/shared/run'
import type { Dataset } from '../../../src/shared/series/dataset'
import { NO_TRANSFORM } from '../../../src/shared/transforms/spec'
import { seededRandom } from '../../../src/shared/windows/random'
import { spec, training, tsxWorker, window } from '../engine/helpers'

const host = new EngineHost({ createWorker: tsxWorker })
afterAll(() => host.dispose())

const ROWS = 480
const LABELS = ['sun', 'rain', 'fog']

/**
 * Daily rows from 2021-01-01: a rising, weekly series (positive, so log applies) with seeded
 * noise, a second numeric input and a weather label that shifts the next day's value.
 */
function daily(): Dataset {
  const rand = seededRandom(5)
  const weather = Array.from({ length: ROWS }, () => LABELS[Math.floor(rand() * 3)])
  const y = new Float64Array(ROWS)
  const x = new Float64Array(ROWS)
  for (let r = 0; r < ROWS; r++) {
    x[r] = Number((10 * Math.cos(r / 5) + rand()).toFixed(3))
    const effect = r > 0 && weather[r - 1] === 'rain' ? 6 : 0
    y[r] = Number(
      (40 + 0.3 * r + 8 * Math.sin((2 * Math.PI * r) / 7) + effect + 2 * rand()).toFixed(2),
    )
  }
  return {
    name: 'daily.csv',
    rowCount: ROWS,
    timeColumn: 'date',
    columns: [
      {
        name: 'date',
        kind: 'datetime',
        values: Float64Array.from({ length: ROWS }, (_, r) => Date.UTC(2021, 0, 1 + r)),
        format: 'iso-date',
      },
      { name: 'y', kind: 'numeric', values: y },
      { name: 'x', kind: 'numeric', values: x },
      {
        name: 'weather',
        kind: 'text',
        codes: Int32Array.from(weather, (w) => LABELS.indexOf(w)),
        categories: LABELS,
      },
    ],
  }
}
const data = daily()

interface Case {
  name: string
  experiment: Partial<ExperimentConfig>
  model?: ModelSpec
  training?: Partial<TrainingConfig>
}

const base = (over: Partial<ExperimentConfig>): ExperimentConfig => ({
  target: 'y',
  features: ['y'],
  window: window(7, 7, 1),
  split: { train: 0.6, val: 0.15 },
  normalization: 'zscore',
  seasonRows: 7,
  transform: NO_TRANSFORM,
  calendar: 'none',
  ...over,
})

const CASES: Case[] = [
  { name: 'levels, horizon 1', experiment: {} },
  {
    name: 'change, horizon 3',
    experiment: {
      transform: { kind: 'change', log: false, seasonRows: null },
      window: window(7, 7, 3),
    },
  },
  {
    name: 'seasonal (7 rows), horizon 2',
    experiment: {
      transform: { kind: 'seasonal', log: false, seasonRows: 7 },
      window: window(7, 7, 2),
    },
  },
  { name: 'log', experiment: { transform: { kind: 'none', log: true, seasonRows: null } } },
  {
    // The backtest's own test fraction (rows 456–479) holds no window of 14 rows; it never uses it.
    name: 'sequence length 14, too long for the backtest’s unused test fraction',
    experiment: { window: window(14, 14, 1) },
  },
  {
    name: 'calendar (day of week), one-hot weather, a second input, min-max',
    experiment: {
      features: ['y', 'x'],
      calendar: ['dow'],
      oneHot: [{ column: 'weather', categories: [] }],
      normalization: 'minmax',
    },
  },
  {
    name: 'sampling rate 2, stride 2, delay 1 past the window, horizon 2',
    experiment: {
      window: { sequenceLength: 6, samplingRate: 2, sequenceStride: 2, delay: 12, horizon: 2 },
    },
  },
]

/** value by "targetRow/step" of a forecast (rowIndex per value, steps window-major). */
function byRowStep(f: Pick<Forecast, 'rowIndex' | 'predicted' | 'horizon'>): Map<string, number> {
  const out = new Map<string, number>()
  for (let i = 0; i < f.predicted.length; i++)
    out.set(`${f.rowIndex[i]}/${(i % f.horizon) + 1}`, f.predicted[i])
  return out
}

/** The backtest of the run's experiment whose single fold is the run: see the header. */
function asOneFold(experiment: ExperimentConfig): ExperimentConfig {
  return { ...experiment, split: { train: 0.75, val: 0.2 } }
}

describe.each(CASES)('$name: train, backtest and predict agree', (c) => {
  const experiment = base(c.experiment)
  const model = c.model ?? spec('linear')
  const train = training({ epochs: 1, seed: 3, ...c.training })
  const config: RunConfig = { experiment, model, training: train }

  it('a 1-fold backtest on the run’s rows and predict on the training file give the run’s test forecasts', async () => {
    const run = await trainRun(data, config, { host })
    const test = run.forecasts.test!
    const want = byRowStep(test)
    expect(want.size).toBeGreaterThan(10)

    const bt = await backtestRun(
      data,
      {
        experiment: asOneFold(experiment),
        model: { family: 'window', spec: model, training: train },
        folds: 1,
        refit: 'every',
        level: null,
      },
      { host },
    )
    const plan = bt.plans[0]
    expect(plan.fitRows).toEqual([0, 288])
    expect(plan.trainRows).toEqual([0, 360])
    const H = experiment.window.horizon
    // The fold forecasts every window whose first target is row 360 or later; the run's test
    // windows are those that start there (Keras' split by window start), 7 rows later: a subset.
    const got = new Map<string, number>()
    plan.starts.forEach((s, k) => {
      for (let h = 0; h < H; h++)
        got.set(`${s + experiment.window.delay + h}/${h + 1}`, bt.forecasts[0].predicted[k * H + h])
    })
    expect(got.size).toBeGreaterThan(want.size)
    for (const [key, v] of want) expect(got.get(key), `backtest ${key}`).toBeCloseTo(v, 4)

    const set = await predictWithModel(run.artifacts!, data, { host })
    const predicted = byRowStep(set.forecast)
    for (const [key, v] of want) expect(predicted.get(key), `predict ${key}`).toBeCloseTo(v, 6)
  }, 120_000)
})

describe('a statistical model (ETS, weekly season): train, backtest, predict and compare agree', () => {
  const experiment = base({})
  const ets = spec('ets', (s) => {
    s.statistical = { ...s.statistical!, seasons: [7] }
  })

  it('identical test forecasts from train, a 1-fold backtest and predict', async () => {
    const run = await trainRun(data, { experiment, model: ets, training: training() }, { host })
    const want = byRowStep(run.forecasts.test!)
    const bt = await backtestRun(
      data,
      {
        experiment: asOneFold(experiment),
        model: { family: 'statistical', kind: 'ets', seasons: [7] },
        folds: 1,
        refit: 'every',
        level: null,
      },
      { host },
    )
    expect(bt.plans[0].fitRows).toEqual([0, 288])
    const s0 = bt.plans[0].starts
    const got = new Map<string, number>()
    s0.forEach((s, k) => got.set(`${s + experiment.window.delay}/1`, bt.forecasts[0].predicted[k]))
    for (const [key, v] of want) expect(got.get(key), `backtest ${key}`).toBe(v)
    const set = await predictWithModel(run.artifacts!, data, { host })
    const predicted = byRowStep(set.forecast)
    for (const [key, v] of want) expect(predicted.get(key), key).toBe(v)
  }, 120_000)

  it('compare reports what train of the same model reports', async () => {
    const run = await trainRun(data, { experiment, model: ets, training: training() }, { host })
    const arena = await runArena(data, experiment, {
      models: ['ets'],
      training: training(),
      userSeason: 7,
      cadence: null,
      host,
    })
    const entry = arena.board.find((e) => e.model === 'ets')!
    expect(entry.val!.mae).toBe(run.metrics.val!.mae)
  }, 120_000)
})

describe('every path refuses or honours a setting the same way', () => {
  it('a recursive head with transform and calendar "auto": the backtest learns the levels, as the run does', async () => {
    const recursive = spec('linear', (s) => {
      s.head = { kind: 'recursive', activation: 'linear' }
    })
    const experiment = base({ transform: 'auto', calendar: 'auto', window: window(7, 7, 3) })
    const train = training({ epochs: 1, seed: 3 })
    const run = await trainRun(data, { experiment, model: recursive, training: train }, { host })
    expect(run.config.experiment.transform).toEqual(NO_TRANSFORM)
    const bt = await backtestRun(
      data,
      {
        experiment: asOneFold(experiment),
        model: { family: 'window', spec: recursive, training: train },
        folds: 1,
        refit: 'every',
        level: null,
      },
      { host },
    )
    const want = byRowStep(run.forecasts.test!)
    const got = new Map<string, number>()
    bt.plans[0].starts.forEach((s, k) => {
      for (let h = 0; h < 3; h++)
        got.set(`${s + 7 + h}/${h + 1}`, bt.forecasts[0].predicted[k * 3 + h])
    })
    for (const [key, v] of want) expect(got.get(key), key).toBeCloseTo(v, 4)
    const set = await predictWithModel(run.artifacts!, data, { host })
    const predicted = byRowStep(set.forecast)
    for (const [key, v] of want) expect(predicted.get(key), `predict ${key}`).toBeCloseTo(v, 6)
  }, 120_000)

  it('a statistical model ignores the window models’ transform, calendar and one-hot inputs in a backtest as in a run', async () => {
    // A file without a time column: calendar features cannot be made, and a log of a zero is
    // undefined; neither concerns ETS, which reads the target alone.
    const y = Float64Array.from({ length: ROWS }, (_, r) =>
      r === 3 ? 0 : 20 + 5 * Math.sin(r / 2),
    )
    const plain: Dataset = {
      name: 'plain.csv',
      rowCount: ROWS,
      timeColumn: null,
      columns: [{ name: 'y', kind: 'numeric', values: y }],
    }
    const experiment = base({
      transform: { kind: 'none', log: true, seasonRows: null },
      calendar: ['dow'],
    })
    const ets = spec('ets')
    const run = await trainRun(plain, { experiment, model: ets, training: training() }, { host })
    expect(run.forecasts.test!.predicted.length).toBeGreaterThan(0)
    const bt = await backtestRun(
      plain,
      {
        experiment: asOneFold(experiment),
        model: { family: 'statistical', kind: 'ets', seasons: [] },
        folds: 1,
        refit: 'every',
        level: null,
      },
      { host },
    )
    const want = byRowStep(run.forecasts.test!)
    const got = new Map<string, number>()
    bt.plans[0].starts.forEach((s, k) => got.set(`${s + 7}/1`, bt.forecasts[0].predicted[k]))
    for (const [key, v] of want) expect(got.get(key), key).toBe(v)
    const set = await predictWithModel(run.artifacts!, plain, { host })
    const predicted = byRowStep(set.forecast)
    for (const [key, v] of want) expect(predicted.get(key), `predict ${key}`).toBe(v)
  }, 120_000)

  it('compare runs a tanh output (stateful LSTM(4)) on min-max to [−1, 1] as train does, with train’s numbers', async () => {
    const experiment = base({})
    const stateful = spec('stateful-lstm')
    const arenaTraining = training({ epochs: 1, seed: 3, batchSize: 16 })
    const arena = await runArena(data, experiment, {
      models: ['stateful-lstm'],
      training: arenaTraining,
      userSeason: 7,
      cadence: null,
      host,
    })
    expect(arena.skipped).toEqual([])
    const entry = arena.board.find((e) => e.model === 'stateful-lstm')!
    // train of the same model: its min-max normalization, and a stateful model's unshuffled batches.
    const run = await trainRun(
      data,
      {
        experiment: { ...experiment, normalization: 'minmax-sym' },
        model: stateful,
        training: modelTraining(stateful, arenaTraining, 1_000),
      },
      { host },
    )
    expect(entry.val!.mae).toBe(run.metrics.val!.mae)
  }, 120_000)

  it.each([
    {
      name: 'ETS, horizon 3',
      model: { family: 'statistical' as const, kind: 'ets' as const, seasons: [7] },
      experiment: base({ window: window(7, 7, 3) }),
      digits: null,
    },
    {
      name: 'linear, change, horizon 3',
      model: {
        family: 'window' as const,
        spec: spec('linear'),
        training: training({ epochs: 1, seed: 3 }),
      },
      experiment: base({
        window: window(7, 7, 3),
        transform: { kind: 'change', log: false, seasonRows: null },
      }),
      digits: 4,
    },
  ])(
    '$name: --refit once in 3 folds forecasts what one fold over the same rows does',
    async (c) => {
      // Both fit once on the rows before row 360 and forecast every window with a first target
      // from 360 on: the 3 folds only cut those windows into blocks.
      const run = (folds: number, refit: 'every' | 'once') =>
        backtestRun(
          data,
          { experiment: asOneFold(c.experiment), model: c.model, folds, refit, level: null },
          { host },
        )
      const one = await run(1, 'every')
      const three = await run(3, 'once')
      const joined = three.forecasts.flatMap((f) => Array.from(f.predicted))
      expect(joined).toHaveLength(one.forecasts[0].predicted.length)
      joined.forEach((v, i) => {
        if (c.digits === null) expect(v).toBe(one.forecasts[0].predicted[i])
        else expect(v).toBeCloseTo(one.forecasts[0].predicted[i], c.digits)
      })
    },
    120_000,
  )
})

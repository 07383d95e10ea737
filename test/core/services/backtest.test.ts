/**
 * backtestRun on the first 400 months of sunspots (windows of 12 months, the next month the
 * target, 3 folds after the 200 training rows), against answers counted from the series by hand:
 * fold boundaries, each fold's naive MAE, interval coverage from the fold's own bands, and no
 * look-ahead: changing the rows of fold 3 leaves the forecasts of folds 1 and 2 as they were, for
 * a statistical model (ETS, src/core/stats) and a window model (linear, 2 epochs, fixed seed).
 * Intervals: adaptive conformal by default, adapting along each fold's block from targets ≤ t
 * only (a change inside fold 3 leaves the bands before it and folds 1–2's coverage as they were);
 * split conformal on request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EngineHost } from '../../../src/core/engine/host'
import { backtestRun, type BacktestResult } from '../../../src/core/services/backtest'
import type { ExperimentConfig } from '../../../src/shared/experiment'
import type { Dataset } from '../../../src/shared/series/dataset'
import { spec, sunspots, training, tsxWorker, window } from '../engine/helpers'

const host = new EngineHost({ createWorker: tsxWorker })
const data = sunspots(400)
const y = (data.columns.find((c) => c.name === 'sunspots') as { values: Float64Array }).values

const experiment: ExperimentConfig = {
  target: 'sunspots',
  features: ['sunspots'],
  window: window(12), // rows s … s+11, target s+12: one step after the window
  split: { train: 0.5, val: 0.25 },
  normalization: 'zscore',
  seasonRows: 12,
}
// First targets after the 200 training rows run up to N − (L − 1) − H + 1 = 389: 189 rows,
// cut at 200 + ⌊k · 189 / 3⌋ = 200, 263, 326, 389.
const CUTS = [200, 263, 326, 389]

/** The series with every row from `from` on changed. */
function perturbed(from: number): Dataset {
  const values = y.slice()
  for (let r = from; r < values.length; r++) values[r] = values[r] * 3 + 50
  return {
    ...data,
    columns: data.columns.map((c) => (c.name === 'sunspots' ? { ...c, values } : c)),
  }
}

afterAll(() => host.dispose())

const ets = { family: 'statistical' as const, kind: 'ets' as const, seasons: [] }

describe('backtest of a statistical model (ETS)', () => {
  let every: BacktestResult
  beforeAll(async () => {
    every = await backtestRun(data, {
      experiment,
      model: ets,
      folds: 3,
      refit: 'every',
      level: 0.9,
    })
  })

  it('folds: train on [0, c_k), forecast the targets in [c_k, c_k+1), one window per target row', () => {
    expect(every.report.folds.map((f) => f.trainRows)).toEqual([
      [0, 200],
      [0, 263],
      [0, 326],
    ])
    expect(every.report.folds.map((f) => f.targetRows)).toEqual([
      [200, 263],
      [263, 326],
      [326, 389],
    ])
    expect(every.report.folds.map((f) => f.samples)).toEqual([63, 63, 63])
    expect(every.report.overall.samples).toBe(189)
  })

  it('each fold’s naive MAE is the mean |y[r] − y[r − 1]| over its block, by hand', () => {
    for (const [k, f] of every.report.folds.entries()) {
      let sum = 0
      for (let r = CUTS[k]; r < CUTS[k + 1]; r++) sum += Math.abs(y[r] - y[r - 1])
      expect(f.baselines.naive.mae).toBeCloseTo(sum / (CUTS[k + 1] - CUTS[k]), 10)
      // Seasonal naive: the value a season (12 rows) before the target.
      let seasonal = 0
      for (let r = CUTS[k]; r < CUTS[k + 1]; r++) seasonal += Math.abs(y[r] - y[r - 12])
      expect(f.baselines.seasonalNaive!.mae).toBeCloseTo(seasonal / 63, 10)
    }
  })

  it('coverage per fold counts the actuals inside the fold’s bands', () => {
    for (const [k, f] of every.report.folds.entries()) {
      const { lower, upper } = every.forecasts[k]
      let inside = 0
      for (let i = 0; i < 63; i++) {
        const a = y[CUTS[k] + i]
        if (a >= lower![i] && a <= upper![i]) inside++
      }
      expect(f.coverage).toBeCloseTo(inside / 63, 12)
      expect(every.radius[k][0]).toBeGreaterThan(0)
    }
  })

  it('no look-ahead: changing the rows of fold 3 leaves folds 1 and 2 identical', async () => {
    const changed = await backtestRun(perturbed(CUTS[2]), {
      experiment,
      model: ets,
      folds: 3,
      refit: 'every',
      level: 0.9,
    })
    for (const k of [0, 1]) {
      expect(Array.from(changed.forecasts[k].predicted)).toEqual(
        Array.from(every.forecasts[k].predicted),
      )
      expect(changed.report.folds[k].metrics).toEqual(every.report.folds[k].metrics)
    }
    expect(Array.from(changed.forecasts[2].predicted)).not.toEqual(
      Array.from(every.forecasts[2].predicted),
    )
  })

  it('refit once: every fold trains on [0, c_1) and fold 1 is the same model as with refit every', async () => {
    const once = await backtestRun(data, {
      experiment,
      model: ets,
      folds: 3,
      refit: 'once',
      level: 0.9,
    })
    expect(once.report.folds.map((f) => f.trainRows)).toEqual([
      [0, 200],
      [0, 200],
      [0, 200],
    ])
    expect(Array.from(once.forecasts[0].predicted)).toEqual(
      Array.from(every.forecasts[0].predicted),
    )
  })

  it('intervals: adaptive conformal by default, starting from the split band and adapting along the block', async () => {
    expect(every.method).toBe('aci')
    const split = await backtestRun(data, {
      experiment,
      model: ets,
      folds: 3,
      refit: 'every',
      level: 0.9,
      method: 'split',
    })
    expect(split.method).toBe('split')
    expect(split.radius).toEqual(every.radius)
    for (const k of [0, 1, 2]) {
      const a = every.forecasts[k]
      const s = split.forecasts[k]
      // Split: the fold's held-out half-width on every window of the block.
      for (let i = 0; i < 63; i++)
        expect(s.upper![i] - s.predicted[i]).toBeCloseTo(split.radius[k][0]!, 9)
      // ACI: its first window knows exactly the held-out residuals (every one targets a row
      // before the block) at α = 10 %, so it starts where split conformal is; later ones adapt.
      expect(a.upper![0]).toBe(s.upper![0])
      expect(a.lower![0]).toBe(s.lower![0])
      let adapted = 0
      for (let i = 1; i < 63; i++) if (a.upper![i] !== s.upper![i]) adapted++
      expect(adapted).toBeGreaterThan(0)
    }
  })

  it('no look-ahead in the adaptive intervals: a change inside fold 3 leaves its earlier bands and folds 1–2 as they were', async () => {
    // Rows from 350 on (inside fold 3's block [326, 389)) changed: the window with last row t
    // (first target t + 1) may use residuals of targets ≤ t only.
    const cut = 350
    for (const refit of ['every', 'once'] as const) {
      const config = { experiment, model: ets, folds: 3, refit, level: 0.9 }
      const base = refit === 'every' ? every : await backtestRun(data, config)
      const changed = await backtestRun(perturbed(cut), config)
      for (const k of [0, 1]) {
        expect(changed.report.folds[k].coverage).toBe(base.report.folds[k].coverage)
        expect(Array.from(changed.forecasts[k].upper!)).toEqual(
          Array.from(base.forecasts[k].upper!),
        )
      }
      // Fold-3 window i has last row t = 325 + i: windows 0 … 24 (t ≤ 349) see no changed row.
      const before = cut - CUTS[2]
      const b = base.forecasts[2]
      const c = changed.forecasts[2]
      for (let i = 0; i <= before; i++) {
        expect(c.predicted[i]).toBe(b.predicted[i])
        expect(c.upper![i]).toBe(b.upper![i])
        expect(c.lower![i]).toBe(b.lower![i])
      }
      expect(Array.from(c.upper!).slice(before + 1)).not.toEqual(
        Array.from(b.upper!).slice(before + 1),
      )
    }
  })

  it('the method is checked by name', async () => {
    await expect(
      backtestRun(data, {
        experiment,
        model: ets,
        folds: 3,
        refit: 'every',
        level: 0.9,
        method: 'model' as 'split',
      }),
    ).rejects.toThrow(/expected aci or split, received "model"/)
  })

  it('cancel after fold 1: with keepOnCancel the finished fold comes back as it was, else it throws', async () => {
    const cancelAfterFirst = () => {
      const abort = new AbortController()
      return {
        signal: abort.signal,
        onFold: (e: { fold: number; phase: string }) => {
          if (e.fold === 1 && e.phase === 'done') abort.abort()
        },
      }
    }
    const config = { experiment, model: ets, folds: 3, refit: 'every' as const, level: 0.9 }
    const kept = await backtestRun(data, config, { ...cancelAfterFirst(), keepOnCancel: true })
    expect(kept.cancelledAt).toBe(2)
    expect(kept.report.folds).toEqual([every.report.folds[0]])
    // The pooled row is fold 1's alone.
    expect(kept.report.overall.samples).toBe(63)
    expect(kept.report.overall.metrics.mae).toBeCloseTo(every.report.folds[0].metrics.mae, 12)
    expect(Array.from(kept.forecasts[0].predicted)).toEqual(
      Array.from(every.forecasts[0].predicted),
    )
    expect(every.cancelledAt).toBeNull()
    expect(every.method).toBe('aci')
    await expect(backtestRun(data, config, cancelAfterFirst())).rejects.toThrow(
      'The backtest was cancelled at fold 2.',
    )
    // Nothing finished: nothing to keep, so it throws even with keepOnCancel.
    const before = new AbortController()
    before.abort()
    await expect(
      backtestRun(data, config, { signal: before.signal, keepOnCancel: true }),
    ).rejects.toThrow('The backtest was cancelled at fold 1.')
  })

  it('too many folds for the rows: refused with the number that fits', async () => {
    await expect(
      backtestRun(data, { experiment, model: ets, folds: 190, refit: 'every', level: 0.9 }),
    ).rejects.toThrow(/Use at most 189 folds/)
  })
})

describe('backtest of a window model (linear, 2 epochs, seed 1)', () => {
  const linear = {
    family: 'window' as const,
    spec: spec('linear'),
    training: training({ epochs: 2, seed: 1 }),
  }

  it('no look-ahead: changing the rows of fold 3 leaves folds 1 and 2 identical', async () => {
    const base = await backtestRun(
      data,
      { experiment, model: linear, folds: 3, refit: 'every', level: 0.9 },
      { host },
    )
    const changed = await backtestRun(
      perturbed(CUTS[2]),
      { experiment, model: linear, folds: 3, refit: 'every', level: 0.9 },
      { host },
    )
    for (const k of [0, 1]) {
      expect(Array.from(changed.forecasts[k].predicted)).toEqual(
        Array.from(base.forecasts[k].predicted),
      )
      expect(Array.from(changed.forecasts[k].upper!)).toEqual(Array.from(base.forecasts[k].upper!))
    }
    expect(Array.from(changed.forecasts[2].predicted)).not.toEqual(
      Array.from(base.forecasts[2].predicted),
    )
    expect(base.report.folds.map((f) => f.samples)).toEqual([63, 63, 63])
  }, 120_000)
})

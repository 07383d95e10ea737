/**
 * The `backtest:run` channel the app's Backtest panel calls, through createApi and the real
 * engine (a worker through tsx): the request is validated, progress arrives per fold as
 * `job:progress`, the report holds each fold against naive, and `job:cancel` stops it (keeping
 * the folds that finished).
 */
import { afterAll, describe, expect, it } from 'vitest'
import { createApi } from '../../../src/core/services/api'
import { createEngineFacade } from '../../../src/core/services/engine-facade'
import { createServices } from '../../../src/core/services/handlers'
import { EngineHost } from '../../../src/core/engine/host'
import type { RunConfig } from '../../../src/shared/experiment'
import type { Events, ResponseOf } from '../../../src/shared/ipc/contract'
import { spec, sunspots, training, tsxWorker, window } from '../engine/helpers'

const host = new EngineHost({ createWorker: tsxWorker })
const events: Events['job:progress'][] = []
const services = createServices({
  info: { name: 'Seqcast', version: 'test', platform: 'test', versions: {} },
  transport: 'browser',
  broadcast: (event, payload) => {
    if (event === 'job:progress') events.push(payload as Events['job:progress'])
  },
  engine: createEngineFacade(host),
})
const api = createApi(services.handlers)
afterAll(() => host.dispose())

const data = sunspots(300)
const y = (data.columns.find((c) => c.name === 'sunspots') as { values: Float64Array }).values
const config: RunConfig = {
  experiment: {
    target: 'sunspots',
    features: ['sunspots'],
    window: window(12),
    split: { train: 0.5, val: 0.25 },
    normalization: 'zscore',
    seasonRows: null,
  },
  model: spec('linear'),
  training: training({ epochs: 2 }),
  intervals: { level: 0.8, method: 'split' },
}
/** `epochs` (no early stopping): enough that a fold is still training when a cancel arrives. */
const request = (jobId: string, folds: number, epochs = 2) => ({
  jobId,
  config: { ...config, training: training({ epochs, earlyStopping: null }) },
  folds,
  refit: 'every',
  data: {
    datasetName: 'sunspots.csv',
    rowCount: 300,
    timeColumn: null,
    timestamps: null,
    schema: [{ name: 'sunspots', kind: 'numeric' }],
    columns: [{ name: 'sunspots', values: y.slice(0, 300) }],
  },
})

describe('backtest:run', () => {
  it('reports each fold against naive, with progress per fold', async () => {
    const result = await api.dispatch('backtest:run', request('bt-1', 2))
    expect(result.ok, JSON.stringify(!result.ok && result.error)).toBe(true)
    if (!result.ok) return
    const report = result.value as ResponseOf<'backtest:run'>
    // First targets after the 150 training rows: 150 … 288 (N − L − H + 1 = 289), cut at 219.
    expect(report.folds.map((f) => f.targetRows)).toEqual([
      [150, 219],
      [219, 289],
    ])
    expect(report.level).toBe(0.8)
    expect(report.method).toBe('split') // the run's interval method
    let sum = 0
    for (let r = 150; r < 219; r++) sum += Math.abs(y[r] - y[r - 1])
    expect(report.folds[0].baselines.naive.mae).toBeCloseTo(sum / 69, 10)
    expect(report.folds[0].coverage).toBeGreaterThan(0)
    const mine = events.filter((e) => e.jobId === 'bt-1')
    expect(mine.map((e) => [e.phase, e.done, e.total])).toEqual([
      ['fold', 0, 2],
      ['fold', 1, 2],
      ['fold', 1, 2],
      ['fold', 2, 2],
    ])
    // Each finished fold comes with the report of the folds done so far (what the app saves as
    // it goes): fold 1's scores are final at once; after the last fold it is the whole report.
    const partial = mine.filter((e) => e.report).map((e) => e.report!)
    expect(partial.map((r) => r.folds.map((f) => f.fold))).toEqual([[1], [1, 2]])
    expect(partial[0].folds[0]).toEqual(report.folds[0])
    // Pooled over fold 1 alone: its own MAE.
    expect(partial[0].overall.metrics.mae).toBeCloseTo(report.folds[0].metrics.mae, 12)
    expect(partial[1].folds).toEqual(report.folds)
    expect(partial[1].overall).toEqual(report.overall)
    expect(partial.map((r) => r.level)).toEqual([0.8, 0.8])
  }, 120_000)

  it('the run’s method reaches the folds: ACI by default, and for a model’s own (no fold variance)', async () => {
    for (const intervals of [undefined, { level: 0.8, method: 'model' as const }]) {
      const result = await api.dispatch('backtest:run', {
        ...request('bt-aci', 2),
        config: { ...config, model: spec('ets'), intervals },
      })
      expect(result.ok, JSON.stringify(!result.ok && result.error)).toBe(true)
      if (result.ok) expect((result.value as ResponseOf<'backtest:run'>).method).toBe('aci')
    }
  }, 120_000)

  it('job:cancel before any fold finished stops it with a cancelled error', async () => {
    const running = api.dispatch('backtest:run', request('bt-2', 3, 5000))
    // Fold 1 has started (its "fit" progress): 5,000 epochs leave it training.
    while (!events.some((e) => e.jobId === 'bt-2'))
      await new Promise((resolve) => setTimeout(resolve, 5))
    const cancelled = await api.dispatch('job:cancel', { jobId: 'bt-2' })
    expect(cancelled).toEqual({ ok: true, value: { cancelled: true } })
    const result = await running
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error.kind).toBe('cancelled')
  }, 120_000)

  it('job:cancel after a finished fold: the finished folds come back, with the fold it stopped in', async () => {
    // 200 epochs a fold: fold 2 is still training when the cancel arrives.
    const running = api.dispatch('backtest:run', request('bt-4', 3, 200))
    // Cancel once fold 1 is done (its "done" progress has arrived).
    while (!events.some((e) => e.jobId === 'bt-4' && e.done === 1))
      await new Promise((resolve) => setTimeout(resolve, 5))
    await api.dispatch('job:cancel', { jobId: 'bt-4' })
    const result = await running
    expect(result.ok, JSON.stringify(!result.ok && result.error)).toBe(true)
    if (!result.ok) return
    const report = result.value as ResponseOf<'backtest:run'>
    expect(report.cancelledAt).toBe(2)
    // Fold 1 of 3: first targets 150 … 288 cut at 150 + ⌊139 / 3⌋ = 196.
    expect(report.folds.map((f) => f.targetRows)).toEqual([[150, 196]])
    expect(report.overall.samples).toBe(46)
  }, 120_000)

  it('refuses a request without folds before anything runs', async () => {
    const bad = await api.dispatch('backtest:run', { ...request('bt-3', 2), folds: 0 })
    expect(bad.ok).toBe(false)
    if (!bad.ok) expect(bad.error.kind).toBe('invalid-payload')
  })
})

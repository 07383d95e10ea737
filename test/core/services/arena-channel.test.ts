/**
 * The `arena:run` channel the app's Compare panel calls, through createApi and the real engine
 * (a worker through tsx, a statistical model in this process): the request is validated, each
 * model reports its start, epochs and end as `arena:progress`, the board is ranked by
 * validation MAE with the naive baseline computed here from the raw numbers, and `job:cancel`
 * keeps the models that finished.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { createApi } from '../../../src/core/services/api'
import { createEngineFacade } from '../../../src/core/services/engine-facade'
import { createServices } from '../../../src/core/services/handlers'
import { EngineHost } from '../../../src/core/engine/host'
import type { ArenaProgress } from '../../../src/shared/arena-run'
import type { ResponseOf } from '../../../src/shared/ipc/contract'
import { sunspots, training, tsxWorker, window } from '../engine/helpers'

const host = new EngineHost({ createWorker: tsxWorker })
const events: ArenaProgress[] = []
let onEvent: (e: ArenaProgress) => void = () => {}
const services = createServices({
  info: { name: 'Seqcast', version: 'test', platform: 'test', versions: {} },
  transport: 'browser',
  broadcast: (event, payload) => {
    if (event !== 'arena:progress') return
    events.push(payload as ArenaProgress)
    onEvent(payload as ArenaProgress)
  },
  engine: createEngineFacade(host),
})
const api = createApi(services.handlers)
afterAll(() => host.dispose())

const N = 300
const data = sunspots(N)
const y = (data.columns.find((c) => c.name === 'sunspots') as { values: Float64Array }).values
const request = (jobId: string, models: unknown, epochs = 2) => ({
  jobId,
  experiment: {
    target: 'sunspots',
    features: ['sunspots'],
    window: window(12),
    split: { train: 0.5, val: 0.25 },
    normalization: 'zscore',
    seasonRows: null,
  },
  training: training({ backend: 'cpu' }),
  models,
  epochs,
  patience: null,
  season: 1,
  data: {
    datasetName: 'sunspots.csv',
    rowCount: N,
    timeColumn: null,
    timestamps: null,
    schema: [{ name: 'sunspots', kind: 'numeric' }],
    columns: [{ name: 'sunspots', values: y.slice(0, N) }],
  },
})
const mine = (jobId: string) => events.filter((e) => e.jobId === jobId)

describe('arena:run', () => {
  it('ranks the models, the ensemble and naive by validation MAE, with progress per model', async () => {
    const result = await api.dispatch('arena:run', request('arena-1', ['theta', 'linear']))
    expect(result.ok, JSON.stringify(!result.ok && result.error)).toBe(true)
    if (!result.ok) return
    const arena = result.value as ResponseOf<'arena:run'>
    expect(arena.cancelled).toBe(false)
    expect(arena.skipped).toEqual([])
    expect(arena.board.map((e) => e.model).sort()).toEqual(['ensemble', 'linear', 'naive', 'theta'])
    const maes = arena.board.map((e) => e.val!.mae)
    expect(maes).toEqual([...maes].sort((a, b) => a - b))

    // Keras' windows: split [150, 225), L = 12, delay 12 → min(225, 300 − 12) − 150 − 11 = 64
    // validation windows, targets rows 162…225; naive repeats the window's last row.
    const naive = arena.board.find((e) => e.model === 'naive')!
    let sum = 0
    for (let r = 162; r <= 225; r++) sum += Math.abs(y[r] - y[r - 1])
    expect(naive.family).toBe('baseline')
    expect(naive.val!.mae).toBeCloseTo(sum / 64, 10)
    expect(naive.forecasts?.val?.predicted.length).toBe(64)

    // Each model arrives as a run with its package; the ensemble is the mean of the two.
    const theta = arena.board.find((e) => e.model === 'theta')!
    const linear = arena.board.find((e) => e.model === 'linear')!
    expect([theta.family, linear.family]).toEqual(['statistical', 'neural'])
    expect(theta.result?.artifacts?.stats).toBeTruthy()
    expect(linear.result?.artifacts?.modelJson).toBeTruthy()
    expect(linear.result?.history.map((h) => h.epoch)).toEqual([1, 2])
    const ensemble = arena.board.find((e) => e.model === 'ensemble')!
    const a = theta.result!.forecasts.val!.predicted
    const b = linear.result!.forecasts.val!.predicted
    const mean = ensemble.forecasts!.val!.predicted
    for (const i of [0, 31, 63]) expect(mean[i]).toBeCloseTo((a[i] + b[i]) / 2, 10)
    expect(ensemble.members?.sort()).toEqual(['linear', 'theta'])
    // The ensemble's own intervals (default 90 %, split conformal on its validation errors): at
    // least ⌈(64 + 1) · 0.9⌉ = 59 of its 64 validation targets inside, by construction; its test
    // forecasts carry bands around the mean too.
    const ev = ensemble.forecasts!.val!
    let inside = 0
    for (let i = 0; i < ev.actual.length; i++)
      if (ev.actual[i] >= ev.lower![i] && ev.actual[i] <= ev.upper![i]) inside++
    expect(inside).toBeGreaterThanOrEqual(59)
    const et = ensemble.forecasts!.test!
    expect(et.lower?.length).toBe(et.predicted.length)
    for (const i of [0, et.predicted.length - 1]) {
      expect(et.lower![i]).toBeLessThanOrEqual(et.predicted[i])
      expect(et.upper![i]).toBeGreaterThanOrEqual(et.predicted[i])
    }

    const steps = mine('arena-1').map((e) =>
      e.phase === 'baselines'
        ? 'baselines'
        : e.phase === 'epoch'
          ? `${e.model} epoch ${e.epoch}/${e.epochs}`
          : `${e.model} ${e.phase}`,
    )
    expect(steps).toEqual([
      'baselines',
      'theta start',
      ...steps.filter((s) => s.startsWith('theta epoch')),
      'theta done',
      'linear start',
      'linear epoch 1/2',
      'linear epoch 2/2',
      'linear done',
    ])
    const linearDone = mine('arena-1')[steps.indexOf('linear done')]
    expect(linearDone.phase !== 'baselines' && [linearDone.index, linearDone.of]).toEqual([1, 2])
    // The baselines come first, before any model trains, as the answer ranks them (a board kept
    // after a cancel or a reload has them): naive alone, as season 1 means none.
    const first = mine('arena-1')[0]
    if (first.phase !== 'baselines') throw new Error('no baselines event first')
    expect(first.board.map((e) => [e.model, e.val!.mae])).toEqual([['naive', naive.val!.mae]])
    expect(first.sampleCounts).toEqual(arena.sampleCounts)
    expect(first.seasonRows).toBeNull()
    // Each 'done' event carries the model's whole run (the app saves it at once, so a reload
    // keeps it): the same package and forecasts as the answer's board.
    for (const entry of [theta, linear]) {
      const done = mine('arena-1').find((e) => e.model === entry.model && e.phase === 'done')
      if (done?.phase !== 'done') throw new Error(`no done event for ${entry.model}`)
      expect(done.result.metrics.val?.mae).toBe(entry.val!.mae)
      expect([...done.result.forecasts.val!.predicted]).toEqual([
        ...entry.result!.forecasts.val!.predicted,
      ])
      expect(done.result.artifacts?.manifest).toEqual(entry.result!.artifacts?.manifest)
    }
  }, 180_000)

  it('job:cancel keeps the models that finished and marks the board cancelled', async () => {
    onEvent = (e) => {
      if (e.jobId === 'arena-2' && e.model === 'linear' && e.phase === 'epoch' && e.epoch === 1)
        void api.dispatch('job:cancel', { jobId: 'arena-2' })
    }
    const result = await api.dispatch(
      'arena:run',
      request('arena-2', ['theta', 'linear', 'dense'], 500),
    )
    onEvent = () => {}
    expect(result.ok, JSON.stringify(!result.ok && result.error)).toBe(true)
    if (!result.ok) return
    const arena = result.value as ResponseOf<'arena:run'>
    expect(arena.cancelled).toBe(true)
    // theta finished; linear was stopped half-way and dense never started: neither is ranked,
    // and one model makes no ensemble.
    expect(arena.board.map((e) => e.model).sort()).toEqual(['naive', 'theta'])
    expect(mine('arena-2').some((e) => e.model === 'dense')).toBe(false)
    expect(mine('arena-2').some((e) => e.model === 'linear' && e.phase === 'done')).toBe(false)
    expect(mine('arena-2')[0].phase).toBe('baselines')
  }, 180_000)

  it('refuses an unknown model set, a preset that does not exist and no epochs', async () => {
    for (const [models, epochs, says] of [
      ['everything', 2, 'models'],
      [['ets', 'prophet'], 2, 'expected a preset of ets'],
      [[], 2, 'models'],
      [['ets'], 0, 'epochs'],
    ] as const) {
      const bad = await api.dispatch('arena:run', request('arena-3', models, epochs))
      expect(bad.ok).toBe(false)
      if (!bad.ok) {
        expect(bad.error.kind).toBe('invalid-payload')
        expect(bad.error.message).toContain(says)
      }
    }
    expect(mine('arena-3')).toEqual([])
  })
})

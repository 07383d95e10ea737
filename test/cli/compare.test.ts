/**
 * `compare` end to end (real worker through tsx, real fits) on 240 months with trend and season:
 * the JSON line's shape, the board ordered by validation MAE, the naive baseline's MAE computed
 * here from the raw numbers, the ensemble equal to the hand mean of its members, and best/
 * loadable by `predict`.
 */
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeCompare } from '../../src/cli/commands/compare'
import { makePredict } from '../../src/cli/commands/predict'
import { EngineHost } from '../../src/core/engine/host'
import { runArena, type ArenaResult } from '../../src/core/services/arena'
import { parseCsv } from '../../src/shared/csv'
import { DEFAULT_TRAINING } from '../../src/shared/experiment'
import { parseForecastCsv } from '../../src/shared/forecast-csv'
import { tsxWorker } from '../core/engine/helpers'
import { captureIO, writeMonthly } from './helpers'

const dir = mkdtempSync(join(tmpdir(), 'seqcast-compare-'))
const host = new EngineHost({ createWorker: tsxWorker })
const { csv, values } = writeMonthly(dir, 11)
// L = 12, delay 12: each window's target is the row right after it (h = 1).
const experiment = ['--target', 'y', '--sequence-length', '12', '--delay', '12']

afterAll(async () => {
  await host.dispose()
  rmSync(dir, { recursive: true, force: true })
})

const io = captureIO

describe('compare --json', () => {
  const out = join(dir, 'arena')
  let lines: Record<string, unknown>[]
  let result: {
    best: Record<string, unknown>
    leaderboard: { model: string; family: string; val: { mae: number }; test: unknown }[]
    baselines: { naive: { val: { mae: number } }; seasonalNaive: unknown }
  }

  beforeAll(async () => {
    const sink = io()
    const code = await makeCompare({ host })(
      [csv, ...experiment, '--models', 'ets,theta,linear', '--epochs', '3', '--out', out, '--json'],
      sink,
    )
    expect(sink.err()).toBe('')
    expect(code).toBe(0)
    lines = sink
      .out()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    result = lines[lines.length - 1] as typeof result
  }, 120_000)

  it('prints progress per model, then exactly {best, leaderboard, baselines}', () => {
    const done = lines.filter((l) => l.event === 'model' && l.phase === 'done').map((l) => l.model)
    expect(done).toEqual(['ets', 'theta', 'linear'])
    // The statistical models report their estimation steps from the engine worker, in order.
    const steps = lines.filter((l) => l.event === 'step' && l.model === 'ets')
    expect(steps.length).toBeGreaterThan(1)
    expect(steps.map((l) => l.done)).toEqual(steps.map((_, i) => i))
    expect(lines.some((l) => l.event === 'step' && l.model === 'linear')).toBe(false)
    expect(Object.keys(result).sort()).toEqual(['baselines', 'best', 'leaderboard'])
    expect(Object.keys(result.best).sort()).toEqual(['family', 'model', 'test', 'val'])
    for (const e of result.leaderboard) {
      expect(Object.keys(e).sort()).toEqual(['family', 'model', 'seconds', 'test', 'val'])
      expect(Object.keys(e.val).sort()).toEqual(['mae', 'mape', 'mase', 'rmse', 'smape'])
    }
    expect(result.leaderboard.map((e) => e.model).sort()).toEqual(
      ['ensemble', 'ets', 'linear', 'naive', 'seasonal-naive', 'theta'].sort(),
    )
    expect(Object.keys(result.baselines).sort()).toEqual(['naive', 'seasonalNaive'])
  })

  it('the board is ordered by validation MAE and its best is the first entry', () => {
    const maes = result.leaderboard.map((e) => e.val.mae)
    expect(maes).toEqual([...maes].sort((a, b) => a - b))
    expect(result.best.model).toBe(result.leaderboard[0].model)
  })

  it("the naive baseline's validation MAE is the one computed here from the raw values", () => {
    // Validation windows start at rows 120…179 − 11 (Keras: they read rows < 180) and target
    // row s + 12; naive forecasts the window's last row s + 11.
    let sum = 0
    let n = 0
    for (let s = 120; s + 11 < 180; s++) {
      sum += Math.abs(values[s + 12] - values[s + 11])
      n++
    }
    expect(result.baselines.naive.val.mae).toBeCloseTo(sum / n, 9)
    const board = result.leaderboard.find((e) => e.model === 'naive')!
    expect(board.val.mae).toBe(result.baselines.naive.val.mae)
  })

  it('writes leaderboard.json (the same board) and best/ as train does, loadable by predict', async () => {
    const saved = JSON.parse(readFileSync(join(out, 'leaderboard.json'), 'utf8'))
    expect(saved.leaderboard).toEqual(result.leaderboard)
    const best = join(out, 'best')
    expect(existsSync(join(best, 'forecasts.csv'))).toBe(true)
    expect(existsSync(join(best, 'metrics.json'))).toBe(true)
    // The origin column holds the window's last row's time: the row before the target (h = 1).
    const lines = readFileSync(join(best, 'forecasts.csv'), 'utf8').trim().split('\n')
    const header = lines[0].split(',')
    const cells = lines.slice(1).map((l) => l.split(','))
    const [ts, rowAt, originAt] = ['timestamp', 'row', 'origin'].map((c) => header.indexOf(c))
    const timeOfRow = new Map(cells.map((c) => [Number(c[rowAt]), c[ts]]))
    let checked = 0
    for (const c of cells) {
      expect(c[originAt]).not.toBe('')
      const before = timeOfRow.get(Number(c[rowAt]) - 1)
      if (before === undefined) continue
      expect(c[originAt]).toBe(before)
      checked++
    }
    expect(checked).toBeGreaterThan(50)
    const model =
      result.best.model === 'ensemble' ? join(best, 'members', 'ets') : join(best, 'model')
    const sink = io()
    const predicted = join(dir, 'predicted.csv')
    expect(await makePredict({ host })([model, csv, '--out', predicted], sink)).toBe(0)
    expect(parseForecastCsv(readFileSync(predicted, 'utf8')).length).toBeGreaterThan(200)
  })
})

describe('compare --season 1 and bad sets', () => {
  it('--season 1: no seasonal naive, and the statistical models fit without a season', async () => {
    const sink = io()
    const out = join(dir, 'no-season')
    const code = await makeCompare({ host })(
      [csv, ...experiment, '--models', 'ets', '--season', '1', '--out', out, '--json'],
      sink,
    )
    expect(code).toBe(0)
    const result = JSON.parse(sink.out().trim().split('\n').pop()!)
    expect(result.baselines.seasonalNaive).toBeNull()
    expect(result.leaderboard.map((e: { model: string }) => e.model).sort()).toEqual([
      'ets',
      'naive',
    ])
    // One model: no ensemble. The ETS fitted has no seasonal component (…,N).
    const saved = JSON.parse(readFileSync(join(out, 'leaderboard.json'), 'utf8'))
    const ets = saved.details.entries.find((e: { model: string }) => e.model === 'ets')
    expect(ets.name).toMatch(/^ETS\([AM],(N|A|Ad),N\)$/)
  })

  it('intervals: 90 % adaptive conformal by default; --interval 80 --interval-method split on request; a model’s own is refused by name', async () => {
    const def = join(dir, 'default-intervals')
    expect(
      await makeCompare({ host })([csv, ...experiment, '--models', 'ets', '--out', def], io()),
    ).toBe(0)
    const board = JSON.parse(readFileSync(join(def, 'leaderboard.json'), 'utf8'))
    expect(board.best.model).toBe('ets')
    const aci = JSON.parse(readFileSync(join(def, 'best', 'metrics.json'), 'utf8'))
    expect(aci.intervals).toMatchObject({ level: 0.9, method: 'aci' })
    const sink = io()
    const out = join(dir, 'split-80')
    const code = await makeCompare({ host })(
      [
        csv,
        ...experiment,
        '--models',
        'ets',
        '--interval',
        '80',
        '--interval-method',
        'split',
        '--out',
        out,
        '--json',
      ],
      sink,
    )
    expect(code).toBe(0)
    const best = JSON.parse(readFileSync(join(out, 'best', 'metrics.json'), 'utf8'))
    expect(best.intervals).toMatchObject({ level: 0.8, method: 'split' })
    // Split conformal: the future's half-width is the validation one.
    expect(best.intervals.futureRadius).toEqual(best.intervals.radius)
    await expect(
      makeCompare({ host })(
        [csv, ...experiment, '--models', 'ets', '--interval-method', 'model', '--out', out],
        io(),
      ),
    ).rejects.toThrow(/--interval-method: expected one of aci, split, received "model"/)
  })

  it('an unknown model is refused by name before anything runs', async () => {
    const sink = io()
    await expect(
      makeCompare({ host })(
        [csv, ...experiment, '--models', 'ets,prophet', '--out', join(dir, 'bad')],
        sink,
      ),
    ).rejects.toThrow(/--models: .*\(unknown: prophet\)/)
    expect(existsSync(join(dir, 'bad'))).toBe(false)
  })
})

describe('runArena', () => {
  let arena: ArenaResult
  const { dataset, report } = parseCsv(readFileSync(csv, 'utf8'), { fileName: 'monthly.csv' })

  beforeAll(async () => {
    arena = await runArena(
      dataset,
      {
        target: 'y',
        features: ['y'],
        window: { sequenceLength: 12, samplingRate: 1, sequenceStride: 1, delay: 12, horizon: 1 },
        split: { train: 0.5, val: 0.25 },
        normalization: 'zscore',
        seasonRows: 12,
      },
      {
        models: ['ets', 'arima', 'theta', 'mstl'],
        training: { ...DEFAULT_TRAINING, epochs: 1 },
        userSeason: null,
        cadence: report.timeAxis?.cadence ?? null,
        host,
      },
    )
  }, 120_000)

  it('the ensemble is the hand mean of its three best members by validation, with the MAE of that mean', () => {
    const ensemble = arena.board.find((e) => e.model === 'ensemble')!
    const models = arena.board.filter((e) => e.family === 'statistical')
    const best3 = [...models].sort((a, b) => a.val!.mae - b.val!.mae).slice(0, 3)
    expect(ensemble.members).toEqual(best3.map((e) => e.model))
    for (const split of ['val', 'test'] as const) {
      const f = ensemble.evaluation.forecasts[split]!
      let abs = 0
      for (let i = 0; i < f.predicted.length; i++) {
        const mean =
          best3.reduce((s, e) => s + e.result!.forecasts[split]!.predicted[i], 0) / best3.length
        expect(f.predicted[i]).toBeCloseTo(mean, 10)
        abs += Math.abs(f.actual[i] - mean)
      }
      expect(ensemble[split]!.mae).toBeCloseTo(abs / f.predicted.length, 10)
    }
  })

  it('every statistical model beats naive on this trend + season series, on validation and test', () => {
    const naive = arena.board.find((e) => e.model === 'naive')!
    for (const e of arena.board.filter((b) => b.family === 'statistical')) {
      expect(e.val!.mae).toBeLessThan(naive.val!.mae)
      expect(e.test!.mae).toBeLessThan(naive.test!.mae)
    }
  })
})

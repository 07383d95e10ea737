/**
 * `compare --folds K` end to end on 240 months with trend and season (real fits, a real worker
 * for the window model): the board is in the order of the mean fold MAEs computed HERE from each
 * model's own backtest forecasts and the raw values; naive's fold MAE is counted by hand from the
 * series (|y[r] − y[r−1]| over the fold's block of target rows); best/ is the chosen model as
 * `train` writes it; leaderboard.json carries the fold metrics.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeCompare } from '../../src/cli/commands/compare'
import { EngineHost } from '../../src/core/engine/host'
import { meanFoldMae, rankByFolds } from '../../src/core/services/arena-folds'
import { backtestRun } from '../../src/core/services/backtest'
import { importCsvFile } from '../../src/core/services/import-file'
import type { ExperimentConfig } from '../../src/shared/experiment'
import { tsxWorker } from '../core/engine/helpers'
import { captureIO, writeMonthly } from './helpers'

const dir = mkdtempSync(join(tmpdir(), 'seqcast-compare-folds-'))
const host = new EngineHost({ createWorker: tsxWorker })
const { csv, values } = writeMonthly(dir, 23)

afterAll(async () => {
  await host.dispose()
  rmSync(dir, { recursive: true, force: true })
})

const io = captureIO

interface Row {
  model: string
  family: string
  meanMae: number
  pooledMae: number
  folds: {
    fold: number
    trainRows: [number, number]
    targetRows: [number, number]
    samples: number
    metrics: { mae: number }
  }[]
}

describe('compare --folds 3', () => {
  const out = join(dir, 'arena')
  let lines: Record<string, unknown>[]
  let result: {
    best: { model: string }
    leaderboard: Row[]
    folds: { k: number; refit: string; rankedBy: string }
  }

  beforeAll(async () => {
    const sink = io()
    const code = await makeCompare({ host })(
      [
        csv,
        ...['--target', 'y', '--sequence-length', '12', '--delay', '12'],
        ...['--models', 'ets,theta,linear', '--epochs', '2', '--seed', '3'],
        ...['--folds', '3', '--out', out, '--json'],
      ],
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
  }, 240_000)

  it('prints a progress line per model and fold, then the result', () => {
    const folds = lines.filter((l) => l.event === 'fold').map((l) => `${l.model} ${l.fold}/${l.of}`)
    expect(folds).toEqual(
      ['ets', 'theta', 'linear'].flatMap((m) => [1, 2, 3].map((k) => `${m} ${k}/3`)),
    )
    expect(Object.keys(result).sort()).toEqual(['baselines', 'best', 'folds', 'leaderboard'])
  })

  it("naive's fold MAE is the mean |y[r] − y[r−1]| over its block of target rows, by hand", () => {
    const naive = result.leaderboard.find((e) => e.model === 'naive')!
    // First targets after the 120 training rows run up to 240 − 12 + 1 = 229 (exclusive):
    // 109 rows, cut at 120 + ⌊k · 109 / 3⌋ = 120, 156, 192, 229.
    expect(naive.folds.map((f) => f.targetRows)).toEqual([
      [120, 156],
      [156, 192],
      [192, 229],
    ])
    for (const f of naive.folds) {
      let sum = 0
      for (let r = f.targetRows[0]; r < f.targetRows[1]; r++)
        sum += Math.abs(values[r] - values[r - 1])
      expect(f.samples).toBe(f.targetRows[1] - f.targetRows[0])
      expect(f.metrics.mae).toBeCloseTo(sum / f.samples, 9)
    }
    const hand = naive.folds.reduce((s, f) => s + f.metrics.mae, 0) / 3
    expect(naive.meanMae).toBeCloseTo(hand, 12)
  })

  it('the board is in the order of the fold MAEs averaged here from each backtest', async () => {
    const { dataset } = await importCsvFile(csv)
    const experiment: ExperimentConfig = {
      target: 'y',
      features: ['y'],
      window: { sequenceLength: 12, samplingRate: 1, sequenceStride: 1, delay: 12, horizon: 1 },
      split: { train: 0.5, val: 0.25 },
      normalization: 'zscore',
      seasonRows: 12,
    }
    const hand: Record<string, number> = {}
    for (const kind of ['ets', 'theta'] as const) {
      const bt = await backtestRun(dataset, {
        experiment,
        model: { family: 'statistical', kind, seasons: [12] },
        folds: 3,
        refit: 'every',
        level: null,
      })
      // MAE per fold from the raw forecasts and actuals, then their plain mean.
      const maes = bt.forecasts.map((f, k) => {
        const a = bt.actual[k]
        let s = 0
        for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - f.predicted[i])
        return s / a.length
      })
      hand[kind] = (maes[0] + maes[1] + maes[2]) / 3
      expect(result.leaderboard.find((e) => e.model === kind)!.meanMae).toBeCloseTo(hand[kind], 9)
    }
    // The window model's own fold MAEs, averaged here.
    for (const e of result.leaderboard)
      hand[e.model] ??= e.folds.reduce((s, f) => s + f.metrics.mae, 0) / e.folds.length
    const order = Object.keys(hand).sort((a, b) => hand[a] - hand[b])
    expect(result.leaderboard.map((e) => e.model)).toEqual(order)
    expect(result.best.model).toBe(order[0])
    // The trend + season series: the statistical models beat naive across the folds.
    expect(hand.ets).toBeLessThan(hand.naive)
  })

  it('leaderboard.json carries the fold metrics; best/ is the chosen model as train writes it', () => {
    const saved = JSON.parse(readFileSync(join(out, 'leaderboard.json'), 'utf8'))
    expect(saved.leaderboard).toEqual(result.leaderboard)
    expect(saved.folds).toEqual({ k: 3, refit: 'every', rankedBy: 'mean of the fold MAEs' })
    const metrics = JSON.parse(readFileSync(join(out, 'best', 'metrics.json'), 'utf8'))
    expect(metrics.model ?? metrics.config?.model?.name).toBeTruthy()
    expect(existsSync(join(out, 'best', 'forecasts.csv'))).toBe(true)
    expect(existsSync(join(out, 'best', 'model'))).toBe(result.best.model !== 'naive')
  })

  it('--refit without --folds and a bad --refit are refused by name', async () => {
    for (const [flags, text] of [
      [['--refit', 'once'], '--refit needs --folds'],
      [['--folds', '2', '--refit', 'twice'], '--refit: expected every or once'],
    ] as const) {
      const sink = io()
      await expect(
        makeCompare({ host })(
          [
            csv,
            '--target',
            'y',
            '--sequence-length',
            '12',
            '--delay',
            '12',
            ...flags,
            '--out',
            join(dir, 'bad'),
          ],
          sink,
        ),
      ).rejects.toThrow(text)
    }
  })
})

describe('ranking rules', () => {
  it('mean of the fold MAEs; a missing one ranks last; ties keep run order', () => {
    expect(meanFoldMae([{ metrics: { mae: 1 } }, { metrics: { mae: 4 } }])).toBe(2.5)
    const ranked = rankByFolds([
      { m: 'a', meanMae: 2 },
      { m: 'b', meanMae: NaN },
      { m: 'c', meanMae: 1 },
      { m: 'd', meanMae: 2 },
    ])
    expect(ranked.map((e) => e.m)).toEqual(['c', 'a', 'd', 'b'])
  })
})

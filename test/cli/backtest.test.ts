/**
 * `backtest` end to end: the last --json line is exactly the object (half-open row
 * ranges), backtest.json and forecasts.csv agree with it, `--interval-method` reaches the folds
 * (adaptive conformal by default, split on request), and bad settings are refused by name.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { makeBacktest } from '../../src/cli/commands/backtest'
import { parseForecastCsv } from '../../src/shared/forecast-csv'
import { SUNSPOTS } from '../core/engine/helpers'
import { captureIO } from './helpers'

const dir = mkdtempSync(join(tmpdir(), 'seqcast-cli-backtest-'))
const csv = join(dir, 'sunspots.csv')
const lines = readFileSync(SUNSPOTS, 'utf8').split('\n').slice(0, 401)
writeFileSync(csv, lines.join('\n') + '\n')
const y = lines.slice(1).map((l) => Number(l.split(',')[1]))

afterAll(() => rmSync(dir, { recursive: true, force: true }))

const io = captureIO

const flags = ['--target', 'sunspots', '--sequence-length', '12', '--delay', '12']

describe('backtest --json', () => {
  it('progress lines, then exactly {"folds": [...], "overall": {...}} as the last line', async () => {
    const sink = io()
    const out = join(dir, 'ets')
    const code = await makeBacktest()(
      [csv, ...flags, '--model', 'ets', '--folds', '3', '--out', out, '--json'],
      sink,
    )
    expect(sink.err()).toBe('')
    expect(code).toBe(0)
    const printed = sink.out().trim().split('\n')
    expect(printed.slice(0, -1).map((l) => JSON.parse(l).event)).toEqual(Array(6).fill('fold'))
    const last = JSON.parse(printed[printed.length - 1])
    expect(Object.keys(last)).toEqual(['folds', 'overall'])
    expect(last.folds).toHaveLength(3)
    for (const f of last.folds) {
      expect(Object.keys(f)).toEqual([
        'fold',
        'trainRows',
        'targetRows',
        'samples',
        'metrics',
        'baselines',
        'coverage',
      ])
      expect(Object.keys(f.metrics)).toEqual(['mae', 'rmse', 'mape', 'smape', 'mase', 'n'])
      expect(Object.keys(f.baselines)).toEqual(['naive', 'seasonalNaive'])
      expect(f.coverage).toBeGreaterThan(0)
    }
    expect(last.folds.map((f: { targetRows: number[] }) => f.targetRows)).toEqual([
      [200, 263],
      [263, 326],
      [326, 389],
    ])
    expect(Object.keys(last.overall)).toEqual(['samples', 'metrics', 'baselines', 'coverage'])
    // Overall naive MAE pools every window: mean |y[r] − y[r − 1]| over rows 200 … 388.
    let sum = 0
    for (let r = 200; r < 389; r++) sum += Math.abs(y[r] - y[r - 1])
    expect(last.overall.baselines.naive.mae).toBeCloseTo(sum / 189, 10)

    const file = JSON.parse(readFileSync(join(out, 'backtest.json'), 'utf8'))
    expect(file.folds.map((f: { samples: number }) => f.samples)).toEqual([63, 63, 63])
    expect(file.level).toBe(0.9)
    expect(file.method).toBe('aci') // the default
    const rows = parseForecastCsv(readFileSync(join(out, 'forecasts.csv'), 'utf8'))
    expect(rows).toHaveLength(189)
    expect(rows[0]).toMatchObject({ split: 'fold-1', row: 200, actual: y[200] })
    const fold2 = rows.filter((r) => r.split === 'fold-2')
    const inside = fold2.filter((r) => r.actual! >= r.lower! && r.actual! <= r.upper!).length
    expect(last.folds[1].coverage).toBeCloseTo(inside / fold2.length, 12)
  })

  it('--interval-method split: every fold window gets its fold’s held-out half-width', async () => {
    const sink = io()
    const out = join(dir, 'ets-split')
    const code = await makeBacktest()(
      [csv, ...flags, '--model', 'ets', '--folds', '3', '--interval-method', 'split', '--out', out],
      sink,
    )
    expect(code).toBe(0)
    expect(sink.out()).toContain('ETS: 3 folds in')
    expect(sink.out()).toContain('90 % split conformal intervals.')
    const file = JSON.parse(readFileSync(join(out, 'backtest.json'), 'utf8'))
    expect(file.method).toBe('split')
    const rows = parseForecastCsv(readFileSync(join(out, 'forecasts.csv'), 'utf8'))
    for (const [k, fold] of file.folds.entries()) {
      for (const r of rows.filter((x) => x.split === `fold-${k + 1}`))
        expect(r.upper! - r.predicted).toBeCloseTo(fold.radius[0], 6)
    }
  })

  it('refuses a refit it does not know and a missing --folds, naming the option', async () => {
    const sink = io()
    await expect(
      makeBacktest()(
        [csv, ...flags, '--model', 'ets', '--folds', '3', '--refit', 'never', '--out', dir],
        sink,
      ),
    ).rejects.toThrow(/--refit: expected every or once, received "never"/)
    await expect(
      makeBacktest()([csv, ...flags, '--model', 'ets', '--out', dir], sink),
    ).rejects.toThrow(/--folds <K> is required/)
    await expect(
      makeBacktest()(
        [
          csv,
          ...flags,
          '--model',
          'ets',
          '--folds',
          '3',
          '--interval-method',
          'model',
          '--out',
          dir,
        ],
        sink,
      ),
    ).rejects.toThrow(/--interval-method: expected one of aci, split, received "model"/)
  })
})

/**
 * The CLI's `backtest` builds the model as `train` does: a statistical model without --season
 * takes the seasons found in the training rows (statisticalSpecForRun), not the time axis'
 * default season, and a tanh output gets the normalization it needs unless --normalize is set.
 *
 * Answer known without the code: on 600 sunspot months, `train --split 0.6,0.15` fits ETS on rows
 * [0, 360) and forecasts the test windows; `backtest --split 0.75,0.2 --folds 1` fits its one
 * fold on rows [0, 450 − ⌊0.2 · 450⌋) = [0, 360) too and forecasts (among others) the same
 * windows, so their forecasts are the same numbers.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { makeBacktest } from '../../src/cli/commands/backtest'
import { makeTrain } from '../../src/cli/commands/train'
import { parseForecastCsv } from '../../src/shared/forecast-csv'
import { SUNSPOTS } from '../core/engine/helpers'
import { captureIO } from './helpers'

const dir = mkdtempSync(join(tmpdir(), 'seqcast-cli-eval-'))
const csv = join(dir, 'sunspots.csv')
writeFileSync(csv, readFileSync(SUNSPOTS, 'utf8').split('\n').slice(0, 601).join('\n') + '\n')
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const flags = ['--target', 'sunspots', '--sequence-length', '12', '--delay', '12']

/** predicted by "row/step" of the rows of `split` in a forecasts.csv. */
function forecasts(file: string, split: string): Map<string, number> {
  const rows = parseForecastCsv(readFileSync(file, 'utf8')).filter((r) => r.split === split)
  return new Map(rows.map((r) => [`${r.row}/${r.step}`, r.predicted]))
}

describe('the CLI backtest builds its model as train does', () => {
  it('MSTL without --season: the fold forecasts the run’s test windows with the run’s numbers', async () => {
    const trainOut = join(dir, 'train-mstl')
    const sink = captureIO()
    const code = await makeTrain()(
      [csv, ...flags, '--split', '0.6,0.15', '--model', 'mstl', '--out', trainOut, '--json'],
      sink,
    )
    expect(sink.err()).toBe('')
    expect(code).toBe(0)
    const btOut = join(dir, 'backtest-mstl')
    const sink2 = captureIO()
    const code2 = await makeBacktest()(
      [
        csv,
        ...flags,
        '--split',
        '0.75,0.2',
        '--model',
        'mstl',
        '--folds',
        '1',
        '--out',
        btOut,
        '--json',
      ],
      sink2,
    )
    expect(sink2.err()).toBe('')
    expect(code2).toBe(0)
    const want = forecasts(join(trainOut, 'forecasts.csv'), 'test')
    const got = forecasts(join(btOut, 'forecasts.csv'), 'fold-1')
    expect(want.size).toBeGreaterThan(50)
    for (const [key, v] of want) expect(got.get(key), key).toBe(v)
  }, 120_000)

  it('a tanh output without --normalize backtests on min-max to [−1, 1], as train runs it', async () => {
    const out = join(dir, 'backtest-stateful')
    const sink = captureIO()
    const code = await makeBacktest()(
      [
        csv,
        ...flags,
        '--model',
        'stateful-lstm',
        '--epochs',
        '1',
        '--batch-size',
        '16',
        '--folds',
        '1',
        '--out',
        out,
        '--json',
      ],
      sink,
    )
    expect(sink.err()).toBe('')
    expect(code).toBe(0)
    const last = JSON.parse(sink.out().trim().split('\n').pop()!)
    expect(last.folds).toHaveLength(1)
    expect(Number.isFinite(last.folds[0].metrics.mae)).toBe(true)
  }, 120_000)
})

/**
 * `--one-hot` end to end through the worker (tsx): a daily file whose next value is set by
 * today's weather label. The label is random, so the target's own past says nothing about it;
 * a linear model that reads the one-hot columns learns it, one that does not cannot. Then
 * `predict` encodes another file with the stored categories, whatever order its labels come in.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { makeBacktest } from '../../src/cli/commands/backtest'
import { inspect } from '../../src/cli/commands/inspect'
import { makePredict } from '../../src/cli/commands/predict'
import { makeTrain } from '../../src/cli/commands/train'
import { runCli } from '../../src/cli/index'
import { EngineHost } from '../../src/core/engine/host'
import { seededRandom } from '../../src/shared/windows/random'
import { tsxWorker } from '../core/engine/helpers'
import { gaussian } from '../shared/gaussian'
import { captureIO } from './helpers'

const dir = mkdtempSync(join(tmpdir(), 'seqcast-onehot-'))
const host = new EngineHost({ createWorker: tsxWorker })
afterAll(async () => {
  await host.dispose()
  rmSync(dir, { recursive: true, force: true })
})

const LABELS = ['sun', 'rain', 'fog', 'snow']
/** What tomorrow's value adds for today's label. */
const EFFECT: Record<string, number> = { sun: 0, rain: 20, fog: 5, snow: -10 }
const ROWS = 600

/** `date,weather,y` from 2020-01-01: y[r] = 10 + EFFECT[weather[r − 1]] + 0.5·noise. */
function writeDaily(): { csv: string; labels: string[]; y: number[] } {
  const pick = seededRandom(7)
  const noise = gaussian(8)
  const labels = Array.from({ length: ROWS }, () => LABELS[Math.floor(pick() * LABELS.length)])
  const y = labels.map((_, r) => 10 + (r > 0 ? EFFECT[labels[r - 1]] : 0) + 0.5 * noise())
  const csv = join(dir, 'daily.csv')
  const day = (r: number) => new Date(Date.UTC(2020, 0, 1 + r)).toISOString().slice(0, 10)
  writeFileSync(
    csv,
    'date,weather,y\n' + labels.map((l, r) => `${day(r)},${l},${y[r]}`).join('\n') + '\n',
  )
  return { csv, labels, y }
}

const data = writeDaily()

/** The experiment and training flags every run here shares: a linear model on 3-day windows. */
const RUN_FLAGS = [
  '--target',
  'y',
  '--features',
  'y',
  '--sequence-length',
  '3',
  '--delay',
  '3',
  '--calendar',
  'none',
  '--transform',
  'none',
  '--model',
  'linear',
  '--epochs',
  '40',
  '--batch-size',
  '32',
  '--optimizer',
  'adam',
  '--learning-rate',
  '0.05',
]

async function train(out: string, extra: string[]): Promise<Record<string, never>> {
  const sink = captureIO()
  const code = await makeTrain({ host })(
    [data.csv, ...RUN_FLAGS, '--seed', '1', '--out', out, '--json', ...extra],
    sink,
  )
  expect(sink.err()).toBe('')
  expect(code).toBe(0)
  const lines = sink.out().trim().split('\n')
  return JSON.parse(lines[lines.length - 1])
}

describe('--one-hot', () => {
  it('inspect says which text columns can be one-hot encoded, and why', async () => {
    const sink = captureIO()
    expect(await inspect([data.csv], sink)).toBe(0)
    expect(sink.out()).toContain(
      'Text columns are not numbers, so no model reads them as they are. One-hot encoding (--one-hot COL) makes one 0/1 input per label:\n' +
        '  weather  eligible: 4 distinct values: can be one-hot encoded as 4 features\n',
    )
  })

  it('adds one 0/1 input per training label, and the model reading them beats the one without', async () => {
    const without = await train(join(dir, 'without'), [])
    const withLabels = await train(join(dir, 'with'), ['--one-hot', 'weather'])
    expect(withLabels.inputs).toEqual([
      'y',
      'weather=fog',
      'weather=rain',
      'weather=snow',
      'weather=sun',
    ])
    expect(withLabels.oneHot).toEqual([
      { column: 'weather', categories: ['fog', 'rain', 'snow', 'sun'] },
    ])
    expect(withLabels.choices).toContain(
      'One-hot: "weather" as 4 inputs (weather=fog, weather=rain, weather=snow, weather=sun), from the labels of the training rows; a label outside them is encoded as all zeros.',
    )
    expect(without.inputs).toEqual(['y'])
    // The label moves y by up to 30; without it the best guess misses by about 9 on average.
    const mae = (r: Record<string, never>) =>
      (r.metrics as unknown as { val: { mae: number } }).val.mae
    expect(mae(without)).toBeGreaterThan(5)
    expect(mae(withLabels)).toBeLessThan(mae(without) / 3)
    // The manifest stores the categories; the normalization keeps the 0/1 columns as they are.
    const manifest = JSON.parse(readFileSync(join(dir, 'with', 'model', 'seqcast.json'), 'utf8'))
    expect(manifest.experiment.oneHot).toEqual(withLabels.oneHot)
    const n = manifest.normalization
    const at = n.columns.indexOf('weather=rain')
    expect([n.center[at], n.scale[at]]).toEqual([0, 1])
    expect(manifest.inference.inputShape).toEqual([3, 5])
  })

  it('refuses a one-hot input name the file already has, naming both columns, before training', async () => {
    // The same file with a numeric column literally named "weather=rain" (not even a feature).
    const lines = readFileSync(data.csv, 'utf8').trim().split('\n')
    const clash = join(dir, 'clash.csv')
    writeFileSync(
      clash,
      [`${lines[0]},weather=rain`, ...lines.slice(1).map((l, r) => `${l},${r % 7}`)].join('\n') +
        '\n',
    )
    const sink = captureIO()
    const out = join(dir, 'clash-run')
    // runCli: the exit code and the words the command line prints.
    const code = await runCli(
      ['train', clash, ...RUN_FLAGS, '--one-hot', 'weather', '--out', out],
      sink,
    )
    expect(code).toBe(1)
    expect(sink.err().trim().split('\n').pop()).toBe(
      'One-hot: column "weather" would add an input named "weather=rain", and clash.csv already has a column named "weather=rain", so two inputs would share one name. Rename the column "weather=rain" in the file (for example to "weather_rain"), or untick "weather" under Text columns in the Experiment view (or leave it out of --one-hot).',
    )
    expect(sink.out()).not.toContain('epoch')
    expect(existsSync(join(out, 'model'))).toBe(false)
  })

  it('backtest folds read the one-hot columns too (0/1 in every fold)', async () => {
    const sink = captureIO()
    const code = await makeBacktest({ host })(
      [
        data.csv,
        ...RUN_FLAGS,
        '--folds',
        '2',
        '--one-hot',
        'weather',
        '--out',
        join(dir, 'backtest'),
        '--json',
      ],
      sink,
    )
    expect(code).toBe(0)
    const last = JSON.parse(sink.out().trim().split('\n').pop()!)
    // As in the single run: the labels explain y, so the folds miss by far less than naive.
    expect(last.overall.metrics.mae).toBeLessThan(last.overall.baselines.naive.mae / 5)
  })

  it('a statistical model says it does not use the one-hot columns', async () => {
    const sink = captureIO()
    const args = [data.csv, '--target', 'y', '--sequence-length', '3', '--delay', '3']
    const out = join(dir, 'ets')
    expect(
      await makeTrain({ host })(
        [...args, '--model', 'ets', '--one-hot', 'weather', '--out', out],
        sink,
      ),
    ).toBe(0)
    expect(sink.out()).toContain(
      'One-hot: "weather" not used, because a statistical model reads the target alone.',
    )
    const manifest = JSON.parse(readFileSync(join(out, 'model', 'seqcast.json'), 'utf8'))
    expect(manifest.experiment.oneHot).toBeUndefined()
  })

  it('predict encodes with the stored categories: same forecasts whatever order labels first appear in; unseen labels warn', async () => {
    const model = join(dir, 'with', 'model')
    const lines = readFileSync(data.csv, 'utf8').trim().split('\n')
    // A tail of the file whose first label differs from the file's first: other label codes.
    const from = lines.findIndex((l, i) => i > 100 && l.split(',')[1] !== data.labels[0])
    const tail = join(dir, 'tail.csv')
    writeFileSync(tail, [lines[0], ...lines.slice(from)].join('\n') + '\n')
    const forecasts = async (csv: string, out: string, expectWarning?: string) => {
      const sink = captureIO()
      expect(await makePredict({ host })([model, csv, '--out', out, '--json'], sink)).toBe(0)
      const summary = JSON.parse(sink.out().trim().split('\n').pop()!)
      expect(summary.warnings).toEqual(expectWarning ? [expectWarning] : [])
      const rows = readFileSync(out, 'utf8').trim().split('\n').slice(1)
      // timestamp → predicted
      return new Map(rows.map((r) => r.split(',')).map((c) => [c[0], Number(c[5])]))
    }
    const whole = await forecasts(data.csv, join(dir, 'whole.csv'))
    const part = await forecasts(tail, join(dir, 'part.csv'))
    let compared = 0
    for (const [t, p] of part) {
      if (!whole.has(t)) continue
      expect(p, t).toBeCloseTo(whole.get(t)!, 4)
      compared++
    }
    expect(compared).toBeGreaterThan(400)

    // "hail" on two rows: encoded as all zeros, and the warning names the column, value and rows.
    const hail = join(dir, 'hail.csv')
    const edited = lines.map((l, i) => {
      if (i !== 5 && i !== 9) return l
      const [d, , y] = l.split(',')
      return `${d},hail,${y}`
    })
    writeFileSync(hail, edited.join('\n') + '\n')
    const withHail = await forecasts(
      hail,
      join(dir, 'hail-forecasts.csv'),
      'hail.csv: Column "weather": "hail" (2 rows: data rows 5, 9) was not among the categories the model was trained with (fog, rain, snow, sun): encoded as all zeros.',
    )
    expect(withHail.size).toBe(whole.size)
  })
})

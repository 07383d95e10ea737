/** The train and predict commands end to end (worker through tsx), on 400 months of sunspots. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { makePredict } from '../../src/cli/commands/predict'
import { makeTrain } from '../../src/cli/commands/train'
import { EngineHost } from '../../src/core/engine/host'
import { SUNSPOTS, tsxWorker } from '../core/engine/helpers'
import { captureIO } from './helpers'

const dir = mkdtempSync(join(tmpdir(), 'seqcast-cli-'))
const csv = join(dir, 'sunspots.csv')
writeFileSync(csv, readFileSync(SUNSPOTS, 'utf8').split('\n').slice(0, 401).join('\n') + '\n')
const host = new EngineHost({ createWorker: tsxWorker })

afterAll(async () => {
  await host.dispose()
  rmSync(dir, { recursive: true, force: true })
})

const io = captureIO

describe('train', () => {
  it('--json: progress lines, then one result object; writes the model folder, forecasts.csv and metrics.json', async () => {
    const sink = io()
    const out = join(dir, 'run')
    const code = await makeTrain({ host })(
      [
        csv,
        '--target',
        'sunspots',
        '--sequence-length',
        '12',
        '--delay',
        '12',
        '--split',
        '0.5,0.25',
        '--normalize',
        'minmax-sym',
        '--model',
        'lstm',
        '--epochs',
        '2',
        '--batch-size',
        '32',
        '--learning-rate',
        '0.01',
        '--optimizer',
        'adam',
        '--seed',
        '3',
        '--out',
        out,
        '--zip',
        '--json',
      ],
      sink,
    )
    expect(sink.err()).toBe('')
    expect(code).toBe(0)
    const lines = sink
      .out()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(lines.filter((l) => l.event === 'epoch').map((l) => l.epoch)).toEqual([1, 2])
    const last = lines[lines.length - 1]
    // The best backend that loads, whichever installs here: every better one says why it was skipped.
    const order = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu']
    expect(order).toContain(last.backend.used)
    for (const better of order.slice(0, order.indexOf(last.backend.used)))
      expect(last.backend.skipped[better], better).toEqual(expect.stringMatching(/\w/))
    expect(last.epochs).toBe(2)
    expect(last.metrics.val.mae).toBeGreaterThan(0)
    expect(last.metrics.test.rmse).toBeGreaterThan(0)
    expect(last.baselines.naive.val.mae).toBeGreaterThan(0)
    expect(last.baselines.naive.test.mae).toBeGreaterThan(0)
    expect(last.out).toBe(out)
    for (const f of [
      'model/model.json',
      'model/weights.bin',
      'model/seqcast.json',
      'model.zip',
      'forecasts.csv',
      'metrics.json',
    ]) {
      expect(existsSync(join(out, f))).toBe(true)
    }
    expect(JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'))).toEqual(last)
    const forecasts = readFileSync(join(out, 'forecasts.csv'), 'utf8').trim().split('\n')
    expect(forecasts[0]).toBe(
      'timestamp,split,row,step,actual,predicted,residual,lower,upper,origin',
    )
    expect(forecasts.filter((l) => l.split(',')[1] === 'val').length).toBe(last.samples.val)
    const future = forecasts[forecasts.length - 1].split(',')
    expect(future).toEqual([
      '1782-05-01', // monthly data: a date, not a midnight instant
      'future',
      '400',
      '1',
      '',
      expect.any(String),
      '',
      expect.any(String),
      expect.any(String),
      '1782-04-01', // origin: the future is forecast from the file's last row (row 399)
    ])
    // The future band: the forecast ± the 90 % half-width ACI (the default) ended the test split with.
    const r = last.intervals.futureRadius[0]
    expect(last.intervals).toMatchObject({ level: 0.9, method: 'aci' })
    expect(Number(future[7])).toBeCloseTo(Number(future[5]) - r, 9)
    expect(Number(future[8])).toBeCloseTo(Number(future[5]) + r, 9)
    const [, , row, , actual, predicted, residual] = forecasts[1].split(',')
    expect(Number(actual)).toBe(
      Number(readFileSync(csv, 'utf8').split('\n')[Number(row) + 1].split(',')[1]),
    )
    expect(Number(residual)).toBeCloseTo(Number(actual) - Number(predicted), 6)
  })

  it('usage errors name the option', async () => {
    const sink = io()
    await expect(
      makeTrain({ host })(
        [
          csv,
          '--target',
          'sunspots',
          '--sequence-length',
          '12',
          '--delay',
          '12',
          '--model',
          'nope',
          '--out',
          dir,
        ],
        sink,
      ),
    ).rejects.toMatchObject({
      kind: 'invalid-argument',
      message: expect.stringMatching(/--model: "nope" is neither a preset \(linear, dense, conv1d/),
    })
  })
})

describe('predict', () => {
  it('forecasts a file with the exported model (folder and zip give the same numbers)', async () => {
    const outs: string[] = []
    for (const model of [join(dir, 'run', 'model'), join(dir, 'run', 'model.zip')]) {
      const sink = io()
      const out = join(dir, `pred-${outs.length}.csv`)
      const code = await makePredict({ host })([model, csv, '--out', out, '--json'], sink)
      expect(code).toBe(0)
      const result = JSON.parse(sink.out().trim())
      expect(result.windows).toBe(400 - 12 - 11)
      expect(result.comparison.naive).toMatch(/than naive by/)
      // as forecasts.csv writes times: monthly data is date-only
      expect(result.future.times).toEqual(['1782-05-01'])
      outs.push(readFileSync(out, 'utf8'))
    }
    expect(outs[0]).toBe(outs[1])
    // The test windows of the run are among the windows predicted here, with the same numbers.
    const trained = readFileSync(join(dir, 'run', 'forecasts.csv'), 'utf8')
      .trim()
      .split('\n')
      .filter((l) => l.split(',')[1] === 'test')
    const byRow = new Map(
      outs[0]
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(','))
        .map((c) => [c[2], c[5]]),
    )
    for (const line of trained.slice(0, 20)) {
      const c = line.split(',')
      expect(byRow.get(c[2])).toBe(c[5])
    }
  })
})

/**
 * Target transforms and calendar features through the whole run, on a small monthly series with
 * trend and season: train in the real worker → forecasts.csv → model folder, then
 * - a plain Node process with stock TensorFlow.js and nothing of Seqcast recomputes the forecasts
 *   from model.json, weights.bin and seqcast.json, building the inputs (value, month sin/cos of
 *   the row and of the target) and undoing each transform by hand;
 * - `predict` in a fresh process (the CLI from its sources) writes exactly the training forecasts;
 * - no look-ahead: changing every row after a window's last row leaves its forecast unchanged.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EngineHost } from '../../../src/core/engine/host'
import { writeModelFolder } from '../../../src/core/services/model-files'
import { predictWithModel } from '../../../src/core/services/predict-run'
import { trainRun } from '../../../src/core/services/train-run'
import { parseCsv } from '../../../src/shared/csv'
import { forecastsCsv } from '../../../src/shared/forecast-csv'
import type { RunResult } from '../../../src/shared/run'
import type { TargetTransform } from '../../../src/shared/transforms/spec'
import { runConfig, spec, tsxWorker, window } from '../engine/helpers'

const host = new EngineHost({ createWorker: tsxWorker })
const dir = mkdtempSync(join(tmpdir(), 'seqcast-transform-'))
const N = 120
const L = 12
const DELAY = 13 // gap 2 after the window's last row
const H = 2

/** Monthly from 2000-01: trend 0.8 a month, season of amplitude 5, a fixed wiggle; all positive. */
function level(r: number): number {
  return 100 + 0.8 * r + 5 * Math.sin((2 * Math.PI * r) / 12) + (((r * 7919) % 13) - 6) * 0.3
}
const month = (r: number) => `${2000 + Math.floor(r / 12)}-${String((r % 12) + 1).padStart(2, '0')}`
function csvText(values: (r: number) => number): string {
  const lines = ['date,y']
  for (let r = 0; r < N; r++) lines.push(`${month(r)},${values(r)}`)
  return lines.join('\n') + '\n'
}
const y = Array.from({ length: N }, (_, r) => level(r))
const data = parseCsv(csvText(level), { fileName: 'trend.csv' }).dataset
const dataFile = join(dir, 'trend.csv')
writeFileSync(dataFile, csvText(level))

const CASES: { name: string; transform: TargetTransform }[] = [
  { name: 'none', transform: { kind: 'none', log: false, seasonRows: null } },
  { name: 'change', transform: { kind: 'change', log: false, seasonRows: null } },
  { name: 'seasonal', transform: { kind: 'seasonal', log: false, seasonRows: 12 } },
  { name: 'change,log', transform: { kind: 'change', log: true, seasonRows: null } },
]
const runs = new Map<string, RunResult>()

/** Forecast CSV lines by split → [row, step, predicted]. */
function csvPredictions(text: string, split: string): [number, number, number][] {
  return text
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','))
    .filter((c) => c[1] === split)
    .map((c) => [Number(c[2]), Number(c[3]), Number(c[5])])
}

beforeAll(async () => {
  for (const c of CASES) {
    const config = runConfig(spec('linear'), window(L, DELAY, H), { epochs: 4, batchSize: 16 })
    config.experiment.target = 'y'
    config.experiment.features = ['y']
    config.experiment.seasonRows = 12
    config.experiment.transform = c.transform
    config.experiment.calendar = ['month']
    const result = await trainRun(data, config, { host, runId: c.name })
    runs.set(c.name, result)
    const folder = join(dir, c.name)
    await writeModelFolder(join(folder, 'model'), result.artifacts!)
    writeFileSync(join(folder, 'forecasts.csv'), forecastsCsv(result.forecasts, result.future))
  }
}, 240_000)

afterAll(async () => {
  await host.dispose()
  rmSync(dir, { recursive: true, force: true })
})

// Stock tfjs in a plain process: inputs built from the CSV text by hand, the transform undone by
// hand. Prints the forecasts of the windows whose starts are given, window-major.
const SCRIPT = `import * as tf from '@tensorflow/tfjs'
import { readFileSync } from 'node:fs'
const [dir, csv, startsJson] = process.argv.slice(1)
const json = JSON.parse(readFileSync(dir + '/model.json', 'utf8'))
const m = JSON.parse(readFileSync(dir + '/seqcast.json', 'utf8'))
const bin = readFileSync(dir + '/weights.bin')
const model = await tf.loadLayersModel({ load: async () => ({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) }) })
const rows = readFileSync(csv, 'utf8').trim().split('\\n').slice(1).map((l) => l.split(','))
const y = rows.map((c) => Number(c[1]))
const mon = rows.map((c) => Number(c[0].split('-')[1]) - 1)
const { window: w, transform: t } = m.experiment
const gap = w.delay - (w.sequenceLength - 1) * w.samplingRate
const stat = (name) => { const i = m.normalization.columns.indexOf(name); if (i < 0) throw new Error('no ' + name); return [m.normalization.center[i], m.normalization.scale[i]] }
const norm = (name, v) => { const [c, s] = stat(name); return (v - c) / s }
const monthOf = (r) => r < mon.length ? mon[r] : (mon[mon.length - 1] + r - (mon.length - 1)) % 12
const row = (r) => {
  const a = 2 * Math.PI * monthOf(r) / 12, b = 2 * Math.PI * monthOf(r + gap) / 12
  return [norm('y', y[r]), norm('cal:month_sin', Math.sin(a)), norm('cal:month_cos', Math.cos(a)), norm('cal:target_month_sin', Math.sin(b)), norm('cal:target_month_cos', Math.cos(b))]
}
const learned = t.kind === 'none' && !t.log ? 'y' : 'y|' + t.kind + (t.log ? ',log' : '')
const [c, s] = stat(learned)
const z = (r) => t.log ? Math.log(y[r]) : y[r]
const out = []
for (const start of JSON.parse(startsJson)) {
  const x = []
  for (let i = 0; i < w.sequenceLength; i++) x.push(...row(start + i))
  const p = model.predict(tf.tensor3d(x, [1, w.sequenceLength, 5])).dataSync()
  for (let j = 0; j < w.horizon; j++) {
    const v = p[j] * s + c
    const anchor = t.kind === 'change' ? z(start + w.sequenceLength - 1) : t.kind === 'seasonal' ? z(start + w.delay + j - t.seasonRows) : 0
    out.push(t.log ? Math.exp(v + anchor) : v + anchor)
  }
}
process.stdout.write(JSON.stringify(out))
`

function stockForecasts(name: string, starts: number[]): number[] {
  const out = execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      SCRIPT,
      join(dir, name, 'model'),
      dataFile,
      JSON.stringify(starts),
    ],
    {
      cwd: process.cwd(),
      env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  ).toString()
  return JSON.parse(out) as number[]
}

describe.each(CASES)('transform $name with month features', ({ name, transform }) => {
  it('is stored in seqcast.json with the calendar features and the learned target statistics', () => {
    const manifest = JSON.parse(readFileSync(join(dir, name, 'model', 'seqcast.json'), 'utf8'))
    expect(manifest.experiment.transform).toEqual(transform)
    expect(manifest.experiment.calendar).toEqual(['month'])
    expect(manifest.inference.inputShape).toEqual([L, 5])
    const learned = name === 'none' ? 'y' : `y|${name}`
    expect(manifest.normalization.columns).toContain(learned)
  })

  it('forecasts.csv holds the model output undone by hand (stock tfjs, fresh process), future included', () => {
    const text = readFileSync(join(dir, name, 'forecasts.csv'), 'utf8')
    const test = csvPredictions(text, 'test')
    const future = csvPredictions(text, 'future')
    // Window start of a first step targeting row r: r − delay. Test windows and the future.
    const testStarts = test.filter(([, step]) => step === 1).map(([row]) => row - DELAY)
    const futureStart = future[0][0] - DELAY
    expect(futureStart).toBe(N - L) // the latest window ends at the last row
    const expected = stockForecasts(name, [...testStarts, futureStart])
    const got = [...test, ...future].map(([, , p]) => p)
    expect(got).toHaveLength(expected.length)
    // float32 model, float64 bookkeeping: agreement to well under a thousandth of the level.
    for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(expected[i], 3)
  })

  it('predict in a fresh process writes exactly the training forecasts', () => {
    const out = join(dir, name, 'predicted.csv')
    execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli/main.ts',
        'predict',
        join(dir, name, 'model'),
        dataFile,
        '--out',
        out,
      ],
      { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] },
    )
    const predicted = csvPredictions(readFileSync(out, 'utf8'), 'all')
    const byRowStep = new Map(predicted.map(([r, s, p]) => [`${r}:${s}`, p]))
    const training = readFileSync(join(dir, name, 'forecasts.csv'), 'utf8')
    for (const split of ['val', 'test']) {
      const rows = csvPredictions(training, split)
      expect(rows.length).toBeGreaterThan(0)
      for (const [r, s, p] of rows) expect(byRowStep.get(`${r}:${s}`)).toBe(p)
    }
    const future = csvPredictions(readFileSync(out, 'utf8'), 'future').map(([, , p]) => p)
    expect(future).toEqual(csvPredictions(training, 'future').map(([, , p]) => p))
  })

  it('no look-ahead: rows after a window’s last row do not change its forecast', async () => {
    const run = runs.get(name)!
    const start = run.forecasts.test!.rowIndex[0] - DELAY
    const last = start + L - 1
    // Every row after the window's last row, its targets included, moved far away (still > 0).
    const changed = parseCsv(
      csvText((r) => (r > last ? level(r) * 3 + 50 : level(r))),
      { fileName: 'changed.csv' },
    ).dataset
    const a = await predictWithModel(run.artifacts!, data, { host })
    const b = await predictWithModel(run.artifacts!, changed, { host })
    const k = Array.from(a.forecast.rowIndex).indexOf(start + DELAY)
    expect(k).toBeGreaterThanOrEqual(0)
    for (let j = 0; j < H; j++) {
      expect(b.forecast.predicted[k + j]).toBe(a.forecast.predicted[k + j])
      expect(b.forecast.actual[k + j]).not.toBe(a.forecast.actual[k + j]) // the change was seen
    }
    // The forecast of a later window, whose rows changed, does move.
    expect(b.forecast.predicted[k + H * 3]).not.toBe(a.forecast.predicted[k + H * 3])
    expect(y[last]).toBe(level(last))
  })
})

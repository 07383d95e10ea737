/**
 * trainRun and predictWithModel end to end through a real worker, on the first 600 months of
 * the sunspot series: metrics in the data's units next to the baselines, forecasts with their
 * timestamps, the future month, the model package, and predictions that survive export.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EngineHost } from '../../../src/core/engine/host'
import { writeModelFolder } from '../../../src/core/services/model-files'
import { predictWithModel } from '../../../src/core/services/predict-run'
import { trainRun } from '../../../src/core/services/train-run'
import { parseCsv } from '../../../src/shared/csv'
import { SeqcastError } from '../../../src/shared/errors'
import type { ModelPackage, RunResult } from '../../../src/shared/run'
import type { Dataset } from '../../../src/shared/series/dataset'
import { expectAutoBackend, runConfig, spec, sunspots, tsxWorker, window } from '../engine/helpers'

const host = new EngineHost({ createWorker: tsxWorker })
const dir = mkdtempSync(join(tmpdir(), 'seqcast-service-'))
const data = sunspots(600)
const column = (d: Dataset, name: string) =>
  (d.columns.find((c) => c.name === name) as { values: Float64Array }).values
const checkpoints: { epoch: number; pkg: ModelPackage }[] = []
let result: RunResult

beforeAll(async () => {
  const config = runConfig(spec('lstm'), window(12), { epochs: 3, batchSize: 32, backend: 'auto' })
  config.experiment.seasonRows = 12
  result = await trainRun(data, config, {
    host,
    runId: 'svc',
    onCheckpoint: (epoch, pkg) => checkpoints.push({ epoch, pkg }),
  })
})

afterAll(async () => {
  await host.dispose()
  rmSync(dir, { recursive: true, force: true })
})

describe('trainRun', () => {
  it('reports the backend, the history and the best epoch', () => {
    expectAutoBackend(result.backend)
    expect(result.history).toHaveLength(3)
    expect(result.stopReason).toBe('completed')
    const vals = result.history.map((h) => h.valLoss!)
    expect(result.bestEpoch).toBe(vals.indexOf(Math.min(...vals)) + 1)
    expect(checkpoints.map((c) => c.epoch)).toContain(result.bestEpoch)
    expect(checkpoints[0].pkg.manifest.bestEpoch).toBe(checkpoints[0].epoch)
  })

  it('forecasts carry the actual values and timestamps of their target rows', () => {
    const dates = column(data, 'date')
    const values = column(data, 'sunspots')
    for (const split of ['val', 'test'] as const) {
      const f = result.forecasts[split]!
      expect(f.actual).toBeInstanceOf(Float64Array)
      expect(f.rowIndex.length).toBe(result.sampleCounts[split])
      for (const i of [0, 7, f.rowIndex.length - 1]) {
        expect(f.actual[i]).toBe(values[f.rowIndex[i]])
        expect(f.timestamps![i]).toBe(dates[f.rowIndex[i]])
      }
    }
    // the first validation target is row 300 + 12 (windows of 12 starting at the split)
    expect(result.forecasts.val!.rowIndex[0]).toBe(312)
  })

  it('metrics in the data units next to naive and seasonal naive, with better / worse by X %', () => {
    for (const split of ['val', 'test'] as const) {
      const m = result.metrics[split]!
      const f = result.forecasts[split]!
      const mae =
        f.actual.reduce((s, a, i) => s + Math.abs(a - f.predicted[i]), 0) / f.actual.length
      expect(m.mae).toBeCloseTo(mae, 9)
      expect(m.n).toBe(result.sampleCounts[split])
      const naive = result.baselines.naive[split]!
      const c = result.comparison[split]!.naive!
      expect(c.reference).toBe(naive.mae)
      expect(c.percent).toBeCloseTo((100 * Math.abs(naive.mae - m.mae)) / naive.mae, 9)
      expect(c.text).toBe(
        `${m.mae < naive.mae ? 'better' : 'worse'} than naive by ${c.percent.toFixed(1)} %`,
      )
      expect(result.comparison[split]!['seasonal-naive']!.text).toMatch(/than seasonal naive by/)
    }
  })

  it('the future forecast is for the month after the data', () => {
    expect(result.future!.rowIndex).toEqual(Int32Array.of(600))
    expect(result.future!.fromRow).toBe(599)
    // 600 months from January 1749: the data ends in December 1798.
    expect(result.future!.timestamps![0]).toBe(Date.UTC(1799, 0, 1))
    expect(Number.isFinite(result.future!.predicted[0])).toBe(true)
  })

  it('the model package: manifest with schema, normalization, windows, metrics and backend', () => {
    const m = result.artifacts!.manifest
    expect(m.format).toBe('seqcast-model')
    expect(m.dataset.columns).toEqual([
      { name: 'date', kind: 'datetime' },
      { name: 'sunspots', kind: 'numeric' },
    ])
    expect(m.experiment.window.sequenceLength).toBe(12)
    expect(m.normalization).toEqual(result.normalization)
    expect(m.metrics.test!.mae).toBe(result.metrics.test!.mae)
    expect(m.backend?.used).toBe('wasm')
    expect(m.versions.tfjs).toBe('4.22.0')
  })
})

describe('predictWithModel', () => {
  it('export → folder → import → predict gives the run’s numbers exactly', async () => {
    const folder = join(dir, 'model')
    await writeModelFolder(folder, result.artifacts!)
    const set = await predictWithModel(folder, data, { host })
    const test = result.forecasts.test!
    const at = new Map(
      Array.from(set.forecast.rowIndex, (row, i) => [row, set.forecast.predicted[i]]),
    )
    for (let i = 0; i < test.rowIndex.length; i++)
      expect(at.get(test.rowIndex[i])).toBe(test.predicted[i])
    expect(set.future!.predicted[0]).toBe(result.future!.predicted[0])
    expect(set.metrics!.n).toBe(set.forecast.rowIndex.length)
    expect(set.comparison.naive!.text).toMatch(/than naive by/)
  })

  it('the exported folder loads in stock TensorFlow.js in a plain Node process and predicts the same', () => {
    const folder = join(dir, 'model')
    // Evaluated as a module from the repository root (so it resolves @tensorflow/tfjs), with
    // nothing of Seqcast loaded: stock tfjs, the folder's files, the manifest's normalization.
    const script = `import * as tf from '@tensorflow/tfjs'
import { readFileSync } from 'node:fs'
const dir = process.argv[1]
const json = JSON.parse(readFileSync(dir + '/model.json', 'utf8'))
const manifest = JSON.parse(readFileSync(dir + '/seqcast.json', 'utf8'))
const bin = readFileSync(dir + '/weights.bin')
const model = await tf.loadLayersModel({ load: async () => ({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) }) })
const [center] = manifest.normalization.center, [scale] = manifest.normalization.scale
const values = JSON.parse(process.argv[2])
const x = tf.tensor3d(values.map((v) => (v - center) / scale), [1, values.length, 1])
process.stdout.write(JSON.stringify(model.predict(x).dataSync()[0] * scale + center))
`
    const values = column(data, 'sunspots')
    const test = result.forecasts.test!
    const start = test.rowIndex[5] - 12
    const out = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        script,
        folder,
        JSON.stringify(Array.from(values.slice(start, start + 12))),
      ],
      {
        cwd: process.cwd(),
        env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' },
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    ).toString()
    expect(Number(out)).toBeCloseTo(test.predicted[5], 3)
  })

  it('a file with another schema or too few rows: clear errors', async () => {
    const other = parseCsv('date,spots\n1749-01,58\n1749-02,62.6\n', {
      fileName: 'other.csv',
    }).dataset
    await expect(predictWithModel(result.artifacts!, other, { host })).rejects.toMatchObject({
      kind: 'model-mismatch',
      message: expect.stringMatching(
        /other\.csv lacks the column "sunspots" .*Numeric columns in other\.csv: "spots"/,
      ),
    })
    const rows = Array.from(
      { length: 20 },
      (_, i) =>
        `17${49 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')},${i % 2 ? 'high' : 'low'}`,
    )
    const text = parseCsv(`date,sunspots\n${rows.join('\n')}\n`, { fileName: 'text.csv' }).dataset
    expect(text.columns[1].kind).toBe('text')
    await expect(predictWithModel(result.artifacts!, text, { host })).rejects.toMatchObject({
      kind: 'model-mismatch',
      message: expect.stringMatching(
        /Column "sunspots" of text\.csv holds text, but the model "LSTM\(16\)" was trained on numbers/,
      ),
    })
    const short = sunspots(8)
    await expect(predictWithModel(result.artifacts!, short, { host })).rejects.toMatchObject({
      kind: 'window',
      message: expect.stringMatching(/has 8 rows, but the model reads windows of 12 rows/),
    })
  })
})

describe('trainRun errors', () => {
  it('a diverging setting fails with the NaN message', async () => {
    const config = runConfig(
      spec('dense'),
      window(12),
      { epochs: 2, optimizer: 'sgd', learningRate: 50, backend: 'wasm' },
      'none',
    )
    const error = await trainRun(data, config, { host }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SeqcastError)
    expect((error as SeqcastError).kind).toBe('nan-loss')
    expect((error as SeqcastError).message).toMatch(
      /the loss became (NaN|infinite).*Lower the learning rate/,
    )
  })
})

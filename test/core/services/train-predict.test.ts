/**
 * The services end to end through a real worker, on the first 240 months of the sunspot series
 * (1749-01 … 1768-12), against answers counted from the file by hand: a 3-step horizon through
 * training → model folder → predict → forecasts CSV; the normalization and MASE scale fitted on
 * the training rows only; the manifest of a run sent as the app sends it; a stateful model whose
 * exported warm-up reproduces the run's future forecast; and gaps refused by row and column.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EngineHost } from '../../../src/core/engine/host'
import { datasetFromRunData } from '../../../src/core/services/handlers'
import { writeModelFolder } from '../../../src/core/services/model-files'
import { predictWithModel } from '../../../src/core/services/predict-run'
import { trainRun } from '../../../src/core/services/train-run'
import { forecastSetCsv, parseForecastCsv } from '../../../src/shared/forecast-csv'
import type { ForecastSet, RunResult } from '../../../src/shared/run'
import type { Dataset } from '../../../src/shared/series/dataset'
import { runConfig, spec, sunspots, tsxWorker, window } from '../engine/helpers'

const host = new EngineHost({ createWorker: tsxWorker })
const dir = mkdtempSync(join(tmpdir(), 'seqcast-train-predict-'))
const ROWS = 240
const TRAIN_ROWS = 120 // int(0.5 · 240)
const data = sunspots(ROWS)
const column = (d: Dataset, name: string) =>
  (d.columns.find((c) => c.name === name) as { values: Float64Array }).values
const y = column(data, 'sunspots')
const dates = column(data, 'date')

/** Mean |y[t] − y[t − gap]| over the training rows: the MASE scale, by hand. */
function naiveMaeOnTrainingRows(gap: number): number {
  let sum = 0
  for (let t = gap; t < TRAIN_ROWS; t++) sum += Math.abs(y[t] - y[t - gap])
  return sum / (TRAIN_ROWS - gap)
}

afterAll(async () => {
  await host.dispose()
  rmSync(dir, { recursive: true, force: true })
})

describe('horizon 3: training → model folder → predict → forecasts CSV', () => {
  // Windows of 12 months, targets the 3 months after each window (delay 12, horizon 3).
  const config = runConfig(spec('dense'), window(12, 12, 3), { epochs: 2, backend: 'auto' })
  config.experiment.seasonRows = 12
  let run: RunResult
  let set: ForecastSet
  let csv: ReturnType<typeof parseForecastCsv>

  beforeAll(async () => {
    run = await trainRun(data, config, { host })
    const folder = join(dir, 'h3-model')
    await writeModelFolder(folder, run.artifacts!)
    set = await predictWithModel(folder, data, { host })
    const file = join(dir, 'h3-forecasts.csv')
    writeFileSync(file, forecastSetCsv(set))
    csv = parseForecastCsv(readFileSync(file, 'utf8'))
  })

  it('forecasts every window with its 3 target rows: 240 − (12 + 3 − 1) − 11 = 215 windows', () => {
    expect(set.forecast.horizon).toBe(3)
    const all = csv.filter((r) => r.split === 'all')
    expect(all).toHaveLength(215 * 3)
    for (const k of [0, 100, 214]) {
      for (let h = 0; h < 3; h++) {
        const line = all[k * 3 + h]
        const row = k + 12 + h // window k starts at row k; its targets are rows k + 12 … k + 14
        expect(line.row).toBe(row)
        expect(line.step).toBe(h + 1)
        expect(line.actual).toBe(y[row])
        // Monthly data: the date, without a midnight clock time.
        expect(line.timestamp).toBe(new Date(dates[row]).toISOString().slice(0, 10))
        expect(line.residual).toBeCloseTo(y[row] - line.predicted, 9)
      }
    }
  })

  it('predicts what the run predicted for its test windows, step by step', () => {
    const test = run.forecasts.test!
    expect(test.horizon).toBe(3)
    const byRowStep = new Map(csv.map((r) => [`${r.row}/${r.step}`, r.predicted]))
    for (let i = 0; i < test.predicted.length; i++) {
      const step = (i % 3) + 1
      // The file holds 15 significant digits (no float noise).
      expect(byRowStep.get(`${test.rowIndex[i]}/${step}`)?.toPrecision(15)).toBe(
        test.predicted[i].toPrecision(15),
      )
    }
  })

  it('the future: the 3 months after December 1768, from the window ending at the last row', () => {
    const future = csv.filter((r) => r.split === 'future')
    expect(future.map((r) => [r.row, r.step, r.timestamp])).toEqual([
      [240, 1, '1769-01-01'],
      [241, 2, '1769-02-01'],
      [242, 3, '1769-03-01'],
    ])
    expect(future.every((r) => r.actual === null && Number.isFinite(r.predicted))).toBe(true)
    expect(Array.from(set.future!.predicted)).toEqual(Array.from(run.future!.predicted))
  })

  it('MASE is scaled by the naive error at the gap over the training rows, in the run and in predict', () => {
    const scale = naiveMaeOnTrainingRows(1) // gap = delay − (L − 1) = 1
    expect(run.artifacts!.manifest.maseScale).toBeCloseTo(scale, 9)
    expect(run.metrics.test!.mase).toBeCloseTo(run.metrics.test!.mae / scale, 9)
    expect(set.metrics!.mase).toBeCloseTo(set.metrics!.mae / scale, 9)
    expect(set.baselines.naive!.mase).toBeCloseTo(set.baselines.naive!.mae / scale, 9)
  })

  it('refuses a file with a gap in a column the model reads, naming the row', async () => {
    const gappy = sunspots(ROWS)
    column(gappy, 'sunspots')[100] = NaN
    await expect(predictWithModel(run.artifacts!, gappy, { host })).rejects.toMatchObject({
      kind: 'column',
      details: { column: 'sunspots', row: 101, count: 1 },
      message: expect.stringMatching(
        /^Column "sunspots" of sunspots_monthly\.csv has 1 missing value \(first in data row 101\)/,
      ),
    })
  })
})

describe('a run sent as the app sends it, with its validation and test rows changed', () => {
  const config = runConfig(spec('dense'), window(12), { epochs: 1, backend: 'auto' })
  let original: RunResult
  let changed: RunResult

  beforeAll(async () => {
    original = await trainRun(data, config, { host })
    // Rows after the training rows scaled and shifted: nothing fitted may notice.
    const later = Float64Array.from(y, (v, r) => (r < TRAIN_ROWS ? v : 3 * v + 500))
    const sent = datasetFromRunData({
      datasetName: 'station.csv',
      rowCount: ROWS,
      columns: [{ name: 'sunspots', values: later }],
      timeColumn: 'date',
      timestamps: Float64Array.from(dates),
      schema: [
        { name: 'date', kind: 'datetime' },
        { name: 'observer', kind: 'text' },
        { name: 'sunspots', kind: 'numeric' },
      ],
    })
    changed = await trainRun(sent, config, { host })
  })

  it('fits the normalization on the training rows only (z-score of rows 0–119, by hand)', () => {
    let mean = 0
    for (let r = 0; r < TRAIN_ROWS; r++) mean += y[r] / TRAIN_ROWS
    let variance = 0
    for (let r = 0; r < TRAIN_ROWS; r++) variance += (y[r] - mean) ** 2 / TRAIN_ROWS
    expect(original.normalization.center[0]).toBeCloseTo(mean, 9)
    expect(original.normalization.scale[0]).toBeCloseTo(Math.sqrt(variance), 9)
    expect(changed.normalization).toEqual(original.normalization)
    expect(changed.artifacts!.manifest.normalization).toEqual(original.normalization)
    expect(changed.artifacts!.manifest.maseScale).toBe(original.artifacts!.manifest.maseScale)
    expect(changed.baselines.naive.test!.mae).not.toBe(original.baselines.naive.test!.mae)
  })

  it('the manifest lists the file’s columns and its time column, not an invented one', () => {
    const m = changed.artifacts!.manifest
    expect(m.dataset.timeColumn).toBe('date')
    expect(m.dataset.columns).toEqual([
      { name: 'date', kind: 'datetime' },
      { name: 'observer', kind: 'text' },
      { name: 'sunspots', kind: 'numeric' },
    ])
    expect(changed.forecasts.val!.timestamps![0]).toBe(dates[changed.forecasts.val!.rowIndex[0]])
  })
})

describe('a stateful model', () => {
  // Bonaccorso's stateful LSTM(4), batch 20, no shuffling: 120 − 11 = 109 training windows
  // make ⌊109 / 20⌋ = 5 batches, the stream the future forecast replays.
  // Min-max to [−1, 1], as the preset's tanh output needs (checkOutputRange).
  const config = runConfig(
    spec('stateful-lstm'),
    window(12),
    { epochs: 1, batchSize: 20, shuffle: false, backend: 'auto' },
    'minmax-sym',
  )
  const checkpoints: RunResult['artifacts'][] = []
  let run: RunResult

  beforeAll(async () => {
    run = await trainRun(data, config, { host, onCheckpoint: (_e, pkg) => checkpoints.push(pkg) })
  })

  it('exports the warm-up that reproduces the run’s own future forecast', async () => {
    expect(run.sampleCounts.train).toBe(109)
    expect(run.artifacts!.manifest.inference.warmup).toBe(5)
    const set = await predictWithModel(run.artifacts!, data, { host })
    expect(set.future!.predicted[0]).toBe(run.future!.predicted[0])
  })

  it('checkpoint manifests say the run was in progress; the final one how it ended', () => {
    expect(checkpoints).toHaveLength(1)
    const m = checkpoints[0]!.manifest
    expect(m.stopReason).toBe('in-progress')
    expect(m.bestEpoch).toBe(1)
    expect(m.metrics).toEqual({})
    // The worker reports its backend before the first epoch, so the checkpoint knows it.
    expect(m.backend?.used).toBe(run.backend.used)
    expect(run.artifacts!.manifest.stopReason).toBe('completed')
  })
})

/**
 * The statistical family through `trainRun` and `predictWithModel`: a hand-computed simple
 * exponential smoothing forecast at the window's step, no look-ahead (rows after a window's last
 * row never change its forecast), parameters that ignore the test rows, and an exported model
 * (seqcast.json + stats.json) whose forecasts a fresh process reproduces.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  statisticalWindowForecasts,
  windowLastRows,
} from '../../../src/core/services/families/stat-model'
import { readModel, writeModelFolder } from '../../../src/core/services/model-files'
import { predictWithModel } from '../../../src/core/services/predict-run'
import { trainRun } from '../../../src/core/services/train-run'
import { statsFromJson } from '../../../src/core/stats/stats-json'
import { parseCsv } from '../../../src/shared/csv'
import { parseForecastCsv } from '../../../src/shared/forecast-csv'
import type { RunConfig } from '../../../src/shared/experiment'
import type { RunResult } from '../../../src/shared/run'
import type { Dataset } from '../../../src/shared/series/dataset'
import { gaussian } from '../../shared/gaussian'
import { runConfig, spec, window } from '../engine/helpers'

const dir = mkdtempSync(join(tmpdir(), 'seqcast-stat-family-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** 240 months: trend + a yearly season + noise, as CSV text. */
function monthlyCsv(edit: (values: number[]) => void = () => {}): string {
  const noise = gaussian(7)
  const values = Array.from(
    { length: 240 },
    (_, t) => 100 + 0.5 * t + 10 * Math.sin((2 * Math.PI * t) / 12) + 2 * noise(),
  )
  edit(values)
  const rows = values.map(
    (v, t) => `${new Date(Date.UTC(2000, t, 1)).toISOString().slice(0, 7)},${v}`,
  )
  return `month,y\n${rows.join('\n')}\n`
}

/** The same, through the real import. */
function monthly(edit: (values: number[]) => void = () => {}): Dataset {
  return parseCsv(monthlyCsv(edit), { fileName: 'monthly.csv' }).dataset
}

function config(kind: string, horizon = 1): RunConfig {
  // L = 6 rows, delay 8: the first target is h = 8 − 5 = 3 rows after the window's last row.
  const c = runConfig(spec(kind), window(6, 8, horizon))
  c.experiment.target = 'y'
  c.experiment.features = ['y']
  c.experiment.seasonRows = 12
  c.model.statistical!.seasons = [12]
  return c
}

const KINDS = ['ets', 'arima', 'theta', 'mstl'] as const

describe('statistical windows', () => {
  it('SES with α = 0.5 from level 0: the forecast h rows after the window is the level at its last row', () => {
    // Hand: l1 = 0.5·1 = 0.5, l2 = 0.5·0.5 + 0.5·2 = 1.25, l3 = 0.5·1.25 + 0.5·4 = 2.625.
    const ses = statsFromJson(
      JSON.stringify({
        format: 1,
        model: {
          kind: 'ets',
          spec: { error: 'A', trend: 'N', season: 'N', period: 1 },
          params: { alpha: 0.5, beta: 0, gamma: 0, phi: 1 },
          init: { level: 0, slope: 0, season: [] },
          sigma2: 1,
          aicc: 0,
          trainRows: 3,
        },
      }),
    )
    const series = Float64Array.of(1, 2, 4, 100, 200)
    // L = 2, delay 3, H = 2: the window starting at row 1 ends at row 2, targets rows 4 and 5.
    const w = window(2, 3, 2)
    expect(Array.from(windowLastRows(Int32Array.of(0, 1), w))).toEqual([1, 2])
    const out = statisticalWindowForecasts(ses, series, Int32Array.of(0, 1), w)
    expect(Array.from(out)).toEqual([1.25, 1.25, 2.625, 2.625])
  })
})

describe.each(KINDS)('%s through trainRun', (kind) => {
  const base = monthly()
  let result: RunResult

  it('forecasts every validation and test window and the future, and exports seqcast.json + stats.json', async () => {
    result = await trainRun(base, config(kind, 2))
    expect(result.stopReason).toBe('completed')
    expect(result.history).toEqual([])
    // It reads no window inputs: no transform or calendar choices are reported for it.
    expect(result.choices).toEqual([])
    for (const split of ['val', 'test'] as const) {
      const f = result.forecasts[split]!
      expect(f.predicted.length).toBe(result.sampleCounts[split] * 2)
      expect(f.predicted.every(Number.isFinite)).toBe(true)
    }
    expect(result.future!.predicted.length).toBe(2)
    // A trend + season series: every model must beat naive clearly on validation.
    expect(result.metrics.val!.mae).toBeLessThan(result.baselines.naive.val!.mae)
    const folder = join(dir, `${kind}-model`)
    const files = await writeModelFolder(folder, result.artifacts!)
    expect(files.map((f) => f.split('/').pop()).sort()).toEqual(['seqcast.json', 'stats.json'])
    const back = await readModel(folder)
    expect(back.modelJson).toBeNull()
    expect(back.manifest.model.statistical).toEqual({ kind, seasons: [12] })
    expect(statsFromJson(back.stats!).kind).toBe(kind)
  })

  it('no look-ahead: changing every row after a window’s last row leaves its forecast unchanged', async () => {
    const f = result.forecasts.test!
    const H = f.horizon
    const k = 10 // a test window; its last row is t = first target − h = rowIndex − 3
    const t = f.rowIndex[k * H] - 3
    const changed = await trainRun(
      monthly((v) => {
        for (let r = t + 1; r < v.length; r++) v[r] = v[r] * 3 + 50
      }),
      config(kind, 2),
    )
    const g = changed.forecasts.test!
    for (let j = 0; j <= k; j++)
      for (let s = 0; s < H; s++) expect(g.predicted[j * H + s]).toBe(f.predicted[j * H + s])
    // …while the next window, which sees row t + 1, does change (the test can fail).
    expect(g.predicted[(k + 1) * H]).not.toBe(f.predicted[(k + 1) * H])
  })

  it('parameters come from the training rows: changing the test rows leaves stats.json unchanged', async () => {
    const testStart = Math.floor(240 * 0.5) + Math.floor(240 * 0.25)
    const changed = await trainRun(
      monthly((v) => {
        for (let r = testStart; r < v.length; r++) v[r] = -v[r]
      }),
      config(kind),
    )
    const again = await trainRun(base, config(kind))
    expect(changed.artifacts!.stats).toBe(again.artifacts!.stats)
    // Validation windows end before the test rows, so their forecasts (not their last targets,
    // which Keras' split lets reach into the test rows) are the same too.
    expect(changed.forecasts.val!.predicted).toEqual(again.forecasts.val!.predicted)
    expect(changed.metrics.test!.mae).not.toBe(again.metrics.test!.mae)
  })
})

describe('train → predict round trip', () => {
  it('predict in a fresh process gives the forecasts and the future that training gave', async () => {
    const data = monthly()
    const result = await trainRun(data, config('ets'))
    const folder = join(dir, 'roundtrip-model')
    await writeModelFolder(folder, result.artifacts!)
    const csv = join(dir, 'monthly.csv')
    writeFileSync(csv, monthlyCsv())
    const out = join(dir, 'predicted.csv')
    execFileSync(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'predict', folder, csv, '--out', out],
      { cwd: process.cwd(), stdio: ['ignore', 'ignore', 'pipe'] },
    )
    expect(readdirSync(folder).sort()).toEqual(['seqcast.json', 'stats.json'])
    const rows = parseForecastCsv(readFileSync(out, 'utf8'))
    const byRow = new Map(rows.filter((r) => r.split === 'all').map((r) => [r.row, r.predicted]))
    // forecasts.csv writes 15 significant digits: the same numbers at that precision
    const written = (x: number) => Number(x.toPrecision(15))
    for (const split of ['val', 'test'] as const) {
      const f = result.forecasts[split]!
      for (let i = 0; i < f.predicted.length; i++)
        expect(byRow.get(f.rowIndex[i])).toBe(written(f.predicted[i]))
    }
    const future = rows.filter((r) => r.split === 'future')
    expect(future.map((r) => r.predicted)).toEqual(Array.from(result.future!.predicted, written))
    // And in this process, from the package in memory, the same numbers.
    const again = await predictWithModel(result.artifacts!, data)
    expect(Array.from(again.future!.predicted)).toEqual(Array.from(result.future!.predicted))
  })
})

/**
 * Goal check of issue 11 (a report, not a test): do 90 % intervals cover 85–95 % of the test
 * targets? For ETS (fit on the training rows, run forward with its parameters fixed) and an
 * LSTM(16) (trainRun), both with split conformal intervals calibrated on the validation windows,
 * one step ahead, split 0.5 / 0.25 / 0.25, on:
 *   monthly   resources/data/airpassengers_monthly.csv (144 months, season 12)
 *   sunspots  resources/data/sunspots_monthly.csv (3,177 months, no season)
 *   15-minute resources/data/electricity_sample.csv MT_003 (11,520 rows, season 96)
 *   hourly    the Jena sample's T (degC) averaged per hour (3,360 rows, season 24)
 *
 *   node --import tsx bench/coverage.ts [--epochs N] [--only name]
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { EngineHost } from '../src/core/engine/host'
import { importCsvFile } from '../src/core/services/import-file'
import { trainRun } from '../src/core/services/train-run'
import { fitStatModel, forecastWindows } from '../src/core/stats'
import { DEFAULT_TRAINING, type ExperimentConfig } from '../src/shared/experiment'
import { evaluateSplits } from '../src/shared/forecast/evaluate'
import { presetSpec } from '../src/shared/models/presets'
import { prepareExperiment } from '../src/shared/prepare'
import type { RunResult } from '../src/shared/run'
import type { Dataset } from '../src/shared/series/dataset'

const args = process.argv.slice(2)
const at = (flag: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined)
const EPOCHS = Number(at('--epochs') ?? 20)
const only = at('--only')
const root = resolve(import.meta.dirname, '..')
const dir = mkdtempSync(join(tmpdir(), 'seqcast-coverage-'))

function electricity15(): string {
  const lines = readFileSync(join(root, 'resources/data/electricity_sample.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
  const file = join(dir, 'mt003_15min.csv')
  writeFileSync(
    file,
    'time,load\n' +
      lines
        .map((l) => {
          const c = l.split(';')
          return `${c[0].replaceAll('"', '')},${c[3].replace(',', '.')}`
        })
        .join('\n') +
      '\n',
  )
  return file
}

function jenaHourly(): string {
  const lines = readFileSync(join(root, 'resources/data/jena_sample.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
  const out: string[] = []
  for (let i = 0; i + 6 <= lines.length; i += 6) {
    const cells = lines.slice(i, i + 6).map((l) => l.split(','))
    const [d, t] = cells[0][0].split(' ')
    const [dd, mm, yyyy] = d.split('.')
    const mean = cells.reduce((s, c) => s + Number(c[2]), 0) / 6
    out.push(`${yyyy}-${mm}-${dd}T${t.slice(0, 2)}:00:00Z,${mean.toFixed(4)}`)
  }
  const file = join(dir, 'jena_hourly.csv')
  writeFileSync(file, 'time,T\n' + out.join('\n') + '\n')
  return file
}

const cases = [
  {
    name: 'monthly (AirPassengers)',
    file: () => join(root, 'resources/data/airpassengers_monthly.csv'),
    target: 'passengers',
    L: 12,
    season: 12,
  },
  {
    name: 'sunspots (monthly)',
    file: () => join(root, 'resources/data/sunspots_monthly.csv'),
    target: 'sunspots',
    L: 12,
    season: 1,
  },
  {
    name: '15-minute (electricity MT_003)',
    file: electricity15,
    target: 'load',
    L: 96,
    season: 96,
  },
  { name: 'hourly (Jena T, hourly means)', file: jenaHourly, target: 'T', L: 24, season: 24 },
]

const pct = (x: number | undefined) => (x === undefined ? '—' : `${(x * 100).toFixed(1)} %`)

function etsCoverage(dataset: Dataset, experiment: ExperimentConfig, season: number) {
  const prepared = prepareExperiment(dataset, experiment)
  const w = experiment.window
  const model = fitStatModel('ets', prepared.target.slice(0, prepared.windows.ranges.train.end), {
    seasons: season > 1 ? [season] : [],
  })
  const last = (s: Int32Array) => Int32Array.from(s, (x) => x + w.sequenceLength - 1)
  const predict = (s: Int32Array) => forecastWindows(model, prepared.target, last(s), 1, 1)
  const out = evaluateSplits(
    { ...prepared, starts: prepared.windows.starts },
    w,
    { val: predict(prepared.windows.starts.val), test: predict(prepared.windows.starts.test) },
    { level: 0.9, method: 'split' },
  )
  return out
}

const host = new EngineHost()
try {
  console.log(
    `90 % split conformal intervals, one step ahead; LSTM(16) ${EPOCHS} epochs (patience 4)`,
  )
  console.log(
    [
      'series',
      'model',
      'test targets',
      'test coverage',
      'ACI coverage',
      'mean width',
      'MAE / naive',
    ]
      .map((h, i) => (i < 2 ? h.padEnd(i ? 8 : 32) : h.padStart(14)))
      .join(' '),
  )
  for (const c of cases) {
    if (only && !c.name.includes(only)) continue
    const { dataset } = await importCsvFile(c.file())
    const experiment: ExperimentConfig = {
      target: c.target,
      features: [c.target],
      window: { sequenceLength: c.L, samplingRate: 1, sequenceStride: 1, delay: c.L, horizon: 1 },
      split: { train: 0.5, val: 0.25 },
      normalization: 'zscore',
      seasonRows: c.season > 1 ? c.season : null,
    }
    const row = (
      model: string,
      split: Pick<RunResult, 'metrics' | 'comparison' | 'intervals'>,
      aci: number | undefined,
    ) => {
      const t = split.intervals?.coverage.test
      const m = split.metrics.test
      const naive = split.comparison.test?.naive?.reference
      console.log(
        [
          c.name.padEnd(32),
          model.padEnd(8),
          String(t?.n ?? 0).padStart(14),
          pct(t?.coverage).padStart(14),
          pct(aci).padStart(14),
          (t ? t.width.toPrecision(4) : '—').padStart(14),
          (m && naive ? (m.mae / naive).toFixed(3) : '—').padStart(14),
        ].join(' '),
      )
    }
    const ets = etsCoverage(dataset, experiment, c.season)
    const prepared = prepareExperiment(dataset, experiment)
    const etsAci = evaluateSplits(
      { ...prepared, starts: prepared.windows.starts },
      experiment.window,
      { val: ets.forecasts.val!.predicted, test: ets.forecasts.test!.predicted },
      { level: 0.9, method: 'aci' },
    )
    row('ETS', ets, etsAci.intervals?.coverage.test?.coverage)
    const training = {
      ...DEFAULT_TRAINING,
      epochs: EPOCHS,
      batchSize: 32,
      optimizer: 'adam' as const,
      earlyStopping: { patience: 4 },
    }
    const model = presetSpec('lstm')!
    const split = await trainRun(dataset, { experiment, model, training }, { host })
    const aci = await trainRun(
      dataset,
      { experiment, model, training, intervals: { level: 0.9, method: 'aci' } },
      { host },
    )
    row('LSTM', split, aci.intervals?.coverage.test?.coverage)
  }
} finally {
  await host.dispose()
  rmSync(dir, { recursive: true, force: true })
}

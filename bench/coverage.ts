/**
 * Goal check of issue 11 (a report, not a test): do 90 % intervals cover 85–95 % of the test
 * targets? For ETS (fit on the training rows, run forward with its parameters fixed) and an
 * LSTM(16) (trainRun, target transform 'auto' as the app's default draft), one step ahead, split
 * 0.5 / 0.25 / 0.25, calibrated on the validation windows, by four methods: split conformal and
 * ACI, each on absolute residuals and on the scale chosen from the training + validation rows
 * (shared/intervals/scale.ts: relative for a positive series away from zero). The last of them
 * is the default (DEFAULT_INTERVALS: ACI, chosen scale), marked in the table and summed up per
 * series at the end against the goal. On:
 *   monthly   resources/data/airpassengers_monthly.csv (144 months, season 12; 13 test targets)
 *   monthly   scripts/make-co2-like.mjs (600 months, season 12), held back
 *   sunspots  resources/data/sunspots_monthly.csv (3,177 months, no season)
 *   15-minute resources/data/electricity_sample.csv MT_003 (11,520 rows, season 96)
 *   15-minute scripts/make-electricity-like.mjs --seed 11, MT_002, held back
 *   hourly    the Jena sample's T (degC) averaged per hour (3,360 rows, season 24)
 *   hourly    scripts/make-jena-like.mjs --rows 30000 --seed 5, T per hour, held back
 *
 *   node --import tsx bench/coverage.ts [--epochs N] [--only name]
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { EngineHost } from '../src/core/engine/host'
import { importCsvFile } from '../src/core/services/import-file'
import { trainRun } from '../src/core/services/train-run'
import { windowSd } from '../src/core/services/families/stat-model'
import { fitStatModel, forecastWindows, statModelName } from '../src/core/stats'
import { DEFAULT_TRAINING, type ExperimentConfig } from '../src/shared/experiment'
import { evaluateSplits, type SplitPredictions } from '../src/shared/forecast/evaluate'
import {
  DEFAULT_INTERVALS,
  methodName,
  type IntervalSettings,
} from '../src/shared/forecast/intervals'
import { presetSpec } from '../src/shared/models/presets'
import { prepareExperiment } from '../src/shared/prepare'
import type { Dataset } from '../src/shared/series/dataset'

const args = process.argv.slice(2)
const at = (flag: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined)
const EPOCHS = Number(at('--epochs') ?? 20)
const only = at('--only')
const root = resolve(import.meta.dirname, '..')
const dir = mkdtempSync(join(tmpdir(), 'seqcast-coverage-'))

/** Output of a generator script in scripts/, written to the temporary folder. */
function generated(script: string, args: string[], name: string): string {
  const file = join(dir, name)
  writeFileSync(
    file,
    execFileSync(process.execPath, [join(root, 'scripts', script), ...args], {
      maxBuffer: 1 << 30,
    }),
  )
  return file
}

function electricity15(
  source = join(root, 'resources/data/electricity_sample.csv'),
  column = 3,
  name = 'mt003_15min.csv',
): string {
  const lines = readFileSync(source, 'utf8').trim().split('\n').slice(1)
  const file = join(dir, name)
  writeFileSync(
    file,
    'time,load\n' +
      lines
        .map((l) => {
          const c = l.split(';')
          return `${c[0].replaceAll('"', '')},${c[column].replace(',', '.')}`
        })
        .join('\n') +
      '\n',
  )
  return file
}

function jenaHourly(
  source = join(root, 'resources/data/jena_sample.csv'),
  name = 'jena_hourly.csv',
): string {
  const lines = readFileSync(source, 'utf8').trim().split('\n').slice(1)
  const out: string[] = []
  for (let i = 0; i + 6 <= lines.length; i += 6) {
    const cells = lines.slice(i, i + 6).map((l) => l.split(','))
    const [d, t] = cells[0][0].split(' ')
    const [dd, mm, yyyy] = d.split('.')
    const mean = cells.reduce((s, c) => s + Number(c[2]), 0) / 6
    out.push(`${yyyy}-${mm}-${dd}T${t.slice(0, 2)}:00:00Z,${mean.toFixed(4)}`)
  }
  const file = join(dir, name)
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
    name: 'monthly (CO2-like, held back)',
    file: () => generated('make-co2-like.mjs', [], 'co2_like.csv'),
    target: 'co2',
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
    file: () => electricity15(),
    target: 'load',
    L: 96,
    season: 96,
  },
  {
    name: '15-minute (electricity-like MT_002)',
    file: () =>
      electricity15(
        generated('make-electricity-like.mjs', ['--seed', '11'], 'electricity_like.csv'),
        2,
        'mt002_like.csv',
      ),
    target: 'load',
    L: 96,
    season: 96,
  },
  {
    name: 'hourly (Jena T, hourly means)',
    file: () => jenaHourly(),
    target: 'T',
    L: 24,
    season: 24,
  },
  {
    name: 'hourly (Jena-like T, held back)',
    file: () =>
      jenaHourly(
        generated('make-jena-like.mjs', ['--rows', '30000', '--seed', '5'], 'jena_like.csv'),
        'jena_like_hourly.csv',
      ),
    target: 'T',
    L: 24,
    season: 24,
  },
]

const pct = (x: number | undefined) => (x === undefined ? '—' : `${(x * 100).toFixed(1)} %`)

const METHODS: { label: string; settings: IntervalSettings }[] = [
  { label: 'split, absolute', settings: { level: 0.9, method: 'split', scale: 'absolute' } },
  { label: 'ACI, absolute', settings: { level: 0.9, method: 'aci', scale: 'absolute' } },
  { label: 'split, chosen scale', settings: { level: 0.9, method: 'split' } },
  { label: 'ACI, chosen = DEFAULT', settings: DEFAULT_INTERVALS },
]

/** The default method's test coverage per series and model, for the summary. */
const summary = new Map<string, { n: number; ETS?: number; LSTM?: number }>()

/**
 * What n test targets allow: the chance that intervals covering exactly 90 % of such targets
 * (each inside with probability 0.9, independently) show a coverage in [85 %, 95 %] on n of
 * them (binomial), and the standard error of the measured coverage.
 */
function goalNote(n: number): string {
  const logChoose = (k: number) => lgammaInt(n + 1) - lgammaInt(k + 1) - lgammaInt(n - k + 1)
  let p = 0
  for (let k = 0; k <= n; k++)
    if (k / n >= 0.85 && k / n <= 0.95)
      p += Math.exp(logChoose(k) + k * Math.log(0.9) + (n - k) * Math.log(0.1))
  const se = Math.sqrt((0.9 * 0.1) / n)
  return `P(85–95 % | calibrated) ${(100 * p).toFixed(0)} %, s.e. ${(100 * se).toFixed(1)} %`
}

/** log((m − 1)!) for a whole m ≥ 1. */
function lgammaInt(m: number): number {
  let s = 0
  for (let i = 2; i < m; i++) s += Math.log(i)
  return s
}

function etsForecasts(dataset: Dataset, experiment: ExperimentConfig, season: number) {
  const prepared = prepareExperiment(dataset, experiment)
  const w = experiment.window
  const model = fitStatModel('ets', prepared.target.slice(0, prepared.windows.ranges.train.end), {
    seasons: season > 1 ? [season] : [],
  })
  const last = (s: Int32Array) => Int32Array.from(s, (x) => x + w.sequenceLength - 1)
  const predict = (s: Int32Array) => forecastWindows(model, prepared.target, last(s), 1, 1)
  return {
    predictions: {
      val: predict(prepared.windows.starts.val),
      test: predict(prepared.windows.starts.test),
    },
    // The model's own σ per step where ETS has a closed form (additive error, no M season).
    sd: windowSd(model, w),
    name: statModelName(model),
  }
}

const host = new EngineHost()
try {
  console.log(`90 % intervals, one step ahead; LSTM(16) ${EPOCHS} epochs (patience 4)`)
  const cols = [
    'series',
    'model',
    'method',
    'scale',
    'test n',
    'coverage',
    'mean width',
    'MAE/naive',
  ]
  const widths = [36, 6, 22, 9, 7, 9, 11, 10]
  const line = (cells: string[]) =>
    console.log(
      cells.map((c, i) => (i < 4 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' '),
    )
  line(cols)
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
    const prepared = prepareExperiment(dataset, experiment)
    const report = (model: string, predictions: SplitPredictions, sd: number[] | null = null) => {
      const own = { label: 'model', settings: { level: 0.9, method: 'model' as const } }
      for (const m of sd ? [...METHODS, own] : METHODS) {
        const out = evaluateSplits(
          { ...prepared, starts: prepared.windows.starts },
          experiment.window,
          predictions,
          m.settings,
          sd,
        )
        const t = out.intervals?.coverage.test
        if (m.settings === DEFAULT_INTERVALS && t) {
          const row = summary.get(c.name) ?? { n: t.n }
          row[model as 'ETS' | 'LSTM'] = t.coverage
          summary.set(c.name, row)
        }
        const mae = out.metrics.test?.mae
        const naive = out.comparison.test?.naive?.reference
        line([
          c.name,
          model,
          m.label,
          out.intervals?.scale ?? '—',
          String(t?.n ?? 0),
          pct(t?.coverage),
          t ? t.width.toPrecision(4) : '—',
          mae !== undefined && naive ? (mae / naive).toFixed(3) : '—',
        ])
      }
    }
    const ets = etsForecasts(dataset, experiment, c.season)
    console.log(`  ETS fitted: ${ets.name}${ets.sd ? '' : ' (no closed-form variance)'}`)
    report('ETS', ets.predictions, ets.sd)
    const training = {
      ...DEFAULT_TRAINING,
      epochs: EPOCHS,
      batchSize: 32,
      optimizer: 'adam' as const,
      earlyStopping: { patience: 4 },
    }
    const model = presetSpec('lstm')!
    // Intervals are drawn after the forecasts: one training run serves every method.
    const run = await trainRun(
      dataset,
      { experiment: { ...experiment, transform: 'auto' }, model, training },
      { host },
    )
    report('LSTM', { val: run.forecasts.val?.predicted, test: run.forecasts.test?.predicted })
  }
  const method = `${methodName(DEFAULT_INTERVALS.method)} (${DEFAULT_INTERVALS.method}), chosen scale`
  console.log(`\nThe default method, ${method}: test coverage of 90 % intervals (goal 85–95 %)`)
  const ok = (x: number | undefined) =>
    x === undefined ? '—' : `${pct(x)}${x >= 0.85 && x <= 0.95 ? '' : ' ✗'}`
  const sw = [36, 7, 10, 10]
  const srow = (cells: string[]) =>
    console.log(cells.map((x, i) => (i === 0 ? x.padEnd(sw[0]) : x.padStart(sw[i] ?? 0))).join(' '))
  srow(['series', 'test n', 'ETS', 'LSTM', '  what n allows'])
  for (const [name, r] of summary)
    srow([name, String(r.n), ok(r.ETS), ok(r.LSTM), `  ${goalNote(r.n)}`])
} finally {
  await host.dispose()
  rmSync(dir, { recursive: true, force: true })
}

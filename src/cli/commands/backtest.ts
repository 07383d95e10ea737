/**
 * `backtest <file> [train's experiment flags] --model M --folds K [--refit every|once]
 * [--interval L] [--interval-method aci|split] --out DIR [--json]`: a rolling-origin backtest (see shared/backtest/plan.ts).
 * Writes DIR/backtest.json (per fold and overall: metrics, baselines, interval coverage and
 * width) and DIR/forecasts.csv (split `fold-k`). With --json, progress lines and then, as the last
 * stdout line, exactly `{"folds": [...], "overall": {...}}` with half-open row ranges.
 */
import { join, resolve } from 'node:path'
import type { BacktestReport, BacktestScore, Refit } from '../../shared/backtest'
import { formatForecastCsv, type ForecastColumns } from '../../shared/forecast-csv'
import { methodName } from '../../shared/forecast/intervals'
import { levelPercent } from '../../shared/intervals'
import { compareWith } from '../../shared/run'
import type { Dataset } from '../../shared/series/dataset'
import type { WindowConfig } from '../../shared/windows/config'
import { EngineHost } from '../../core/engine/host'
import {
  backtestRun,
  type BacktestIntervalMethod,
  type BacktestModel,
  type BacktestResult,
} from '../../core/services/backtest'
import { STAT_KINDS } from '../../core/stats'
import { outputNormalization } from '../../shared/checks/nonsense'
import type { ExperimentConfig } from '../../shared/experiment'
import { statisticalSeasons, statisticalSpecForRun } from '../../shared/models/statistical'
import { intOption, parseArgs, usage, usageError, type OptionSpecs } from '../args'
import { experimentFromArgs } from '../experiment-args'
import { backtestIntervalOptions, CONFORMAL_METHODS, intervalsFromArgs } from '../interval-args'
import { EXIT, type Command } from '../io'
import { loadCsv } from '../load'
import { metricsJson, writeText } from './predict'
import { loadModelSpec, trainingFromArgs, trainOptionSpecs } from './train'

const { out: _out, zip: _zip, json: _json, help: _help, ...trainFlags } = trainOptionSpecs
const { interval: _interval, 'interval-method': _method, ...experimentAndTraining } = trainFlags

const options: OptionSpecs = {
  ...experimentAndTraining,
  model: {
    ...trainOptionSpecs.model,
    description: `${trainOptionSpecs.model.description}, or a statistical model (${STAT_KINDS.join(', ')})`,
  },
  folds: {
    type: 'string',
    value: '<K>',
    description: 'consecutive blocks of target rows after the training fraction',
    required: true,
  },
  refit: {
    type: 'string',
    value: '<when>',
    description:
      'every (default: fit each fold on the rows before its block) | once (fit before the first block, roll forward)',
  },
  ...backtestIntervalOptions,
  out: {
    type: 'string',
    value: '<dir>',
    description: 'output folder (backtest.json, forecasts.csv)',
    required: true,
  },
  json: {
    type: 'boolean',
    description: 'JSON lines of progress; the last line is {"folds": […], "overall": {…}}',
  },
  help: { type: 'boolean', description: 'show this help' },
}

export const backtestUsage = usage(
  'backtest',
  'Rolling-origin backtest: the rows after the training fraction are cut into K blocks of target rows; fold k fits on the rows before its block only and forecasts every window whose first target falls in it, next to the naive baselines, with interval coverage.',
  options,
  '<file>',
)

function scoreJson(s: BacktestScore) {
  return {
    samples: s.samples,
    metrics: metricsJson(s.metrics),
    baselines: {
      naive: metricsJson(s.baselines.naive),
      seasonalNaive: metricsJson(s.baselines.seasonalNaive),
    },
    coverage: finite(s.coverage),
  }
}

const finite = (x: number | null) => (x !== null && Number.isFinite(x) ? x : null)

/** The last stdout line of `backtest --json`: the shape, row ranges half-open. */
export function backtestJson(report: BacktestReport) {
  return {
    folds: report.folds.map((f) => ({
      fold: f.fold,
      trainRows: f.trainRows,
      targetRows: f.targetRows,
      ...scoreJson(f),
    })),
    overall: scoreJson(report.overall),
  }
}

/** backtest.json: the same, with interval widths, half-widths and the settings. */
function fileJson(result: BacktestResult, settings: Record<string, unknown>) {
  const base = backtestJson(result.report)
  return {
    ...settings,
    model: result.model,
    seconds: result.seconds,
    note: result.note,
    folds: base.folds.map((f, k) => ({
      ...f,
      width: finite(result.report.folds[k].width),
      unbounded: result.report.folds[k].unbounded ?? null,
      radius: result.radius[k] ?? null,
    })),
    overall: {
      ...base.overall,
      width: finite(result.report.overall.width),
      unbounded: result.report.overall.unbounded ?? null,
    },
  }
}

/**
 * The model as `train` builds it: a statistical model's seasons as a run fixes them (--season, or
 * else the seasons found in the training rows, not the time axis' default season), a window
 * model with --stateful and its training flags, and a tanh output on the normalization it needs
 * unless --normalize is set.
 */
async function modelFromArgs(
  name: string,
  opts: Parameters<typeof trainingFromArgs>[0],
  dataset: Dataset,
  experiment: ExperimentConfig,
  cadence: { ms: number; months?: number } | null,
): Promise<BacktestModel> {
  const spec = await loadModelSpec(name)
  if (spec.statistical) {
    const userSeason = opts.season !== undefined ? experiment.seasonRows : null
    const run = statisticalSpecForRun(spec, dataset, experiment, cadence, userSeason)
    return {
      family: 'statistical',
      kind: run.statistical!.kind,
      seasons: statisticalSeasons(run, experiment.seasonRows),
    }
  }
  if (opts.stateful) spec.stateful = true
  const needed = outputNormalization(spec)
  if (needed && opts.normalize === undefined) experiment.normalization = needed
  return { family: 'window', spec, training: trainingFromArgs(opts, spec.stateful) }
}

const fmt = (x: number | null | undefined, digits = 4) =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits)

function table(result: BacktestResult, level: number | null): string {
  const lines = [
    ['fold', 'train rows', 'target rows', 'windows', 'MAE', 'naive MAE', 'coverage', '']
      .map((h, i) => (i === 0 ? h.padEnd(7) : h.padStart(i === 1 || i === 2 ? 17 : 10)))
      .join(' '),
  ]
  const row = (label: string, s: BacktestScore, train: string, target: string) => {
    const m = s.metrics.mae
    const n = s.baselines.naive.mae
    const vs = compareWith('naive', s.metrics, s.baselines.naive).text
    lines.push(
      [
        label.padEnd(7),
        train.padStart(17),
        target.padStart(17),
        String(s.samples).padStart(10),
        fmt(m).padStart(10),
        fmt(n).padStart(10),
        (s.coverage === null ? '—' : `${(s.coverage * 100).toFixed(1)} %`).padStart(10),
        ` ${vs}`,
      ].join(' '),
    )
  }
  const range = (r: [number, number]) => `[${r[0]}, ${r[1]})`
  for (const f of result.report.folds)
    row(String(f.fold), f, range(f.trainRows), range(f.targetRows))
  row('overall', result.report.overall, '', '')
  const text = [
    `${result.model}: ${result.report.folds.length} folds in ${result.seconds.toFixed(1)} s` +
      (level === null ? '.' : `, ${levelPercent(level)} ${methodName(result.method)} intervals.`),
    ...lines,
  ]
  if (result.note) text.push(result.note)
  return text.join('\n')
}

export function makeBacktest(deps: { host?: EngineHost } = {}): Command {
  return async (argv, io) => {
    if (argv.includes('--help')) {
      io.stdout.write(backtestUsage + '\n')
      return EXIT.ok
    }
    const args = parseArgs(argv, options, 'backtest')
    const [file, ...rest] = args.positionals
    if (!file || rest.length > 0)
      throw usageError(`backtest: expected one file, received ${args.positionals.length}.`)
    const json = Boolean(args.options.json)
    const out = resolve(String(args.options.out))
    const folds = intOption(args.options, 'folds', 1)
    const refit = String(args.options.refit ?? 'every') as Refit
    if (refit !== 'every' && refit !== 'once')
      throw usageError(`--refit: expected every or once, received "${refit}".`, { option: 'refit' })
    const { level, method } = intervalsFromArgs(args.options, CONFORMAL_METHODS)
    const modelName = String(args.options.model)
    const statistical = (STAT_KINDS as readonly string[]).includes(modelName)
    const { dataset, report } = await loadCsv(file, io, json)
    // Statistical models read only the target: other columns need not be clean.
    const experiment = experimentFromArgs(
      args.options,
      dataset,
      report,
      statistical ? 'target' : 'numeric',
    )
    const model = await modelFromArgs(
      modelName,
      args.options,
      dataset,
      experiment,
      report?.timeAxis?.cadence ?? null,
    )
    const host = model.family === 'window' ? (deps.host ?? new EngineHost()) : undefined
    const abort = new AbortController()
    const onSigint = () => abort.abort()
    process.once('SIGINT', onSigint)
    let result: BacktestResult
    try {
      result = await backtestRun(
        dataset,
        { experiment, model, folds, refit, level, method: method as BacktestIntervalMethod },
        {
          host,
          signal: abort.signal,
          onFold: (e) => {
            if (json) io.stdout.write(JSON.stringify({ event: 'fold', ...e }) + '\n')
            else if (e.phase === 'fit')
              io.stderr.write(`fold ${e.fold}/${e.folds}: ${e.samples} windows\n`)
          },
        },
      )
    } finally {
      process.removeListener('SIGINT', onSigint)
      if (host && !deps.host) await host.dispose()
    }
    const forecastsPath = join(out, 'forecasts.csv')
    await writeText(forecastsPath, foldCsv(dataset, experiment.window, result))
    const reportPath = join(out, 'backtest.json')
    const settings = {
      file: dataset.name,
      folds,
      refit,
      level,
      method,
      out,
      files: [reportPath, forecastsPath],
    }
    await writeText(reportPath, JSON.stringify(fileJson(result, settings), null, 2) + '\n')
    io.stdout.write(
      json
        ? JSON.stringify(backtestJson(result.report)) + '\n'
        : table(result, level) + `\nWrote ${out}\n`,
    )
    return EXIT.ok
  }
}

/** forecasts.csv of a backtest: each fold's windows as split `fold-k`, with their intervals. */
function foldCsv(dataset: Dataset, w: WindowConfig, result: BacktestResult): string {
  const timeColumn = dataset.columns.find((c) => c.name === dataset.timeColumn)
  const times = timeColumn && timeColumn.kind === 'datetime' ? timeColumn.values : null
  const sets: ForecastColumns[] = result.plans.map((plan, k) => {
    const f = result.forecasts[k]
    const H = w.horizon
    const targetRows = Int32Array.from(plan.starts, (s) => s + w.delay)
    const rows = Int32Array.from(
      { length: f.predicted.length },
      (_, i) => targetRows[Math.floor(i / H)] + (i % H),
    )
    return {
      split: `fold-${plan.fold}`,
      horizon: H,
      targetRows,
      timestamps: times ? Float64Array.from(rows, (r) => times[r]) : null,
      actual: result.actual[k],
      predicted: Float64Array.from(f.predicted),
      lower: f.lower ? Float64Array.from(f.lower) : null,
      upper: f.upper ? Float64Array.from(f.upper) : null,
    }
  })
  return formatForecastCsv(sets)
}

export const backtest: Command = makeBacktest()
export const run = backtest

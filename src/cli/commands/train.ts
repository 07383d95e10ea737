/**
 * `train <file> --target <col> --sequence-length L --delay D --model <preset|spec.json> --out <dir>`:
 * trains in the training worker, prints progress (a bar on a terminal, JSON lines with --json),
 * and writes <out>/model/ (model.json, weights.bin, seqcast.json), forecasts.csv and
 * metrics.json. With --json the last stdout line is the same object as metrics.json.
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { SeqcastError } from '../../shared/errors'
import {
  DEFAULT_TRAINING,
  type LossName,
  type OptimizerName,
  type RunConfig,
  type TrainingConfig,
} from '../../shared/experiment'
import { MODEL_PRESETS, presetSpec, STATISTICAL_NOTE } from '../../shared/models/presets'
import type { ModelSpec } from '../../shared/models/spec'
import { statisticalSpecForRun } from '../../shared/models/statistical'
import { parseModelSpec } from '../../shared/models/validate'
import { STATEFUL_EXPLANATION, type BackendReport, type RunResult } from '../../shared/run'
import { timeValues, type Dataset } from '../../shared/series/dataset'
import { EngineHost } from '../../core/engine/host'
import { prepareOutputDir } from '../../core/files/atomic-write'
import { writeModelFolder, writeModelZip } from '../../core/services/model-files'
import { trainRun } from '../../core/services/train-run'
import {
  intOption,
  numberOption,
  parseArgs,
  usage,
  usageError,
  type OptionSpecs,
  type ParsedArgs,
} from '../args'
import { experimentFromArgs, experimentOptions } from '../experiment-args'
import { outputNormalization } from '../../shared/checks/nonsense'
import { calendarOf, inputColumnNames, transformOf } from '../../shared/features/inputs'
import { formatTargetTransform } from '../../shared/transforms/spec'
import { EXIT, progressBar, type Command } from '../io'
import { loadCsv } from '../load'
import { repairOptions } from '../repair-args'
import { forecastsCsv, originsOf } from '../../shared/forecast-csv'
import { datasetTimeStyle } from '../../shared/series/time-axis'
import { metricsJson, writeText } from './predict'
import { intervalOptions, intervalsFromArgs, runIntervalsJson } from '../interval-args'
import { methodName, widthPhrase } from '../../shared/forecast/intervals'
import { levelPercent } from '../../shared/intervals'

const BACKENDS = ['auto', 'tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'] as const

const options: OptionSpecs = {
  ...experimentOptions,
  ...repairOptions,
  model: {
    type: 'string',
    value: '<preset|spec.json>',
    description: `a preset (${MODEL_PRESETS.map((p) => p.id).join(', ')}) or a model spec file; ets, arima, theta and mstl ${STATISTICAL_NOTE} (seasons: --season, 1 = none, else suggested from the training rows)`,
    required: true,
  },
  epochs: {
    type: 'string',
    value: '<N>',
    description: `epochs (default ${DEFAULT_TRAINING.epochs})`,
  },
  'batch-size': {
    type: 'string',
    value: '<B>',
    description: `windows per batch (default ${DEFAULT_TRAINING.batchSize})`,
  },
  optimizer: { type: 'string', value: '<name>', description: 'rmsprop (default) | adam | sgd' },
  'learning-rate': {
    type: 'string',
    value: '<x>',
    description: `learning rate (default ${DEFAULT_TRAINING.learningRate})`,
  },
  decay: {
    type: 'string',
    value: '<x>',
    description: "Keras' per-step decay: lr / (1 + decay · step) (default 0)",
  },
  loss: { type: 'string', value: '<name>', description: 'mse (default) | mae | huber' },
  patience: {
    type: 'string',
    value: '<n>',
    description: 'early stopping: stop after n epochs without a better validation loss',
  },
  stateful: {
    type: 'boolean',
    description: 'carry the recurrent state from batch to batch (no shuffling, fixed batch size)',
  },
  'no-shuffle': { type: 'boolean', description: 'train on windows in time order' },
  backend: {
    type: 'string',
    value: '<name>',
    description: 'auto (default) | tfjs-node-gpu | tfjs-node | wasm | cpu',
  },
  'no-fused': {
    type: 'boolean',
    description: 'use the stock tfjs recurrent layers instead of the fused kernels',
  },
  seed: {
    type: 'string',
    value: '<n>',
    description: `seed of weights, shuffles and dropout (default ${DEFAULT_TRAINING.seed})`,
  },
  ...intervalOptions,
  out: {
    type: 'string',
    value: '<dir>',
    description: 'output folder (model/, forecasts.csv, metrics.json)',
    required: true,
  },
  zip: { type: 'boolean', description: 'also write <out>/model.zip' },
  json: { type: 'boolean', description: 'JSON lines of progress; the last line is the result' },
  help: { type: 'boolean', description: 'show this help' },
}

export const trainUsage = usage(
  'train',
  'Trains a model on a CSV and writes the model folder, forecasts.csv and metrics.json (metrics in the data’s units, next to the naive baselines).',
  options,
  '<file>',
)

function pick<T extends string>(
  opts: ParsedArgs['options'],
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const raw = opts[name]
  if (raw === undefined) return fallback
  if (!allowed.includes(raw as T))
    throw usageError(
      `--${name}: expected one of ${allowed.join(', ')}, received "${String(raw)}".`,
      { option: name },
    )
  return raw as T
}

export async function loadModelSpec(value: string): Promise<ModelSpec> {
  const preset = presetSpec(value)
  if (preset) return preset
  if (value.endsWith('.json') || existsSync(value)) {
    let text: string
    try {
      text = await readFile(value, 'utf8')
    } catch (error) {
      throw new SeqcastError('io', `--model: cannot read ${value}: ${(error as Error).message}.`, {
        path: value,
      })
    }
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch (error) {
      throw new SeqcastError(
        'config',
        `--model: ${value} is not valid JSON (${(error as Error).message}).`,
        { path: value },
      )
    }
    return parseModelSpec(json, value)
  }
  throw usageError(
    `--model: "${value}" is neither a preset (${MODEL_PRESETS.map((p) => p.id).join(', ')}) nor a spec file.`,
    { option: 'model' },
  )
}

export function trainingFromArgs(opts: ParsedArgs['options'], stateful: boolean): TrainingConfig {
  const patience = opts.patience === undefined ? null : intOption(opts, 'patience', 1)
  return {
    ...DEFAULT_TRAINING,
    epochs: intOption(opts, 'epochs', 1, DEFAULT_TRAINING.epochs),
    batchSize: intOption(opts, 'batch-size', 1, DEFAULT_TRAINING.batchSize),
    optimizer: pick<OptimizerName>(
      opts,
      'optimizer',
      ['rmsprop', 'adam', 'sgd'],
      DEFAULT_TRAINING.optimizer,
    ),
    learningRate: numberOption(
      opts,
      'learning-rate',
      DEFAULT_TRAINING.learningRate,
      (n) => n > 0 && n < 100,
      'a number between 0 and 100',
    ),
    decay: numberOption(opts, 'decay', 0, (n) => n >= 0 && n < 1, 'a number from 0 up to 1'),
    loss: pick<LossName>(opts, 'loss', ['mse', 'mae', 'huber'], DEFAULT_TRAINING.loss),
    shuffle: !stateful && !opts['no-shuffle'],
    seed: intOption(opts, 'seed', 0, DEFAULT_TRAINING.seed),
    earlyStopping: patience === null ? null : { patience },
    backend: pick(opts, 'backend', BACKENDS, 'auto'),
    fusedKernels: !opts['no-fused'],
  }
}

export function backendJson(b: BackendReport) {
  return {
    used: b.used,
    skipped: b.skipped,
    ...(b.routed ? { routed: b.routed } : {}),
    ...(b.forced ? { forced: true } : {}),
    ...(b.kernels ? { kernels: b.kernels } : {}),
  }
}

/** "Recurrent layers: LSTM(16): fused WebAssembly kernels (2 threads)", or null. */
export function kernelsLine(b: BackendReport): string | null {
  return b.kernels ? `Recurrent layers: ${b.kernels.summary}.` : null
}

/** The object printed last with --json and written to metrics.json. */
export function resultJson(result: RunResult, out: string, files: string[]) {
  const baselines: Record<string, Record<string, ReturnType<typeof metricsJson>>> = {}
  for (const name of ['naive', 'seasonal-naive', 'mean'] as const) {
    const perSplit = result.baselines[name]
    if (!perSplit) continue
    baselines[name] = {}
    for (const split of ['train', 'val', 'test'] as const)
      if (perSplit[split]) baselines[name][split] = metricsJson(perSplit[split])
  }
  return {
    backend: backendJson(result.backend),
    epochs: result.history.length,
    bestEpoch: result.bestEpoch,
    stopReason: result.stopReason,
    stopMessage: result.stopMessage,
    transform: formatTargetTransform(transformOf(result.config.experiment)),
    calendar: calendarOf(result.config.experiment),
    oneHot: result.config.experiment.oneHot ?? [],
    inputs: inputColumnNames(result.config.experiment),
    choices: result.choices ?? [],
    warnings: result.warnings ?? [],
    metrics: Object.fromEntries(
      Object.entries(result.metrics).map(([s, m]) => [s, metricsJson(m)]),
    ),
    baselines,
    comparison: Object.fromEntries(
      Object.entries(result.comparison).map(([s, c]) => [
        s,
        Object.fromEntries(
          Object.entries(c).map(([b, v]) => [
            b,
            { better: v.better, percent: v.percent, text: v.text },
          ]),
        ),
      ]),
    ),
    intervals: runIntervalsJson(result.intervals ?? null),
    history: result.history,
    samples: result.sampleCounts,
    model: result.config.model.name,
    seconds: result.seconds,
    out,
    files,
  }
}

const fmt = (x: number | null | undefined, digits = 4) =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits)

function summaryText(result: RunResult, out: string): string {
  const lines: string[] = []
  const b = result.backend
  if (result.config.model.statistical) {
    // No backend, no epochs: say what was fitted (stopMessage names the model and its time).
    lines.push(b.routed ?? '', result.stopMessage ?? '')
    // Of the choices only the one-hot sentence applies: why the text columns asked for are unused.
    lines.push(...(result.choices ?? []).filter((c) => c.startsWith('One-hot:')))
    return [...lines, '', ...metricsTable(result), '', `Wrote ${out}`].join('\n')
  }
  lines.push(
    `Backend: ${b.used}${b.forced ? ' (forced)' : ''}. ${Object.entries(b.skipped)
      .map(([k, v]) => `${k}: ${v}`)
      .join('; ')}`,
  )
  if (b.routed) lines.push(b.routed)
  const kernels = kernelsLine(b)
  if (kernels) lines.push(kernels)
  lines.push(...(result.choices ?? []), ...(result.warnings ?? []).map((w) => `Warning: ${w}`))
  if (result.stopMessage) lines.push(result.stopMessage)
  lines.push(`Best epoch ${result.bestEpoch ?? '—'} of ${result.history.length}.`)
  lines.push('')
  lines.push(...metricsTable(result))
  lines.push('', `Wrote ${out}`)
  return lines.join('\n')
}

function metricsTable(result: RunResult): string[] {
  const lines: string[] = []
  lines.push(
    ['', 'MAE', 'RMSE', 'sMAPE %', 'MASE', 'vs naive']
      .map((h, i) => (i === 0 ? h.padEnd(22) : h.padStart(i === 5 ? 0 : 11)))
      .join('  '),
  )
  for (const split of ['val', 'test'] as const) {
    const m = result.metrics[split]
    if (m)
      lines.push(
        [
          `model (${split})`.padEnd(22),
          fmt(m.mae).padStart(11),
          fmt(m.rmse).padStart(11),
          fmt(m.smape, 2).padStart(11),
          fmt(m.mase, 3).padStart(11),
          result.comparison[split]?.naive?.text ?? '',
        ].join('  '),
      )
    for (const name of ['naive', 'seasonal-naive'] as const) {
      const bm = result.baselines[name]?.[split]
      if (bm)
        lines.push(
          [
            `${name} (${split})`.padEnd(22),
            fmt(bm.mae).padStart(11),
            fmt(bm.rmse).padStart(11),
            fmt(bm.smape, 2).padStart(11),
            fmt(bm.mase, 3).padStart(11),
          ].join('  '),
        )
    }
  }
  const iv = result.intervals
  if (iv) {
    lines.push('')
    const pct = (x: number | undefined) =>
      x === undefined || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(1)} %`
    lines.push(
      `${levelPercent(iv.level)} intervals (${methodName(iv.method)}): ` +
        (['val', 'test'] as const)
          .filter((s) => iv.coverage[s])
          .map(
            (s) =>
              `${s} coverage ${pct(iv.coverage[s]!.coverage)}, ${widthPhrase(iv.coverage[s]!, (x) => fmt(x))}`,
          )
          .join('; '),
    )
    if (iv.note) lines.push(iv.note)
  }
  return lines
}

export interface TrainDeps {
  host?: EngineHost
}

export function makeTrain(deps: TrainDeps = {}): Command {
  return async (argv, io) => {
    if (argv.includes('--help')) {
      io.stdout.write(trainUsage + '\n')
      return EXIT.ok
    }
    const args = parseArgs(argv, options, 'train')
    const [file, ...rest] = args.positionals
    if (!file || rest.length > 0)
      throw usageError(`train: expected one file, received ${args.positionals.length}.`)
    const json = Boolean(args.options.json)
    const out = resolve(String(args.options.out))
    const model = await loadModelSpec(String(args.options.model))
    if (args.options.stateful) model.stateful = true
    const training = trainingFromArgs(args.options, model.stateful)
    const { dataset, report } = await loadCsv(file, io, { quiet: json, args: args.options })
    const experiment = experimentFromArgs(args.options, dataset, report, 'numeric')
    // A tanh output needs its target in [−1, 1]: the model's own normalization unless one is set.
    const needed = outputNormalization(model)
    if (needed && args.options.normalize === undefined) experiment.normalization = needed
    const config: RunConfig = {
      experiment,
      model: statisticalSpecForRun(
        model,
        dataset,
        experiment,
        report?.timeAxis?.cadence ?? null,
        args.options.season !== undefined ? experiment.seasonRows : null,
      ),
      training,
      intervals: intervalsFromArgs(args.options),
    }
    // before training: an --out that cannot take the results must not cost a trained model
    await prepareOutputDir(out)
    if (model.stateful && !json) io.stderr.write(`${STATEFUL_EXPLANATION}\n`)
    const result = await trainWithProgress(dataset, config, io, json, deps.host)
    const files: string[] = []
    if (result.artifacts) {
      files.push(...(await writeModelFolder(join(out, 'model'), result.artifacts)))
      if (args.options.zip)
        files.push(await writeModelZip(join(out, 'model.zip'), result.artifacts))
    }
    const forecastsPath = join(out, 'forecasts.csv')
    await writeText(
      forecastsPath,
      forecastsCsv(
        result.forecasts,
        result.future,
        datasetTimeStyle(dataset),
        originsOf(config.experiment.window, timeValues(dataset)),
      ),
    )
    files.push(forecastsPath)
    const metricsPath = join(out, 'metrics.json')
    files.push(metricsPath)
    const summary = resultJson(result, out, files)
    await writeText(metricsPath, JSON.stringify(summary, null, 2) + '\n')
    io.stdout.write(json ? JSON.stringify(summary) + '\n' : summaryText(result, out) + '\n')
    return result.stopReason === 'cancelled' || result.stopReason === 'nan-loss'
      ? EXIT.failed
      : EXIT.ok
  }
}

async function trainWithProgress(
  dataset: Dataset,
  config: RunConfig,
  io: Parameters<Command>[1],
  json: boolean,
  given?: EngineHost,
): Promise<RunResult> {
  const host = given ?? new EngineHost()
  const abort = new AbortController()
  const onSigint = () => {
    io.stderr.write('\nCancelling: the best checkpoint so far is kept.\n')
    abort.abort()
  }
  process.once('SIGINT', onSigint)
  let bar = progressBar(io, `Epoch 1/${config.training.epochs}`)
  let lastJson = 0
  try {
    return await trainRun(dataset, config, {
      host,
      signal: abort.signal,
      onBackend: (b) => {
        if (json) io.stdout.write(JSON.stringify({ event: 'backend', ...backendJson(b) }) + '\n')
        else {
          io.stderr.write(`Training on ${b.used}${b.routed ? ` (${b.routed})` : ''}.\n`)
          const kernels = kernelsLine(b)
          if (kernels) io.stderr.write(`${kernels}\n`)
        }
      },
      onProgress: (p) => {
        if (json) {
          const now = Date.now()
          if (now - lastJson < 1000) return
          lastJson = now
          io.stdout.write(
            JSON.stringify({
              event: 'progress',
              epoch: p.epoch,
              phase: p.phase,
              batch: p.batch,
              batches: p.batches,
              loss: p.loss,
              samplesPerSecond: p.samplesPerSecond,
              etaSeconds: p.etaSeconds,
            }) + '\n',
          )
          return
        }
        const eta = p.etaSeconds === null ? '' : ` ETA ${Math.round(p.etaSeconds)} s`
        bar.update(
          p.batch,
          p.batches,
          `${p.phase === 'validate' ? 'validating' : `loss ${p.loss.toFixed(4)}`} ${Math.round(p.samplesPerSecond)}/s${eta}`,
        )
      },
      onStep: (step) => {
        // A statistical model's estimation steps (fitted on the engine worker).
        if (json) io.stdout.write(JSON.stringify({ event: 'step', ...step }) + '\n')
        else io.stderr.write(`Fitting ${step.label} (${step.done + 1}/${step.total})\n`)
      },
      onEpoch: (r) => {
        if (json) {
          io.stdout.write(JSON.stringify({ event: 'epoch', ...r }) + '\n')
          return
        }
        bar.end()
        io.stderr.write(
          `epoch ${r.epoch}/${config.training.epochs}  loss ${fmt(r.loss)}  val loss ${fmt(r.valLoss)}  val MAE ${fmt(r.valMae)}  ${r.seconds.toFixed(1)} s  ${Math.round(r.samplesPerSecond)} windows/s\n`,
        )
        bar = progressBar(io, `Epoch ${r.epoch + 1}/${config.training.epochs}`)
      },
    })
  } finally {
    bar.end()
    process.removeListener('SIGINT', onSigint)
    if (!given) await host.dispose()
  }
}

/** Train's options, for commands that take the same experiment and training flags (backtest). */
export const trainOptionSpecs: OptionSpecs = options

export const train: Command = makeTrain()
export const run = train

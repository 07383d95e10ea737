/**
 * `compare <file> [train's experiment flags] [--models default|all|statistical|neural|a,b,…]
 * [--epochs N] [--patience n] [--season m] [--folds K [--refit every|once]] --out DIR [--json]`:
 * every model of the set on the same windows, the naive baselines and an ensemble of the best
 * three, ranked by validation MAE; with --folds, by the mean fold MAE of a rolling-origin
 * backtest (compare-folds.ts). Writes
 * DIR/leaderboard.json and DIR/best/ (what `train` writes for the best entry). With --json,
 * progress lines and then one object as the last stdout line: {best, leaderboard, baselines}.
 */
import { join, resolve } from 'node:path'
import { arenaModels, DEFAULT_MODEL_SET, percentBetter, SLOW_PRESET_IDS } from '../../shared/arena'
import { forecastsCsv, originsOf, type ForecastOrigins } from '../../shared/forecast-csv'
import type { TimeStyle } from '../../shared/format/time'
import { datasetTimeStyle } from '../../shared/series/time-axis'
import type { Metrics } from '../../shared/metrics'
import { timeValues } from '../../shared/series/dataset'
import { ARENA_TRAINING } from '../../shared/arena-run'
import { EngineHost } from '../../core/engine/host'
import { runArena, type ArenaEntry, type ArenaResult } from '../../core/services/arena'
import {
  runArenaFolds,
  type ArenaFoldsOptions,
  type ArenaFoldsResult,
} from '../../core/services/arena-folds'
import { writeModelFolder } from '../../core/services/model-files'
import { parseArgs, usage, usageError, type OptionSpecs } from '../args'
import { experimentFromArgs, experimentOptions } from '../experiment-args'
import { EXIT, type CliIO, type Command } from '../io'
import { loadCsv } from '../load'
import { repairOptions } from '../repair-args'
import { CONFORMAL_METHODS, conformalIntervalOptions, intervalsFromArgs } from '../interval-args'
import { prepareOutputDir } from '../../core/files/atomic-write'
import { foldsFromArgs, foldsJson, foldsOptions, foldsText } from './compare-folds'
import { metricsJson, writeText } from './predict'
import { resultJson, trainingFromArgs } from './train'

/**
 * Training of the window models in the arena: at most 20 epochs, early stopping after 3 without
 * a better validation loss, Adam at 0.005 on batches of 64. Chollet's RMSprop at 0.001 on batches
 * of 256 (train's default) stays far from converged in 20 epochs: on the electricity sample it
 * left LSTM(10) at a validation MAE of 0.33 against 0.21 with these settings (naive 0.26).
 */
export const COMPARE_EPOCHS = ARENA_TRAINING.epochs
export const COMPARE_PATIENCE = ARENA_TRAINING.patience
export const COMPARE_OPTIMIZER = ARENA_TRAINING.optimizer
export const COMPARE_LEARNING_RATE = ARENA_TRAINING.learningRate
export const COMPARE_BATCH_SIZE = ARENA_TRAINING.batchSize

const options: OptionSpecs = {
  ...experimentOptions,
  season: {
    type: 'string',
    value: '<rows>',
    description:
      'season in rows of the seasonal naive and the statistical models; 1 = none (default: the seasonal naive from the time axis, the statistical models from the seasons found in the training rows)',
  },
  models: {
    type: 'string',
    value: '<set>',
    description: `default (every statistical model and the window presets except ${SLOW_PRESET_IDS.join(', ')}) | all (every preset) | statistical | neural (every window preset) | a list of presets; the baselines and the ensemble always join`,
  },
  epochs: {
    type: 'string',
    value: '<N>',
    description: `most epochs of each window model (default ${COMPARE_EPOCHS})`,
  },
  patience: {
    type: 'string',
    value: '<n>',
    description: `early stopping on validation loss (default ${COMPARE_PATIENCE})`,
  },
  'batch-size': {
    type: 'string',
    value: '<B>',
    description: `windows per batch (default ${COMPARE_BATCH_SIZE})`,
  },
  optimizer: {
    type: 'string',
    value: '<name>',
    description: `${COMPARE_OPTIMIZER} (default) | rmsprop | sgd`,
  },
  'learning-rate': {
    type: 'string',
    value: '<x>',
    description: `learning rate of the window models (default ${COMPARE_LEARNING_RATE})`,
  },
  backend: { type: 'string', value: '<name>', description: 'auto (default) | wasm | cpu | …' },
  seed: { type: 'string', value: '<n>', description: 'seed of the window models' },
  out: {
    type: 'string',
    value: '<dir>',
    description: 'output folder (leaderboard.json, best/)',
    required: true,
  },
  json: { type: 'boolean', description: 'JSON lines of progress; the last line is the result' },
  ...conformalIntervalOptions,
  ...foldsOptions,
  ...repairOptions,
  help: { type: 'boolean', description: 'show this help' },
}

export const compareUsage = usage(
  'compare',
  'Trains or fits every model of a set on the same windows, ranks them by validation MAE next to the naive baselines and an ensemble of the best three, and writes leaderboard.json and best/.',
  options,
  '<file>',
)

/** The five metrics of the JSON (no window count). */
function fiveMetrics(m: Metrics | null | undefined) {
  const j = metricsJson(m)
  if (!j) return null
  return { mae: j.mae, rmse: j.rmse, mape: j.mape, smape: j.smape, mase: j.mase }
}

function boardRow(e: ArenaEntry) {
  return {
    model: e.model,
    family: e.family,
    val: fiveMetrics(e.val),
    test: fiveMetrics(e.test),
    seconds: e.seconds,
  }
}

/** The object printed last with --json: exactly {best, leaderboard, baselines}. */
export function arenaJson(arena: ArenaResult) {
  const [best] = arena.board
  const baseline = (name: string) => {
    const e = arena.board.find((b) => b.family === 'baseline' && b.model === name)
    return e ? { val: fiveMetrics(e.val), test: fiveMetrics(e.test) } : null
  }
  return {
    best: {
      model: best.model,
      family: best.family,
      val: fiveMetrics(best.val),
      test: fiveMetrics(best.test),
    },
    leaderboard: arena.board.map(boardRow),
    baselines: { naive: baseline('naive'), seasonalNaive: baseline('seasonal-naive') },
  }
}

/** DIR/best/: model/ (or members/<id>/ for an ensemble; none for a baseline), forecasts.csv, metrics.json. */
async function writeBest(
  arena: ArenaResult,
  dir: string,
  origins: ForecastOrigins,
  style: TimeStyle,
): Promise<string[]> {
  const [best] = arena.board
  const files: string[] = []
  if (best.result?.artifacts) {
    files.push(...(await writeModelFolder(join(dir, 'model'), best.result.artifacts)))
  }
  for (const id of best.members ?? []) {
    const member = arena.board.find((e) => e.model === id)
    if (member?.result?.artifacts)
      files.push(...(await writeModelFolder(join(dir, 'members', id), member.result.artifacts)))
  }
  const forecastsPath = join(dir, 'forecasts.csv')
  await writeText(
    forecastsPath,
    forecastsCsv(best.evaluation.forecasts, best.evaluation.future, style, origins),
  )
  files.push(forecastsPath)
  const metricsPath = join(dir, 'metrics.json')
  files.push(metricsPath)
  const summary = best.result
    ? resultJson(best.result, dir, files)
    : {
        model: best.model,
        family: best.family,
        name: best.name,
        ...(best.members ? { members: best.members } : {}),
        metrics: {
          ...(best.val ? { val: metricsJson(best.val) } : {}),
          ...(best.test ? { test: metricsJson(best.test) } : {}),
        },
        comparison: best.evaluation.comparison,
        samples: arena.prepared.sampleCounts,
        seconds: best.seconds,
        out: dir,
        files,
      }
  await writeText(metricsPath, JSON.stringify(summary, null, 2) + '\n')
  return files
}

const fmt = (x: number | null | undefined, digits = 4) =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits)

function boardText(arena: ArenaResult, out: string): string {
  const naive = arena.board.find((e) => e.model === 'naive')
  const lines = [
    [
      '#'.padStart(3),
      'model'.padEnd(16),
      'family'.padEnd(11),
      'val MAE'.padStart(11),
      'test MAE'.padStart(11),
      'val vs naive'.padStart(13),
      'seconds'.padStart(8),
      '  fitted',
    ].join(' '),
  ]
  arena.board.forEach((e, i) => {
    const pct = percentBetter(e.val?.mae ?? NaN, naive?.val?.mae ?? NaN)
    lines.push(
      [
        String(i + 1).padStart(3),
        e.model.padEnd(16),
        e.family.padEnd(11),
        fmt(e.val?.mae).padStart(11),
        fmt(e.test?.mae).padStart(11),
        (pct === null ? '—' : `${pct >= 0 ? '+' : ''}${pct.toFixed(1)} %`).padStart(13),
        e.seconds.toFixed(1).padStart(8),
        `  ${e.name}`,
      ].join(' '),
    )
  })
  lines.push('', `Best by validation MAE: ${arena.board[0].model}. Wrote ${out}`)
  return lines.join('\n')
}

export interface CompareDeps {
  host?: EngineHost
}

export function makeCompare(deps: CompareDeps = {}): Command {
  return async (argv, io: CliIO) => {
    if (argv.includes('--help')) {
      io.stdout.write(compareUsage + '\n')
      return EXIT.ok
    }
    const args = parseArgs(argv, options, 'compare')
    const [file, ...rest] = args.positionals
    if (!file || rest.length > 0)
      throw usageError(`compare: expected one file, received ${args.positionals.length}.`)
    const json = Boolean(args.options.json)
    const out = resolve(String(args.options.out))
    const models = arenaModels(String(args.options.models ?? DEFAULT_MODEL_SET))
    const folds = foldsFromArgs(args.options)
    // Every model's intervals alike: conformal, since the set mixes window and statistical models.
    const intervals = intervalsFromArgs(args.options, CONFORMAL_METHODS)
    const training = trainingFromArgs(
      {
        ...args.options,
        epochs: args.options.epochs ?? String(COMPARE_EPOCHS),
        patience: args.options.patience ?? String(COMPARE_PATIENCE),
        optimizer: args.options.optimizer ?? COMPARE_OPTIMIZER,
        'learning-rate': args.options['learning-rate'] ?? String(COMPARE_LEARNING_RATE),
        'batch-size': args.options['batch-size'] ?? String(COMPARE_BATCH_SIZE),
      },
      false,
    )
    const { dataset, report } = await loadCsv(file, io, { quiet: json, args: args.options })
    const experiment = experimentFromArgs(args.options, dataset, report, 'numeric')
    // before any model trains: an --out that cannot take the results must not cost the comparison
    await prepareOutputDir(out)
    const userSeason = args.options.season !== undefined ? experiment.seasonRows : null
    // --season 1: no season anywhere, so no seasonal naive either.
    if (experiment.seasonRows === 1) experiment.seasonRows = null
    const host = deps.host ?? new EngineHost()
    const abort = new AbortController()
    const onSigint = () => {
      io.stderr.write('\nCancelling the comparison.\n')
      abort.abort()
    }
    process.once('SIGINT', onSigint)
    const say = (event: Record<string, unknown>, text: string) =>
      json ? io.stdout.write(JSON.stringify(event) + '\n') : io.stderr.write(text + '\n')
    let arena: ArenaResult
    let byFolds: ArenaFoldsResult | null = null
    try {
      const arenaOptions: ArenaFoldsOptions = {
        models,
        training,
        intervals,
        userSeason,
        cadence: report?.timeAxis?.cadence ?? null,
        host,
        signal: abort.signal,
        onModelStart: (model, i, n) =>
          say(
            { event: 'model', phase: 'start', model, index: i + 1, of: n },
            `[${i + 1}/${n}] ${model}…`,
          ),
        onModelEnd: (e, i, n) =>
          say(
            {
              event: 'model',
              phase: 'done',
              model: e.model,
              index: i + 1,
              of: n,
              name: e.name,
              valMae: e.val?.mae ?? null,
              seconds: e.seconds,
            },
            `[${i + 1}/${n}] ${e.model}: ${e.name}, val MAE ${fmt(e.val?.mae)} (${e.seconds.toFixed(1)} s)`,
          ),
        onEpoch: (model, r) => {
          if (json) io.stdout.write(JSON.stringify({ event: 'epoch', model, ...r }) + '\n')
        },
        onStep: (model, step) => {
          if (json) io.stdout.write(JSON.stringify({ event: 'step', model, ...step }) + '\n')
        },
        onFold: (model, fold, of) =>
          say({ event: 'fold', model, fold, of }, `  ${model}: fold ${fold} of ${of} done`),
      }
      if (folds) {
        byFolds = await runArenaFolds(dataset, experiment, folds, arenaOptions)
        arena = byFolds.arena
      } else arena = await runArena(dataset, experiment, arenaOptions)
    } finally {
      process.removeListener('SIGINT', onSigint)
      if (!deps.host) await host.dispose()
    }
    for (const s of byFolds?.skipped ?? arena.skipped)
      say({ event: 'skipped', model: s.model, reason: s.reason }, `skipped ${s.model}: ${s.reason}`)
    const result = byFolds ? foldsJson(byFolds, arenaJson(arena)) : arenaJson(arena)
    const files = await writeBest(
      arena,
      join(out, 'best'),
      originsOf(experiment.window, timeValues(dataset)),
      datasetTimeStyle(dataset),
    )
    const leaderboard = {
      ...result,
      // More than the JSON line: what each entry fitted, the ensemble, what could not run.
      details: {
        entries: arena.board.map((e) => ({
          model: e.model,
          name: e.name,
          ...(e.members ? { members: e.members } : {}),
          ...(e.result ? { epochs: e.result.history.length, bestEpoch: e.result.bestEpoch } : {}),
        })),
        skipped: arena.skipped,
        samples: arena.prepared.sampleCounts,
        seasonRows: experiment.seasonRows,
        seconds: arena.seconds,
        best: files,
      },
    }
    await writeText(join(out, 'leaderboard.json'), JSON.stringify(leaderboard, null, 2) + '\n')
    const text = byFolds ? foldsText(byFolds, out) : boardText(arena, out)
    io.stdout.write(json ? JSON.stringify(result) + '\n' : text + '\n')
    return EXIT.ok
  }
}

export const compare: Command = makeCompare()
export const run = compare

/**
 * `npm run recipes`: three textbook runs, each printed next to the naive baseline with the backend
 * used. Not part of the tests (they take minutes).
 *
 * - sunspots (Bonaccorso): monthly sunspots, windows of 15, stateful LSTM(4) with a batch of 20,
 *   min-max to [-1, 1], tanh output, Adam (lr 0.001, decay 1e-4), 100 epochs, no shuffling,
 *   2,300 training and 500 validation windows. Bonaccorso reports a validation MSE ≈ 0.018 in
 *   normalized units.
 * - electricity (Gulli): 15-minute load of one client (MT_001 of the UCI file's layout: `;`,
 *   decimal commas), windows of 20, target the next reading, min-max to [0, 1], LSTM(10), Adam,
 *   batch 96 (one day), 70/15/15 split; stateless (shuffled) and then stateful (streams of
 *   consecutive windows, states reset each epoch, data cut to a batch multiple), side by side.
 * - jena (Chollet ch. 10): temperature 24 h ahead from 5 days of hourly readings of 14 channels
 *   (sequence 120, rate 6, delay 858), 50/25/25 split, z-score, LSTM(16), RMSprop, batch 256.
 *   The book: naive validation MAE ≈ 2.44, LSTM(16) test MAE ≈ 2.52 °C.
 *
 *   npm run recipes [-- --only sunspots|electricity|jena] [--sunspots file] [--electricity file]
 *                     [--jena file] [--jena-rows N]
 *                     [--epochs N] [--jena-epochs N] [--backend name] [--no-fused] [--json]
 *
 * LSTM layers run on the fused WebAssembly kernels (the engine's default); --no-fused runs the
 * stock tfjs-layers ones. Each report names which layers ran fused.
 *
 * Without --jena, /tmp/jena_like.csv is used, generated first with
 * `node scripts/make-jena-like.mjs --rows 420451 --seed 1`.
 */
import { execFileSync } from 'node:child_process'
import { createWriteStream, existsSync, renameSync, rmSync } from 'node:fs'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { DEFAULT_TRAINING, type RunConfig } from '../shared/experiment'
import { presetSpec } from '../shared/models/presets'
import type { RunResult } from '../shared/run'
import type { Dataset } from '../shared/series/dataset'
import { EngineHost } from '../core/engine/host'
import type { WorkerStats } from '../core/engine/protocol'
import { trainRun } from '../core/services/train-run'
import { intOption, parseArgs, usage, usageError, type OptionSpecs } from './args'
import { backendJson, kernelsLine } from './commands/train'
import { EXIT, type CliIO, type Command } from './io'
import { loadCsv } from './load'

const options: OptionSpecs = {
  only: {
    type: 'string',
    value: '<name>',
    description: 'run one recipe: sunspots | electricity | jena',
  },
  electricity: {
    type: 'string',
    value: '<file>',
    description: 'UCI-layout load CSV (default resources/data/electricity_sample.csv)',
  },
  'electricity-epochs': {
    type: 'string',
    value: '<N>',
    description: 'epochs of the electricity recipe (default 60)',
  },
  sunspots: {
    type: 'string',
    value: '<file>',
    description: 'sunspot CSV (default resources/data/sunspots_monthly.csv)',
  },
  jena: {
    type: 'string',
    value: '<file>',
    description: 'Jena-format CSV (default /tmp/jena_like.csv, generated if missing)',
  },
  'jena-rows': {
    type: 'string',
    value: '<N>',
    description: 'rows of the generated Jena-like file (default 420451)',
  },
  epochs: {
    type: 'string',
    value: '<N>',
    description: 'epochs of the sunspot recipe (default 100)',
  },
  'jena-epochs': {
    type: 'string',
    value: '<N>',
    description: 'epochs of the Jena recipe (default 10, as the book)',
  },
  backend: {
    type: 'string',
    value: '<name>',
    description: 'auto (default) | tfjs-node-gpu | tfjs-node | wasm | cpu',
  },
  'no-fused': {
    type: 'boolean',
    description: 'stock tfjs recurrent layers instead of the fused kernels (for comparison)',
  },
  json: { type: 'boolean', description: 'one JSON object per recipe on stdout' },
  help: { type: 'boolean', description: 'show this help' },
}

const RECIPES = ['sunspots', 'electricity', 'jena']

// `npm run recipes` runs at the package root.
const JENA_TOOL = resolve('scripts/make-jena-like.mjs')

function sunspotConfig(epochs: number, backend: RunConfig['training']['backend']): RunConfig {
  const model = presetSpec('stateful-lstm')!
  return {
    experiment: {
      target: 'sunspots',
      features: ['sunspots'],
      window: { sequenceLength: 15, samplingRate: 1, sequenceStride: 1, delay: 15, horizon: 1 },
      // 2,315 training rows → 2,301 windows (2,300 used: 115 batches of 20); 514 validation rows → 500 windows.
      split: { train: 0.7287, val: 0.1618 },
      normalization: 'minmax-sym',
      seasonRows: null,
      // The book's setting: no target transform, no calendar inputs.
      transform: { kind: 'none', log: false, seasonRows: null },
      calendar: 'none',
    },
    model,
    training: {
      ...DEFAULT_TRAINING,
      epochs,
      batchSize: 20,
      optimizer: 'adam',
      learningRate: 0.001,
      decay: 1e-4,
      shuffle: false,
      backend,
    },
  }
}

function electricityConfig(
  stateful: boolean,
  epochs: number,
  backend: RunConfig['training']['backend'],
): RunConfig {
  const model = presetSpec('lstm-10')!
  model.stateful = stateful
  return {
    experiment: {
      target: 'MT_001',
      features: ['MT_001'],
      window: { sequenceLength: 20, samplingRate: 1, sequenceStride: 1, delay: 20, horizon: 1 },
      split: { train: 0.7, val: 0.15 },
      normalization: 'minmax',
      seasonRows: 96,
      // The book's setting: no target transform, no calendar inputs.
      transform: { kind: 'none', log: false, seasonRows: null },
      calendar: 'none',
    },
    model,
    training: {
      ...DEFAULT_TRAINING,
      epochs,
      batchSize: 96,
      optimizer: 'adam',
      learningRate: 0.001,
      shuffle: !stateful,
      backend,
    },
  }
}

function jenaConfig(
  dataset: Dataset,
  epochs: number,
  backend: RunConfig['training']['backend'],
): RunConfig {
  const features = dataset.columns.filter((c) => c.kind === 'numeric').map((c) => c.name)
  return {
    experiment: {
      target: 'T (degC)',
      features,
      window: {
        sequenceLength: 120,
        samplingRate: 6,
        sequenceStride: 1,
        delay: 6 * (120 + 24 - 1),
        horizon: 1,
      },
      split: { train: 0.5, val: 0.25 },
      normalization: 'zscore',
      seasonRows: 144,
      // The book's setting: no target transform, no calendar inputs.
      transform: { kind: 'none', log: false, seasonRows: null },
      calendar: 'none',
    },
    model: presetSpec('lstm')!,
    training: {
      ...DEFAULT_TRAINING,
      epochs,
      batchSize: 256,
      optimizer: 'rmsprop',
      learningRate: 0.001,
      backend,
    },
  }
}

const f4 = (x: number | undefined | null) =>
  x === undefined || x === null || !Number.isFinite(x) ? '—' : x.toFixed(4)
const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`

function report(
  name: string,
  result: RunResult,
  memory: WorkerStats | null,
  io: CliIO,
  json: boolean,
): void {
  const best = result.bestEpoch === null ? null : result.history[result.bestEpoch - 1]
  if (json) {
    io.stdout.write(
      JSON.stringify({
        recipe: name,
        backend: backendJson(result.backend),
        epochs: result.history.length,
        bestEpoch: result.bestEpoch,
        valLossNormalized: best?.valLoss ?? null,
        metrics: result.metrics,
        baselines: {
          naive: result.baselines.naive,
          'seasonal-naive': result.baselines['seasonal-naive'] ?? null,
        },
        comparison: result.comparison,
        secondsPerEpoch:
          result.history.reduce((s, h) => s + h.seconds, 0) / Math.max(1, result.history.length),
        seconds: result.seconds,
        peakMemory: memory,
      }) + '\n',
    )
    return
  }
  const b = result.backend
  const lines = [
    '',
    `== ${name} ==`,
    `Backend: ${b.used}${b.routed ? ` (${b.routed})` : ''}; skipped: ${
      Object.entries(b.skipped)
        .map(([k, v]) => `${k}: ${v}`)
        .join('; ') || 'none'
    }`,
    ...(kernelsLine(b) ? [kernelsLine(b)!] : []),
    `Samples: train ${result.sampleCounts.train}, val ${result.sampleCounts.val}, test ${result.sampleCounts.test}. Epochs ${result.history.length}, best ${result.bestEpoch}: val loss (${result.config.training.loss}, normalized) ${f4(best?.valLoss)}.`,
    `Time: ${result.seconds.toFixed(0)} s (${(result.history.reduce((s, h) => s + h.seconds, 0) / Math.max(1, result.history.length)).toFixed(1)} s per epoch).`,
  ]
  for (const split of ['val', 'test'] as const) {
    const m = result.metrics[split]
    if (!m) continue
    const naive = result.baselines.naive[split]
    const seasonal = result.baselines['seasonal-naive']?.[split]
    lines.push(
      `${split}: model MAE ${f4(m.mae)} RMSE ${f4(m.rmse)} | naive MAE ${f4(naive?.mae)} RMSE ${f4(naive?.rmse)}` +
        (seasonal ? ` | seasonal naive MAE ${f4(seasonal.mae)}` : '') +
        ` → ${result.comparison[split]?.naive?.text ?? ''}`,
    )
  }
  if (memory) {
    lines.push(
      `Peak memory while training: worker JS heap ${mb(memory.memory.heapUsed)}, ${memory.wasmHeapBytes === null ? '' : `wasm heap ${mb(memory.wasmHeapBytes)}, `}${memory.fusedKernels ? `fused kernels ${mb(memory.fusedKernels.bytes)}, ` : ''}tfjs tensors ${mb(memory.tf.numBytes)}, array buffers ${mb(memory.memory.arrayBuffers)}, process RSS ${mb(memory.memory.rss)} (the whole process: main thread with the dataset included).`,
    )
  }
  io.stdout.write(lines.join('\n') + '\n')
}

async function runRecipe(
  name: string,
  dataset: Dataset,
  config: RunConfig,
  host: EngineHost,
  io: CliIO,
  json: boolean,
): Promise<void> {
  let peak: WorkerStats | null = null
  const timer = setInterval(() => {
    host.stats().then(
      (s) => {
        if (!peak || s.memory.rss > peak.memory.rss) peak = s
      },
      () => {},
    )
  }, 2000)
  try {
    const result = await trainRun(dataset, config, {
      host,
      onBackend: (b) => {
        if (!json) {
          io.stderr.write(`${name}: training on ${b.used}\n`)
          const kernels = kernelsLine(b)
          if (kernels) io.stderr.write(`${name}: ${kernels}\n`)
        }
      },
      onEpoch: (r) => {
        if (!json) {
          io.stderr.write(
            `${name} epoch ${r.epoch}/${config.training.epochs}: loss ${f4(r.loss)} val loss ${f4(r.valLoss)} val MAE ${f4(r.valMae)} (${r.seconds.toFixed(1)} s, ${Math.round(r.samplesPerSecond)} windows/s)\n`,
          )
        }
      },
    })
    report(name, result, peak, io, json)
  } finally {
    clearInterval(timer)
  }
}

/** `createHost` is for tests (a worker run from the TypeScript sources). */
export function makeRecipes(createHost: () => EngineHost = () => new EngineHost()): Command {
  return (argv, io) => runRecipes(argv, io, createHost)
}

export const run: Command = makeRecipes()

async function runRecipes(
  argv: string[],
  io: CliIO,
  createHost: () => EngineHost,
): Promise<number> {
  const args = parseArgs(argv, options, 'recipes')
  if (args.options.help) {
    io.stdout.write(
      usage(
        'recipes',
        'The sunspot stateful LSTM, stateless vs stateful LSTM(10) on electricity load, and the Jena LSTM, next to their naive baselines.',
        options,
        '[options]',
        'npm run recipes --',
      ) + '\n',
    )
    return EXIT.ok
  }
  const only = args.options.only ? String(args.options.only) : null
  if (only !== null && !RECIPES.includes(only))
    throw usageError(`--only: expected one of ${RECIPES.join(', ')}, received "${only}".`, {
      option: 'only',
    })
  const json = Boolean(args.options.json)
  const backend = (args.options.backend ?? 'auto') as RunConfig['training']['backend']
  const fused = !args.options['no-fused']
  const withFused = (config: RunConfig): RunConfig => ({
    ...config,
    training: { ...config.training, fusedKernels: fused },
  })
  const host = createHost()
  try {
    if (!only || only === 'sunspots') {
      const file = String(args.options.sunspots ?? resolve('resources/data/sunspots_monthly.csv'))
      const { dataset } = await loadCsv(file, io, true)
      await runRecipe(
        'sunspots, stateful LSTM(4) (Bonaccorso)',
        dataset,
        withFused(sunspotConfig(intOption(args.options, 'epochs', 1, 100), backend)),
        host,
        io,
        json,
      )
    }
    if (!only || only === 'electricity') {
      const file = String(
        args.options.electricity ?? resolve('resources/data/electricity_sample.csv'),
      )
      const { dataset } = await loadCsv(file, io, true)
      const epochs = intOption(args.options, 'electricity-epochs', 1, 60)
      for (const stateful of [false, true]) {
        await runRecipe(
          `electricity, ${stateful ? 'stateful' : 'stateless'} LSTM(10) (Gulli)`,
          dataset,
          withFused(electricityConfig(stateful, epochs, backend)),
          host,
          io,
          json,
        )
      }
    }
    if (!only || only === 'jena') {
      const file = String(args.options.jena ?? '/tmp/jena_like.csv')
      if (!existsSync(file)) {
        if (!existsSync(JENA_TOOL)) {
          io.stderr.write(
            `${file} does not exist. Generate it with: node ${JENA_TOOL} --rows 420451 --seed 1 > ${file}\n`,
          )
          return EXIT.failed
        }
        const rows = intOption(args.options, 'jena-rows', 1000, 420_451)
        io.stderr.write(`Generating ${file} (${rows} rows) …\n`)
        // generated next to the file and renamed into place: an interrupted run leaves no
        // truncated file that the next run would take as the data
        const temp = `${file}.${process.pid}.tmp`
        try {
          const out = createWriteStream(temp)
          await new Promise<void>((resolve, reject) => {
            out.on('open', () => resolve())
            out.on('error', reject)
          })
          const fd = (out as unknown as { fd: number }).fd
          execFileSync(process.execPath, [JENA_TOOL, '--rows', String(rows), '--seed', '1'], {
            stdio: ['ignore', fd, 'inherit'],
          })
          await new Promise<void>((resolve, reject) =>
            out.close((e) => (e ? reject(e) : resolve())),
          )
          renameSync(temp, file)
        } catch (error) {
          rmSync(temp, { force: true })
          throw error
        }
      }
      const { dataset } = await loadCsv(file, io, true)
      await runRecipe(
        'Jena temperature, LSTM(16) (Chollet ch. 10)',
        dataset,
        withFused(jenaConfig(dataset, intOption(args.options, 'jena-epochs', 1, 10), backend)),
        host,
        io,
        json,
      )
    }
    return EXIT.ok
  } finally {
    await host.dispose()
  }
}

// Run when this file is the entry (out/main/recipes.js), not when imported.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then(
    (code) => {
      process.exitCode = code
    },
    (error: unknown) => {
      process.stderr.write(`${(error as Error).message}\n`)
      process.exitCode = 1
    },
  )
}

/** Small real data and run settings for the engine tests (kept tiny: 2 busy cores). */
import { fileURLToPath } from 'node:url'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import { expect } from 'vitest'
import type { BackendReport } from '../../../src/shared/run'
import { parseCsv } from '../../../src/shared/csv'
import {
  DEFAULT_TRAINING,
  type RunConfig,
  type TrainingConfig,
} from '../../../src/shared/experiment'
import { presetSpec } from '../../../src/shared/models/presets'
import type { ModelSpec } from '../../../src/shared/models/spec'
import type { Dataset } from '../../../src/shared/series/dataset'
import type { ModelManifest } from '../../../src/shared/manifest'
import { prepareExperiment } from '../../../src/shared/prepare'
import { normalizeColumn, normalizedMatrix } from '../../../src/shared/series/normalize'
import type { WindowConfig } from '../../../src/shared/windows/config'
import type { TrainData } from '../../../src/core/engine/train-loop'

export const SUNSPOTS = fileURLToPath(
  new URL('../../../resources/data/sunspots_monthly.csv', import.meta.url),
)

/** The first `rows` months of the sunspot series (1749 on), through the real CSV import. */
export function sunspots(rows = 3177): Dataset {
  const text = readFileSync(SUNSPOTS, 'utf8').split('\n')
  const head = text.slice(0, rows + 1).join('\n') + '\n'
  return parseCsv(head, { fileName: 'sunspots_monthly.csv' }).dataset
}

export function window(
  sequenceLength: number,
  delay = sequenceLength,
  horizon = 1,
  samplingRate = 1,
): WindowConfig {
  return { sequenceLength, samplingRate, sequenceStride: 1, delay, horizon }
}

export function training(overrides: Partial<TrainingConfig> = {}): TrainingConfig {
  return {
    ...DEFAULT_TRAINING,
    epochs: 3,
    batchSize: 32,
    optimizer: 'adam',
    learningRate: 0.01,
    backend: 'cpu',
    fusedKernels: true, // the engine's default: LSTM / GRU on the fused kernels
    ...overrides,
  }
}

export function spec(id: string, edit: (s: ModelSpec) => void = () => {}): ModelSpec {
  const s = presetSpec(id)
  if (!s) throw new Error(`no preset ${id}`)
  edit(s)
  return s
}

export function runConfig(
  model: ModelSpec,
  w: WindowConfig,
  overrides: Partial<TrainingConfig> = {},
  normalization: RunConfig['experiment']['normalization'] = 'zscore',
): RunConfig {
  return {
    experiment: {
      target: 'sunspots',
      features: ['sunspots'],
      window: w,
      split: { train: 0.5, val: 0.25 },
      normalization,
      seasonRows: null,
    },
    model,
    training: training(overrides),
  }
}

/** TrainData for the in-process loop, prepared as the service prepares it. */
export function trainData(dataset: Dataset, config: RunConfig): TrainData {
  const prepared = prepareExperiment(dataset, config.experiment)
  const stats = prepared.normalization
  return {
    source: {
      features: normalizedMatrix(stats, prepared.features),
      featureCount: prepared.features.length,
      target: normalizeColumn(stats, config.experiment.target, prepared.target),
    },
    window: config.experiment.window,
    starts: prepared.windows.starts,
    targetScale: stats.scale[stats.columns.indexOf(config.experiment.target)],
  }
}

/** A worker running the TypeScript sources through tsx (vitest cannot load .ts in a Worker). */
export function tsxWorker(): Worker {
  const url = new URL('../../../src/core/engine/worker.ts', import.meta.url).href
  return new Worker(
    `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url)}) })`,
    { eval: true },
  )
}

/** A valid manifest for file-format tests (the service writes real ones). */
export function sampleManifest(config: RunConfig): ModelManifest {
  const w = config.experiment.window
  return {
    format: 'seqcast-model',
    version: 1,
    name: `${config.model.name} on sunspots`,
    createdAt: '2024-01-02T03:04:05.000Z',
    dataset: {
      name: 'sunspots_monthly.csv',
      rowCount: 360,
      columns: [
        { name: 'date', kind: 'datetime' },
        { name: 'sunspots', kind: 'numeric' },
      ],
      timeColumn: 'date',
    },
    experiment: config.experiment,
    normalization: {
      kind: 'zscore',
      columns: ['sunspots'],
      center: [50],
      scale: [40],
      constant: [],
    },
    model: config.model,
    training: config.training,
    inference: {
      inputShape: [w.sequenceLength, config.experiment.features.length],
      batchSize: config.model.stateful ? config.training.batchSize : null,
      outputUnits: w.horizon,
    },
    history: [
      {
        epoch: 1,
        loss: 0.5,
        valLoss: 0.6,
        valMae: 20,
        seconds: 1,
        samplesPerSecond: 100,
        learningRate: 0.01,
      },
    ],
    bestEpoch: 1,
    stopReason: 'completed',
    maseScale: null,
    metrics: { val: { mae: 20, rmse: 25, mape: NaN, smape: 30, mase: 1.1, n: 10 } },
    baselines: { naive: { val: { mae: 21, rmse: 26, mape: NaN, smape: 31, mase: 1.2, n: 10 } } },
    backend: {
      used: 'wasm',
      skipped: { 'tfjs-node-gpu': 'not installed', 'tfjs-node': 'not installed' },
    },
    versions: { seqcast: 'test', tfjs: '4.22.0' },
  }
}

/** Whether an optional package resolves from the repository (tfjs-node installs on some machines). */
export function resolves(pkg: string): boolean {
  try {
    createRequire(import.meta.url).resolve(pkg)
    return true
  } catch {
    return false
  }
}

/**
 * What `auto` must report on this machine: when neither native package resolves, wasm runs and
 * both are "not installed"; when one resolves, it is never reported as "not installed" (it runs,
 * or it is skipped for a reason of its own, e.g. missing CUDA), and whatever runs comes first
 * among those that loaded.
 */
export function expectAutoBackend(report: BackendReport): void {
  const native = ['tfjs-node-gpu', 'tfjs-node'] as const
  const installed = native.filter((name) => resolves(`@tensorflow/${name}`))
  for (const name of native) {
    if (installed.includes(name)) {
      if (report.used !== name) expect(report.skipped[name]).not.toMatch(/^not installed/)
    } else {
      expect(report.skipped[name]).toMatch(/^not installed/)
    }
  }
  if (installed.length === 0) expect(report.used).toBe('wasm')
  else expect(['wasm', ...installed]).toContain(report.used)
}

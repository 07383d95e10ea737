/**
 * The manifest of an exported model (`seqcast.json`): the training file's schema, the experiment,
 * the normalization and the MASE scale fitted on its training rows, the model spec, the training
 * outcome and where it ran. Built here for runs and checkpoints alike, validated here when read.
 */
import { z } from 'zod'
import type { BaselineReport } from './baselines'
import { SeqcastError } from './errors'
import type { IntervalMethod, LevelRadius, RunIntervals } from './forecast/intervals'
import type { IntervalScale } from './intervals/scale'
import {
  experimentConfigSchema,
  trainingConfigSchema,
  type ExperimentConfig,
  type RunConfig,
  type TrainingConfig,
} from './experiment'
import { calendarOf, inputColumnNames, transformOf } from './features/inputs'
import type { ModelSpec } from './models/spec'
import { learnedTargetName } from './transforms/spec'
import { describeZodError, modelSpecSchema } from './models/validate'
import {
  outputUnits,
  type BackendReport,
  type EpochRecord,
  type SplitMetricsRecord,
  type StopReason,
} from './run'
import { fileSchema, type ColumnSchema, type Dataset } from './series/dataset'
import type { NormalizationStats } from './series/normalize'
import { gapAfterWindow } from './windows/config'
import { statefulWarmup } from './windows/stateful'

export const MANIFEST_FORMAT = 'seqcast-model'
/**
 * 2: `stopReason` may be 'in-progress' (a checkpoint written while training), `backend` is null
 * until the worker reported it, and `maseScale` is stored. Version 1 manifests read as they are.
 */
export const MANIFEST_VERSION = 2

/** How training ended, or 'in-progress' for a checkpoint written while the run still trained. */
export type ManifestStopReason = StopReason | 'in-progress'

export type ModelManifest = {
  format: typeof MANIFEST_FORMAT
  version: number
  name: string
  createdAt: string
  dataset: {
    name: string
    rowCount: number
    /** Schema of the training file; a new file must have these columns with these kinds. */
    columns: ColumnSchema[]
    timeColumn: string | null
  }
  /** Target, feature order (= tensor order), window, split, normalization kind, season. */
  experiment: ExperimentConfig
  normalization: NormalizationStats
  model: ModelSpec
  training: TrainingConfig
  /**
   * Input [L, F]; fixed batch size of a stateful model (null otherwise); output units; for
   * stateful models the windows run before the latest one to carry state into the future
   * forecast (the training stream length, see `statefulWarmup`).
   */
  inference: {
    inputShape: [number, number]
    batchSize: number | null
    outputUnits: number
    warmup?: number
  }
  history: EpochRecord[]
  bestEpoch: number | null
  stopReason: ManifestStopReason
  metrics: SplitMetricsRecord
  baselines: Partial<Record<'naive' | 'seasonal-naive', SplitMetricsRecord>>
  /**
   * In-sample naive MAE at the experiment's gap over the training rows (`maseScale`): the
   * MASE scale of every forecast this model makes, on any file. Null when unknown (a manifest
   * before version 2) or undefined (a constant training target).
   */
  maseScale: number | null
  /** Where the model trained; null in a checkpoint written before the backend was reported. */
  backend: BackendReport | null
  versions: Record<string, string>
  /**
   * The run's interval calibration, so `predict` draws the same bands in another process:
   * half-widths per horizon step (data units; null = unbounded) at the run's level and at the
   * stored levels, from the validation residuals. Absent in manifests written before intervals
   * and in checkpoints (readers of version 2 ignore it).
   */
  intervals?: ManifestIntervals
}

export type ManifestIntervals = {
  level: number
  method: IntervalMethod
  /** 'relative': the half-widths are shares of |forecast|; absent: absolute (data units). */
  scale?: IntervalScale
  /** Split conformal half-widths from the validation residuals at `level`. */
  radius: (number | null)[]
  samples: number[]
  /**
   * Half-widths of the run's future forecast: with ACI its final state at `level`, which is what
   * `predict` draws at that level (storedCalibration); otherwise equal to `radius`.
   */
  futureRadius: (number | null)[]
  levels: LevelRadius[]
  /**
   * How `levels` were computed: 'aci' = ACI's final state at each level, 'split' = validation
   * half-widths, 'model' = the model's own. Absent in manifests written before it: split (or
   * model with method 'model').
   */
  levelsMethod?: IntervalMethod
}

/** What a manifest records besides the training outcome. */
export interface ManifestInput {
  /** The training file (its `fileColumns` when only some columns were sent). */
  dataset: Dataset
  config: RunConfig
  normalization: NormalizationStats
  trainWindows: number
  maseScale: number
  /** The app's own versions (Seqcast, Node); the backend adds its libraries'. */
  versions: Record<string, string>
}

/** The training outcome so far: final for a finished run, partial for a checkpoint. */
export interface ManifestOutcome {
  history: EpochRecord[]
  bestEpoch: number | null
  stopReason: ManifestStopReason
  metrics: SplitMetricsRecord
  baselines: BaselineReport | null
  backend: BackendReport | null
  /** The run's intervals; absent or null: none stored. */
  intervals?: RunIntervals | null
}

export function manifestFor(
  input: ManifestInput,
  outcome: ManifestOutcome,
  createdAt: Date = new Date(),
): ModelManifest {
  const { dataset, config } = input
  const w = config.experiment.window
  const naive = outcome.baselines?.naive
  const seasonal = outcome.baselines?.['seasonal-naive']
  return {
    format: MANIFEST_FORMAT,
    version: MANIFEST_VERSION,
    name: `${config.model.name} on ${dataset.name}`,
    createdAt: createdAt.toISOString(),
    dataset: {
      name: dataset.name,
      rowCount: dataset.rowCount,
      columns: fileSchema(dataset),
      timeColumn: dataset.timeColumn,
    },
    experiment: config.experiment,
    normalization: input.normalization,
    model: config.model,
    training: config.training,
    inference: {
      inputShape: [w.sequenceLength, inputColumnNames(config.experiment).length],
      batchSize: config.model.stateful ? config.training.batchSize : null,
      outputUnits: outputUnits(config.model, w.horizon),
      ...(config.model.stateful
        ? { warmup: statefulWarmup(input.trainWindows, config.training.batchSize) }
        : {}),
    },
    history: outcome.history,
    bestEpoch: outcome.bestEpoch,
    stopReason: outcome.stopReason,
    metrics: outcome.metrics,
    baselines: {
      ...(naive ? { naive } : {}),
      ...(seasonal ? { 'seasonal-naive': seasonal } : {}),
    },
    maseScale: Number.isFinite(input.maseScale) ? input.maseScale : null,
    backend: outcome.backend,
    versions: { ...input.versions, ...outcome.backend?.versions },
    ...(outcome.intervals ? { intervals: manifestIntervals(outcome.intervals) } : {}),
  }
}

function manifestIntervals(i: RunIntervals): ManifestIntervals {
  return {
    level: i.level,
    method: i.method,
    ...(i.scale === 'relative' ? { scale: i.scale } : {}),
    radius: i.radius,
    samples: i.samples,
    futureRadius: i.futureRadius,
    levels: i.grid,
    ...(i.gridMethod ? { levelsMethod: i.gridMethod } : {}),
  }
}

/** JSON turns NaN into null; metrics read back keep null → NaN. */
const metricNumber = z
  .number()
  .nullable()
  .transform((v) => (v === null ? NaN : v))
const metricsSchema = z.object({
  mae: metricNumber,
  rmse: metricNumber,
  mape: metricNumber,
  smape: metricNumber,
  mase: metricNumber,
  n: z.number(),
})
const splitMetricsSchema = z
  .object({ train: metricsSchema, val: metricsSchema, test: metricsSchema })
  .partial()
const backendName = z.enum(['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'])

export const modelManifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  version: z.number().int().min(1),
  name: z.string(),
  createdAt: z.string(),
  dataset: z.object({
    name: z.string(),
    rowCount: z.number().int().min(0),
    columns: z.array(z.object({ name: z.string(), kind: z.enum(['numeric', 'datetime', 'text']) })),
    timeColumn: z.string().nullable(),
  }),
  experiment: experimentConfigSchema,
  normalization: z.object({
    kind: z.enum(['zscore', 'minmax', 'minmax-sym', 'none']),
    columns: z.array(z.string()),
    center: z.array(z.number()),
    scale: z.array(z.number()),
    constant: z.array(z.string()),
  }),
  model: modelSpecSchema,
  training: trainingConfigSchema,
  inference: z.object({
    inputShape: z.tuple([z.number().int().min(1), z.number().int().min(1)]),
    batchSize: z.number().int().min(1).nullable(),
    outputUnits: z.number().int().min(1),
    warmup: z.number().int().min(0).optional(),
  }),
  history: z.array(
    z.object({
      epoch: z.number(),
      loss: metricNumber,
      valLoss: z.number().nullable(),
      valMae: z.number().nullable(),
      seconds: z.number(),
      samplesPerSecond: z.number(),
      learningRate: z.number(),
    }),
  ),
  bestEpoch: z.number().int().nullable(),
  stopReason: z.enum(['completed', 'early-stopping', 'cancelled', 'nan-loss', 'in-progress']),
  metrics: splitMetricsSchema,
  baselines: z
    .object({ naive: splitMetricsSchema, 'seasonal-naive': splitMetricsSchema })
    .partial(),
  // Absent before version 2 (those manifests have no stored scale: MASE is unknown for them).
  maseScale: z
    .number()
    .nullable()
    .optional()
    .transform((v) => v ?? null),
  // Null in a checkpoint written before the worker reported its backend (version 2 on).
  backend: z
    .object({
      used: backendName,
      skipped: z.partialRecord(backendName, z.string()),
      routed: z.string().optional(),
      forced: z.boolean().optional(),
      versions: z.record(z.string(), z.string()).optional(),
      kernels: z
        .object({
          fused: z.boolean(),
          layers: z.array(z.string()),
          stock: z.array(z.object({ layer: z.string(), reason: z.string() })),
          threads: z.number(),
          reason: z.string().optional(),
          summary: z.string(),
        })
        .optional(),
    })
    .nullable(),
  versions: z.record(z.string(), z.string()),
  intervals: z
    .object({
      level: z.number().gt(0).lt(1),
      method: z.enum(['split', 'aci', 'model']),
      scale: z.enum(['absolute', 'relative']).optional(),
      radius: z.array(z.number().min(0).nullable()),
      samples: z.array(z.number().int().min(0)),
      futureRadius: z.array(z.number().min(0).nullable()),
      levels: z.array(
        z.object({ level: z.number().gt(0).lt(1), radius: z.array(z.number().min(0).nullable()) }),
      ),
      levelsMethod: z.enum(['split', 'aci', 'model']).optional(),
    })
    .optional(),
})

/** Validates a manifest read from a file or IPC; newer versions than this build are refused. */
export function parseManifest(value: unknown, source = 'seqcast.json'): ModelManifest {
  const result = modelManifestSchema.safeParse(value)
  if (!result.success) {
    const format = (value as { format?: unknown } | null)?.format
    const hint =
      format === MANIFEST_FORMAT
        ? ''
        : ' It does not look like a Seqcast manifest: export the model from Seqcast (it writes model.json, weights.bin and seqcast.json).'
    throw new SeqcastError(
      'model-mismatch',
      `${source}: ${describeZodError(result.error, 'manifest')}.${hint}`,
      { file: source, issues: result.error.issues },
    )
  }
  if (result.data.version > MANIFEST_VERSION) {
    throw new SeqcastError(
      'model-mismatch',
      `${source}: manifest version ${result.data.version} is newer than this Seqcast understands (${MANIFEST_VERSION}). Update Seqcast to read it.`,
      { file: source, version: result.data.version },
    )
  }
  const manifest = result.data as ModelManifest
  checkManifest(manifest, source)
  return manifest
}

/**
 * What the parts of a manifest must agree on, so that a hand-edited or mismatched `seqcast.json`
 * is refused with the fields at fault instead of failing later inside the engine.
 */
export function checkManifest(manifest: ModelManifest, source = 'seqcast.json'): void {
  const { experiment, inference, model } = manifest
  const w = experiment.window
  const refuse = (problem: string, details: Record<string, unknown>): never => {
    throw new SeqcastError(
      'model-mismatch',
      `${source}: ${problem} The file was edited or belongs to another model: export the model again.`,
      { file: source, ...details },
    )
  }
  const [steps, features] = inference.inputShape
  if (steps !== w.sequenceLength) {
    refuse(
      `the windows have ${w.sequenceLength} rows (experiment.window.sequenceLength), but the model's input takes ${steps} (inference.inputShape).`,
      { setting: 'sequenceLength', expected: steps, received: w.sequenceLength },
    )
  }
  if (experiment.transform === 'auto' || experiment.calendar === 'auto') {
    refuse('experiment.transform and experiment.calendar hold what was chosen, not "auto".', {
      setting: experiment.transform === 'auto' ? 'transform' : 'calendar',
    })
  }
  // A model's one-hot columns hold the categories fixed at setup: predict encodes with them.
  const open = (experiment.oneHot ?? []).find((s) => s.categories.length < 2)
  if (open) {
    refuse(
      `experiment.oneHot lists the column "${open.column}" with ${open.categories.length} categor${open.categories.length === 1 ? 'y' : 'ies'}; a model stores the 2 or more it was trained with.`,
      { setting: 'oneHot', column: open.column },
    )
  }
  const inputs = inputColumnNames(experiment)
  if (features !== inputs.length) {
    const parts = ['experiment.features']
    if (calendarOf(experiment).length > 0) parts.push('experiment.calendar')
    if ((experiment.oneHot ?? []).length > 0) parts.push('experiment.oneHot')
    refuse(
      `the model's input takes ${features} feature${features === 1 ? '' : 's'} (inference.inputShape), but ${parts.length === 1 ? `experiment.features lists ${inputs.length}` : `${parts.join(' and ')} make ${inputs.length}`}.`,
      { setting: 'features', expected: features, received: inputs.length },
    )
  }
  const units = outputUnits(model, w.horizon)
  if (inference.outputUnits !== units) {
    refuse(
      `the model has ${inference.outputUnits} output${inference.outputUnits === 1 ? '' : 's'} (inference.outputUnits), but a ${model.head.kind} head with a horizon of ${w.horizon} has ${units}.`,
      { setting: 'horizon', expected: units, received: inference.outputUnits },
    )
  }
  if (gapAfterWindow(w) < 1) {
    const least = (w.sequenceLength - 1) * w.samplingRate + 1
    refuse(
      `a delay of ${w.delay} rows puts the target inside the window (${w.sequenceLength} rows at sampling rate ${w.samplingRate} need a delay of at least ${least}).`,
      { setting: 'delay', expected: least, received: w.delay },
    )
  }
  const learned = learnedTargetName(experiment.target, transformOf(experiment))
  for (const column of new Set([...inputs, experiment.target, learned])) {
    if (!manifest.normalization.columns.includes(column)) {
      refuse(
        `the experiment reads column "${column}", but the normalization has no statistics for it.`,
        {
          column,
        },
      )
    }
  }
  const intervals = manifest.intervals
  if (intervals) {
    const lengths = [
      intervals.radius,
      intervals.futureRadius,
      ...intervals.levels.map((l) => l.radius),
    ]
    if (lengths.some((r) => r.length !== w.horizon)) {
      refuse(
        `the interval half-widths (intervals) must hold one value per horizon step (${w.horizon}).`,
        { setting: 'intervals', expected: w.horizon },
      )
    }
  }
  if (model.stateful && inference.batchSize === null) {
    refuse(
      'the model is stateful, but inference.batchSize is null (a stateful model keeps its batch size).',
      {
        setting: 'batchSize',
      },
    )
  }
}

/**
 * A model package (`seqcast.json` + `model.json` + `weights.bin`) checked as a whole, wherever it
 * comes from: a folder or .zip read by the CLI or the app, or a package crossing the IPC boundary.
 * The manifest is validated against its schema; the tfjs topology must take the windows and give
 * the outputs the manifest describes; the weights must have the size model.json declares and hold
 * only finite numbers (a model that diverged to NaN would otherwise forecast NaN silently).
 */
import { z } from 'zod'
import { SeqcastError } from '../errors'
import { parseManifest } from '../manifest'
import type { ModelPackage, TfjsModelJson } from '../run'
import { describeZodError } from './validate'

const DTYPE_BYTES = { float32: 4, int32: 4, bool: 1, uint8: 1 } as const

const weightSpecSchema = z.object({
  name: z.string().max(1000),
  shape: z.array(z.number().int().min(0)).max(16),
  dtype: z.string().max(20),
})

/** model.json as tfjs writes it (only the parts Seqcast reads are constrained). */
export const tfjsModelJsonSchema = z.object({
  format: z.string().optional(),
  generatedBy: z.string().optional(),
  convertedBy: z.string().nullable().optional(),
  modelTopology: z.record(z.string(), z.unknown()),
  weightsManifest: z
    .array(
      z.object({
        paths: z.array(z.string().max(1000)).max(10_000),
        weights: z.array(weightSpecSchema).max(100_000),
      }),
    )
    .max(10_000),
})

/**
 * A package as it crosses the IPC boundary: structure here, the cross-checks in the transform.
 * The manifest is parsed exactly as when read from seqcast.json (NaN metrics travel as null).
 */
export const modelPackageSchema = z
  .object({
    manifest: z.record(z.string(), z.unknown()),
    // null with `stats` for a statistical model (seqcast.json + stats.json, no tfjs files).
    modelJson: tfjsModelJsonSchema.nullable(),
    weights: z.custom<Uint8Array>(
      (v) => v instanceof Uint8Array,
      'expected the bytes of weights.bin',
    ),
    stats: z.string().max(50_000_000).optional(),
  })
  .strict()
  .transform((value, ctx): ModelPackage => {
    try {
      if (value.modelJson === null || value.stats !== undefined)
        return checkStatisticalPackage(value, 'the model package')
      return checkModelPackage(
        {
          manifest: value.manifest,
          modelJson: value.modelJson,
          weights: value.weights,
        },
        'the model package',
      )
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message })
      return z.NEVER
    }
  })

/** The layer configs of a Sequential topology, in order (empty when it is not one). */
function layerConfigs(topology: Record<string, unknown>): Record<string, unknown>[] {
  const config = topology.config as { layers?: unknown } | unknown[] | undefined
  const layers = Array.isArray(config) ? config : (config as { layers?: unknown })?.layers
  if (!Array.isArray(layers)) return []
  return layers.map((l) => ((l as { config?: unknown })?.config ?? {}) as Record<string, unknown>)
}

/** [batch, steps, features] of the first layer (its `batch_input_shape`), if declared. */
export function topologyInputShape(modelJson: TfjsModelJson): (number | null)[] | null {
  const first = layerConfigs(modelJson.modelTopology)[0]
  const shape = first?.batch_input_shape ?? first?.batchInputShape
  return Array.isArray(shape) ? (shape as (number | null)[]) : null
}

/** Units of the last layer that has them (the Dense head). */
export function topologyOutputUnits(modelJson: TfjsModelJson): number | null {
  const layers = layerConfigs(modelJson.modelTopology)
  for (let i = layers.length - 1; i >= 0; i--) {
    if (typeof layers[i].units === 'number') return layers[i].units as number
  }
  return null
}

/** Bytes weights.bin must have for the weights model.json lists. */
export function expectedWeightBytes(modelJson: TfjsModelJson): number {
  let bytes = 0
  for (const w of modelJson.weightsManifest.flatMap((g) => g.weights)) {
    bytes +=
      w.shape.reduce((a, b) => a * b, 1) * (DTYPE_BYTES[w.dtype as keyof typeof DTYPE_BYTES] ?? 4)
  }
  return bytes
}

/** The first weight tensor holding NaN or ±Infinity, with how many such values it holds. */
export function nonFiniteWeights(
  modelJson: TfjsModelJson,
  weights: Uint8Array,
): { name: string; count: number; size: number } | null {
  // Copy into an aligned buffer once: weights.bin may be a view at any offset.
  const aligned = new Uint8Array(weights.byteLength)
  aligned.set(weights)
  let at = 0
  for (const w of modelJson.weightsManifest.flatMap((g) => g.weights)) {
    const size = w.shape.reduce((a, b) => a * b, 1)
    const width = DTYPE_BYTES[w.dtype as keyof typeof DTYPE_BYTES] ?? 4
    if (w.dtype === 'float32' && at + size * 4 <= aligned.byteLength) {
      const values = new Float32Array(aligned.buffer, at, size)
      let count = 0
      for (let i = 0; i < size; i++) if (!Number.isFinite(values[i])) count++
      if (count > 0) return { name: w.name, count, size }
    }
    at += size * width
  }
  return null
}

/**
 * Checks that the three parts of a package belong together; returns it with the manifest parsed.
 * `source` names the folder, zip or package in every message.
 */
export function checkModelPackage(
  pkg: { manifest: unknown; modelJson: unknown; weights: Uint8Array },
  source: string,
): ModelPackage {
  const refuse = (problem: string, details: Record<string, unknown> = {}): never => {
    throw new SeqcastError('model-mismatch', `${source}: ${problem}`, { file: source, ...details })
  }
  const parsedJson = tfjsModelJsonSchema.safeParse(pkg.modelJson)
  if (!parsedJson.success) {
    refuse(
      `model.json is not a TensorFlow.js layers model (${describeZodError(parsedJson.error, 'model.json')}). Export the model again from Seqcast.`,
    )
  }
  const modelJson = parsedJson.data as TfjsModelJson
  // Parsed as seqcast.json is: through JSON, so NaN metrics of a package in memory read as null.
  const manifest = parseManifest(jsonRoundTrip(pkg.manifest), `${source} (seqcast.json)`)
  const again = 'The files belong to different models or were edited: export the model again.'

  const unknownType = modelJson.weightsManifest
    .flatMap((g) => g.weights)
    .find((w) => !(w.dtype in DTYPE_BYTES))
  if (unknownType) {
    refuse(
      `model.json stores weight "${unknownType.name}" as ${unknownType.dtype}; expected one of ${Object.keys(DTYPE_BYTES).join(', ')}. Export the model again from Seqcast.`,
    )
  }
  const expected = expectedWeightBytes(modelJson)
  if (expected !== pkg.weights.byteLength) {
    refuse(
      `weights.bin: expected ${expected} bytes of weights for the layers in model.json, received ${pkg.weights.byteLength}. ${again}`,
      { expected, received: pkg.weights.byteLength },
    )
  }

  const [steps, features] = manifest.inference.inputShape
  const shape = topologyInputShape(modelJson)
  if (!shape || shape.length !== 3) {
    refuse(
      `model.json does not declare its input shape (batch_input_shape of the first layer). ${again}`,
    )
  }
  const [batch, jsonSteps, jsonFeatures] = shape as (number | null)[]
  if (jsonSteps !== steps || jsonFeatures !== features) {
    refuse(
      `model.json takes windows of ${jsonSteps} rows × ${jsonFeatures} feature${jsonFeatures === 1 ? '' : 's'}, but seqcast.json describes ${steps} rows (experiment.window.sequenceLength) × ${features} feature${features === 1 ? '' : 's'} (experiment.features). ${again}`,
      {
        setting: jsonSteps !== steps ? 'sequenceLength' : 'features',
        expected: jsonSteps !== steps ? jsonSteps : jsonFeatures,
        received: jsonSteps !== steps ? steps : features,
      },
    )
  }
  if (manifest.model.stateful && batch !== manifest.inference.batchSize) {
    refuse(
      `model.json is built for batches of ${batch ?? 'any size'}, but seqcast.json describes a stateful model with batches of ${manifest.inference.batchSize} (inference.batchSize). ${again}`,
      { setting: 'batchSize', expected: batch, received: manifest.inference.batchSize },
    )
  }
  const units = topologyOutputUnits(modelJson)
  if (units !== manifest.inference.outputUnits) {
    refuse(
      `model.json gives ${units ?? 'no'} output${units === 1 ? '' : 's'} per window, but seqcast.json expects ${manifest.inference.outputUnits} (inference.outputUnits, from the horizon ${manifest.experiment.window.horizon}). ${again}`,
      { setting: 'horizon', expected: units, received: manifest.inference.outputUnits },
    )
  }

  const bad = nonFiniteWeights(modelJson, pkg.weights)
  if (bad) {
    refuse(
      `the model's weights hold NaN or infinite values (${bad.count} of ${bad.size} in "${bad.name}"), so every forecast would be NaN. Train the model again (a lower learning rate, or clipping, keeps the loss finite).`,
      { weight: bad.name, nonFinite: bad.count },
    )
  }
  return { manifest, modelJson, weights: pkg.weights }
}

/**
 * A statistical model's package: seqcast.json naming a statistical model, and its stats.json (as
 * text) naming the same kind, with no tfjs files. stats.json's parameters are read (and checked)
 * by the core's stats reader when the model forecasts.
 */
export function checkStatisticalPackage(
  pkg: { manifest: unknown; modelJson: unknown; weights: Uint8Array; stats?: string },
  source: string,
): ModelPackage {
  const refuse = (problem: string): never => {
    throw new SeqcastError('model-mismatch', `${source}: ${problem}`, { file: source })
  }
  const manifest = parseManifest(jsonRoundTrip(pkg.manifest), `${source} (seqcast.json)`)
  const kind = manifest.model.statistical?.kind
  if (!kind)
    refuse(
      `seqcast.json describes the window model "${manifest.model.name}", but the package holds no model.json. Export the model again.`,
    )
  if (pkg.modelJson !== null || pkg.weights.byteLength !== 0)
    refuse(`a statistical model holds no model.json or weights. Export the model again.`)
  if (pkg.stats === undefined)
    refuse(
      `the manifest names a statistical model, but its stats.json is missing. Export the model again.`,
    )
  let parsed: unknown
  try {
    parsed = JSON.parse(pkg.stats as string)
  } catch {
    refuse('stats.json is not valid JSON. Export the model again.')
  }
  // stats.json: {format, model: {kind, …}}
  const statsKind = (parsed as { model?: { kind?: unknown } } | null)?.model?.kind
  if (statsKind !== kind)
    refuse(
      `stats.json holds a model of kind "${String(statsKind)}", but seqcast.json describes one of kind "${kind}". The files do not belong together; export the model again.`,
    )
  return { manifest, modelJson: null, weights: pkg.weights, stats: pkg.stats }
}

function jsonRoundTrip(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value))
}

/**
 * Exported models as files: tfjs layers format (`model.json` + `weights.bin`, loadable by stock
 * `tf.loadLayersModel`) plus Seqcast's manifest (`seqcast.json`), as a folder or one `.zip`.
 * No TensorFlow.js here (see tf-artifacts.ts for model ⇄ artifacts), so the main process can
 * read and write model files without loading tfjs.
 */
import { unzipSync, zipSync } from 'fflate'
import { SeqcastError } from '../../shared/errors'
import { formatBytes, LIMITS } from '../../shared/ipc/limits'
import { checkModelPackage } from '../../shared/models/package-check'
import { parseManifest } from '../../shared/manifest'
import type { ModelPackage, TfjsModelJson } from '../../shared/run'
import { STATS_FILE, statsFromJson } from '../stats/stats-json'

export const MODEL_JSON = 'model.json'
export const WEIGHTS_BIN = 'weights.bin'
export const MANIFEST_JSON = 'seqcast.json'
/** The parameters and initial state of a statistical model (no model.json, no weights.bin). */
export const STATS_JSON = STATS_FILE
/** Every file a model package may hold, window or statistical. */
export const PACKAGE_FILES: readonly string[] = [MODEL_JSON, WEIGHTS_BIN, MANIFEST_JSON, STATS_JSON]

/** What the worker sends: the tfjs artifacts of a model. */
export interface WorkerArtifacts {
  modelJson: TfjsModelJson
  weights: ArrayBuffer
}

/** model.json as `tf.io` writes it, pointing at one `weights.bin`. */
export function modelJsonFrom(
  modelTopology: unknown,
  weightSpecs: { name: string; shape: number[]; dtype: string }[],
  generatedBy: string,
): TfjsModelJson {
  return {
    format: 'layers-model',
    generatedBy,
    convertedBy: null,
    modelTopology: modelTopology as Record<string, unknown>,
    weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: weightSpecs }],
  }
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/**
 * The files of a model package, as bytes: model.json, weights.bin and seqcast.json for a window
 * model; stats.json and seqcast.json for a statistical one.
 */
export function packageFiles(pkg: ModelPackage): Record<string, Uint8Array> {
  if (pkg.stats !== undefined || pkg.modelJson === null) {
    return {
      [STATS_JSON]: encoder.encode(pkg.stats ?? ''),
      [MANIFEST_JSON]: encoder.encode(JSON.stringify(pkg.manifest, null, 2)),
    }
  }
  return {
    [MODEL_JSON]: encoder.encode(JSON.stringify(pkg.modelJson)),
    [WEIGHTS_BIN]: pkg.weights,
    [MANIFEST_JSON]: encoder.encode(JSON.stringify(pkg.manifest, null, 2)),
  }
}

/** A package from its files; `source` names the folder or zip in every message. */
export function packageFromFiles(
  files: Record<string, Uint8Array | undefined>,
  source: string,
): ModelPackage {
  const need = (name: string): Uint8Array => {
    const bytes = files[name]
    if (!bytes) {
      throw new SeqcastError(
        'model-mismatch',
        `${source}: ${name} is missing. A Seqcast model holds ${MODEL_JSON}, ${WEIGHTS_BIN} and ${MANIFEST_JSON} (a statistical model ${STATS_JSON} and ${MANIFEST_JSON}); export it again from Seqcast.`,
        { file: source, missing: name },
      )
    }
    return bytes
  }
  if (files[STATS_JSON] && !files[MODEL_JSON]) return statsPackageFromFiles(files, source)
  const modelJson = parseJson(need(MODEL_JSON), `${source}/${MODEL_JSON}`) as TfjsModelJson
  if (
    !modelJson ||
    typeof modelJson !== 'object' ||
    !modelJson.modelTopology ||
    !Array.isArray(modelJson.weightsManifest)
  ) {
    throw new SeqcastError(
      'model-mismatch',
      `${source}/${MODEL_JSON}: expected a TensorFlow.js layers model (modelTopology and weightsManifest), received something else.`,
      { file: `${source}/${MODEL_JSON}` },
    )
  }
  const weightPaths = modelJson.weightsManifest.flatMap((g) => g.paths)
  let weights: Uint8Array
  if (weightPaths.length === 1 && baseName(weightPaths[0]) === WEIGHTS_BIN) {
    weights = need(WEIGHTS_BIN)
  } else {
    // Shards written by other tools: concatenate in manifest order into one weights.bin.
    const parts = weightPaths.map((p) => need(baseName(p)))
    weights = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0))
    let at = 0
    for (const p of parts) {
      weights.set(p, at)
      at += p.byteLength
    }
    modelJson.weightsManifest = [
      { paths: [`./${WEIGHTS_BIN}`], weights: modelJson.weightsManifest.flatMap((g) => g.weights) },
    ]
  }
  // Schema of all three files, and that they agree (shapes, horizon, weight size, finite weights).
  return checkModelPackage(
    { manifest: parseJson(need(MANIFEST_JSON), `${source}/${MANIFEST_JSON}`), modelJson, weights },
    source,
  )
}

/** A statistical model's package: seqcast.json naming a statistical model, and its stats.json. */
function statsPackageFromFiles(
  files: Record<string, Uint8Array | undefined>,
  source: string,
): ModelPackage {
  const manifestBytes = files[MANIFEST_JSON]
  if (!manifestBytes) {
    throw new SeqcastError(
      'model-mismatch',
      `${source}: ${MANIFEST_JSON} is missing. A Seqcast statistical model holds ${STATS_JSON} and ${MANIFEST_JSON}; export it again from Seqcast.`,
      { file: source, missing: MANIFEST_JSON },
    )
  }
  const manifest = parseManifest(
    parseJson(manifestBytes, `${source}/${MANIFEST_JSON}`),
    `${source}/${MANIFEST_JSON}`,
  )
  const stats = decoder.decode(files[STATS_JSON])
  const fitted = statsFromJson(stats, `${source}/${STATS_JSON}`)
  const kind = manifest.model.statistical?.kind
  if (kind !== fitted.kind) {
    throw new SeqcastError(
      'model-mismatch',
      `${source}: ${STATS_JSON} holds a model of kind "${fitted.kind}", but ${MANIFEST_JSON} describes ${kind ? `one of kind "${kind}"` : `the window model "${manifest.model.name}"`}. The files do not belong together; export the model again.`,
      { file: source, expected: kind ?? 'window model', received: fitted.kind },
    )
  }
  return { manifest, modelJson: null, weights: new Uint8Array(0), stats }
}

export function zipPackage(pkg: ModelPackage): Uint8Array {
  const files = packageFiles(pkg)
  return zipSync(files, { level: 6, mtime: new Date(pkg.manifest.createdAt || Date.now()) })
}

/**
 * Reads a zip holding the three files, at its root or in one folder. Only the model's files are
 * unpacked, and only while their declared sizes stay within `maxUnpacked` bytes (fflate inflates
 * each entry into a buffer of its declared size, so a zip bomb cannot grow past it).
 */
export function unzipPackage(
  bytes: Uint8Array,
  source: string,
  maxUnpacked: number = LIMITS.unzippedModelBytes,
): ModelPackage {
  let entries: Record<string, Uint8Array>
  let unpacked = 0
  const wanted = (name: string) => {
    const base = baseName(name)
    return (
      base === MODEL_JSON || base === MANIFEST_JSON || base === STATS_JSON || base.endsWith('.bin')
    )
  }
  try {
    entries = unzipSync(bytes, {
      filter: (file) => {
        if (!wanted(file.name)) return false
        unpacked += file.originalSize
        if (unpacked > maxUnpacked) {
          throw new SeqcastError(
            'model-mismatch',
            `${source}: the zip unpacks to more than ${formatBytes(maxUnpacked)}, more than a Seqcast model may have. It is not a Seqcast model (or it is damaged); export the model again.`,
            { file: source, limit: maxUnpacked },
          )
        }
        return true
      },
    })
  } catch (error) {
    if (error instanceof SeqcastError) throw error
    throw new SeqcastError(
      'model-mismatch',
      `${source}: not a readable .zip file (${(error as Error).message}).`,
      {
        file: source,
      },
    )
  }
  const files: Record<string, Uint8Array> = {}
  for (const [path, data] of Object.entries(entries)) {
    if (path.endsWith('/')) continue
    files[baseName(path)] = data
  }
  return packageFromFiles(files, source)
}

export function isZip(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 &&
    bytes[0] === 0x50 &&
    bytes[1] === 0x4b &&
    bytes[2] === 0x03 &&
    bytes[3] === 0x04
  )
}

/** Exactly the bytes of `weights` as an ArrayBuffer (copied when it is a view). */
export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  if (
    bytes.byteOffset === 0 &&
    bytes.byteLength === bytes.buffer.byteLength &&
    bytes.buffer instanceof ArrayBuffer
  ) {
    return bytes.buffer
  }
  return bytes.slice().buffer as ArrayBuffer
}

function parseJson(bytes: Uint8Array, source: string): unknown {
  try {
    return JSON.parse(decoder.decode(bytes))
  } catch (error) {
    throw new SeqcastError(
      'model-mismatch',
      `${source}: not valid JSON (${(error as Error).message}).`,
      { file: source },
    )
  }
}

function baseName(path: string): string {
  const parts = path.split(/[\\/]/)
  return parts[parts.length - 1]
}

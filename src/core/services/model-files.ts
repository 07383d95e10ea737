/**
 * Exported models on disk: a folder (model.json, weights.bin, seqcast.json) or one .zip with
 * the same files. Reading accepts the folder, the zip, or the path of any of the three files.
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { SeqcastError } from '../../shared/errors'
import type { ModelPackage } from '../../shared/run'
import {
  isZip,
  MANIFEST_JSON,
  MODEL_JSON,
  packageFiles,
  packageFromFiles,
  STATS_JSON,
  unzipPackage,
  WEIGHTS_BIN,
  zipPackage,
} from '../engine/artifacts'

function ioError(path: string, error: unknown, action: string): SeqcastError {
  const code = (error as NodeJS.ErrnoException)?.code
  const reason =
    code === 'ENOENT'
      ? 'it does not exist'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'ENOSPC'
          ? 'the disk is full'
          : (error as Error)?.message
  return new SeqcastError('io', `Cannot ${action} ${path}: ${reason}.`, { path, code })
}

/** Writes the package's files into `dir` (created if needed); returns their paths. */
export async function writeModelFolder(dir: string, pkg: ModelPackage): Promise<string[]> {
  try {
    await mkdir(dir, { recursive: true })
    const written: string[] = []
    for (const [name, bytes] of Object.entries(packageFiles(pkg))) {
      const path = join(dir, name)
      await writeFile(path, bytes)
      written.push(path)
    }
    return written
  } catch (error) {
    throw ioError(dir, error, 'write the model folder')
  }
}

export function zipModel(pkg: ModelPackage): Uint8Array {
  return zipPackage(pkg)
}

export async function writeModelZip(path: string, pkg: ModelPackage): Promise<string> {
  try {
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, zipModel(pkg))
    return path
  } catch (error) {
    throw ioError(path, error, 'write the model zip')
  }
}

/** Reads a model folder, a .zip, or the folder of a given model.json / seqcast.json. */
export async function readModel(path: string): Promise<ModelPackage> {
  let info
  try {
    info = await stat(path)
  } catch (error) {
    throw ioError(path, error, 'read the model at')
  }
  if (info.isFile()) {
    const name = basename(path)
    if (
      name === MODEL_JSON ||
      name === MANIFEST_JSON ||
      name === WEIGHTS_BIN ||
      name === STATS_JSON
    )
      return readModel(dirname(path))
    let bytes: Uint8Array
    try {
      bytes = await readFile(path)
    } catch (error) {
      throw ioError(path, error, 'read')
    }
    if (!isZip(bytes)) {
      throw new SeqcastError(
        'model-mismatch',
        `${path}: expected a Seqcast model folder or .zip (holding ${MODEL_JSON}, ${WEIGHTS_BIN} and ${MANIFEST_JSON}).`,
        { path },
      )
    }
    return unzipPackage(bytes, name)
  }
  let names: string[]
  try {
    names = await readdir(path)
  } catch (error) {
    throw ioError(path, error, 'read the folder')
  }
  const files: Record<string, Uint8Array> = {}
  for (const name of names) {
    if (
      name === MODEL_JSON ||
      name === MANIFEST_JSON ||
      name === STATS_JSON ||
      name.endsWith('.bin')
    ) {
      files[name] = await readFile(join(path, name))
    }
  }
  return packageFromFiles(files, path)
}

/**
 * Exported models on disk: a folder (model.json, weights.bin, seqcast.json) or one .zip with
 * the same files. Reading accepts the folder, the zip, or the path of any of the three files.
 */
import { readdir, readFile, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { SeqcastError } from '../../shared/errors'
import type { ModelPackage } from '../../shared/run'
import {
  isZip,
  MANIFEST_JSON,
  MODEL_JSON,
  packageFiles,
  packageFromFiles,
  unzipPackage,
  WEIGHTS_BIN,
  zipPackage,
} from '../engine/artifacts'
import { makeDirs, writeFileAtomic } from '../files/atomic-write'

function ioError(path: string, error: unknown, action: string): SeqcastError {
  if (error instanceof SeqcastError) return error // already names its path (atomic writes)
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

/**
 * Writes the three files into `dir` (created if needed), each atomically (temporary file +
 * rename), so a full disk never leaves a truncated one; returns their paths.
 */
export async function writeModelFolder(dir: string, pkg: ModelPackage): Promise<string[]> {
  try {
    await makeDirs(dir)
    const written: string[] = []
    for (const [name, bytes] of Object.entries(packageFiles(pkg))) {
      const path = join(dir, name)
      await writeFileAtomic(path, bytes)
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
    await writeFileAtomic(path, zipModel(pkg))
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
    if (name === MODEL_JSON || name === MANIFEST_JSON || name === WEIGHTS_BIN)
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
    if (name === MODEL_JSON || name === MANIFEST_JSON || name.endsWith('.bin')) {
      files[name] = await readFile(join(path, name))
    }
  }
  return packageFromFiles(files, path)
}

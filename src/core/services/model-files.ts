/**
 * Exported models on disk: a folder (model.json, weights.bin, seqcast.json) or one .zip with
 * the same files. Reading accepts the folder, the zip, or the path of any of the three files;
 * every file is opened as a regular file within a size limit, a zip unpacks within a limit, and
 * the package is checked as a whole (shapes, horizon, finite weights) before anyone uses it.
 */
import { readdir, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { SeqcastError } from '../../shared/errors'
import { LIMITS } from '../../shared/ipc/limits'
import type { ModelPackage } from '../../shared/run'
import {
  isZip,
  MANIFEST_JSON,
  MODEL_JSON,
  PACKAGE_FILES,
  packageFiles,
  packageFromFiles,
  STATS_JSON,
  unzipPackage,
  WEIGHTS_BIN,
  zipPackage,
} from '../engine/artifacts'
import { makeDirs, writeFileAtomic } from '../files/atomic-write'
import { checkWriteTarget, ioError, openRegularFile } from '../transport/file-policy'

/**
 * Writes the three files into `dir` (created if needed), each atomically (temporary file +
 * rename), so a full disk never leaves a truncated one; returns their paths.
 */
export async function writeModelFolder(dir: string, pkg: ModelPackage): Promise<string[]> {
  await checkWriteTarget(dir, dir, 'folder')
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
  await checkWriteTarget(path, path, 'file')
  try {
    await writeFileAtomic(path, zipModel(pkg))
    return path
  } catch (error) {
    throw ioError(path, error, 'write the model zip')
  }
}

/** A regular file's bytes, within `maxBytes`. */
async function readRegular(path: string, display: string, maxBytes: number): Promise<Uint8Array> {
  const { handle, size } = await openRegularFile(path, { display, maxBytes, what: 'model file' })
  try {
    const bytes = new Uint8Array(size)
    let at = 0
    while (at < size) {
      const { bytesRead } = await handle.read(bytes, at, size - at, at)
      if (bytesRead === 0) break
      at += bytesRead
    }
    return at === size ? bytes : bytes.subarray(0, at)
  } catch (error) {
    throw ioError(display, error, 'read')
  } finally {
    await handle.close().catch(() => undefined)
  }
}

/**
 * Reads a model folder, a .zip, or the folder of a given model.json / seqcast.json. `display`
 * names it in messages (an upload's own name rather than its temp path).
 */
export async function readModel(path: string, display = path): Promise<ModelPackage> {
  let info
  try {
    info = await stat(path)
  } catch (error) {
    throw ioError(display, error, 'read the model at')
  }
  if (!info.isDirectory()) {
    const name = basename(path)
    if (PACKAGE_FILES.includes(name))
      return readModel(dirname(path), display === path ? dirname(path) : basename(dirname(path)))
    const bytes = await readRegular(path, display, LIMITS.modelZipBytes)
    if (!isZip(bytes)) {
      throw new SeqcastError(
        'model-mismatch',
        `${display}: expected a Seqcast model folder or .zip (holding ${MANIFEST_JSON} with ${MODEL_JSON} and ${WEIGHTS_BIN}, or with ${STATS_JSON}).`,
        { file: display },
      )
    }
    return unzipPackage(bytes, display === path ? name : display)
  }
  let names: string[]
  try {
    names = await readdir(path)
  } catch (error) {
    throw ioError(display, error, 'read the folder')
  }
  const files: Record<string, Uint8Array> = {}
  let total = 0
  for (const name of names) {
    // Shards written by other tools (`group1-shard1of2.bin`) are joined by packageFromFiles.
    if (PACKAGE_FILES.includes(name) || name.endsWith('.bin')) {
      const bytes = await readRegular(
        join(path, name),
        `${display}/${name}`,
        LIMITS.unzippedModelBytes - total,
      )
      total += bytes.byteLength
      files[name] = bytes
    }
  }
  return packageFromFiles(files, display)
}

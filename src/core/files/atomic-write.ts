/**
 * Writing output files so that a reader never sees half of one: each file is written to a
 * temporary file in the same folder, flushed, then renamed over the target (a rename within one
 * file system is atomic). A full disk or a crash leaves the previous file, or none, never a
 * truncated `seqcast.json` that `predict` would then reject.
 *
 * Folders are created one level at a time instead of with `mkdir({ recursive: true })`: Node's
 * recursive mkdir retries forever on file systems that answer ENOENT for a folder whose parent
 * exists (`/proc/foo`), which hung `--out /proc/foo` at full CPU.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { SeqcastError } from '../../shared/errors'
import { refuseSystemPath } from './system-paths'
import { ioReason } from './io-reasons'

/** An `io` error naming the path and why it cannot be written. */
export function writeError(
  path: string,
  error: unknown,
  action = 'write',
  details: Record<string, unknown> = {},
): SeqcastError {
  if (error instanceof SeqcastError) return error
  const code = (error as NodeJS.ErrnoException)?.code
  return new SeqcastError('io', `Cannot ${action} ${path}: ${ioReason(error, 'write')}.`, {
    path,
    code,
    ...details,
  })
}

/** Creates `dir` and any missing parents, one level at a time; fails fast where it cannot. */
export async function makeDirs(dir: string): Promise<void> {
  const path = resolve(dir)
  try {
    const info = await stat(path)
    if (info.isDirectory()) return
    const e = new Error(`${path} is a file`) as NodeJS.ErrnoException
    e.code = 'ENOTDIR'
    throw e
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  const parent = dirname(path)
  if (parent === path) return // the root: stat said it is missing, mkdir below reports why
  await makeDirs(parent)
  try {
    await mkdir(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
}

/** The temporary name a write goes through: hidden, in the same folder, unique per write. */
function tempPath(path: string): string {
  return join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  )
}

/**
 * Writes `data` to `path` atomically (temporary file in the same folder, flush, rename), creating
 * the folder. On any failure the temporary file is removed and `path` is left as it was.
 * Throws SeqcastError kind 'io' naming the path and the reason.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const target = resolve(path)
  try {
    await makeDirs(dirname(target))
  } catch (error) {
    throw writeError(dirname(target), error, 'create the folder')
  }
  const temp = tempPath(target)
  try {
    const handle = await open(temp, 'wx')
    try {
      await handle.writeFile(data)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temp, target)
  } catch (error) {
    await unlink(temp).catch(() => undefined)
    throw writeError(target, error)
  }
}

/**
 * Proves, without leaving anything behind, that `dir` could be created and written: its nearest
 * existing ancestor must be a folder that accepts a new file (written and removed at once).
 */
async function probe(dir: string): Promise<void> {
  let existing = resolve(dir)
  for (;;) {
    const info = await stat(existing).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null
      throw error
    })
    if (info) {
      if (info.isDirectory()) break
      const e = new Error(`${existing} is a file`) as NodeJS.ErrnoException
      e.code = 'ENOTDIR'
      throw e
    }
    const parent = dirname(existing)
    if (parent === existing) break
    existing = parent
  }
  const path = tempPath(join(existing, 'seqcast-write-check'))
  const handle = await open(path, 'wx')
  await handle.close()
  await unlink(path)
}

/**
 * Checks, before any work, that `dir` can hold the outputs: it is a folder or can be created
 * (it is not created here), and files can be written in it. `option` names the setting.
 */
export async function prepareOutputDir(dir: string, option = '--out'): Promise<void> {
  const path = resolve(dir)
  const fail = (message: string, error?: unknown): never => {
    throw new SeqcastError('io', `${option}: ${message}`, {
      path,
      option: option.replace(/^--/, ''),
      output: true,
      code: (error as NodeJS.ErrnoException | undefined)?.code,
    })
  }
  await refuseSystemPath(path, path, 'write into', option)
  const info = await stat(path).catch(() => null)
  if (info && !info.isDirectory()) {
    fail(
      `${path} is an existing file, but a folder is expected (it receives model/, forecasts.csv and metrics.json). Choose a new folder, or remove the file.`,
    )
  }
  try {
    await probe(path)
  } catch (error) {
    fail(
      `cannot write into ${path}: ${ioReason(error, 'write')}. Choose a folder you can write to.`,
      error,
    )
  }
}

/**
 * Checks, before any work, that the file `path` can be written: it is not a folder, and its
 * folder exists or could be created and accepts new files. An existing file is replaced later.
 */
export async function prepareOutputFile(path: string, option = '--out'): Promise<void> {
  const target = resolve(path)
  const fail = (message: string, error?: unknown): never => {
    throw new SeqcastError('io', `${option}: ${message}`, {
      path: target,
      option: option.replace(/^--/, ''),
      output: true,
      code: (error as NodeJS.ErrnoException | undefined)?.code,
    })
  }
  await refuseSystemPath(target, target, 'write', option)
  const info = await stat(target).catch(() => null)
  if (info?.isDirectory()) {
    fail(
      `${target} is a folder, but a file name is expected. Name a file, e.g. ${join(target, 'forecasts.csv')}.`,
    )
  }
  try {
    await probe(dirname(target))
  } catch (error) {
    fail(
      `cannot write ${target}: ${ioReason(error, 'write')}. Choose a folder you can write to.`,
      error,
    )
  }
}

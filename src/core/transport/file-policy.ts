/**
 * What a transport may read or write once the user has chosen a file: regular files only (a FIFO
 * or a device would block a libuv thread for ever, so files are opened non-blocking and checked
 * before any read), within a size limit, and never anything under the kernel's pseudo file
 * systems (a write under /proc can spin for ever; /sys and /dev are not data).
 */
import { constants } from 'node:fs'
import { lstat, open, type FileHandle } from 'node:fs/promises'
import { SeqcastError } from '../../shared/errors'
import { formatBytes } from '../../shared/ipc/limits'
import { ioReason } from '../files/io-reasons'
import { refuseSystemPath } from '../files/system-paths'

export interface OpenedFile {
  handle: FileHandle
  size: number
}

/**
 * Opens a regular file for reading without blocking on FIFOs or devices, refusing anything else
 * and anything larger than `maxBytes`. `display` names the file in messages (the user's name for
 * it, never a server's temp path).
 */
export async function openRegularFile(
  path: string,
  options: { display: string; maxBytes?: number; what?: string },
): Promise<OpenedFile> {
  const { display, maxBytes = Infinity, what = 'file' } = options
  await refuseSystemPath(path, display, 'read')
  let handle: FileHandle
  try {
    // O_NONBLOCK: opening a FIFO without a writer returns at once instead of waiting for one.
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0))
  } catch (error) {
    throw ioError(display, error, 'open')
  }
  try {
    const stat = await handle.stat()
    if (!stat.isFile()) {
      const kind = stat.isDirectory()
        ? 'a folder'
        : stat.isFIFO()
          ? 'a pipe'
          : stat.isCharacterDevice() || stat.isBlockDevice()
            ? 'a device'
            : stat.isSocket()
              ? 'a socket'
              : 'not a regular file'
      throw new SeqcastError(
        'io',
        `Cannot read ${display}: it is ${kind}, not a ${what}. Choose a regular ${what}.`,
        { file: display, code: 'ENOTREG' },
      )
    }
    if (stat.size > maxBytes) {
      throw new SeqcastError(
        'io',
        `Cannot read ${display}: it is ${formatBytes(stat.size)}, more than the ${formatBytes(maxBytes)} a ${what} may have here.`,
        { file: display, bytes: stat.size, limit: maxBytes },
      )
    }
    return { handle, size: stat.size }
  } catch (error) {
    await handle.close().catch(() => undefined)
    throw error instanceof SeqcastError ? error : ioError(display, error, 'read')
  }
}

/**
 * Checks a place to write before writing: not under a system folder; a file target must not be
 * a folder or special file, a folder target must not be a file.
 */
export async function checkWriteTarget(
  path: string,
  display: string,
  kind: 'file' | 'folder',
): Promise<void> {
  await refuseSystemPath(path, display, 'write')
  let stat
  try {
    stat = await lstat(path)
  } catch {
    return // does not exist yet: fine
  }
  const ok = kind === 'folder' ? stat.isDirectory() : stat.isFile()
  if (!ok) {
    throw new SeqcastError(
      'io',
      `Cannot write ${display}: it exists and is not a ${kind}. Choose another name.`,
      { file: display },
    )
  }
}

/** A file-system error as a message that names the file as the user knows it. */
export function ioError(display: string, error: unknown, action: string): SeqcastError {
  if (error instanceof SeqcastError) return error
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? 'unknown'
  const reason = ioReason(error, /^(write|create|save)/.test(action) ? 'write' : 'read')
  return new SeqcastError(
    'io',
    `Cannot ${action} ${display}: ${reason}. Check the file and try again.`,
    { file: display, code },
  )
}

/**
 * The kernel's pseudo file systems hold no data files, and a write under /proc can spin for ever:
 * nothing Seqcast reads or writes may lie under them, whether the path names them directly or
 * reaches them through a symbolic link. Shared by the transports and the CLI's outputs.
 */
import { realpath } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { SeqcastError } from '../../shared/errors'
import { isInside } from '../transport/paths'

export const SYSTEM_ROOTS = process.platform === 'win32' ? [] : ['/proc', '/sys', '/dev']

/** The real path of `path`, or of its nearest existing ancestor joined with the rest. */
export async function realOrNearest(path: string): Promise<string> {
  let at = resolve(path)
  const rest: string[] = []
  for (;;) {
    try {
      return join(await realpath(at), ...rest)
    } catch {
      const parent = dirname(at)
      if (parent === at) return resolve(path)
      rest.unshift(basename(at))
      at = parent
    }
  }
}

/**
 * Refuses a path (or one whose real path) lies under /proc, /sys or /dev. With `option` (a CLI
 * setting such as `--out`) the message starts with it and the error is an output error.
 */
export async function refuseSystemPath(
  path: string,
  display: string,
  action: string,
  option?: string,
): Promise<void> {
  const real = await realOrNearest(path)
  for (const root of SYSTEM_ROOTS) {
    if (isInside(root, path) || isInside(root, real)) {
      const why = `it is under ${root}, a system folder that holds no data files. Choose a file or folder of your own.`
      throw option
        ? new SeqcastError('io', `${option}: cannot ${action} ${display}: ${why}`, {
            path: display,
            root,
            option: option.replace(/^--/, ''),
            output: true,
          })
        : new SeqcastError('io', `Cannot ${action} ${display}: ${why}`, { file: display, root })
    }
  }
}

/**
 * Opaque handles for files the user chose. The renderer (or a browser page) never names a path:
 * main grants a handle when the user picks a file in main's own open dialog, drops one on the
 * window, uploads one to `serve`, or picks where to save in main's save dialog; requests carry
 * only the handle. A read handle serves until the file was read successfully (or is released); a
 * write handle serves exactly once. Nothing here touches the disk, so the policy is unit-tested
 * without Electron.
 */
import { randomBytes } from 'node:crypto'
import { SeqcastError } from '../../shared/errors'
import type { FileGrant } from '../../shared/ipc/contract'

export type Capability = 'read' | 'write-file' | 'write-folder'

export interface Granted {
  capability: Capability
  /** Where the file is on this machine; stays in main. */
  path: string
  /** The file's name as the user knows it (messages use this, never `path`). */
  name: string
  /** Called when the grant ends (an upload deletes its temp file). */
  onRelease?: () => void
}

const WHAT: Record<Capability, string> = {
  read: 'a file opened for reading',
  'write-file': 'a file chosen in the save dialog',
  'write-folder': 'a folder chosen in the save dialog',
}

export class FileGrants {
  private readonly grants = new Map<string, Granted>()

  /** At most `limit` grants live at once; the oldest is released to make room. */
  constructor(private readonly limit = 256) {}

  grant(granted: Granted): FileGrant {
    while (this.grants.size >= this.limit) {
      const oldest = this.grants.keys().next().value as string
      this.release(oldest)
    }
    const handle = randomBytes(18).toString('base64url')
    this.grants.set(handle, granted)
    return { handle, name: granted.name }
  }

  /**
   * The grant behind `handle` if it has `capability`; write grants are used up by this call.
   * `purpose` says what the request wanted, for the message.
   */
  take(handle: string, capability: Capability, purpose: string): Granted {
    const granted = this.grants.get(handle)
    if (!granted) {
      throw new SeqcastError(
        'not-found',
        `${purpose}: the file is no longer available (its handle is unknown, was used already, or the app restarted). Choose the file again.`,
        { handle },
      )
    }
    if (granted.capability !== capability) {
      throw new SeqcastError(
        'invalid-argument',
        `${purpose}: expected ${WHAT[capability]}, received ${WHAT[granted.capability]} (${granted.name}). Choose the file again with the right dialog.`,
        { handle, file: granted.name },
      )
    }
    if (capability !== 'read') this.grants.delete(handle)
    return granted
  }

  /** Ends a grant (after a successful read, or when the session ends). */
  release(handle: string): void {
    const granted = this.grants.get(handle)
    if (!granted) return
    this.grants.delete(handle)
    granted.onRelease?.()
  }

  get size(): number {
    return this.grants.size
  }

  clear(): void {
    for (const handle of [...this.grants.keys()]) this.release(handle)
  }
}

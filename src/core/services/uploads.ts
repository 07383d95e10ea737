/**
 * Files the browser transport receives by HTTP upload (a page has no paths). Each upload lands in
 * this server's own session folder under a random id and is granted a read handle (grants.ts);
 * the page refers to it only by that handle. Limits: bytes per upload, uploads at once, bytes at
 * once. A partial upload (aborted, too large, disk full) is deleted at once; an upload is deleted
 * when it was imported (its handle released) or the server stops; session folders of servers
 * that died without cleaning up are swept when the next server starts.
 */
import { createWriteStream, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { Transform, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { SeqcastError } from '../../shared/errors'
import type { FileGrant } from '../../shared/ipc/contract'
import { formatBytes, LIMITS } from '../../shared/ipc/limits'
import type { FileGrants } from '../transport/grants'

export interface UploadLimits {
  /** Bytes of one upload. */
  bytes: number
  /** Uploads kept at once. */
  count: number
  /** Bytes of all uploads kept at once. */
  totalBytes: number
}

export interface UploadStoreOptions {
  /** Folder holding the session folders (default: seqcast-uploads-<uid> in the temp folder). */
  root?: string
  limits?: Partial<UploadLimits>
}

const SESSION = /^(\d+)-[0-9a-f]+$/

export class UploadStore {
  /** This server's session folder: <root>/<pid>-<random>. */
  readonly dir: string
  readonly limits: UploadLimits
  private readonly live = new Map<string, number>()
  private receiving = 0

  constructor(
    private readonly grants: FileGrants,
    options: UploadStoreOptions = {},
  ) {
    this.limits = {
      bytes: LIMITS.uploadBytes,
      count: LIMITS.uploads,
      totalBytes: LIMITS.uploadTotalBytes,
      ...options.limits,
    }
    const root = options.root ?? join(tmpdir(), `seqcast-uploads-${process.getuid?.() ?? 'user'}`)
    if (privateFolder(root)) {
      sweepStaleSessions(root)
      this.dir = join(root, `${process.pid}-${randomBytes(6).toString('hex')}`)
      mkdirSync(this.dir, { mode: 0o700 })
    } else {
      // Someone else owns the shared root: use a fresh private folder (nothing to sweep).
      this.dir = mkdtempSync(join(tmpdir(), 'seqcast-uploads-'))
    }
  }

  private liveBytes(): number {
    let sum = 0
    for (const bytes of this.live.values()) sum += bytes
    return sum
  }

  /**
   * Stores `body` as the user's file `name`; `declaredBytes` (Content-Length) lets an upload that
   * is too large be refused before a byte is written.
   */
  async receive(
    name: string,
    body: Readable,
    declaredBytes?: number,
  ): Promise<FileGrant & { bytes: number }> {
    // Keep the user's file name (messages name it) but never let it pick the folder.
    const safe =
      basename(name.replace(/\\/g, '/'))
        .replace(/[^\w.\- ()[\]]+/g, '_')
        .slice(0, 200) || 'upload.csv'
    const { bytes: maxBytes, count, totalBytes } = this.limits
    if (this.live.size + this.receiving >= count) {
      throw new SeqcastError(
        'quota',
        `${safe}: ${count} uploaded files are waiting to be imported already. Import or cancel those first (or restart npm run serve).`,
        { file: safe, limit: count },
      )
    }
    const room = Math.min(maxBytes, totalBytes - this.liveBytes())
    const tooLarge = (bytes: number) =>
      new SeqcastError(
        'quota',
        bytes > maxBytes
          ? `${safe}: ${formatBytes(bytes)} is larger than the ${formatBytes(maxBytes)} an upload may have.`
          : `${safe}: ${formatBytes(bytes)} does not fit in the ${formatBytes(totalBytes)} all uploads of this session may take. Import or cancel the files already sent first.`,
        { file: safe, bytes, limit: bytes > maxBytes ? maxBytes : totalBytes },
      )
    if (declaredBytes !== undefined && declaredBytes > room) throw tooLarge(declaredBytes)

    const id = randomBytes(12).toString('hex')
    const folder = join(this.dir, id)
    const path = join(folder, safe)
    mkdirSync(folder, { mode: 0o700 })
    this.receiving++
    let bytes = 0
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        bytes += chunk.length
        if (bytes > room) callback(tooLarge(bytes))
        else callback(null, chunk)
      },
    })
    try {
      await pipeline(body, counter, createWriteStream(path, { mode: 0o600 }))
    } catch (error) {
      rmSync(folder, { recursive: true, force: true })
      if (error instanceof SeqcastError) throw error
      const code = (error as NodeJS.ErrnoException)?.code
      throw new SeqcastError(
        code === 'ENOSPC' ? 'quota' : 'io',
        code === 'ENOSPC'
          ? `${safe}: the server's disk is full. Free some space and upload the file again.`
          : `${safe}: the upload did not complete (${code === 'ERR_STREAM_PREMATURE_CLOSE' ? 'the connection was closed' : (code ?? 'an error')}). Upload the file again.`,
        { file: safe },
      )
    } finally {
      this.receiving--
    }
    this.live.set(id, bytes)
    const grant = this.grants.grant({
      capability: 'read',
      path,
      name: safe,
      onRelease: () => {
        this.live.delete(id)
        rmSync(folder, { recursive: true, force: true })
      },
    })
    return { ...grant, bytes }
  }

  /** Uploads kept now. */
  get count(): number {
    return this.live.size
  }

  dispose(): void {
    this.grants.clear()
    rmSync(this.dir, { recursive: true, force: true })
  }
}

/** True when `root` is (now) a real folder of ours, not a symlink or another user's. */
function privateFolder(root: string): boolean {
  try {
    mkdirSync(root, { recursive: true, mode: 0o700 })
    const stat = lstatSync(root)
    const uid = process.getuid?.()
    return stat.isDirectory() && !stat.isSymbolicLink() && (uid === undefined || stat.uid === uid)
  } catch {
    return false
  }
}

/** Deletes session folders whose server process is gone (it crashed or was killed). */
export function sweepStaleSessions(root: string): string[] {
  const swept: string[] = []
  let names: string[]
  try {
    names = readdirSync(root)
  } catch {
    return swept
  }
  for (const name of names) {
    const match = SESSION.exec(name)
    if (!match || processAlive(Number(match[1]))) continue
    rmSync(join(root, name), { recursive: true, force: true })
    swept.push(name)
  }
  return swept
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

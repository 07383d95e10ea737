/**
 * Files the browser transport receives by HTTP upload (a dropped File has no path in a plain
 * browser). Each upload lands in a private temp folder under a random id; the import service
 * then reads it by path like any other file. Electron never uses this: it has real paths.
 */
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { randomBytes } from 'node:crypto'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { SeqcastError } from '../../shared/errors'

export interface Upload {
  id: string
  path: string
  name: string
  bytes: number
}

export class UploadStore {
  private readonly dir = mkdtempSync(join(tmpdir(), 'seqcast-uploads-'))
  private readonly uploads = new Map<string, Upload>()

  async receive(name: string, body: Readable, maxBytes = 8 * 1024 ** 3): Promise<Upload> {
    const id = randomBytes(12).toString('hex')
    // Keep the user's file name (messages name it) but never let it pick the folder.
    const safe =
      basename(name)
        .replace(/[^\w.\- ()[\]]+/g, '_')
        .slice(0, 200) || 'upload.csv'
    const folder = join(this.dir, id)
    const path = join(folder, safe)
    mkdirSync(folder)
    let bytes = 0
    body.on('data', (chunk: Buffer) => {
      bytes += chunk.length
      if (bytes > maxBytes)
        body.destroy(new SeqcastError('io', `${safe}: larger than ${maxBytes} bytes.`))
    })
    await pipeline(body, createWriteStream(path))
    const upload = { id, path, name: safe, bytes }
    this.uploads.set(id, upload)
    return upload
  }

  resolve(id: string): Upload {
    const upload = this.uploads.get(id)
    if (!upload) {
      throw new SeqcastError(
        'not-found',
        `Upload ${id} is gone (uploads last until the server stops). Open the file again.`,
        {
          uploadId: id,
        },
      )
    }
    return upload
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true })
  }
}

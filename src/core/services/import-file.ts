/**
 * The Node adapter of the CSV import: streams a file in chunks straight into CsvStreamParser's
 * buffer (`reserve` / `commit`, no copy), with progress and cancellation. Files of any size stream (Node's readFile
 * fails above 2 GB; this never holds more than one chunk of the file), so memory follows the
 * parsed columns, not the file: a 2 GB file imports with progress and can be cancelled at any
 * chunk, and its memory is that of its columns (8 bytes per numeric cell).
 */
import type { FileHandle } from 'node:fs/promises'
import { basename } from 'node:path'
import { SeqcastError } from '../../shared/errors'
import { CsvStreamParser, type ImportResult, type ParseOptions } from '../../shared/csv'
import { ioError, openRegularFile } from '../transport/file-policy'

export interface ImportFileOptions extends Partial<Omit<ParseOptions, 'totalBytes'>> {
  /** Called after each chunk with the bytes read so far and the file size. */
  onProgress?: (bytesRead: number, totalBytes: number) => void
  /** Aborting stops the import at the next chunk with SeqcastError kind 'cancelled'. */
  signal?: AbortSignal
  /** Bytes read per chunk (default 1 MiB). */
  chunkBytes?: number
  /** Larger files are refused before reading (default: no limit). */
  maxBytes?: number
}

function cancelled(fileName: string, done: number, total: number): SeqcastError {
  const mb = (x: number): string => (x / 1e6).toFixed(1)
  return new SeqcastError(
    'cancelled',
    `Import of ${fileName} cancelled after ${mb(done)} of ${mb(total)} MB; nothing was imported.`,
    { file: fileName, bytesRead: done, totalBytes: total },
  )
}

/**
 * Reads and parses a CSV file. CSV problems throw kind 'csv', file-system ones kind 'io'. Only
 * regular files are read (a FIFO or device is refused without blocking). Messages name the file
 * by `fileName` when given (an upload's own name, never its temp path), else by `path`.
 */
export async function importCsvFile(
  path: string,
  options: ImportFileOptions = {},
): Promise<ImportResult> {
  const { onProgress, signal, chunkBytes = 1 << 20, maxBytes, ...parseOptions } = options
  const fileName = parseOptions.fileName ?? basename(path)
  const display = parseOptions.fileName ?? path
  if (signal?.aborted) throw cancelled(fileName, 0, 0)
  const opened = await openRegularFile(path, { display, maxBytes, what: 'CSV file' })
  const handle: FileHandle = opened.handle
  const total = opened.size
  try {
    const parser = new CsvStreamParser({ ...parseOptions, fileName, totalBytes: total })
    const chunk = Math.max(4096, chunkBytes)
    let done = 0
    onProgress?.(0, total)
    for (;;) {
      if (signal?.aborted) throw cancelled(fileName, done, total)
      // read straight into the parser's buffer: no copy of the file's bytes
      const target = parser.reserve(chunk)
      let bytesRead: number
      try {
        ;({ bytesRead } = await handle.read(target, 0, chunk, done))
      } catch (error) {
        throw ioError(display, error, 'read')
      }
      if (bytesRead === 0) break
      parser.commit(bytesRead)
      done += bytesRead
      onProgress?.(done, Math.max(total, done))
    }
    if (signal?.aborted) throw cancelled(fileName, done, total)
    return parser.finish()
  } catch (error) {
    if (error instanceof SeqcastError) throw error
    // a bug: still a typed error that names the file
    const text = error instanceof Error ? error.message : String(error)
    throw new SeqcastError(
      'internal',
      `Reading ${fileName} failed unexpectedly (${text}). This is a bug in Seqcast; please report it with the file if you can.`,
      { file: fileName },
    )
  } finally {
    await handle.close().catch(() => undefined)
  }
}

/**
 * The Node adapter of the CSV import: streams a file in chunks straight into CsvStreamParser's
 * buffer (`reserve` / `commit`, no copy), with progress and cancellation. Files of any size stream (Node's readFile
 * fails above 2 GB; this never holds more than one chunk of the file), so memory follows the
 * parsed columns, not the file: a 2 GB file imports with progress and can be cancelled at any
 * chunk, and its memory is that of its columns (8 bytes per numeric cell).
 */
import { open, type FileHandle } from 'node:fs/promises'
import { basename } from 'node:path'
import { SeqcastError } from '../../shared/errors'
import { CsvStreamParser, type ImportResult, type ParseOptions } from '../../shared/csv'

export interface ImportFileOptions extends Partial<Omit<ParseOptions, 'totalBytes'>> {
  /** Called after each chunk with the bytes read so far and the file size. */
  onProgress?: (bytesRead: number, totalBytes: number) => void
  /** Aborting stops the import at the next chunk with SeqcastError kind 'cancelled'. */
  signal?: AbortSignal
  /** Bytes read per chunk (default 1 MiB). */
  chunkBytes?: number
}

const IO_REASONS: Record<string, string> = {
  ENOENT: 'the file does not exist',
  EACCES: 'permission to read it was denied',
  EPERM: 'permission to read it was denied',
  EISDIR: 'it is a folder, not a file',
  EMFILE: 'too many files are open',
  EBUSY: 'the file is in use',
  EIO: 'the disk reported a read error',
}

/** `shown` is what the person knows the file as: its path, or an upload's own file name. */
function ioError(path: string, error: unknown, action: string, shown = path): SeqcastError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? 'unknown'
  const reason = IO_REASONS[code] ?? (error instanceof Error ? error.message : String(error))
  return new SeqcastError(
    'io',
    `Cannot ${action} ${shown}: ${reason}. Check the path and that the file can be read, then import it again.`,
    { path, code, file: basename(path) },
  )
}

function cancelled(path: string, done: number, total: number): SeqcastError {
  const mb = (x: number): string => (x / 1e6).toFixed(1)
  return new SeqcastError(
    'cancelled',
    `Import of ${basename(path)} cancelled after ${mb(done)} of ${mb(total)} MB; nothing was imported.`,
    { path, file: basename(path), bytesRead: done, totalBytes: total },
  )
}

/** Reads and parses a CSV file. CSV problems throw kind 'csv', file-system ones kind 'io'. */
export async function importCsvFile(
  path: string,
  options: ImportFileOptions = {},
): Promise<ImportResult> {
  const { onProgress, signal, chunkBytes = 1 << 20, ...parseOptions } = options
  const fileName = parseOptions.fileName ?? basename(path)
  // An upload's temporary path means nothing to the person: name the file they chose.
  const shown = parseOptions.fileName ?? path
  if (signal?.aborted) throw cancelled(path, 0, 0)
  let handle: FileHandle
  try {
    handle = await open(path, 'r')
  } catch (error) {
    throw ioError(path, error, 'open', shown)
  }
  try {
    let total: number
    try {
      const stat = await handle.stat()
      if (stat.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' })
      total = stat.size
    } catch (error) {
      throw ioError(path, error, 'read', shown)
    }
    const parser = new CsvStreamParser({ ...parseOptions, fileName, totalBytes: total })
    const chunk = Math.max(4096, chunkBytes)
    let done = 0
    onProgress?.(0, total)
    for (;;) {
      if (signal?.aborted) throw cancelled(path, done, total)
      // read straight into the parser's buffer: no copy of the file's bytes
      const target = parser.reserve(chunk)
      let bytesRead: number
      try {
        ;({ bytesRead } = await handle.read(target, 0, chunk, done))
      } catch (error) {
        throw ioError(path, error, 'read', shown)
      }
      if (bytesRead === 0) break
      parser.commit(bytesRead)
      done += bytesRead
      onProgress?.(done, Math.max(total, done))
    }
    if (signal?.aborted) throw cancelled(path, done, total)
    return parser.finish()
  } catch (error) {
    if (error instanceof SeqcastError) throw error
    // a bug: still a typed error that names the file
    const text = error instanceof Error ? error.message : String(error)
    throw new SeqcastError(
      'internal',
      `Reading ${fileName} failed unexpectedly (${text}). This is a bug in Seqcast; please report it with the file if you can.`,
      { path, file: fileName, stack: error instanceof Error ? error.stack : undefined },
    )
  } finally {
    await handle.close().catch(() => undefined)
  }
}

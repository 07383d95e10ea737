import { fileURLToPath } from 'node:url'
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execFileSync } from 'node:child_process'
import { afterAll, describe, expect, it } from 'vitest'
import { importCsvFile } from '../../src/core/services/import-file'
import { parseCsv } from '../../src/shared/csv'
import { SeqcastError } from '../../src/shared/errors'

const dir = mkdtempSync(join(tmpdir(), 'seqcast-import-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const SUNSPOTS = fileURLToPath(
  new URL('../../resources/data/sunspots_monthly.csv', import.meta.url),
)

async function rejection(promise: Promise<unknown>): Promise<SeqcastError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(SeqcastError)
    return error as SeqcastError
  }
  throw new Error('expected a rejection')
}

const posix = process.platform !== 'win32'

describe('importCsvFile reads regular files only', () => {
  it.skipIf(!posix)('refuses a FIFO at once, even four at a time (posix only)', async () => {
    const fifo = join(dir, 'pipe.csv')
    execFileSync('mkfifo', [fifo])
    // Opening a FIFO without a writer used to block a libuv thread each: four hung the server.
    const errors = await Promise.all(
      [1, 2, 3, 4].map(() => rejection(importCsvFile(fifo, { fileName: 'pipe.csv' }))),
    )
    for (const e of errors) {
      expect(e.kind).toBe('io')
      expect(e.message).toBe(
        'Cannot read pipe.csv: it is a pipe, not a CSV file. Choose a regular CSV file.',
      )
    }
    // and the thread pool is free: a normal import still runs
    writeFileSync(join(dir, 'ok.csv'), 'a\n1\n')
    expect((await importCsvFile(join(dir, 'ok.csv'))).dataset.rowCount).toBe(1)
  })

  it.skipIf(!posix)(
    'refuses devices and anything under /proc, /sys or /dev (posix only)',
    async () => {
      const zero = await rejection(importCsvFile('/dev/zero'))
      expect(zero.message).toContain('it is under /dev, a system folder')
      const proc = await rejection(importCsvFile('/proc/self/status'))
      expect(proc.message).toContain('it is under /proc')
    },
  )

  it('refuses a file over the size limit before reading it, naming it by its display name', async () => {
    const path = join(dir, 'tmp-123-upload.csv')
    writeFileSync(path, 'a\n' + '1\n'.repeat(100))
    const e = await rejection(importCsvFile(path, { maxBytes: 100, fileName: 'mine.csv' }))
    expect(e.kind).toBe('io')
    expect(e.message).toBe(
      'Cannot read mine.csv: it is 202 bytes, more than the 100 bytes a CSV file may have here.',
    )
    expect(JSON.stringify(e.details)).not.toContain(dir)
    // and read errors name the display name too, not the path
    const missing = await rejection(importCsvFile(join(dir, 'gone.csv'), { fileName: 'gone.csv' }))
    expect(missing.message).toBe(
      'Cannot open gone.csv: it does not exist. Check the file and try again.',
    )
    expect(JSON.stringify(missing.details)).not.toContain(dir)
  })
})

describe('importCsvFile', () => {
  it('streams a file in chunks to the same result as parsing it whole, with progress', async () => {
    const progress: [number, number][] = []
    const r = await importCsvFile(SUNSPOTS, {
      chunkBytes: 4096,
      onProgress: (done, total) => progress.push([done, total]),
    })
    const whole = parseCsv(new Uint8Array(readFileSync(SUNSPOTS)), {
      fileName: 'sunspots_monthly.csv',
    })
    expect(r.dataset).toEqual(whole.dataset)
    expect(r.report).toEqual(whole.report)
    expect(r.dataset.name).toBe('sunspots_monthly.csv')
    const size = readFileSync(SUNSPOTS).length
    expect(progress[0]).toEqual([0, size])
    expect(progress.at(-1)).toEqual([size, size])
    expect(progress.length).toBe(Math.ceil(size / 4096) + 1)
    for (let i = 1; i < progress.length; i++)
      expect(progress[i][0]).toBeGreaterThan(progress[i - 1][0])
  })

  it('passes parse options and a display name through', async () => {
    const path = join(dir, 'semi.txt')
    writeFileSync(path, 'a;b\n1;2,5\n')
    const r = await importCsvFile(path, { fileName: 'shown.csv', decimal: ',' })
    expect(r.dataset.name).toBe('shown.csv')
    const b = r.dataset.columns[1]
    expect(b.kind === 'numeric' && b.values[0]).toBe(2.5)
  })

  it('file-system failures are kind io with the path', async () => {
    const missing = await rejection(importCsvFile(join(dir, 'nope.csv')))
    expect(missing.kind).toBe('io')
    expect(missing.details.file).toBe(join(dir, 'nope.csv'))
    expect(missing.message).toContain(`Cannot open ${join(dir, 'nope.csv')}: it does not exist`)
    const folder = await rejection(importCsvFile(dir))
    expect(folder.kind).toBe('io')
    expect(folder.message).toContain('folder')
  })

  it('CSV failures keep kind csv and name the file', async () => {
    const path = join(dir, 'empty.csv')
    writeFileSync(path, '')
    const e = await rejection(importCsvFile(path))
    expect(e.kind).toBe('csv')
    expect(e.details).toMatchObject({ file: 'empty.csv', code: 'empty-file' })
  })

  it('an already aborted signal cancels before reading', async () => {
    const abort = new AbortController()
    abort.abort()
    const e = await rejection(importCsvFile(SUNSPOTS, { signal: abort.signal }))
    expect(e.kind).toBe('cancelled')
  })

  describe('a file larger than 2 GB (sparse: 4 MB of rows, then zeros to 2.2 GB)', () => {
    const path = join(dir, 'huge.csv')
    const rows = ['time,value']
    for (let i = 0, length = 0; length < 4_000_000; i++) {
      rows.push(`${1_600_000_000 + i * 60},${i % 1000}`)
      length += rows[rows.length - 1].length + 1
    }
    const text = rows.join('\n') + '\n'
    const size = 2_200_000_000
    writeFileSync(path, text)
    truncateSync(path, size) // no data is written: the rest reads as NUL bytes

    it('streams with progress beyond 2^31 bytes of total and can be cancelled', async () => {
      const abort = new AbortController()
      const seen: [number, number][] = []
      const e = await rejection(
        importCsvFile(path, {
          signal: abort.signal,
          onProgress: (done, total) => {
            seen.push([done, total])
            if (done >= 3 << 20) abort.abort()
          },
        }),
      )
      expect(e.kind).toBe('cancelled')
      expect(e.details).toMatchObject({ bytesRead: 3 << 20, totalBytes: size })
      expect(e.message).toContain('cancelled after 3.1 of 2200.0 MB')
      expect(seen.every(([, total]) => total === size)).toBe(true)
      expect(size).toBeGreaterThan(2 ** 31)
    })

    it('stops at the first chunk of binary zeros with a csv error at the right byte', async () => {
      const e = await rejection(importCsvFile(path))
      expect(e.kind).toBe('csv')
      expect(e.details).toMatchObject({ code: 'binary', file: 'huge.csv', byte: text.length })
    })
  })
})

/** Atomic writes and output checks on real files (a failing rename stands in for a full disk). */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  makeDirs,
  prepareOutputDir,
  prepareOutputFile,
  writeFileAtomic,
} from '../../../src/core/files/atomic-write'

const dir = mkdtempSync(join(tmpdir(), 'seqcast-atomic-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('writeFileAtomic', () => {
  it('creates the folders and writes text and bytes', async () => {
    const path = join(dir, 'a', 'b', 'c.txt')
    await writeFileAtomic(path, 'hello')
    expect(readFileSync(path, 'utf8')).toBe('hello')
    await writeFileAtomic(path, new Uint8Array([104, 105]))
    expect(readFileSync(path, 'utf8')).toBe('hi')
    expect(readdirSync(join(dir, 'a', 'b'))).toEqual(['c.txt'])
  })

  it('leaves the target as it was and no temporary file when the write fails', async () => {
    // the target is a non-empty folder: the rename fails after the data was written
    const target = join(dir, 'occupied')
    mkdirSync(target)
    writeFileSync(join(target, 'inside.txt'), 'old')
    await expect(writeFileAtomic(target, 'new')).rejects.toMatchObject({
      kind: 'io',
      message: expect.stringMatching(new RegExp(`^Cannot write ${target}: `)),
    })
    expect(readFileSync(join(target, 'inside.txt'), 'utf8')).toBe('old')
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([])
  })

  it('fails at once under /proc instead of retrying forever', async () => {
    await expect(writeFileAtomic('/proc/seqcast-x/y.txt', 'x')).rejects.toMatchObject({
      kind: 'io',
      message: expect.stringMatching(/^Cannot create the folder \/proc\/seqcast-x: /),
    })
    await expect(makeDirs('/proc/seqcast-x/y')).rejects.toMatchObject({ code: 'ENOENT' })
  })
})

describe('output checks before any work', () => {
  it('accept a new folder or file without creating anything', async () => {
    await prepareOutputDir(join(dir, 'new', 'run'))
    await prepareOutputFile(join(dir, 'new2', 'f.csv'))
    expect(existsSync(join(dir, 'new'))).toBe(false)
    expect(existsSync(join(dir, 'new2'))).toBe(false)
    expect(readdirSync(dir).filter((n) => n.includes('seqcast-write-check'))).toEqual([])
  })

  it('refuse an existing file as a folder, a folder as a file, and /proc', async () => {
    const file = join(dir, 'file.txt')
    writeFileSync(file, 'x')
    await expect(prepareOutputDir(file)).rejects.toMatchObject({
      kind: 'io',
      details: expect.objectContaining({ output: true, option: 'out', path: file }),
    })
    await expect(prepareOutputFile(dir, '--save')).rejects.toMatchObject({
      message: expect.stringMatching(/^--save: .* is a folder, but a file name is expected/),
    })
    await expect(prepareOutputDir('/proc/seqcast-run')).rejects.toMatchObject({
      message: expect.stringMatching(/^--out: cannot write into \/proc\/seqcast-run: /),
    })
    expect(readFileSync(file, 'utf8')).toBe('x')
  })
})

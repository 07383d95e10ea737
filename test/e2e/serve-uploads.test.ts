/**
 * Uploads of `npm run serve` as processes see them: a server killed without cleaning up leaves
 * its upload folder, and the next server sweeps it when it starts; a server stopped normally
 * removes its own. Each server gets a private TMPDIR so other servers on the machine are untouched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { removeDir, startServer } from './helpers/app'
import { uploadFile } from './helpers/upload'

let tmp: string
let root: string

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'seqcast-e2e-uploads-'))
  root = join(tmp, `seqcast-uploads-${process.getuid?.() ?? 'user'}`)
  writeFileSync(join(tmp, 'sales.csv'), 'month,sales\n1,10\n2,12\n')
})
afterAll(() => removeDir(tmp))

const sessions = () => (existsSync(root) ? readdirSync(root).sort() : [])

describe('upload folders across server lifetimes', () => {
  it('a killed server’s uploads are swept by the next server; a stopped one removes its own', async () => {
    const first = await startServer({ env: { TMPDIR: tmp } })
    await uploadFile(first.url, join(tmp, 'sales.csv'))
    const firstPid = first.process.pid!
    expect(sessions()).toEqual([expect.stringMatching(new RegExp(`^${firstPid}-`))])
    const left = join(root, sessions()[0])
    expect(readdirSync(left, { recursive: true })).toContainEqual(
      expect.stringMatching(/sales\.csv$/),
    )

    // a crash: no handler runs, the upload stays on disk
    const exited = new Promise<void>((r) => first.process.once('exit', () => r()))
    first.process.kill('SIGKILL')
    await exited
    expect(existsSync(left)).toBe(true)

    const second = await startServer({ env: { TMPDIR: tmp } })
    expect(existsSync(left)).toBe(false)
    expect(sessions()).toEqual([expect.stringMatching(new RegExp(`^${second.process.pid}-`))])
    await second.stop()
    expect(sessions()).toEqual([])
  })
})

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
    // a clean shutdown, not the default action of a signal that beat its handler
    expect({ code: second.process.exitCode, signal: second.process.signalCode }).toEqual({
      code: 0,
      signal: null,
    })
    expect(sessions()).toEqual([])
  })

  it('a server stopped the moment it prints its URL still shuts down cleanly and removes its uploads', async () => {
    // The handlers used to be installed just after the URL line: a SIGTERM sent on reading it
    // killed the server before cleanup (22 of 40 under load), leaving its folder for the sweep.
    for (let i = 0; i < 8; i++) {
      const server = await startServer({ env: { TMPDIR: tmp } })
      await server.stop()
      expect({ code: server.process.exitCode, signal: server.process.signalCode }).toEqual({
        code: 0,
        signal: null,
      })
      expect(sessions()).toEqual([])
    }
  })
})

import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, describe, expect, it } from 'vitest'
import { sweepStaleSessions, UploadStore } from '../../../src/core/services/uploads'
import { FileGrants } from '../../../src/core/transport/grants'

const root = mkdtempSync(join(tmpdir(), 'seqcast-uploads-test-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

// Above Linux's largest pid_max (2^22): no process can have it.
const DEAD_PID = 99_999_999

describe('upload sessions', () => {
  it('sweeps the folders of servers that died, keeping live ones and anything else', () => {
    const dead = join(root, `${DEAD_PID}-00aa11`)
    mkdirSync(join(dead, 'abc'), { recursive: true })
    writeFileSync(join(dead, 'abc', 'partial.csv'), 'x\n1\n')
    const live = join(root, `${process.ppid}-00bb22`) // our parent runs: its folder stays
    mkdirSync(live)
    const other = join(root, 'not-a-session')
    mkdirSync(other)

    const store = new UploadStore(new FileGrants(), { root })
    expect(existsSync(dead)).toBe(false)
    expect(existsSync(live)).toBe(true)
    expect(existsSync(other)).toBe(true)
    expect(store.dir.startsWith(join(root, `${process.pid}-`))).toBe(true)
    store.dispose()
    expect(existsSync(store.dir)).toBe(false)
    expect(sweepStaleSessions(root)).toEqual([])
  })

  it('keeps an upload until it is released, then deletes it', async () => {
    const grants = new FileGrants()
    const store = new UploadStore(grants, { root })
    const up = await store.receive('a.csv', Readable.from([Buffer.from('x\n1\n')]))
    expect(up.bytes).toBe(4)
    expect(readdirSync(store.dir)).toHaveLength(1)
    expect(grants.take(up.handle, 'read', 'Import').name).toBe('a.csv')
    grants.release(up.handle)
    expect(readdirSync(store.dir)).toHaveLength(0)
    expect(store.count).toBe(0)
    store.dispose()
  })

  it('deletes what it wrote when the body fails mid-way, and counts nothing', async () => {
    const store = new UploadStore(new FileGrants(), { root })
    const body = new Readable({ read() {} })
    body.push(Buffer.from('x\n1\n'))
    const receiving = store.receive('broken.csv', body)
    setImmediate(() => body.destroy(new Error('connection reset')))
    await expect(receiving).rejects.toThrow('broken.csv: the upload did not complete')
    expect(readdirSync(store.dir)).toEqual([])
    expect(store.count).toBe(0)
    store.dispose()
  })

  it('refuses an upload that would pass the session total, before reading it', async () => {
    const store = new UploadStore(new FileGrants(), {
      root,
      limits: { bytes: 100, count: 5, totalBytes: 150 },
    })
    await store.receive('a.csv', Readable.from([Buffer.alloc(100, 49)]))
    await expect(store.receive('b.csv', Readable.from([]), 60)).rejects.toThrow(
      'b.csv: 60 bytes does not fit in the 150 bytes all uploads of this session may take',
    )
    // without a declared length the stream is cut once it passes the room left
    await expect(store.receive('c.csv', Readable.from([Buffer.alloc(60, 49)]))).rejects.toThrow(
      'does not fit',
    )
    expect(readdirSync(store.dir)).toHaveLength(1)
    store.dispose()
  })
})

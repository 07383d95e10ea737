/**
 * The desktop transport's file channels over the real services (only Electron's dialogs are
 * replaced, by a stand-in that answers as the user would): the renderer names no path, reads
 * only what main's open dialog or a drop granted, and writes only where main's save dialog chose.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { createApi, type Dialogs } from '../../../src/core/services/api'
import { createEngineFacade } from '../../../src/core/services/engine-facade'
import { createServices } from '../../../src/core/services/handlers'
import { readModel } from '../../../src/core/services/model-files'
import { grantDropped } from '../../../src/core/transport/dropped-files'
import { FileGrants } from '../../../src/core/transport/grants'
import type { Result } from '../../../src/shared/errors'
import { linearPackage } from '../../shared/models/package-fixture'

const dir = mkdtempSync(join(tmpdir(), 'seqcast-electron-files-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** What the user answers in the next dialog: paths, or null for Cancel. */
let nextOpen: string[] | null = null
let nextSave: string | null = null
const asked: string[] = []
const dialogs: Dialogs = {
  async open(kind) {
    asked.push(`open ${kind}`)
    return nextOpen
  },
  async save(name, kind) {
    asked.push(`save ${kind} ${name}`)
    return nextSave
  },
}

const grants = new FileGrants()
const services = createServices({
  info: { name: 'Seqcast', version: 'test', platform: 'test', versions: {} },
  transport: 'electron',
  broadcast: () => {},
  engine: createEngineFacade(),
  dialogs,
  grants,
})
const api = createApi(services.handlers)

async function call<T>(channel: string, payload: unknown): Promise<T> {
  const result = (await api.dispatch(channel, payload)) as Result<T>
  if (!result.ok) throw Object.assign(new Error(result.error.message), result.error)
  return result.value
}
async function refused(channel: string, payload: unknown) {
  const result = await api.dispatch(channel, payload)
  expect(result.ok, channel).toBe(false)
  return (result as { ok: false; error: { kind: string; message: string } }).error
}

beforeEach(() => {
  nextOpen = null
  nextSave = null
  asked.length = 0
})

describe('model:write-folder (desktop)', () => {
  it('writes the three files where the save dialog chose, once, and they read back', async () => {
    const target = join(dir, 'my model')
    nextSave = target
    const chosen = await call<{ handle: string; name: string; location: string }>('dialog:save', {
      suggestedName: 'my model',
      kind: 'folder',
    })
    expect(asked).toEqual(['save folder my model'])
    expect(chosen.name).toBe('my model')
    expect(chosen.location).toBe(target)
    const written = await call<{ location: string; files: string[] }>('model:write-folder', {
      handle: chosen.handle,
      package: linearPackage(),
    })
    expect(written).toEqual({
      location: target,
      files: ['model.json', 'weights.bin', 'seqcast.json'],
    })
    expect(readdirSync(target).sort()).toEqual(['model.json', 'seqcast.json', 'weights.bin'])
    const back = await readModel(target)
    expect([...new Float32Array(back.weights.slice().buffer)].map((v) => +v.toFixed(5))).toEqual(
      Array.from({ length: 13 }, (_, i) => +(i / 10).toFixed(5)),
    )
    // the handle was used up: a second write (a replayed request) is refused
    const again = await refused('model:write-folder', {
      handle: chosen.handle,
      package: linearPackage(),
    })
    expect(again.kind).toBe('not-found')
  })

  it('refuses a path from the renderer, a forged handle, a read handle, and a cancelled dialog', async () => {
    const target = join(dir, 'never')
    const byPath = await refused('model:write-folder', { dir: target, package: linearPackage() })
    expect(byPath.kind).toBe('invalid-payload')
    const forged = await refused('model:write-folder', {
      handle: 'AAAAAAAAAAAAAAAAAAAAAAAA',
      package: linearPackage(),
    })
    expect(forged.kind).toBe('not-found')
    // a file opened for reading is not a place to write
    writeFileSync(join(dir, 'data.csv'), 'a\n1\n')
    nextOpen = [join(dir, 'data.csv')]
    const opened = await call<{ files: { handle: string }[] }>('dialog:open', {
      kind: 'csv',
      multiple: false,
    })
    const wrong = await refused('model:write-folder', {
      handle: opened.files[0].handle,
      package: linearPackage(),
    })
    expect(wrong.message).toContain('expected a folder chosen in the save dialog')
    // a file chosen to save a CSV into is not a model folder either
    nextSave = join(dir, 'out.csv')
    const file = await call<{ handle: string }>('dialog:save', {
      suggestedName: 'out.csv',
      kind: 'csv',
    })
    expect(
      (await refused('model:write-folder', { handle: file.handle, package: linearPackage() }))
        .message,
    ).toContain('received a file chosen in the save dialog')
    nextSave = null
    expect(await call('dialog:save', { suggestedName: 'x', kind: 'folder' })).toBeNull()
    expect(existsSync(target)).toBe(false)
  })

  it('refuses a package with NaN weights before writing anything', async () => {
    nextSave = join(dir, 'nan model')
    const chosen = await call<{ handle: string }>('dialog:save', {
      suggestedName: 'x',
      kind: 'folder',
    })
    const pkg = linearPackage()
    pkg.weights = new Uint8Array(new Float32Array(13).fill(NaN).buffer)
    const error = await refused('model:write-folder', { handle: chosen.handle, package: pkg })
    expect(error.message).toContain("the model's weights hold NaN or infinite values")
    expect(existsSync(join(dir, 'nan model'))).toBe(false)
  })

  it.skipIf(process.platform === 'win32')('never writes under /proc (posix only)', async () => {
    nextSave = '/proc/self/seqcast-model'
    const chosen = await call<{ handle: string }>('dialog:save', {
      suggestedName: 'x',
      kind: 'folder',
    })
    const error = await refused('model:write-folder', {
      handle: chosen.handle,
      package: linearPackage(),
    })
    expect(error.message).toContain('it is under /proc, a system folder')
    nextSave = '/proc/self/comm'
    const file = await call<{ handle: string }>('dialog:save', { suggestedName: 'x', kind: 'csv' })
    expect((await refused('file:write', { handle: file.handle, data: 'x' })).message).toContain(
      'under /proc',
    )
  })
})

describe('reading and saving files (desktop)', () => {
  it('imports a file chosen in the open dialog by its handle', async () => {
    writeFileSync(join(dir, 'sales.csv'), 'month,sales\n1,10\n2,12\n')
    nextOpen = [join(dir, 'sales.csv')]
    const opened = await call<{ files: { handle: string; name: string }[] }>('dialog:open', {
      kind: 'csv',
      multiple: true,
    })
    expect(opened.files.map((f) => f.name)).toEqual(['sales.csv'])
    expect(JSON.stringify(opened)).not.toContain(dir)
    const imported = await call<{ dataset: { rowCount: number } }>('dataset:import', {
      jobId: 'j1',
      source: { handle: opened.files[0].handle },
    })
    expect(imported.dataset.rowCount).toBe(2)
    const byPath = await refused('dataset:import', {
      jobId: 'j2',
      source: { path: join(dir, 'sales.csv') },
    })
    expect(byPath.message).toContain('files are never opened by path')
  })

  it('writes exported bytes where the save dialog chose, once', async () => {
    nextSave = join(dir, 'forecasts.csv')
    const chosen = await call<{ handle: string }>('dialog:save', {
      suggestedName: 'forecasts.csv',
      kind: 'csv',
    })
    expect(await call('file:write', { handle: chosen.handle, data: 'a,b\n1,2\n' })).toEqual({
      location: join(dir, 'forecasts.csv'),
    })
    expect(readFileSync(join(dir, 'forecasts.csv'), 'utf8')).toBe('a,b\n1,2\n')
    expect((await refused('file:write', { handle: chosen.handle, data: 'x' })).kind).toBe(
      'not-found',
    )
  })

  it('grants a dropped regular file, and refuses folders, pipes-to-be and relative paths', async () => {
    writeFileSync(join(dir, 'dropped.csv'), 'a\n1\n')
    const granted = await grantDropped(grants, join(dir, 'dropped.csv'))
    expect(granted.name).toBe('dropped.csv')
    const imported = await call<{ dataset: { name: string } }>('dataset:import', {
      jobId: 'd1',
      source: { handle: granted.handle },
    })
    expect(imported.dataset.name).toBe('dropped.csv')
    await expect(grantDropped(grants, dir)).rejects.toThrow('a folder cannot be imported')
    await expect(grantDropped(grants, 'dropped.csv')).rejects.toThrow('has no file on disk')
    await expect(grantDropped(grants, '')).rejects.toThrow('has no file on disk')
    if (process.platform !== 'win32') {
      await expect(grantDropped(grants, '/proc/self/environ')).rejects.toThrow('under /proc')
    }
  })
})

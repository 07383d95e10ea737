/**
 * The desktop shell with only Electron replaced (its binary cannot be downloaded here): the real
 * src/main/index.ts registers its handlers on this stand-in, and the test calls them as Electron
 * would. What it checks: the app:// scheme serves only the renderer folder, every permission is
 * refused, only allow-listed links open, IPC answers only our window, and files cross by handle.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { IPC_GRANT_DROPPED, IPC_INVOKE } from '../../src/shared/ipc/bridge'
import type { Result } from '../../src/shared/errors'
import { linearPackage } from '../shared/models/package-fixture'

const dir = mkdtempSync(join(tmpdir(), 'seqcast-shell-'))
type Handler = (...args: unknown[]) => unknown

const electron = vi.hoisted(() => {
  const state = {
    ipc: new Map<string, Handler>(),
    protocol: null as Handler | null,
    permissionCheck: null as Handler | null,
    permissionRequest: null as Handler | null,
    windowOpen: null as Handler | null,
    fetched: [] as string[],
    opened: [] as string[],
    saveAnswer: null as string | null,
    openAnswer: [] as string[],
    window: null as unknown,
    userData: '',
  }
  const mainFrame = { url: 'app://seqcast/index.html' }
  const webContents = {
    mainFrame,
    on: () => {},
    send: () => {},
    setWindowOpenHandler: (h: Handler) => (state.windowOpen = h),
  }
  class BrowserWindow {
    webContents = webContents
    static getAllWindows = () => [state.window]
    constructor() {
      state.window = this
    }
    once() {}
    on() {}
    maximize() {}
    isDestroyed() {
      return false
    }
    isMaximized() {
      return false
    }
    getNormalBounds() {
      return { x: 0, y: 0, width: 1, height: 1 }
    }
    loadURL() {
      return Promise.resolve()
    }
  }
  const mod = {
    app: {
      isPackaged: true,
      requestSingleInstanceLock: () => true,
      getPath: () => state.userData,
      on: () => {},
      quit: () => {},
      whenReady: () => Promise.resolve(),
    },
    BrowserWindow,
    dialog: {
      showOpenDialog: async () => ({ canceled: false, filePaths: state.openAnswer }),
      showSaveDialog: async () =>
        state.saveAnswer ? { canceled: false, filePath: state.saveAnswer } : { canceled: true },
    },
    ipcMain: {
      handle: (channel: string, h: Handler) => state.ipc.set(channel, h),
      removeHandler: (channel: string) => state.ipc.delete(channel),
    },
    Menu: { setApplicationMenu: () => {}, buildFromTemplate: () => ({}) },
    net: {
      fetch: async (url: string) => {
        state.fetched.push(url)
        return new Response('ok', { status: 200 })
      },
    },
    protocol: {
      registerSchemesAsPrivileged: () => {},
      handle: (_scheme: string, h: Handler) => (state.protocol = h),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: Handler) => (state.permissionRequest = h),
        setPermissionCheckHandler: (h: Handler) => (state.permissionCheck = h),
        webRequest: { onBeforeRequest: () => {} },
      },
    },
    shell: { openExternal: async (url: string) => void state.opened.push(url) },
  }
  return { state, mod, webContents, mainFrame }
})

vi.mock('electron', () => ({ ...electron.mod, default: electron.mod }))

const { state } = electron
const ours = () => ({ sender: electron.webContents, senderFrame: electron.mainFrame })

async function invoke<T>(
  channel: string,
  payload: unknown,
  event: { sender: unknown; senderFrame: unknown } = ours(),
): Promise<Result<T>> {
  return (await state.ipc.get(IPC_INVOKE)!(event, channel, payload)) as Result<T>
}

beforeAll(async () => {
  state.userData = join(dir, 'user-data')
  await import('../../src/main/index')
  await vi.waitFor(() => expect(state.windowOpen).not.toBeNull())
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('desktop shell', () => {
  it('serves app:// only from the renderer folder (out/renderer-old does not pass)', async () => {
    const res = (await state.protocol!(
      new Request('app://seqcast/..%2Frenderer-old%2Fevil.js'),
    )) as Response
    expect(res.status).toBe(403)
    expect(state.fetched).toEqual([])
    const ok = (await state.protocol!(new Request('app://seqcast/index.html'))) as Response
    expect(ok.status).toBe(200)
    expect(ok.headers.get('Content-Security-Policy')).toContain("default-src 'self'")
    expect(state.fetched).toHaveLength(1)
    expect(state.fetched[0]).toMatch(/\/src\/renderer\/index\.html$/)
  })

  it('refuses every permission, asked or checked', () => {
    for (const permission of ['media', 'notifications', 'clipboard-read', 'geolocation']) {
      expect(state.permissionCheck!(null, permission, 'app://seqcast', {})).toBe(false)
      let granted: boolean | undefined
      state.permissionRequest!(null, permission, (g: boolean) => (granted = g))
      expect(granted).toBe(false)
    }
  })

  it('opens only allow-listed https links, and never a new window', () => {
    expect(state.windowOpen!({ url: 'https://evil.example/x' })).toEqual({ action: 'deny' })
    expect(state.windowOpen!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' })
    expect(state.opened).toEqual([])
    expect(state.windowOpen!({ url: 'https://github.com/x' })).toEqual({ action: 'deny' })
    expect(state.opened).toEqual(['https://github.com/x'])
  })

  it('answers IPC from our window only', async () => {
    const stranger = { sender: {}, senderFrame: electron.mainFrame }
    const res = await invoke('app:info', {}, stranger)
    expect(res.ok).toBe(false)
    const dropped = (await state.ipc.get(IPC_GRANT_DROPPED)!(
      stranger,
      '/etc/passwd',
    )) as Result<unknown>
    expect(dropped.ok).toBe(false)
    expect((await invoke<{ transport: string }>('app:info', {})).ok).toBe(true)
  })

  it('imports a dropped file by the handle main granted; a path is refused', async () => {
    writeFileSync(join(dir, 'drop.csv'), 'a\n1\n2\n')
    const grant = (await state.ipc.get(IPC_GRANT_DROPPED)!(
      ours(),
      join(dir, 'drop.csv'),
    )) as Result<{
      handle: string
      name: string
    }>
    expect(grant.ok && grant.value.name).toBe('drop.csv')
    if (!grant.ok) return
    const imported = await invoke<{ dataset: { rowCount: number } }>('dataset:import', {
      jobId: 'j',
      source: { handle: grant.value.handle },
    })
    expect(imported.ok && imported.value.dataset.rowCount).toBe(2)
    const byPath = await invoke('dataset:import', { jobId: 'k', source: { path: '/etc/passwd' } })
    expect(byPath.ok).toBe(false)
  })

  it('writes a model folder only where main’s save dialog chose', async () => {
    state.saveAnswer = join(dir, 'exported model')
    const chosen = await invoke<{ handle: string; location: string }>('dialog:save', {
      suggestedName: 'exported model',
      kind: 'folder',
    })
    expect(chosen.ok).toBe(true)
    if (!chosen.ok) return
    const written = await invoke<{ files: string[] }>('model:write-folder', {
      handle: chosen.value.handle,
      package: linearPackage(),
    })
    expect(written.ok && written.value.files).toEqual(['model.json', 'weights.bin', 'seqcast.json'])
    expect(readdirSync(state.saveAnswer).sort()).toEqual([
      'model.json',
      'seqcast.json',
      'weights.bin',
    ])
    const elsewhere = join(dir, 'elsewhere')
    const byDir = await invoke('model:write-folder', { dir: elsewhere, package: linearPackage() })
    expect(byDir.ok).toBe(false)
    expect(existsSync(elsewhere)).toBe(false)
  })
})

/**
 * The desktop shell: one window, menus, native dialogs, and the Electron binding of the services.
 * Everything else lives in Electron-free services (see services/ and the browser binding).
 */
import {
  app,
  BrowserWindow,
  dialog,
  Menu,
  net,
  protocol,
  session,
  shell,
  type FileFilter,
  type MenuItemConstructorOptions,
} from 'electron'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { Events } from '../shared/ipc/contract'
import { appInfo } from '../core/app-info'
import { createApi, type Dialogs } from '../core/services/api'
import { APP_ORIGIN, appFileFor } from '../core/transport/app-protocol'
import { isAllowedExternal } from '../core/transport/external-links'
import { FileGrants } from '../core/transport/grants'
import { createEngineFacade } from '../core/services/engine-facade'
import { createServices } from '../core/services/handlers'
import { SettingsFile } from './settings'
import { bindElectronIpc, electronBroadcast } from './transport/electron-ipc'
import { contentSecurityPolicy } from '../core/transport/security'

const here = dirname(fileURLToPath(import.meta.url))
const rendererDir = join(here, '../renderer')
const devUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined

protocol.registerSchemesAsPrivileged([
  { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
])

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  let win: BrowserWindow | null = null
  const settings = new SettingsFile(join(app.getPath('userData'), 'settings.json'))
  const getWindow = () => win
  const isAppUrl = (url: string) =>
    url.startsWith(`${APP_ORIGIN}/`) || (devUrl !== undefined && url.startsWith(devUrl))
  const broadcast = electronBroadcast(getWindow)
  const engine = createEngineFacade()

  const filters: Record<string, FileFilter[]> = {
    csv: [{ name: 'CSV files', extensions: ['csv', 'txt', 'tsv'] }],
    model: [{ name: 'Seqcast model (zip or model.json)', extensions: ['zip', 'json'] }],
    zip: [{ name: 'Zip archive', extensions: ['zip'] }],
    png: [{ name: 'PNG image', extensions: ['png'] }],
    json: [{ name: 'JSON', extensions: ['json'] }],
    html: [{ name: 'HTML report', extensions: ['html'] }],
  }

  // Paths exist only here: the services turn what the user chose into handles for the renderer.
  const dialogs: Dialogs = {
    async open(kind, multiple) {
      const props: ('openFile' | 'multiSelections')[] = ['openFile']
      if (multiple) props.push('multiSelections')
      const result = await dialog.showOpenDialog(win!, {
        defaultPath: settings.get().lastFolder,
        properties: props,
        filters: filters[kind],
      })
      if (result.canceled || result.filePaths.length === 0) return null
      settings.update({ lastFolder: dirname(result.filePaths[0]) })
      return result.filePaths
    },
    async save(suggestedName, kind) {
      // A model folder is saved like a file: the name typed becomes the folder main creates.
      const result = await dialog.showSaveDialog(win!, {
        defaultPath: join(settings.get().lastFolder ?? app.getPath('documents'), suggestedName),
        filters: filters[kind] ?? [],
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      })
      if (result.canceled || !result.filePath) return null
      settings.update({ lastFolder: dirname(result.filePath) })
      return result.filePath
    },
  }
  const grants = new FileGrants()

  const services = createServices({
    info: appInfo({
      electron: process.versions.electron ?? '',
      chrome: process.versions.chrome ?? '',
    }),
    transport: 'electron',
    broadcast,
    engine,
    dialogs,
    grants,
  })
  bindElectronIpc(createApi(services.handlers), grants, getWindow, isAppUrl)

  const command = (c: Events['menu:command']['command']) => () =>
    broadcast('menu:command', { command: c })

  function buildMenu(): void {
    const template: MenuItemConstructorOptions[] = [
      {
        label: 'File',
        submenu: [
          { label: 'Open CSV…', accelerator: 'CmdOrCtrl+O', click: command('open-csv') },
          { label: 'Import model…', click: command('import-model') },
          { type: 'separator' },
          {
            label: 'Export forecasts…',
            accelerator: 'CmdOrCtrl+E',
            click: command('export-forecasts'),
          },
          { label: 'Export model…', click: command('export-model') },
          { type: 'separator' },
          { role: 'quit' },
        ],
      },
      { role: 'editMenu' },
      {
        label: 'View',
        submenu: [
          { role: 'resetZoom' },
          { role: 'zoomIn' },
          { role: 'zoomOut' },
          { type: 'separator' },
          { role: 'togglefullscreen' },
          ...(app.isPackaged ? [] : ([{ role: 'toggleDevTools' }] as MenuItemConstructorOptions[])),
        ],
      },
      {
        label: 'Help',
        submenu: [
          { label: 'About Seqcast', click: command('about') },
          { label: 'Backend report', click: command('backend-report') },
        ],
      },
    ]
    Menu.setApplicationMenu(Menu.buildFromTemplate(template))
  }

  function createWindow(): void {
    const saved = settings.get().window
    win = new BrowserWindow({
      width: saved?.width ?? 1360,
      height: saved?.height ?? 880,
      x: saved?.x,
      y: saved?.y,
      minWidth: 900,
      minHeight: 600,
      show: false,
      title: 'Seqcast',
      webPreferences: {
        preload: join(here, '../preload/index.cjs'),
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        spellcheck: false,
      },
    })
    if (saved?.maximized) win.maximize()
    win.once('ready-to-show', () => win?.show())
    const remember = () => {
      if (!win || win.isDestroyed()) return
      const b = win.getNormalBounds()
      settings.update({ window: { ...b, maximized: win.isMaximized() } })
    }
    win.on('resize', remember)
    win.on('move', remember)
    win.on('close', remember)
    win.on('closed', () => {
      win = null
    })
    const contents = win.webContents
    // No navigation away from the app, no new windows; links open in the user's browser.
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault()
    })
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault()
    })
    contents.setWindowOpenHandler(({ url }) => {
      if (isAllowedExternal(url)) void shell.openExternal(url)
      return { action: 'deny' }
    })
    contents.on('will-attach-webview', (event) => event.preventDefault())
    void win.loadURL(devUrl ?? `${APP_ORIGIN}/index.html`)
  }

  app.on('second-instance', () => {
    if (!win) return
    if (win.isMinimized()) win.restore()
    win.focus()
  })

  app.whenReady().then(() => {
    const csp = contentSecurityPolicy()
    // The renderer is served from app://seqcast with a strict CSP on every response.
    protocol.handle('app', async (request) => {
      const file = appFileFor(rendererDir, request.url)
      if (!file) return new Response('Forbidden', { status: 403 })
      const response = await net.fetch(pathToFileURL(file).toString())
      const headers = new Headers(response.headers)
      headers.set('Content-Security-Policy', csp)
      headers.set('X-Content-Type-Options', 'nosniff')
      return new Response(response.body, { status: response.status, headers })
    })
    // No permission (camera, notifications, clipboard, …) is asked for or granted.
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) =>
      callback(false),
    )
    session.defaultSession.setPermissionCheckHandler(() => false)
    session.defaultSession.webRequest.onBeforeRequest((details, callback) => {
      // No remote content: only our own scheme, the dev server, devtools and data/blob URLs.
      const url = details.url
      const allowed =
        url.startsWith('app://') ||
        url.startsWith('devtools://') ||
        url.startsWith('data:') ||
        url.startsWith('blob:') ||
        (devUrl !== undefined &&
          (url.startsWith(devUrl) || url.startsWith(devUrl.replace('http', 'ws'))))
      callback({ cancel: !allowed })
    })
    buildMenu()
    createWindow()
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow()
    })
  })

  app.on('before-quit', () => {
    services.shutdown()
    void engine.dispose()
  })

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
}

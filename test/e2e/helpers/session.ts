/**
 * The preamble most app tests share: the built server, optionally a tap on its events, Chromium
 * on the app, and optionally a file opened with the picker (once its row count shows); and the
 * teardown, which stops each by its own handle — also what was started before a failure.
 */
import { launchBrowser, removeDir, startServer, type Browser, type Server } from './app'
import { tapEvents, type EventTap } from './events'
import { openWithPicker } from './flows'

export interface AppSession {
  server: Server
  browser: Browser
  tap?: EventTap
}

interface OpenOptions {
  /** A CSV to open with the header's Open CSV… button; without it, the app's empty start. */
  file?: string
  /** Listen to the server's events on a connection of the test's own. */
  tap?: boolean
}

export async function openApp(options: OpenOptions & { tap: true }): Promise<Required<AppSession>>
export async function openApp(options?: OpenOptions): Promise<AppSession>
export async function openApp(options: OpenOptions = {}): Promise<AppSession> {
  const session: Partial<AppSession> = {}
  try {
    const server = (session.server = await startServer())
    if (options.tap) session.tap = await tapEvents(server.url)
    const { page } = (session.browser = await launchBrowser())
    await page.goto(server.url)
    if (options.file) {
      await openWithPicker(page, options.file)
      await page.getByTestId('row-count').waitFor()
    } else {
      await page.getByTestId('drop-zone').waitFor()
    }
    return session as AppSession
  } catch (error) {
    await closeApp(session)
    throw error
  }
}

/** Closes the tap, Chromium (its profile removed) and the server, then removes `dirs`. */
export async function closeApp(
  session: Partial<AppSession>,
  ...dirs: (string | undefined)[]
): Promise<void> {
  session.tap?.close()
  await session.browser?.dispose()
  await session.server?.stop()
  for (const dir of dirs) if (dir) removeDir(dir)
}

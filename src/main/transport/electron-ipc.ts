/**
 * The Electron binding: one ipcMain handler for every contract channel, events to the window.
 * Only messages from our own window's main frame, loaded from our own origin, are answered.
 */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron'
import { fail, ok, SeqcastError } from '../../shared/errors'
import { IPC_EVENT, IPC_GRANT_DROPPED, IPC_INVOKE } from '../../shared/ipc/bridge'
import type { EventName, Events } from '../../shared/ipc/contract'
import type { Api } from '../../core/services/api'
import { grantDropped } from '../../core/transport/dropped-files'
import type { FileGrants } from '../../core/transport/grants'

export function bindElectronIpc(
  api: Api,
  grants: FileGrants,
  getWindow: () => BrowserWindow | null,
  isAppUrl: (url: string) => boolean,
): () => void {
  const trusted = (event: IpcMainInvokeEvent) => {
    const win = getWindow()
    const frame = event.senderFrame
    return (
      win !== null &&
      event.sender === win.webContents &&
      frame !== null &&
      frame === win.webContents.mainFrame &&
      isAppUrl(frame.url)
    )
  }
  ipcMain.handle(IPC_INVOKE, async (event, channel: unknown, payload: unknown) => {
    if (!trusted(event)) {
      return fail(
        new SeqcastError('invalid-payload', 'Refused an IPC message from an unknown sender.', {
          channel,
        }),
      )
    }
    return api.dispatch(channel, payload)
  })
  // The preload's grantDropped: a dropped file's path, recorded as chosen (see dropped-files.ts).
  ipcMain.handle(IPC_GRANT_DROPPED, async (event, path: unknown) => {
    if (!trusted(event)) {
      return fail(
        new SeqcastError('invalid-payload', 'Refused a dropped file from an unknown sender.'),
      )
    }
    try {
      return ok(await grantDropped(grants, path))
    } catch (error) {
      return fail(error)
    }
  })
  return () => {
    ipcMain.removeHandler(IPC_INVOKE)
    ipcMain.removeHandler(IPC_GRANT_DROPPED)
  }
}

export function electronBroadcast(getWindow: () => BrowserWindow | null) {
  return <E extends EventName>(event: E, payload: Events[E]): void => {
    const win = getWindow()
    if (win && !win.isDestroyed()) win.webContents.send(IPC_EVENT, event, payload)
  }
}

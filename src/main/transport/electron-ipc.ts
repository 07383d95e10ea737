/**
 * The Electron binding: one ipcMain handler for every contract channel, events to the window.
 * Only messages from our own window's main frame, loaded from our own origin, are answered.
 */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron'
import { fail, SeqcastError } from '../../shared/errors'
import { IPC_EVENT, IPC_INVOKE } from '../../shared/ipc/bridge'
import type { EventName, Events } from '../../shared/ipc/contract'
import type { Api } from '../../core/services/api'

export function bindElectronIpc(
  api: Api,
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
  return () => ipcMain.removeHandler(IPC_INVOKE)
}

export function electronBroadcast(getWindow: () => BrowserWindow | null) {
  return <E extends EventName>(event: E, payload: Events[E]): void => {
    const win = getWindow()
    if (win && !win.isDestroyed()) win.webContents.send(IPC_EVENT, event, payload)
  }
}

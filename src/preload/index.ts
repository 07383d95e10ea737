/**
 * Sandboxed preload: exposes the typed `window.seqcast` bridge and nothing else. No Node, no
 * ipcRenderer, no Electron objects reach the page.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron'
import { isChannelName, isEventName } from '../shared/ipc/names'
import { IPC_EVENT, IPC_GRANT_DROPPED, IPC_INVOKE, type SeqcastBridge } from '../shared/ipc/bridge'

const bridge: SeqcastBridge = {
  invoke(channel, request) {
    if (!isChannelName(channel)) {
      return Promise.resolve({
        ok: false,
        error: {
          kind: 'invalid-payload',
          message: `Unknown channel ${String(channel)}.`,
          details: {},
        },
      })
    }
    return ipcRenderer.invoke(IPC_INVOKE, channel, request)
  },
  on(event, listener) {
    if (!isEventName(event)) throw new Error(`Unknown event ${String(event)}`)
    const handler = (_e: IpcRendererEvent, name: string, payload: unknown) => {
      if (name === event) listener(payload as never)
    }
    ipcRenderer.on(IPC_EVENT, handler)
    return () => ipcRenderer.removeListener(IPC_EVENT, handler)
  },
  grantDropped(file) {
    // The path goes straight to main, which grants a handle; the page never sees it.
    return ipcRenderer.invoke(IPC_GRANT_DROPPED, webUtils.getPathForFile(file))
  },
}

contextBridge.exposeInMainWorld('seqcast', bridge)

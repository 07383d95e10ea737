/**
 * The API the preload exposes as `window.seqcast` (Electron) — the only door from the renderer
 * to the main process. Typed from the contract; the browser binding offers the same shape over
 * its WebSocket.
 */
import type { Result } from '../errors'
import type { Channel, EventName, Events, FileGrant, RequestInputOf, ResponseOf } from './contract'

export interface SeqcastBridge {
  invoke<C extends Channel>(channel: C, request: RequestInputOf<C>): Promise<Result<ResponseOf<C>>>
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void
  /**
   * A read handle for a file dropped on the window. The preload asks Electron for the File's path
   * (webUtils.getPathForFile) and hands it to main, which records it as chosen; the page never
   * sees or names the path.
   */
  grantDropped(file: File): Promise<Result<FileGrant>>
}

/** IPC channel names used by the Electron binding. */
export const IPC_INVOKE = 'seqcast:invoke'
export const IPC_EVENT = 'seqcast:event'
export const IPC_GRANT_DROPPED = 'seqcast:grant-dropped'

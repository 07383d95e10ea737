/**
 * The API the preload exposes as `window.seqcast` (Electron) — the only door from the renderer
 * to the main process. Typed from the contract; the browser binding offers the same shape over
 * its WebSocket.
 */
import type { Result } from '../errors'
import type { Channel, EventName, Events, RequestOf, ResponseOf } from './contract'

export interface SeqcastBridge {
  invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<Result<ResponseOf<C>>>
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void
  /** The file-system path of a dropped or picked File (Electron's webUtils.getPathForFile). */
  pathForFile(file: File): string
}

/** IPC channel names used by the Electron binding. */
export const IPC_INVOKE = 'seqcast:invoke'
export const IPC_EVENT = 'seqcast:event'

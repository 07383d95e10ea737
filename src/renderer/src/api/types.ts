/**
 * The renderer's one way to reach the main process. Two implementations share this interface:
 * Electron (the preload's `window.seqcast`) and the browser (a loopback WebSocket, `npm run
 * serve`). Everything is typed from the IPC contract; `{ ok: false }` results become thrown
 * `SeqcastError`s with the main process's message.
 */
import type { Channel, EventName, Events, RequestOf, ResponseOf } from '@shared/ipc/contract'

export type ConnectionState = 'connecting' | 'open' | 'closed'

/** A file the user chose: a path in Electron, a File object in the browser. */
export type PickedFile =
  { name: string; path: string; file?: undefined } | { name: string; file: File; path?: undefined }

export type SaveKind = RequestOf<'dialog:save'>['kind']

export type UploadProgress = (sentBytes: number, totalBytes: number) => void

export interface SeqcastClient {
  readonly transport: 'electron' | 'browser'
  invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void
  /** Connection state changes (the browser transport reconnects; Electron is always open). */
  onConnection(listener: (state: ConnectionState) => void): () => void
  readonly connection: ConnectionState
  /**
   * Where the main process can read a file: Electron knows its path; the browser uploads it and
   * gets an upload id. `signal` aborts an upload in flight.
   */
  fileSource(
    file: PickedFile,
    onProgress?: UploadProgress,
    signal?: AbortSignal,
  ): Promise<RequestOf<'dataset:import'>['source']>
  /** Turns dropped File objects into picked files (Electron resolves their paths). */
  fromDropped(files: File[]): PickedFile[]
  /** Native open dialog (Electron) or a hidden file input (browser); null when cancelled. */
  openFilePicker(kind: 'csv' | 'model', multiple: boolean): Promise<PickedFile[] | null>
  /** Native save dialog (Electron) or a download (browser). Returns where it went, or null. */
  saveFile(suggestedName: string, data: string | Uint8Array, kind: SaveKind): Promise<string | null>
}

/**
 * The renderer's one way to reach the main process. Two implementations share this interface:
 * Electron (the preload's `window.seqcast`) and the browser (a loopback WebSocket, `npm run
 * serve`). Everything is typed from the IPC contract; `{ ok: false }` results become thrown
 * `SeqcastError`s with the main process's message.
 */
import type {
  Channel,
  EventName,
  Events,
  RequestInputOf,
  RequestOf,
  ResponseOf,
} from '@shared/ipc/contract'

export type ConnectionState = 'connecting' | 'open' | 'closed'

/**
 * A file the user chose: in Electron a handle main granted (the renderer never holds a path), in
 * the browser a File object that is uploaded when it is read.
 */
export type PickedFile =
  | { name: string; handle: string; file?: undefined }
  | { name: string; file: File; handle?: undefined }

export type SaveKind = Exclude<RequestOf<'dialog:save'>['kind'], 'folder'>

export type UploadProgress = (sentBytes: number, totalBytes: number) => void

export interface SeqcastClient {
  readonly transport: 'electron' | 'browser'
  invoke<C extends Channel>(channel: C, request: RequestInputOf<C>): Promise<ResponseOf<C>>
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void
  /** Connection state changes (the browser transport reconnects; Electron is always open). */
  onConnection(listener: (state: ConnectionState) => void): () => void
  readonly connection: ConnectionState
  /**
   * The handle the main process reads a file by: Electron's is granted already; the browser
   * uploads the file and gets one. `signal` aborts an upload in flight.
   */
  fileSource(
    file: PickedFile,
    onProgress?: UploadProgress,
    signal?: AbortSignal,
  ): Promise<RequestOf<'dataset:import'>['source']>
  /** Turns dropped File objects into picked files (Electron: main grants a handle for each). */
  fromDropped(files: File[]): Promise<PickedFile[]>
  /** Native open dialog (Electron) or a hidden file input (browser); null when cancelled. */
  openFilePicker(kind: 'csv' | 'model', multiple: boolean): Promise<PickedFile[] | null>
  /** Native save dialog (Electron) or a download (browser). Returns where it went, or null. */
  saveFile(suggestedName: string, data: string | Uint8Array, kind: SaveKind): Promise<string | null>
}

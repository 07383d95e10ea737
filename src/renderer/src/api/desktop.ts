/**
 * The Electron transport: the preload's narrow `window.seqcast` bridge. Dialogs are native and
 * run in main; the renderer only ever holds handles main granted for what the user chose.
 */
import { SeqcastError, fromErrorInfo, isErrorInfo } from '@shared/errors'
import type { SeqcastBridge } from '@shared/ipc/bridge'
import type {
  Channel,
  EventName,
  Events,
  RequestInputOf,
  RequestOf,
  ResponseOf,
} from '@shared/ipc/contract'
import type { ConnectionState, PickedFile, SaveKind, SeqcastClient } from './types'

declare global {
  interface Window {
    seqcast?: SeqcastBridge
  }
}

export class ElectronClient implements SeqcastClient {
  readonly transport = 'electron' as const
  readonly connection: ConnectionState = 'open'

  constructor(private readonly bridge: SeqcastBridge) {}

  async invoke<C extends Channel>(channel: C, request: RequestInputOf<C>): Promise<ResponseOf<C>> {
    const result = await this.bridge.invoke(channel, request)
    if (result.ok) return result.value
    throw isErrorInfo(result.error)
      ? fromErrorInfo(result.error)
      : new SeqcastError('internal', `${channel}: malformed result from the main process.`)
  }

  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
    return this.bridge.on(event, listener)
  }

  onConnection(): () => void {
    return () => {}
  }

  async fromDropped(files: File[]): Promise<PickedFile[]> {
    const picked: PickedFile[] = []
    for (const file of files) {
      const result = await this.bridge.grantDropped(file)
      if (!result.ok) {
        throw isErrorInfo(result.error)
          ? fromErrorInfo(result.error)
          : new SeqcastError('internal', `${file.name}: malformed answer from the main process.`)
      }
      picked.push({ name: file.name, handle: result.value.handle })
    }
    return picked
  }

  async fileSource(file: PickedFile): Promise<RequestOf<'dataset:import'>['source']> {
    if (file.handle !== undefined) return { handle: file.handle }
    return { handle: (await this.fromDropped([file.file]))[0].handle as string }
  }

  async openFilePicker(kind: 'csv' | 'model', multiple: boolean): Promise<PickedFile[] | null> {
    const result = await this.invoke('dialog:open', { kind, multiple })
    if (!result || result.files.length === 0) return null
    return result.files.map(({ handle, name }) => ({ handle, name }))
  }

  /** Main's save dialog, then main writes there; returns where it went (for the message). */
  async saveFile(
    suggestedName: string,
    data: string | Uint8Array,
    kind: SaveKind,
  ): Promise<string | null> {
    const target = await this.invoke('dialog:save', { suggestedName, kind })
    if (!target) return null
    const { location } = await this.invoke('file:write', {
      handle: target.handle,
      data: data as string | Uint8Array<ArrayBuffer>,
    })
    return location
  }
}

/**
 * The Electron transport: the preload's narrow `window.seqcast` bridge. Files have real paths,
 * dialogs are native.
 */
import { SeqcastError, fromErrorInfo, isErrorInfo } from '@shared/errors'
import type { SeqcastBridge } from '@shared/ipc/bridge'
import type { Channel, EventName, Events, RequestOf, ResponseOf } from '@shared/ipc/contract'
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

  async invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
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

  fromDropped(files: File[]): PickedFile[] {
    return files.map((file) => {
      const path = this.bridge.pathForFile(file)
      if (!path) {
        throw new SeqcastError(
          'io',
          `${file.name}: this item has no file on disk (drop a file from a folder, not from a web page or an archive).`,
          { file: file.name },
        )
      }
      return { name: file.name, path }
    })
  }

  async fileSource(file: PickedFile): Promise<RequestOf<'dataset:import'>['source']> {
    if (file.path !== undefined) return { path: file.path }
    return { path: this.fromDropped([file.file])[0].path as string }
  }

  async openFilePicker(kind: 'csv' | 'model', multiple: boolean): Promise<PickedFile[] | null> {
    const result = await this.invoke('dialog:open', { kind, multiple })
    if (!result || result.paths.length === 0) return null
    return result.paths.map((path) => ({ path, name: path.split(/[\\/]/).pop() || path }))
  }

  async saveFile(
    suggestedName: string,
    data: string | Uint8Array,
    kind: SaveKind,
  ): Promise<string | null> {
    const result = await this.invoke('dialog:save', {
      suggestedName,
      kind,
      data: data as string | Uint8Array<ArrayBuffer>,
    })
    return result ? result.path : null
  }
}

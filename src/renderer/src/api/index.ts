import { BrowserClient } from './browser'
import { ElectronClient } from './desktop'
import type { SeqcastClient } from './types'

export type { SeqcastClient, PickedFile, ConnectionState } from './types'

let client: SeqcastClient | null = null

/** The one client of this window: Electron's bridge when the preload exposed it, else WebSocket. */
export function getClient(): SeqcastClient {
  if (!client) client = window.seqcast ? new ElectronClient(window.seqcast) : new BrowserClient()
  return client
}

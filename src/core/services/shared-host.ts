/** The process' one training engine, shared by the services when no host is passed in. */
import { EngineHost } from '../engine/host'

let shared: EngineHost | null = null

/** The process' one EngineHost (created on first use). */
export function sharedHost(): EngineHost {
  shared ??= new EngineHost()
  return shared
}

export async function disposeSharedHost(): Promise<void> {
  const host = shared
  shared = null
  await host?.dispose()
}

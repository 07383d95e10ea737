import { engineFacade } from './training-service'
import type { EngineFacade } from './handlers'

/** The engine both bindings use: one training worker per process (see engine/host.ts). */
export function createEngineFacade(): EngineFacade & { dispose(): Promise<void> } {
  return engineFacade()
}

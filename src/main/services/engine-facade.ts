// Placeholder until the training engine lands; replaced by the adapter over EngineHost.
import { SeqcastError } from '../../shared/errors'
import type { EngineFacade } from './handlers'

const notYet = async (): Promise<never> => {
  throw new SeqcastError('backend', 'The training engine is not wired in yet.')
}

export function createEngineFacade(): EngineFacade & { dispose(): Promise<void> } {
  return {
    backends: notYet,
    train: notYet,
    readModel: notYet,
    writeModelFolder: notYet,
    zipModel: notYet,
    predict: notYet,
    dispose: async () => {},
  }
}

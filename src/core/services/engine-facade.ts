/** The EngineFacade of handlers.ts over an EngineHost: what the Electron and browser bindings call. */
import type { Dataset } from '../../shared/series/dataset'
import type { RunConfig } from '../../shared/experiment'
import type { ModelPackage } from '../../shared/run'
import type { EngineHost } from '../engine/host'
import type { EngineFacade } from './handlers'
import { readModel, writeModelFolder, zipModel } from './model-files'
import { predictWithModel } from './predict-run'
import { backtestRun, type BacktestConfig, type BacktestOptions } from './backtest'
import { sharedHost } from './shared-host'
import { runArena, type ArenaOptions } from './arena'
import type { ExperimentConfig } from '../../shared/experiment'
import { trainRun, type TrainRunOptions } from './train-run'

export function createEngineFacade(
  host: EngineHost = sharedHost(),
): EngineFacade & { dispose(): Promise<void> } {
  return {
    backends: () => host.backends(),
    train: (dataset: Dataset, config: RunConfig, options: TrainRunOptions & { runId: string }) =>
      trainRun(dataset, config, { ...options, host }),
    readModel: (path: string, display?: string) => readModel(path, display),
    writeModelFolder: (dir: string, pkg: ModelPackage) => writeModelFolder(dir, pkg),
    zipModel: async (pkg: ModelPackage) => zipModel(pkg),
    predict: (pkg: ModelPackage, dataset: Dataset) => predictWithModel(pkg, dataset, { host }),
    backtest: (dataset: Dataset, config: BacktestConfig, options: BacktestOptions) =>
      backtestRun(dataset, config, { ...options, host }),
    arena: (dataset: Dataset, experiment: ExperimentConfig, options: Omit<ArenaOptions, 'host'>) =>
      runArena(dataset, experiment, { ...options, host }),
    dispose: () => host.dispose(),
  }
}

/**
 * What every model family hands back to `trainRun`: predictions in the data's units for the
 * validation and test windows and the future, how training went, and how to package the model
 * once its manifest (with the metrics) is known. `trainRun` evaluates all families the same way.
 */
import type { ModelManifest } from '../../../shared/manifest'
import type { BackendReport, EpochRecord, ModelPackage, StopReason } from '../../../shared/run'
import type { SplitPredictions } from '../../../shared/forecast/evaluate'
import type { EngineHost } from '../../engine/host'
import type { TrainRunOptions } from '../train-run'

export interface FamilyContext {
  runId: string
  host: EngineHost
  options: TrainRunOptions
}

export interface FamilyOutcome {
  predictions: SplitPredictions
  /** The forecast after the data's end (H values, data units); null when there is none. */
  future: Float64Array | null
  /** Start row of the window the future forecast comes from. */
  futureStart: number | null
  history: EpochRecord[]
  bestEpoch: number | null
  stopReason: StopReason
  stopMessage: string | null
  backend: BackendReport
  /** Statistical models with a closed-form variance: σ per horizon step (data units). */
  forecastSd?: number[] | null
  /** The exported model with the final manifest; null when nothing was fitted. */
  package(manifest: ModelManifest): ModelPackage | null
}

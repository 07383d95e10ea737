/**
 * From a window model's outputs (normalized learned values) to the data's units, and the
 * validation MAE computed from them. The Train view's live validation MAE (every epoch, in the
 * engine) and the Results / Library metrics (after training) both come from these two functions
 * on the same predictions, so the kept epoch's live number is the Results number.
 */
import { actualTargets } from '../baselines'
import { expectArg } from '../errors'
import { mae } from '../metrics'
import type { NormalizationStats } from '../series/normalize'
import { inverseTargets } from '../transforms/target'
import type { TargetTransform } from '../transforms/spec'
import type { WindowConfig } from '../windows/config'

/** What turns learned values back into data units: plain data, it crosses to the worker. */
export interface DataUnits {
  /** Normalization of the learned target: data = normalized · scale + center. */
  center: number
  scale: number
  /** The target's values in data units, one per row. */
  target: Float64Array
  transform: TargetTransform
}

/**
 * The data units of a model's learned target column `learnedName`: its normalization and the
 * target. Training and forecasting with an exported model both take them from here.
 */
export function dataUnitsOf(
  stats: NormalizationStats,
  learnedName: string,
  target: Float64Array,
  transform: TargetTransform,
): DataUnits {
  const i = stats.columns.indexOf(learnedName)
  expectArg(
    i >= 0,
    'normalization',
    `a column of ${stats.columns.join(', ')}`,
    learnedName,
    'model-mismatch',
  )
  return { center: stats.center[i], scale: stats.scale[i], target, transform }
}

/**
 * Predictions (normalized, n × H window-major) in data units: denormalized as
 * `denormalizeArray` does, then the transform undone from rows ≤ each window's last row.
 */
export function toDataUnits(
  normalized: ArrayLike<number>,
  starts: Int32Array,
  window: WindowConfig,
  units: DataUnits,
): Float64Array {
  const learned = new Float64Array(normalized.length)
  for (let i = 0; i < normalized.length; i++) {
    learned[i] = normalized[i] * units.scale + units.center
  }
  return inverseTargets(learned, units.target, starts, window, units.transform)
}

/** MAE in data units of the windows `starts` (n × H forecasts), as Results reports it. */
export function dataUnitsMae(
  normalized: ArrayLike<number>,
  starts: Int32Array,
  window: WindowConfig,
  units: DataUnits,
): number {
  return mae(
    actualTargets(units.target, starts, window),
    toDataUnits(normalized, starts, window, units),
  )
}

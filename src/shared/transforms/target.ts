/**
 * Forward (data units → what a window learns) and inverse (model output → data units) of the
 * target transforms in spec.ts.
 *
 * Layout for training: the learned value depends only on the target row r and the horizon step j
 * (for `change`, t = r − (h + j) with h the gap after the window), never on the window itself. So
 * the forward transform is one row-major matrix of rowCount × H values ("learned rows"), not one
 * array per window: 420k rows × H floats serve 200k+ windows of any split or backtest fold, and
 * the `every-step` target mode (row s + i·R + h + j, step j) reads the same matrix. A batch filler
 * reads step j of window s at `learned[(s + delay + j) · H + j]`; `learnedTargets` gathers the
 * same n × H window-major values that metrics and tests use.
 */
import { expectArg } from '../errors'
import { gapAfterWindow, type WindowConfig } from '../windows/config'
import { checkSeasonReach, type TargetTransform } from './spec'

type Values = ArrayLike<number>

/**
 * rowCount × H values, row-major: entry r·H + j is what a window whose step j targets row r
 * learns. NaN where it is undefined: `change` and `seasonal` rows whose earlier row lies before
 * row 0 (no window ever targets them with `change`; `seasonal` windows that do are dropped by
 * `firstTransformableStart`).
 */
export function learnedTargetRows(
  y: Values,
  window: WindowConfig,
  t: TargetTransform,
): Float64Array {
  if (t.kind === 'seasonal') checkSeasonReach(t, window)
  const H = window.horizon
  const z = levels(y, t)
  const out = new Float64Array(z.length * H)
  for (let j = 0; j < H; j++) {
    const lag = laggedBy(t, window, j)
    for (let r = 0; r < z.length; r++) {
      out[r * H + j] = lag === 0 ? z[r] : r >= lag ? z[r] - z[r - lag] : NaN
    }
  }
  return out
}

/** The learned values of windows `starts`, n × H window-major (index k·H + j). */
export function learnedTargets(
  rows: Float64Array,
  starts: Int32Array,
  window: WindowConfig,
): Float64Array {
  const H = window.horizon
  const out = new Float64Array(starts.length * H)
  for (let k = 0; k < starts.length; k++) {
    for (let j = 0; j < H; j++) out[k * H + j] = rows[(starts[k] + window.delay + j) * H + j]
  }
  return out
}

/**
 * The values the target's normalization is fitted on: learned rows of the training rows
 * [0, trainEnd), every step pooled (NaN skipped by `fitNormalization`). With `none` this is the
 * target's training rows, repeated H times, so its mean, std, min and max are today's.
 * Pass to `fitNormalization(kind, [{ name, values }], values.length)`.
 */
export function learnedTrainingValues(
  rows: Float64Array,
  trainEnd: number,
  window: WindowConfig,
): Float64Array {
  const H = window.horizon
  expectArg(
    Number.isInteger(trainEnd) && trainEnd >= 1 && trainEnd * H <= rows.length,
    'training rows',
    `a whole number from 1 to ${rows.length / H}`,
    trainEnd,
  )
  return rows.subarray(0, trainEnd * H)
}

/**
 * The first window start whose every step has a defined learned value: `seasonal` needs
 * r − m ≥ 0 for its first target r = s + delay, so s ≥ m − delay; the other kinds start at 0.
 * Training and early-stopping windows before it are dropped; forecasts there are NaN.
 */
export function firstTransformableStart(t: TargetTransform, window: WindowConfig): number {
  return t.kind === 'seasonal' ? Math.max(0, (t.seasonRows ?? 0) - window.delay) : 0
}

/**
 * Model outputs in learned units (denormalized, n × H window-major) back to data units, reading
 * only rows ≤ t = s + (L − 1)·R of each window: z[t] for `change`, z[r − m] with r − m ≤ t for
 * `seasonal` (the season is checked), then exp for `log`.
 */
export function inverseTargets(
  learned: Values,
  y: Values,
  starts: Int32Array,
  window: WindowConfig,
  t: TargetTransform,
): Float64Array {
  const H = window.horizon
  expectArg(
    learned.length === starts.length * H,
    'forecasts',
    `${starts.length} windows × ${H} steps = ${starts.length * H} values`,
    learned.length,
  )
  if (t.kind === 'seasonal') checkSeasonReach(t, window)
  const lastOffset = (window.sequenceLength - 1) * window.samplingRate
  const level = (row: number) => (row < 0 ? NaN : t.log ? Math.log(y[row]) : y[row])
  const out = new Float64Array(learned.length)
  for (let k = 0; k < starts.length; k++) {
    const s = starts[k]
    for (let j = 0; j < H; j++) {
      let anchor = 0
      if (t.kind === 'change') anchor = level(s + lastOffset)
      else if (t.kind === 'seasonal') anchor = level(s + window.delay + j - t.seasonRows!)
      const z = learned[k * H + j] + anchor
      out[k * H + j] = t.log ? Math.exp(z) : z
    }
  }
  return out
}

/** Rows between the target and the row it is differenced with, for step j (0: no difference). */
function laggedBy(t: TargetTransform, window: WindowConfig, j: number): number {
  if (t.kind === 'change') return gapAfterWindow(window) + j
  if (t.kind === 'seasonal') return t.seasonRows!
  return 0
}

function levels(y: Values, t: TargetTransform): Float64Array {
  const z = new Float64Array(y.length)
  for (let r = 0; r < y.length; r++) z[r] = t.log ? Math.log(y[r]) : y[r]
  return z
}

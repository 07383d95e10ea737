/**
 * Adaptive conformal inference (Gibbs & Candès 2021, "Adaptive conformal inference under
 * distribution shift") along the test split, one α per horizon step.
 *
 * Step j of the window with last row t gets the half-width Q(1 − α_j) of the absolute residuals
 * known at row t, with the finite-sample rank of conformal.ts (∞ when α_j ≤ 0 or the rank exceeds
 * the count, 0 when α_j ≥ 1). A residual is known once its target row is ≤ t: validation and test
 * windows alike, so a target at t + h reaches the forecasts only from row t + h on and the
 * updates lag by the horizon. When the residual of a test window becomes known, its miss
 * (1 if the actual fell outside the interval it was given) updates
 *   α_j ← α_j + γ·(α − miss)
 * so misses widen later intervals and hits narrow them; over T windows the miss rate is within
 * (max(α, 1 − α) + γ)/(γT) of α whatever the errors do. γ = 0.005 as in the paper.
 *
 * The residual set grows (validation residuals, then test residuals as they arrive) rather than
 * sliding, so the interval keeps the calibration's sample size and α does the adapting.
 */
import type { WindowConfig } from '../windows/config'
import { checkForecasts, checkLevel, conformalRank, type Bands } from './conformal'
import { GrowingOrderStatistic } from './order-statistic'

export const DEFAULT_ACI_GAMMA = 0.005

/** Windows in chronological order with their actuals and forecasts (n × H window-major). */
export interface WindowForecasts {
  starts: Int32Array
  actual: ArrayLike<number>
  predicted: ArrayLike<number>
}

export interface AdaptiveBands extends Bands {
  /** α_j each forecast was given (n × H window-major). */
  alpha: Float64Array
  /** α per step once every residual is known: the state for the future forecast. */
  finalAlpha: number[]
  /** Half-width per step for a forecast made after the last row (null: unbounded). */
  finalRadius: (number | null)[]
}

/**
 * Intervals for `forecasts` (the test windows), calibrated on `calibration` (the validation
 * windows, all before the test windows) and adapted as the test actuals arrive.
 */
export function adaptiveBands(
  calibration: WindowForecasts,
  forecasts: WindowForecasts,
  window: WindowConfig,
  level: number,
  gamma = DEFAULT_ACI_GAMMA,
): AdaptiveBands {
  return adaptiveBandsAt(calibration, forecasts, window, [level], gamma)[0]
}

/**
 * `adaptiveBands` at several levels in one pass: each level keeps its own α, and they share the
 * residuals known at each row (one sort per horizon step instead of one per level).
 */
export function adaptiveBandsAt(
  calibration: WindowForecasts,
  forecasts: WindowForecasts,
  window: WindowConfig,
  levels: readonly number[],
  gamma = DEFAULT_ACI_GAMMA,
): AdaptiveBands[] {
  levels.forEach(checkLevel)
  const H = window.horizon
  checkForecasts(calibration.actual, calibration.predicted, H)
  checkForecasts(forecasts.actual, forecasts.predicted, H)
  const nCal = calibration.starts.length
  const n = forecasts.starts.length
  const lastOffset = (window.sequenceLength - 1) * window.samplingRate
  const out: AdaptiveBands[] = levels.map(() => ({
    lower: new Float64Array(n * H),
    upper: new Float64Array(n * H),
    alpha: new Float64Array(n * H),
    finalAlpha: [],
    finalRadius: [],
  }))

  for (let j = 0; j < H; j++) {
    // Events in target-row order: validation windows precede test windows, starts ascend.
    const rows = new Int32Array(nCal + n)
    const scores = new Float64Array(nCal + n)
    for (let e = 0; e < nCal + n; e++) {
      const src = e < nCal ? calibration : forecasts
      const k = e < nCal ? e : e - nCal
      rows[e] = src.starts[k] + window.delay + j
      scores[e] = Math.abs(src.actual[k * H + j] - src.predicted[k * H + j])
    }
    const known = new GrowingOrderStatistic(scores.map((v) => (Number.isNaN(v) ? Infinity : v)))
    const radius = (alpha: number) => {
      const k = conformalRank(known.size, 1 - alpha)
      if (alpha <= 0 || k > known.size) return Infinity
      return k <= 0 ? 0 : known.kth(k)
    }
    const alphas = levels.map((level) => 1 - level)
    let next = 0
    const reveal = (row: number) => {
      while (next < rows.length && rows[next] <= row) {
        const e = next++
        if (Number.isNaN(scores[e])) continue
        known.insert(e)
        if (e < nCal) continue
        const i = (e - nCal) * H + j
        const a = forecasts.actual[i]
        out.forEach((b, l) => {
          const miss = a < b.lower[i] || a > b.upper[i] ? 1 : 0
          alphas[l] += gamma * (1 - levels[l] - miss)
        })
      }
    }
    for (let k = 0; k < n; k++) {
      reveal(forecasts.starts[k] + lastOffset)
      const i = k * H + j
      out.forEach((b, l) => {
        const r = radius(alphas[l])
        b.alpha[i] = alphas[l]
        b.lower[i] = forecasts.predicted[i] - r
        b.upper[i] = forecasts.predicted[i] + r
      })
    }
    reveal(Infinity)
    out.forEach((b, l) => {
      b.finalAlpha.push(alphas[l])
      const r = radius(alphas[l])
      b.finalRadius.push(Number.isFinite(r) ? r : null)
    })
  }
  return out
}

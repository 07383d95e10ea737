/**
 * Empirical coverage and mean width of intervals over a split (or a backtest fold): the share of
 * actuals inside [lower, upper] and the mean of upper − lower, both over the pairs whose actual
 * is known. An unbounded interval covers and has width ∞, so a split with one makes the mean
 * width ∞ (reported as null in JSON): honest about intervals that say nothing.
 */
import { expectArg } from '../errors'

export interface IntervalCoverage {
  /** 0 … 1; NaN with no pairs. */
  coverage: number
  meanWidth: number
  /** Pairs that entered (missing actuals or bounds skipped). */
  n: number
}

export function intervalCoverage(
  actual: ArrayLike<number>,
  lower: ArrayLike<number>,
  upper: ArrayLike<number>,
): IntervalCoverage {
  expectArg(
    lower.length === actual.length && upper.length === actual.length,
    'interval inputs',
    `bounds for all ${actual.length} actual values`,
    `${lower.length} lower and ${upper.length} upper bounds`,
  )
  let covered = 0
  let width = 0
  let n = 0
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]
    if (Number.isNaN(a) || Number.isNaN(lower[i]) || Number.isNaN(upper[i])) continue
    n++
    if (a >= lower[i] && a <= upper[i]) covered++
    width += upper[i] - lower[i]
  }
  return n === 0
    ? { coverage: NaN, meanWidth: NaN, n }
    : { coverage: covered / n, meanWidth: width / n, n }
}

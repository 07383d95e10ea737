/**
 * Empirical coverage and mean width of intervals over a split (or a backtest fold): the share of
 * actuals inside [lower, upper] over the pairs whose actual is known, and the mean of
 * upper − lower over those whose interval is bounded. An unbounded interval (too few validation
 * windows for the level; ACI after a run of misses) covers its actual and is counted apart:
 * folding its ∞ into the mean would make one such interval hide the width of thousands.
 */
import { expectArg } from '../errors'

export interface IntervalCoverage {
  /** 0 … 1; NaN with no pairs. */
  coverage: number
  /** Mean upper − lower of the bounded intervals; NaN when none is bounded. */
  meanWidth: number
  /** Pairs that entered (missing actuals or bounds skipped). */
  n: number
  /** Of the n, intervals with an infinite bound (they count as covering). */
  unbounded: number
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
  let unbounded = 0
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]
    if (Number.isNaN(a) || Number.isNaN(lower[i]) || Number.isNaN(upper[i])) continue
    n++
    if (a >= lower[i] && a <= upper[i]) covered++
    if (Number.isFinite(lower[i]) && Number.isFinite(upper[i])) width += upper[i] - lower[i]
    else unbounded++
  }
  return {
    coverage: n === 0 ? NaN : covered / n,
    meanWidth: n === unbounded ? NaN : width / (n - unbounded),
    n,
    unbounded,
  }
}

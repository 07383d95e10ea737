/**
 * On which scale conformal residuals are ranked. 'absolute': |y − ŷ| in data units, one
 * half-width per horizon step for every window. 'relative': |y − ŷ| / |ŷ|, so the band is
 * ŷ · (1 ± r) and widens with the level, as the errors of a positive series with a
 * multiplicative season or a growing trend do (AirPassengers: its validation years are calmer
 * than its test years, and absolute half-widths from them covered 69 % of the test targets at
 * 90 %; relative ones 85 %, the most 13 targets allow below 92 %). For a series that crosses
 * or nears zero (temperatures in °C, sunspots with their zero months) the ratio means nothing,
 * so the choice is made from the rows a run may look at (training and validation), never from
 * the test rows: relative when every known value there is positive and the smallest is at
 * least RELATIVE_FLOOR of the median.
 */
import { finiteExtent } from '../series/extent'
import type { Bands } from './conformal'

export type IntervalScale = 'absolute' | 'relative'

/** Smallest value, as a share of the median, for which a positive series is ranked relatively. */
export const RELATIVE_FLOOR = 0.05

/** Why the scale was chosen, for the UI and metrics.json. */
export function chooseScale(
  target: ArrayLike<number>,
  end: number,
): { scale: IntervalScale; reason: string } {
  const known: number[] = []
  for (let i = 0; i < Math.min(end, target.length); i++)
    if (Number.isFinite(target[i])) known.push(target[i])
  if (known.length === 0) return { scale: 'absolute', reason: 'no known values' }
  const min = finiteExtent(known)!.min
  if (min <= 0)
    return {
      scale: 'absolute',
      reason: `the target reaches ${min} in the training and validation rows (not positive)`,
    }
  const sorted = known.sort((a, b) => a - b)
  const median = sorted[Math.floor(sorted.length / 2)]
  if (min < RELATIVE_FLOOR * median)
    return {
      scale: 'absolute',
      reason: `the target falls to ${min}, under ${RELATIVE_FLOOR * 100} % of its median ${median}`,
    }
  return {
    scale: 'relative',
    reason:
      'the target stays positive and away from zero: residuals are ranked relative to the forecast',
  }
}

/** |ŷ|, floored so that a forecast of exactly 0 cannot divide by zero. */
function unit(p: number): number {
  return Math.max(Math.abs(p), 1e-12)
}

/** Forecasts and actuals divided by |ŷ| (relative), or as they are (absolute). */
export function toScale<T extends { actual: ArrayLike<number>; predicted: ArrayLike<number> }>(
  f: T,
  scale: IntervalScale,
): T {
  if (scale === 'absolute') return f
  const p = f.predicted
  return {
    ...f,
    actual: Float64Array.from(f.actual, (v, i) => v / unit(p[i])),
    predicted: Float64Array.from(p, (v) => v / unit(v)),
  }
}

/** Bands computed on the relative scale back in data units (× |ŷ|). */
export function fromScale(bands: Bands, predicted: ArrayLike<number>, scale: IntervalScale): Bands {
  if (scale === 'absolute') return bands
  return {
    lower: Float64Array.from(bands.lower, (v, i) => v * unit(predicted[i])),
    upper: Float64Array.from(bands.upper, (v, i) => v * unit(predicted[i])),
  }
}

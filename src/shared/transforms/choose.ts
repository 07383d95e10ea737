/**
 * The default target transform, with the sentence the Experiment view and the CLI show.
 *
 * A model of the levels fails where the test values leave the range its normalization and its
 * output saw (monthly CO2: a flat line under the data). Learning the change from the window's
 * last value does not, so `change` is chosen when either test says the level will move:
 * - trend: a straight line through the training rows explains at least half of their variance
 *   (R² ≥ 0.5). Daily or hourly weather over several years has R² near 0; CO2, a stock index or a
 *   random walk are far above. (A series with one season spanning the whole training split can
 *   reach it too: learning the change is a safe choice there as well.)
 * - range: more than 5 % of the validation values lie outside the training [min, max]. For
 *   i.i.d. data the expected share is 2 / (n + 1) for n training rows, so 5 % means a real shift.
 * The validation rows may be used for choices (DESIGN.md); the test rows are not read.
 */
import { formatNumber } from '../format'
import { numericStats } from '../series/column-stats'
import type { SplitRanges } from '../series/split'
import { NO_TRANSFORM, type TargetTransform } from './spec'

export const TREND_R2 = 0.5
export const OUTSIDE_SHARE = 0.05

export interface TransformChoice {
  transform: TargetTransform
  /** One sentence for the UI and the CLI saying why. */
  reason: string
  /** Share of the training target's variance a straight line explains (NaN when constant). */
  trendR2: number
  /** Share of the validation values outside the training range (NaN without validation rows). */
  outsideShare: number
  trainRange: [number, number]
}

export function chooseTargetTransform(
  y: ArrayLike<number>,
  ranges: Pick<SplitRanges, 'train' | 'val'>,
): TransformChoice {
  const trainEnd = Math.min(ranges.train.end, y.length)
  const stats = numericStats(y, trainEnd)
  const trendR2 = lineR2(y, trainEnd)
  let outside = 0
  let seen = 0
  for (let r = ranges.val.start; r < Math.min(ranges.val.end, y.length); r++) {
    const v = y[r]
    if (Number.isNaN(v)) continue
    seen++
    if (v < stats.min || v > stats.max) outside++
  }
  const outsideShare = seen === 0 ? NaN : outside / seen
  const range = `${formatNumber(stats.min)} … ${formatNumber(stats.max)}`
  const pct = (x: number) => `${formatNumber(Math.round(x * 1000) / 10)} %`
  const change: TargetTransform = { kind: 'change', log: false, seasonRows: null }
  const undo = 'forecasts are turned back into data units before any metric'
  const base = { trendR2, outsideShare, trainRange: [stats.min, stats.max] as [number, number] }
  if (trendR2 >= TREND_R2) {
    return {
      ...base,
      transform: change,
      reason:
        `Change: the training target trends (a straight line explains ${pct(trendR2)} of its variance); ` +
        `windows learn the change from their last value and ${undo}.`,
    }
  }
  if (outsideShare > OUTSIDE_SHARE) {
    return {
      ...base,
      transform: change,
      reason:
        `Change: ${pct(outsideShare)} of the validation values lie outside the training range ${range}, ` +
        `which a model of the levels cannot reach; windows learn the change from their last value and ${undo}.`,
    }
  }
  const trend = Number.isNaN(trendR2)
    ? 'is constant'
    : `has no clear trend (a straight line explains ${pct(trendR2)} of its variance)`
  const val = seen === 0 ? '' : ` and the validation values stay within its range ${range}`
  return {
    ...base,
    transform: NO_TRANSFORM,
    reason: `None: the training target ${trend}${val}, so windows learn the values themselves.`,
  }
}

/** R² of the least-squares line y ≈ a + b·r over rows [0, end) (NaN skipped; NaN if constant). */
export function lineR2(y: ArrayLike<number>, end: number): number {
  let n = 0
  let mx = 0
  let my = 0
  for (let r = 0; r < end; r++) {
    if (Number.isNaN(y[r])) continue
    n++
    mx += r
    my += y[r]
  }
  if (n < 2) return NaN
  mx /= n
  my /= n
  let sxy = 0
  let sxx = 0
  let syy = 0
  for (let r = 0; r < end; r++) {
    const v = y[r]
    if (Number.isNaN(v)) continue
    sxy += (r - mx) * (v - my)
    sxx += (r - mx) * (r - mx)
    syy += (v - my) * (v - my)
  }
  return syy > 0 ? (sxy * sxy) / (sxx * syy) : NaN
}

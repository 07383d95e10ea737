import { SeqcastError, expectArg } from '../../shared/errors'
import type { StatFilter } from './filter'

/**
 * Per-window forecasts by one forward pass (DESIGN.md, "The evaluation contract"): the filter
 * takes rows 0…t in order, and the window whose last row is t gets the forecasts for steps
 * `h … h+H−1` from the state at t; rows after t are never read for it.
 * Returns `lastRows.length × H` values, window-major, in the order of `lastRows`.
 */
export function runWindows(
  filter: StatFilter,
  series: Float64Array,
  lastRows: Int32Array,
  h: number,
  H: number,
): Float64Array {
  expectArg(Number.isInteger(h) && h >= 1, 'forecast step h', 'a whole number ≥ 1', h)
  expectArg(Number.isInteger(H) && H >= 1, 'horizon', 'a whole number ≥ 1', H)
  const out = new Float64Array(lastRows.length * H)
  if (lastRows.length === 0) return out
  const order = Array.from(lastRows.keys()).sort((a, b) => lastRows[a] - lastRows[b])
  const lastNeeded = lastRows[order[order.length - 1]]
  if (lastRows[order[0]] < 0 || lastNeeded >= series.length) {
    throw new SeqcastError(
      'window',
      `Statistical forecast: window last rows must lie in 0…${series.length - 1}, received ${lastRows[order[0]]}…${lastNeeded}.`,
      { setting: 'lastRows', received: [lastRows[order[0]], lastNeeded] },
    )
  }
  let next = 0
  for (let t = 0; t <= lastNeeded; t++) {
    filter.update(series[t])
    while (next < order.length && lastRows[order[next]] === t) {
      filter.forecast(h, H, out, order[next] * H)
      next++
    }
  }
  return out
}

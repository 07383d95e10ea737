/**
 * The smallest and largest finite value of a series, in one pass. `Math.min(...values)` passes
 * every value as an argument and overflows the call stack past about 100,000 of them (the
 * training rows of a 420,451-row file, the test windows of a run with stride 1).
 */
export function finiteExtent(values: Iterable<number>): { min: number; max: number } | null {
  let min = Infinity
  let max = -Infinity
  for (const v of values) {
    if (!Number.isFinite(v)) continue
    if (v < min) min = v
    if (v > max) max = v
  }
  return min <= max ? { min, max } : null
}

/** Per-pixel min/max of a series (NaN where a bucket has no values), and the overall range. */
export function envelope(
  values: ArrayLike<number>,
  width: number,
): { min: Float64Array; max: Float64Array; lo: number; hi: number } | null {
  const n = values.length
  if (n === 0 || width <= 0) return null
  const min = new Float64Array(width).fill(NaN)
  const max = new Float64Array(width).fill(NaN)
  let lo = Infinity
  let hi = -Infinity
  for (let i = 0; i < n; i++) {
    const v = values[i]
    if (!Number.isFinite(v)) continue
    const x = Math.min(width - 1, Math.floor((i * width) / n))
    if (!(v >= min[x])) min[x] = v
    if (!(v <= max[x])) max[x] = v
    if (v < lo) lo = v
    if (v > hi) hi = v
  }
  return lo === Infinity ? null : { min, max, lo, hi }
}

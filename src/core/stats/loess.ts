/**
 * The local regression of STL (Cleveland, Cleveland, McRae & Terpenning 1990): at each point, a
 * line (degree 1) or a mean (degree 0) fitted by tricube weights to the q nearest points of an
 * evenly spaced series. With `jump` > 1 the fit runs at every jump-th point and the rest is
 * interpolated linearly, as R's `stl` does by default.
 */
export function loessAt(
  y: ArrayLike<number>,
  n: number,
  x: number,
  q: number,
  degree: 0 | 1,
): number {
  const width = Math.min(q, n)
  let left = Math.round(x) - Math.floor((width - 1) / 2)
  left = Math.max(0, Math.min(left, n - width))
  const right = left + width - 1
  let h = Math.max(x - left, right - x)
  if (q > n) h += Math.floor((q - n) / 2)
  let total = 0
  let weighted = 0
  let sx = 0
  const weights = scratchWeights(width)
  for (let j = left; j <= right; j++) {
    const r = Math.abs(j - x)
    let w = 0
    if (r <= 0.999 * h) {
      const u = h > 0 ? r / h : 0
      const c = 1 - u * u * u
      w = c * c * c
    }
    weights[j - left] = w
    total += w
  }
  if (total <= 0) return y[Math.max(0, Math.min(n - 1, Math.round(x)))]
  for (let j = left; j <= right; j++) sx += (weights[j - left] / total) * j
  let spread = 0
  if (degree === 1) {
    for (let j = left; j <= right; j++) spread += (weights[j - left] / total) * (j - sx) * (j - sx)
  }
  const useSlope = degree === 1 && Math.sqrt(spread) > 0.001 * (n - 1)
  for (let j = left; j <= right; j++) {
    let w = weights[j - left] / total
    if (useSlope) w *= 1 + ((x - sx) * (j - sx)) / spread
    weighted += w * y[j]
  }
  return weighted
}

let weightBuffer = new Float64Array(64)
function scratchWeights(size: number): Float64Array {
  if (weightBuffer.length < size) weightBuffer = new Float64Array(size * 2)
  return weightBuffer
}

/** Smooths `y` (length n) into `out` at positions 0…n−1, fitting every `jump`-th point. */
export function loessSmooth(
  y: ArrayLike<number>,
  n: number,
  q: number,
  degree: 0 | 1,
  jump: number,
  out: Float64Array,
): void {
  if (n === 1) {
    out[0] = y[0]
    return
  }
  const step = Math.max(1, Math.min(jump, n - 1))
  let previous = 0
  for (let i = 0; i < n; i += step) {
    out[i] = loessAt(y, n, i, q, degree)
    fill(previous, i)
    previous = i
  }
  if (previous !== n - 1) {
    out[n - 1] = loessAt(y, n, n - 1, q, degree)
    fill(previous, n - 1)
  }
  function fill(a: number, b: number): void {
    for (let i = a + 1; i < b; i++) out[i] = out[a] + ((out[b] - out[a]) * (i - a)) / (b - a)
  }
}

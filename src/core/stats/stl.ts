import { loessAt, loessSmooth } from './loess'

/**
 * STL, the seasonal-trend decomposition by loess (Cleveland et al. 1990), inner loop only (no
 * robustness weights), with the windows of statsmodels' STL: trend ⌈1.5m / (1 − 1.5/n_s)⌉ and
 * low-pass m, both made odd, degree 1 throughout.
 */
export interface StlResult {
  seasonal: Float64Array
  trend: Float64Array
}

const odd = (v: number): number => (v % 2 === 0 ? v + 1 : v)

export function stl(y: Float64Array, m: number, seasonalWindow: number, innerLoops = 2): StlResult {
  const n = y.length
  const ns = odd(Math.max(3, seasonalWindow))
  const nt = odd(Math.ceil((1.5 * m) / (1 - 1.5 / ns)))
  const nl = odd(m)
  const jump = (q: number): number => Math.ceil(q / 10)
  const trend = new Float64Array(n)
  const seasonal = new Float64Array(n)
  const cycle = new Float64Array(n + 2 * m)
  const detrended = new Float64Array(n)
  const adjusted = new Float64Array(n)
  const low = new Float64Array(n)
  const subLength = Math.ceil(n / m) + 2
  const sub = new Float64Array(subLength)
  const subSmooth = new Float64Array(subLength)
  for (let loop = 0; loop < innerLoops; loop++) {
    for (let t = 0; t < n; t++) detrended[t] = y[t] - trend[t]
    // Cycle-subseries: smooth each phase, extended by one season at both ends.
    for (let phase = 0; phase < m; phase++) {
      let k = 0
      for (let t = phase; t < n; t += m) sub[k++] = detrended[t]
      loessSmooth(sub, k, ns, 1, jump(ns), subSmooth)
      cycle[phase] = loessAt(sub, k, -1, ns, 1)
      for (let i = 0; i < k; i++) cycle[m + phase + i * m] = subSmooth[i]
      const after = m + phase + k * m
      if (after < n + 2 * m) cycle[after] = loessAt(sub, k, k, ns, 1)
    }
    // Low-pass: moving averages of m, m and 3, then loess; removes what the season leaked of the trend.
    lowPass(cycle, n, m, nl, jump(nl), low)
    for (let t = 0; t < n; t++) {
      seasonal[t] = cycle[m + t] - low[t]
      adjusted[t] = y[t] - seasonal[t]
    }
    loessSmooth(adjusted, n, nt, 1, jump(nt), trend)
  }
  return { seasonal, trend }
}

function movingAverage(values: Float64Array, length: number, window: number): Float64Array {
  const out = new Float64Array(length - window + 1)
  let sum = 0
  for (let i = 0; i < window; i++) sum += values[i]
  out[0] = sum / window
  for (let i = 1; i < out.length; i++) {
    sum += values[i + window - 1] - values[i - 1]
    out[i] = sum / window
  }
  return out
}

function lowPass(
  cycle: Float64Array,
  n: number,
  m: number,
  nl: number,
  jump: number,
  out: Float64Array,
): void {
  const first = movingAverage(cycle, n + 2 * m, m)
  const second = movingAverage(first, first.length, m)
  const third = movingAverage(second, second.length, 3)
  loessSmooth(third, n, nl, 1, jump, out)
}

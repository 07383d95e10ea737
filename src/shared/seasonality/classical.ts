/**
 * Classical decomposition (Kendall & Stuart; R's `decompose`): a centred moving average of one
 * season estimates the trend, and the mean of the detrended values at each phase of the season
 * estimates the seasonal index. Used to start ETS, to adjust the Theta method, and to measure
 * seasonal strength when suggesting a season.
 */
export type SeasonalKind = 'additive' | 'multiplicative'

/**
 * Centred moving average over one season (2×m when m is even so that it stays centred); NaN
 * where the average would need rows outside `[0, n)`.
 */
export function centredMovingAverage(values: ArrayLike<number>, m: number): Float64Array {
  const n = values.length
  const out = new Float64Array(n).fill(NaN)
  const half = Math.floor(m / 2)
  if (m % 2 === 1) {
    let sum = 0
    for (let i = 0; i < Math.min(m, n); i++) sum += values[i]
    for (let t = half; t + half < n; t++) {
      out[t] = sum / m
      if (t + half + 1 < n) sum += values[t + half + 1] - values[t - half]
    }
    return out
  }
  // Even m: the mean of two adjacent m-sums, weights ½ at both ends.
  let sum = 0
  for (let i = 0; i < Math.min(m, n); i++) sum += values[i]
  for (let t = half; t + half < n; t++) {
    // sum covers rows [t − half, t + half − 1]
    const next = sum - values[t - half] + values[t + half]
    out[t] = (sum + next) / (2 * m)
    sum = next
  }
  return out
}

/**
 * Seasonal indices by phase (`index[r mod m]` applies to row r), normalized to sum 0 (additive)
 * or to mean 1 (multiplicative). Phases that no complete window covers get the neutral value.
 */
export function seasonalIndices(
  values: ArrayLike<number>,
  m: number,
  kind: SeasonalKind,
): Float64Array {
  const trend = centredMovingAverage(values, m)
  const sums = new Float64Array(m)
  const counts = new Float64Array(m)
  for (let t = 0; t < values.length; t++) {
    const tr = trend[t]
    const v = values[t]
    if (!Number.isFinite(tr) || !Number.isFinite(v)) continue
    if (kind === 'multiplicative' && tr === 0) continue
    sums[t % m] += kind === 'additive' ? v - tr : v / tr
    counts[t % m] += 1
  }
  const neutral = kind === 'additive' ? 0 : 1
  const index = new Float64Array(m)
  let total = 0
  for (let j = 0; j < m; j++) {
    index[j] = counts[j] > 0 ? sums[j] / counts[j] : neutral
    total += index[j]
  }
  const mean = total / m
  for (let j = 0; j < m; j++) {
    index[j] = kind === 'additive' ? index[j] - mean : mean !== 0 ? index[j] / mean : 1
  }
  return index
}

import { centredMovingAverage, seasonalIndices } from './classical'

/**
 * Seasonal strength of Wang, Smith & Hyndman (2006), 1 − Var(R) / Var(S + R), with S and R from a
 * classical additive decomposition: the share of the detrended variance that one repeating profile
 * of m rows explains. Adjusted for the m − 1 phase means fitted (as adjusted R²), since on noise
 * the raw share is about one over the number of cycles; clamped to [0, 1]. Near 0 for noise or a
 * cycle that is not m rows long, near 1 for a stable season; 0 with fewer than two seasons.
 */
export function seasonalStrength(values: ArrayLike<number>, m: number): number {
  const n = values.length
  if (m < 2 || n < 2 * m) return 0
  const trend = centredMovingAverage(values, m)
  const detrended = new Float64Array(n)
  for (let t = 0; t < n; t++) detrended[t] = values[t] - trend[t]
  const index = seasonalIndices(values, m, 'additive')
  let sumD = 0
  let sumR = 0
  let count = 0
  for (let t = 0; t < n; t++) {
    if (!Number.isFinite(detrended[t])) continue
    sumD += detrended[t]
    sumR += detrended[t] - index[t % m]
    count++
  }
  const meanD = sumD / count
  const meanR = sumR / count
  let varD = 0
  let varR = 0
  for (let t = 0; t < n; t++) {
    if (!Number.isFinite(detrended[t])) continue
    varD += (detrended[t] - meanD) ** 2
    varR += (detrended[t] - index[t % m] - meanR) ** 2
  }
  if (!(varD > 0) || count <= m) return 0
  return Math.max(0, 1 - ((varR / varD) * (count - 1)) / (count - m))
}

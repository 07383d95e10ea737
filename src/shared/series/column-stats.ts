/**
 * Summary statistics of one numeric column and detection of sentinel values such as -9999.
 * Statistics describe the values as stored (sentinels included, NaN excluded): a -9999 shows up
 * as the minimum, next to the sentinel warning, until the user treats sentinels as missing.
 * `std` is the population standard deviation (ddof = 0, numpy's default).
 */

export interface NumericStats {
  /** Non-missing values. */
  count: number
  /** NaN cells. */
  missing: number
  min: number
  max: number
  mean: number
  std: number
}

/** Values that data loggers and exports commonly write for "no reading". */
export const DEFAULT_SENTINEL_CANDIDATES: readonly number[] = [
  -9999, -999, -99999, -999999, 9999, 99999, 999999, -9999.9, -999.9, 9999.9, -99.99, -99.9,
]

export function numericStats(values: ArrayLike<number>, length = values.length): NumericStats {
  let count = 0
  let sum = 0
  let min = Infinity
  let max = -Infinity
  for (let i = 0; i < length; i++) {
    const v = values[i]
    if (v !== v) continue
    count++
    sum += v
    if (v < min) min = v
    if (v > max) max = v
  }
  const missing = length - count
  if (count === 0) return { count, missing, min: NaN, max: NaN, mean: NaN, std: NaN }
  const mean = sum / count
  let ss = 0
  if (Number.isFinite(mean)) {
    for (let i = 0; i < length; i++) {
      const v = values[i]
      if (v !== v) continue
      const d = v - mean
      ss += d * d
    }
  }
  return {
    count,
    missing,
    min,
    max,
    mean,
    std: Number.isFinite(mean) ? Math.sqrt(ss / count) : NaN,
  }
}

/** True when every non-missing value is a whole number (counts, years, units), and there is one. */
export function wholeNumbers(values: ArrayLike<number>, length = values.length): boolean {
  let any = false
  for (let i = 0; i < length; i++) {
    const v = values[i]
    if (v !== v) continue
    if (!Number.isInteger(v)) return false
    any = true
  }
  return any
}

export interface SentinelCount {
  value: number
  count: number
}

/**
 * Counts sentinel values in a column. With `explicit` values (the user's list) every occurrence
 * counts. Otherwise a default candidate counts only when it lies outside the range of the
 * column's other values (so a -999 inside data that really spans -2000…2000 is not flagged).
 */
export function findSentinels(
  values: ArrayLike<number>,
  length = values.length,
  explicit?: readonly number[],
): SentinelCount[] {
  const candidates = explicit ?? DEFAULT_SENTINEL_CANDIDATES
  if (candidates.length === 0) return []
  const list = Float64Array.from(new Set(candidates))
  const k = list.length
  const counts = new Float64Array(k)
  // values strictly inside (-near, near) cannot be a candidate: skip the comparisons
  let near = Infinity
  for (let j = 0; j < k; j++) near = Math.min(near, Math.abs(list[j]))
  let min = Infinity
  let max = -Infinity
  for (let i = 0; i < length; i++) {
    const v = values[i]
    if (v !== v) continue
    if (v <= -near || v >= near) {
      let j = 0
      while (j < k && list[j] !== v) j++
      if (j < k) {
        counts[j]++
        continue
      }
    }
    if (v < min) min = v
    if (v > max) max = v
  }
  const out: SentinelCount[] = []
  for (let j = 0; j < k; j++) {
    const value = list[j]
    const count = counts[j]
    if (count === 0) continue
    if (explicit || min === Infinity || value < min || value > max) out.push({ value, count })
  }
  return out.sort((a, b) => b.count - a.count || a.value - b.value)
}

export interface NumericSummary extends NumericStats {
  sentinels: SentinelCount[]
  /** Range of the values that are not sentinel candidates (NaN when there are none). */
  restMin: number
  restMax: number
}

/**
 * `numericStats` and `findSentinels` for the import of large files: one pass for the statistics
 * (variance from sums shifted by the first value, exact far below the printed digits for
 * measured data), and a second pass only when the range reaches a sentinel candidate. The loops
 * have no rarely-taken branches, so optimized code is not thrown away half-way through a column.
 */
export function summarizeNumeric(
  values: ArrayLike<number>,
  length = values.length,
  explicit?: readonly number[],
): NumericSummary {
  let first = 0
  while (first < length && values[first] !== values[first]) first++
  const shift = first < length ? values[first] : 0
  // [count, Σ(v − shift), Σ(v − shift)², min, max], summed over slices: a function called many
  // times on short slices gets optimized; one long loop would run unoptimized for a long while
  const sums = Float64Array.of(0, 0, 0, Infinity, -Infinity)
  for (let i = first; i < length; i += SLICE)
    sumsOf(values, i, Math.min(length, i + SLICE), shift, sums)
  const [count, s1, s2, min, max] = sums
  const missing = length - count
  if (count === 0) {
    return {
      count,
      missing,
      min: NaN,
      max: NaN,
      mean: NaN,
      std: NaN,
      sentinels: [],
      restMin: NaN,
      restMax: NaN,
    }
  }
  const m1 = s1 / count
  const mean = shift + m1
  const std = Number.isFinite(mean) ? Math.sqrt(Math.max(0, s2 / count - m1 * m1)) : NaN
  const list = Float64Array.from(new Set(explicit ?? DEFAULT_SENTINEL_CANDIDATES))
  let reachable = false
  for (let j = 0; j < list.length; j++) if (list[j] >= min && list[j] <= max) reachable = true
  let sentinels: SentinelCount[] = []
  let restMin = min
  let restMax = max
  if (reachable) {
    // [restMin, restMax, count of list[0], count of list[1], …]
    const hits = new Float64Array(2 + list.length)
    hits[0] = Infinity
    hits[1] = -Infinity
    for (let i = 0; i < length; i += SLICE) {
      countCandidates(values, i, Math.min(length, i + SLICE), list, hits)
    }
    restMin = hits[0] === Infinity ? NaN : hits[0]
    restMax = hits[1] === -Infinity ? NaN : hits[1]
    for (let j = 0; j < list.length; j++) {
      const value = list[j]
      const n = hits[2 + j]
      if (n === 0) continue
      if (explicit || Number.isNaN(restMin) || value < restMin || value > restMax) {
        sentinels.push({ value, count: n })
      }
    }
    sentinels = sentinels.sort((a, b) => b.count - a.count || a.value - b.value)
  }
  return { count, missing, min, max, mean, std, sentinels, restMin, restMax }
}

const SLICE = 8192

/** Adds count, Σ(v − shift), Σ(v − shift)², min and max of the non-NaN values[from…to) to `out`. */
function sumsOf(
  values: ArrayLike<number>,
  from: number,
  to: number,
  shift: number,
  out: Float64Array,
): void {
  let count = 0
  let s1 = 0
  let s2 = 0
  let min = out[3]
  let max = out[4]
  for (let i = from; i < to; i++) {
    const v = values[i]
    if (v !== v) continue
    count++
    const d = v - shift
    s1 += d
    s2 += d * d
    if (v < min) min = v
    if (v > max) max = v
  }
  out[0] += count
  out[1] += s1
  out[2] += s2
  out[3] = min
  out[4] = max
}

function countCandidates(
  values: ArrayLike<number>,
  from: number,
  to: number,
  list: Float64Array,
  out: Float64Array,
): void {
  const k = list.length
  let restMin = out[0]
  let restMax = out[1]
  for (let i = from; i < to; i++) {
    const v = values[i]
    if (v !== v) continue
    let j = 0
    while (j < k && list[j] !== v) j++
    if (j < k) out[2 + j]++
    else {
      if (v < restMin) restMin = v
      if (v > restMax) restMax = v
    }
  }
  out[0] = restMin
  out[1] = restMax
}

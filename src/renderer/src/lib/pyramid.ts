/**
 * Level-of-detail series for charts of hundreds of thousands of rows: the full series and
 * LTTB-downsampled copies, each half as long as the one before, built once. A zoom then takes
 * the coarsest copy that still has enough points in the visible range and hands ECharts only
 * that slice (a few thousand points), so a frame costs the same whatever the row count.
 * Missing values (NaN) stay as gaps at every level.
 */
export interface Level {
  x: Float64Array
  y: Float64Array
}

/**
 * Largest-Triangle-Three-Buckets (Steinarsson 2013) down to `threshold` points. Keeps the first
 * and last point; from each bucket the point forming the largest triangle with the point kept
 * before it and the average of the next bucket. A bucket whose values are all missing yields a
 * NaN point, so gaps survive.
 */
export function lttb(x: Float64Array, y: Float64Array, threshold: number): Level {
  const n = x.length
  if (threshold >= n || threshold < 3) return { x, y }
  const ox = new Float64Array(threshold)
  const oy = new Float64Array(threshold)
  const every = (n - 2) / (threshold - 2)
  let a = 0
  ox[0] = x[0]
  oy[0] = y[0]
  let k = 1
  for (let i = 0; i < threshold - 2; i++) {
    let avgStart = Math.floor((i + 1) * every) + 1
    let avgEnd = Math.min(Math.floor((i + 2) * every) + 1, n)
    if (avgStart >= avgEnd) {
      avgStart = n - 1
      avgEnd = n
    }
    let sx = 0
    let sy = 0
    let m = 0
    for (let j = avgStart; j < avgEnd; j++) {
      const v = y[j]
      if (v !== v) continue
      sx += x[j]
      sy += v
      m++
    }
    const avgX = m ? sx / m : x[avgStart]
    const avgY = m ? sy / m : NaN
    const from = Math.floor(i * every) + 1
    const to = Math.floor((i + 1) * every) + 1
    const ax = x[a]
    const ay = y[a]
    let best = -1
    let bestArea = -1
    for (let j = from; j < to; j++) {
      const v = y[j]
      if (v !== v) continue
      // Without a usable neighbour average or anchor, prefer the point farthest from the anchor.
      const area =
        avgY === avgY && ay === ay
          ? Math.abs((ax - avgX) * (v - ay) - (ax - x[j]) * (avgY - ay))
          : ay === ay
            ? Math.abs(v - ay)
            : 0
      if (area > bestArea) {
        bestArea = area
        best = j
      }
    }
    if (best < 0) {
      ox[k] = x[Math.min(n - 1, from)]
      oy[k] = NaN
    } else {
      ox[k] = x[best]
      oy[k] = y[best]
      a = best
    }
    k++
  }
  ox[k] = x[n - 1]
  oy[k] = y[n - 1]
  return { x: ox, y: oy }
}

/** The full series and halvings down to about `minPoints`. */
export function buildLevels(x: Float64Array, y: Float64Array, minPoints = 1000): Level[] {
  const levels: Level[] = [{ x, y }]
  let last = levels[0]
  while (last.x.length > 2 * minPoints) {
    last = lttb(last.x, last.y, Math.ceil(last.x.length / 2))
    levels.push(last)
  }
  return levels
}

/** First index with x[i] >= v, or with `after` x[i] > v (x ascending, NaN-free). */
function bound(x: Float64Array, v: number, after = false): number {
  let lo = 0
  let hi = x.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (x[mid] < v || (after && x[mid] === v)) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * Interleaved [x0, y0, x1, y1, …] of the range [from, to] from the finest level with at most
 * `maxPoints` points there, plus one point beyond each end so lines reach the plot's edges.
 */
export function visibleSlice(
  levels: Level[],
  from: number,
  to: number,
  maxPoints: number,
): Float64Array {
  let level = levels[levels.length - 1]
  let lo = 0
  let hi = 0
  for (const l of levels) {
    const a = Math.max(0, bound(l.x, from) - 1)
    const b = Math.min(l.x.length, bound(l.x, to, true) + 1)
    if (b - a <= maxPoints || l === levels[levels.length - 1]) {
      level = l
      lo = a
      hi = b
      break
    }
  }
  const out = new Float64Array((hi - lo) * 2)
  for (let i = lo, j = 0; i < hi; i++, j += 2) {
    out[j] = level.x[i]
    out[j + 1] = level.y[i]
  }
  return out
}

/** Whether an x axis can be searched: ascending, no missing values. */
export function isAscending(x: ArrayLike<number>): boolean {
  for (let i = 1; i < x.length; i++) if (!(x[i] >= x[i - 1])) return false
  return x.length === 0 || x[0] === x[0]
}

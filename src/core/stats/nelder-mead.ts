/**
 * Nelder–Mead simplex minimization (Nelder & Mead 1965, with the standard coefficients
 * reflection 1, expansion 2, contraction ½, shrink ½). The npm `fmin` package ships a build that
 * Node cannot import as ESM (a UMD file under "type": "module"), so the few lines live here.
 * Infinite values mark inadmissible points; the simplex contracts away from them.
 */
export interface MinimizeOptions {
  maxEvaluations?: number
  /** Stop when the spread of the simplex values falls below this (absolute). */
  tolerance?: number
  /** Initial step per coordinate; default 10 % of |x0| (0.05 where x0 is 0). */
  steps?: number[]
}

export function nelderMead(
  f: (x: Float64Array) => number,
  x0: ArrayLike<number>,
  options: MinimizeOptions = {},
): { x: Float64Array; fx: number; evaluations: number } {
  const n = x0.length
  const maxEvaluations = options.maxEvaluations ?? 400 * n
  const tolerance = options.tolerance ?? 1e-8
  const points: Float64Array[] = []
  const values: number[] = []
  let evaluations = 0
  const evaluate = (x: Float64Array): number => {
    evaluations++
    const v = f(x)
    return Number.isNaN(v) ? Number.POSITIVE_INFINITY : v
  }
  points.push(Float64Array.from(x0))
  values.push(evaluate(points[0]))
  for (let i = 0; i < n; i++) {
    const p = Float64Array.from(x0)
    p[i] += options.steps?.[i] ?? (p[i] !== 0 ? 0.1 * Math.abs(p[i]) : 0.05)
    points.push(p)
    values.push(evaluate(p))
  }
  const order = points.map((_, i) => i)
  const centroid = new Float64Array(n)
  const trial = new Float64Array(n)
  const second = new Float64Array(n)
  const move = (out: Float64Array, from: Float64Array, coef: number): void => {
    for (let j = 0; j < n; j++) out[j] = centroid[j] + coef * (from[j] - centroid[j])
  }
  while (evaluations < maxEvaluations) {
    order.sort((a, b) => values[a] - values[b])
    const best = order[0]
    const worst = order[n]
    const spread = values[worst] - values[best]
    if (Number.isFinite(spread) && Math.abs(spread) <= tolerance * (1 + Math.abs(values[best])))
      break
    centroid.fill(0)
    for (let i = 0; i < n; i++) {
      const p = points[order[i]]
      for (let j = 0; j < n; j++) centroid[j] += p[j] / n
    }
    move(trial, points[worst], -1)
    const fr = evaluate(trial)
    if (fr < values[best]) {
      move(second, points[worst], -2)
      const fe = evaluate(second)
      if (fe < fr) accept(second, fe)
      else accept(trial, fr)
      continue
    }
    if (fr < values[order[n - 1]]) {
      accept(trial, fr)
      continue
    }
    // Contract towards the better of the worst point and its reflection.
    const outside = fr < values[worst]
    move(second, outside ? trial : points[worst], 0.5)
    const fc = evaluate(second)
    if (fc < Math.min(fr, values[worst])) {
      accept(second, fc)
      continue
    }
    const b = points[best]
    for (let i = 1; i <= n; i++) {
      const p = points[order[i]]
      for (let j = 0; j < n; j++) p[j] = b[j] + 0.5 * (p[j] - b[j])
      values[order[i]] = evaluate(p)
    }
  }
  let best = 0
  for (let i = 1; i <= n; i++) if (values[i] < values[best]) best = i
  return { x: points[best], fx: values[best], evaluations }

  function accept(p: Float64Array, v: number): void {
    const worst = order[n]
    points[worst].set(p)
    values[worst] = v
  }
}

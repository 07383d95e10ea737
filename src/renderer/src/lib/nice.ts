/**
 * Round numbers for axes and bins: a step of 1, 2, 2.5 or 5 times a power of ten, and the
 * multiples of it in a range, written without float noise (0.3, not 0.30000000000000004).
 */

/** The smallest step of 1, 2, 2.5, 5 or 10 × 10^k that is at least `raw` (> 0). */
export function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw))
  return [1, 2, 2.5, 5, 10].map((m) => m * power).find((w) => w >= raw * (1 - 1e-9))!
}

/** `k · step` rounded to the step's own decimals. */
export function multiple(k: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1)
  return Number((k * step).toFixed(decimals))
}

/**
 * About `count` round ticks inside [lo, hi] (both ends included when they fall on a multiple):
 * an axis labelled 0, 200, 400 instead of its extent's odd ends (-3.59, 243, 489).
 */
export function niceTicks(lo: number, hi: number, count = 4): number[] {
  if (!(hi > lo)) return [lo]
  const step = niceStep((hi - lo) / count)
  const out: number[] = []
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi * (1 + 1e-12) + 1e-12; k++)
    out.push(multiple(k, step))
  return out
}

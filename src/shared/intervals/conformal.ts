/**
 * Split conformal prediction intervals, one half-width per horizon step, from the absolute
 * residuals of the validation windows (in data units, after any target transform is undone).
 *
 * With n residuals sorted ascending, the half-width at level 1 − α is the k-th of them,
 * k = ⌈(n + 1)(1 − α)⌉: the finite-sample rank that guarantees coverage ≥ 1 − α for exchangeable
 * errors. When k > n (fewer than (1 − α)/α residuals, e.g. 9 at 90 %) no residual is large enough
 * and the interval is the whole line: the half-width is stored as null (JSON-safe), bands are
 * −∞ … +∞, and `describeCalibration` says how many windows are needed.
 */
import { expectArg, SeqcastError } from '../errors'

/** Default level of every interval: 90 %. */
export const DEFAULT_INTERVAL_LEVEL = 0.9

export interface ConformalCalibration {
  level: number
  /** Half-width per horizon step in data units; null where the interval is unbounded (k > n). */
  radius: (number | null)[]
  /** Residuals per horizon step that entered (pairs with a missing value skipped). */
  samples: number[]
}

/** ⌈(n + 1)·level⌉; the epsilon keeps 10 × 0.9 = 9.000000000000002 from losing a rank. */
export function conformalRank(n: number, level: number): number {
  return Math.ceil((n + 1) * level - 1e-9)
}

/**
 * The k-th smallest of the scores (NaN skipped), k = conformalRank(n, level); Infinity when
 * k > n, 0 when k ≤ 0 (level ≤ 0, used by the adaptive intervals when α_t ≥ 1).
 */
export function conformalQuantile(scores: ArrayLike<number>, level: number): number {
  const sorted = Float64Array.from(scores).filter((v) => !Number.isNaN(v))
  sorted.sort()
  const k = conformalRank(sorted.length, level)
  if (k > sorted.length) return Infinity
  return k <= 0 ? 0 : sorted[k - 1]
}

/** Half-widths per horizon step from n × H window-major actuals and forecasts. */
export function calibrateConformal(
  actual: ArrayLike<number>,
  predicted: ArrayLike<number>,
  horizon: number,
  level: number,
): ConformalCalibration {
  checkLevel(level)
  checkForecasts(actual, predicted, horizon)
  const radius: (number | null)[] = []
  const samples: number[] = []
  for (let j = 0; j < horizon; j++) {
    const scores = absResiduals(actual, predicted, horizon, j)
    const q = conformalQuantile(scores, level)
    radius.push(Number.isFinite(q) ? q : null)
    samples.push(scores.filter((v) => !Number.isNaN(v)).length)
  }
  return { level, radius, samples }
}

export interface Bands {
  lower: Float64Array
  upper: Float64Array
}

/** forecast ± half-width of its horizon step; ±Infinity where the interval is unbounded. */
export function conformalBands(
  predicted: ArrayLike<number>,
  calibration: Pick<ConformalCalibration, 'radius'>,
): Bands {
  const H = calibration.radius.length
  const lower = new Float64Array(predicted.length)
  const upper = new Float64Array(predicted.length)
  for (let i = 0; i < predicted.length; i++) {
    const r = calibration.radius[i % H] ?? Infinity
    lower[i] = predicted[i] - r
    upper[i] = predicted[i] + r
  }
  return { lower, upper }
}

/** Fewest residuals per step that give a bounded interval: n ≥ (1 − α)/α. */
export function minCalibrationSamples(level: number): number {
  let n = 0
  while (conformalRank(n, level) > n) n++
  return n
}

/**
 * A sentence for the UI and the CLI, or null when every step is bounded, e.g. "90 % intervals:
 * steps 1–3 have 5 validation windows; at least 9 are needed for a bounded interval. …".
 */
export function describeCalibration(c: ConformalCalibration): string | null {
  const open = c.radius.flatMap((r, j) => (r === null ? [j] : []))
  if (open.length === 0) return null
  const need = minCalibrationSamples(c.level)
  const steps =
    open.length === c.radius.length
      ? 'every horizon step'
      : `step ${open.map((j) => j + 1).join(', ')}`
  return (
    `${pct(c.level)} intervals are unbounded for ${steps}: expected at least ${need} validation windows, ` +
    `received ${Math.min(...open.map((j) => c.samples[j]))}. ` +
    `Give the validation split a larger fraction, lower the interval level, or use a shorter window.`
  )
}

/**
 * Reads `--interval`: a level as a fraction (0.9) or in percent (90, "90%"), strictly between 0
 * and 100 %.
 */
export function parseIntervalLevel(text: string): number {
  const trimmed = text.trim()
  const percent = trimmed.endsWith('%')
  const x = Number(percent ? trimmed.slice(0, -1) : trimmed)
  const level = percent || x >= 1 ? x / 100 : x
  if (trimmed === '' || !(level > 0 && level < 1)) {
    throw new SeqcastError(
      'config',
      `Interval level: expected a level between 0 and 100 % (e.g. 90 or 0.9), received "${text}". ` +
        `Use e.g. --interval 90.`,
      { setting: 'interval', received: text },
    )
  }
  return level
}

export function checkLevel(level: number): void {
  expectArg(
    level > 0 && level < 1,
    'interval level',
    'a fraction between 0 and 1 (0.9 for 90 %)',
    level,
    'config',
  )
}

/** |actual − predicted| of horizon step j of every window (NaN where either is missing). */
export function absResiduals(
  actual: ArrayLike<number>,
  predicted: ArrayLike<number>,
  horizon: number,
  j: number,
): Float64Array {
  const n = actual.length / horizon
  const out = new Float64Array(n)
  for (let k = 0; k < n; k++)
    out[k] = Math.abs(actual[k * horizon + j] - predicted[k * horizon + j])
  return out
}

export function checkForecasts(
  actual: ArrayLike<number>,
  predicted: ArrayLike<number>,
  horizon: number,
): void {
  expectArg(
    actual.length === predicted.length && actual.length % horizon === 0,
    'interval inputs',
    `actuals and forecasts of equal length, a multiple of the horizon ${horizon}`,
    `${actual.length} actuals and ${predicted.length} forecasts`,
  )
}

/** A level as people read it: 0.9 → "90 %", 0.975 → "97.5 %". */
export function levelPercent(level: number): string {
  return `${levelNumber(level)} %`
}

/** A level in percent without float noise: 0.9 → 90 (what --interval takes). */
export function levelNumber(level: number): number {
  return Number((level * 100).toPrecision(6))
}

const pct = levelPercent

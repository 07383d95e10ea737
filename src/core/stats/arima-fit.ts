import { SeqcastError } from '../../shared/errors'
import { seasonalStrength } from '../../shared/seasonality/strength'
import { ArimaFilter, arimaName, type FittedArima } from './arima-model'
import { MAX_FIT_ROWS, fitWithPackage, type SarimaOrder } from './arima-package'
import type { FitMonitor } from './monitor'

/**
 * Automatic seasonal ARIMA in the manner of Hyndman & Khandakar (2008): seasonal differencing
 * when the seasonal strength exceeds 0.64, then ordinary differences while a KPSS test rejects
 * level stationarity at 5 %, then the orders with the smallest AIC among p, q ≤ 2 (and P, Q ≤ 1
 * for seasons up to MAX_SEASONAL_ARMA rows). Each candidate is estimated by the `arima` package;
 * candidates that did not converge, are not stationary or invertible, or whose package forecast
 * disagrees with the fixed-coefficient filter are dropped.
 */
export interface ArimaOptions {
  /** Season in rows; 1 or absent for none. */
  period?: number
  /** Fixed orders instead of the search. */
  order?: Partial<SarimaOrder> & { p: number; d: number; q: number }
  /** Told before each order is estimated; may throw to stop the fit. */
  monitor?: FitMonitor
}

/** Seasonal AR/MA terms for longer seasons take the package tens of seconds per fit. */
export const MAX_SEASONAL_ARMA = 24

const KPSS_CRITICAL_5 = 0.463

/** KPSS level-stationarity statistic with the Bartlett long-run variance, l = ⌊4(n/100)^¼⌋. */
export function kpss(values: ArrayLike<number>): number {
  const n = values.length
  let mean = 0
  for (let t = 0; t < n; t++) mean += values[t]
  mean /= n
  const e = Float64Array.from({ length: n }, (_, t) => values[t] - mean)
  let partial = 0
  let eta = 0
  for (let t = 0; t < n; t++) {
    partial += e[t]
    eta += partial * partial
  }
  eta /= n * n
  const lags = Math.floor(4 * Math.pow(n / 100, 0.25))
  let s2 = 0
  for (let t = 0; t < n; t++) s2 += e[t] * e[t]
  for (let k = 1; k <= lags; k++) {
    let c = 0
    for (let t = k; t < n; t++) c += e[t] * e[t - k]
    s2 += 2 * (1 - k / (lags + 1)) * c
  }
  s2 /= n
  return s2 > 0 ? eta / s2 : 0
}

function difference(values: Float64Array, lag: number): Float64Array {
  return values.subarray(lag).map((v, t) => v - values[t])
}

/** True when 1 − Σc_i B^i has all roots outside the unit circle (step-down recursion). */
export function rootsOutsideUnitCircle(coefficients: number[]): boolean {
  let a = coefficients.slice()
  for (let k = a.length; k >= 1; k--) {
    const kappa = a[k - 1]
    if (!(Math.abs(kappa) < 1)) return false
    const next: number[] = []
    for (let j = 1; j < k; j++) next.push((a[j - 1] + kappa * a[k - j - 1]) / (1 - kappa * kappa))
    a = next
  }
  return true
}

export function fitArima(train: Float64Array, options: ArimaOptions = {}): FittedArima {
  const period = options.period ?? 1
  if (!train.every(Number.isFinite) || train.length < 20) {
    throw new SeqcastError(
      'config',
      `ARIMA: expected at least 20 training rows without missing values, received ${train.length}. Repair the target column or widen the training split.`,
      { setting: 'training rows', received: train.length },
    )
  }
  const values = train.subarray(Math.max(0, train.length - MAX_FIT_ROWS))
  const scale = standardDeviation(values) || 1
  const fixed = options.order
  const s = period > 1 && values.length >= 3 * period ? period : 0
  let D = fixed?.D ?? (s > 0 && seasonalStrength(values, s) > 0.64 ? 1 : 0)
  if (s === 0) D = 0
  let d = fixed?.d ?? 0
  if (!fixed) {
    let x = D > 0 ? difference(values, s) : values
    while (d < 2 && kpss(x) > KPSS_CRITICAL_5) {
      x = difference(x, 1)
      d++
    }
  }
  const candidates: SarimaOrder[] = []
  if (fixed) {
    candidates.push({ p: fixed.p, d, q: fixed.q, P: fixed.P ?? 0, D, Q: fixed.Q ?? 0, s: s || 0 })
  } else {
    for (let p = 0; p <= 2; p++)
      for (let q = 0; q <= 2; q++) candidates.push({ p, d, q, P: 0, D, Q: 0, s })
  }
  const seasonalSearch = !fixed && s > 0 && s <= MAX_SEASONAL_ARMA
  const steps = { done: 0, total: candidates.length + (seasonalSearch ? 3 : 0) }
  const monitor = options.monitor
  const tell = monitor
    ? (order: SarimaOrder) => monitor.step(arimaName({ order }), steps.done++, steps.total)
    : undefined
  let best = pick(values, candidates, scale, train.length, tell)
  if (seasonalSearch && best) {
    const { p, q } = best.order
    const seasonal = [
      [1, 0],
      [0, 1],
      [1, 1],
    ].map(([P, Q]) => ({ p, d, q, P, D, Q, s }))
    const better = pick(values, seasonal, scale, train.length, tell)
    if (better && better.aic < best.aic) best = better
  }
  if (!best) {
    throw new SeqcastError(
      'training',
      `ARIMA: no model of the searched orders converged on the ${values.length} training rows. Try "ets" or "theta", or a shorter season.`,
      { setting: 'model', received: 'arima' },
    )
  }
  return best
}

function pick(
  values: Float64Array,
  orders: SarimaOrder[],
  scale: number,
  trainRows: number,
  tell?: (order: SarimaOrder) => void,
): FittedArima | null {
  let best: FittedArima | null = null
  for (const order of orders) {
    tell?.(order)
    const noSeason = order.P + order.D + order.Q === 0
    const normalized = noSeason ? { ...order, s: 0 } : order
    let fit
    try {
      fit = fitWithPackage(values, normalized, 4)
    } catch {
      continue
    }
    if (!fit.converged) continue
    if (!rootsOutsideUnitCircle(fit.ar) || !rootsOutsideUnitCircle(fit.sar)) continue
    if (!rootsOutsideUnitCircle(fit.ma) || !rootsOutsideUnitCircle(fit.sma)) continue
    const model: FittedArima = {
      kind: 'arima',
      order: normalized,
      ar: fit.ar,
      ma: fit.ma,
      sar: fit.sar,
      sma: fit.sma,
      mean: fit.mean,
      sigma2: fit.sigma2,
      aic: fit.aic,
      trainRows,
      fitRows: values.length,
    }
    if (!agrees(model, values, fit.forecast, scale)) continue
    if (!best || model.aic < best.aic) best = model
  }
  return best
}

/** The package's forecast at the end of the fitted rows against the filter's (1 % of the sd). */
function agrees(
  model: FittedArima,
  values: Float64Array,
  forecast: number[],
  scale: number,
): boolean {
  const filter = new ArimaFilter(model)
  for (const v of values) filter.update(v)
  const ours = new Float64Array(forecast.length)
  filter.forecast(1, forecast.length, ours, 0)
  return forecast.every((v, k) => Math.abs(v - ours[k]) <= 0.01 * scale)
}

function standardDeviation(values: Float64Array): number {
  let mean = 0
  for (const v of values) mean += v
  mean /= values.length
  let s = 0
  for (const v of values) s += (v - mean) ** 2
  return Math.sqrt(s / values.length)
}

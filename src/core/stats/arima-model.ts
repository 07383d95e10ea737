import type { StatFilter } from './filter'
import type { SarimaCoefficients, SarimaOrder } from './arima-package'

/**
 * A fitted SARIMA run forward with its coefficients fixed: the rows are differenced
 * ((1 − B)^d (1 − B^s)^D), the mean removed, and the innovations follow from the ARMA recursion
 * started at zero (conditional, as in CSS); forecasts set future innovations to zero and undo the
 * differencing. With an invertible MA part the start-up effect dies out within a few seasons.
 */
export interface FittedArima extends SarimaCoefficients {
  kind: 'arima'
  order: SarimaOrder
  trainRows: number
  /** Training rows the package estimated on (the last ones; see MAX_FIT_ROWS). */
  fitRows: number
}

export function arimaName(model: Pick<FittedArima, 'order'>): string {
  const o = model.order
  const seasonal = o.s > 1 && o.P + o.D + o.Q > 0 ? `(${o.P},${o.D},${o.Q})[${o.s}]` : ''
  return `ARIMA(${o.p},${o.d},${o.q})${seasonal}`
}

function multiply(a: number[], b: number[]): number[] {
  const out = new Array<number>(a.length + b.length - 1).fill(0)
  for (let i = 0; i < a.length; i++) for (let j = 0; j < b.length; j++) out[i + j] += a[i] * b[j]
  return out
}

/** 1 − Σ c_i B^(i·lag) as coefficients of B^0 … B^(k·lag). */
function lagPolynomial(coefficients: number[], lag: number): number[] {
  const out = new Array<number>(coefficients.length * lag + 1).fill(0)
  out[0] = 1
  coefficients.forEach((c, i) => (out[(i + 1) * lag] = -c))
  return out
}

export interface ArimaPolynomials {
  /** AR side a(B) with a[0] = 1. */
  ar: number[]
  /** MA side m(B) with m[0] = 1. */
  ma: number[]
  /** Differencing (1 − B)^d (1 − B^s)^D. */
  diff: number[]
}

export function arimaPolynomials(
  model: Pick<FittedArima, 'order' | 'ar' | 'ma' | 'sar' | 'sma'>,
): ArimaPolynomials {
  const { order } = model
  const ar = multiply(lagPolynomial(model.ar, 1), lagPolynomial(model.sar, order.s || 1))
  const ma = multiply(lagPolynomial(model.ma, 1), lagPolynomial(model.sma, order.s || 1))
  let diff = [1]
  for (let i = 0; i < order.d; i++) diff = multiply(diff, [1, -1])
  for (let i = 0; i < order.D; i++) diff = multiply(diff, lagPolynomial([1], order.s))
  return { ar, ma, diff }
}

export class ArimaFilter implements StatFilter {
  private readonly poly: ArimaPolynomials
  private readonly span: number
  private readonly x: Float64Array
  private readonly w: Float64Array
  private readonly e: Float64Array
  private rows = 0
  private scratch = new Float64Array(0)

  constructor(private readonly model: FittedArima) {
    this.poly = arimaPolynomials(model)
    this.span = Math.max(this.poly.ar.length, this.poly.ma.length, this.poly.diff.length)
    this.x = new Float64Array(this.span)
    this.w = new Float64Array(this.span)
    this.e = new Float64Array(this.span)
  }

  /** Slot of the row `back` rows before the next one, in the ring buffers. */
  private slot(back: number): number {
    return (((this.rows - back) % this.span) + this.span) % this.span
  }

  update(y: number): void {
    const { ar, ma, diff } = this.poly
    const t = this.slot(0)
    const warm = this.rows >= diff.length - 1
    let w = 0
    let e = 0
    if (warm) {
      // The one-step prediction of w; a missing row takes it as its value (innovation 0).
      let predicted = 0
      for (let k = 1; k < ar.length; k++)
        if (this.rows - k >= 0) predicted -= ar[k] * this.w[this.slot(k)]
      for (let k = 1; k < ma.length; k++)
        if (this.rows - k >= 0) predicted += ma[k] * this.e[this.slot(k)]
      if (Number.isFinite(y)) {
        w = -this.model.mean
        for (let k = 0; k < diff.length; k++) w += diff[k] * (k === 0 ? y : this.x[this.slot(k)])
        e = w - predicted
      } else {
        w = predicted
        let undone = w + this.model.mean
        for (let k = 1; k < diff.length; k++) undone -= diff[k] * this.x[this.slot(k)]
        y = undone
      }
    } else if (!Number.isFinite(y)) {
      y = this.rows > 0 ? this.x[this.slot(1)] : 0
    }
    this.x[t] = y
    this.w[t] = w
    this.e[t] = e
    this.rows++
  }

  forecast(h: number, H: number, out: Float64Array, offset: number): void {
    const { ar, ma, diff } = this.poly
    const steps = h + H - 1
    const span = this.span
    const size = span + steps
    if (this.scratch.length < 3 * size) this.scratch = new Float64Array(3 * size)
    const x = this.scratch.subarray(0, size)
    const w = this.scratch.subarray(size, 2 * size)
    const e = this.scratch.subarray(2 * size, 3 * size)
    // Copy the last `span` rows (oldest first); rows before the series start stay 0.
    for (let i = 0; i < span; i++) {
      const back = span - i
      const has = this.rows - back >= 0
      x[i] = has ? this.x[this.slot(back)] : 0
      w[i] = has ? this.w[this.slot(back)] : 0
      e[i] = 0
      if (has) e[i] = this.e[this.slot(back)]
    }
    for (let j = span; j < size; j++) {
      let v = 0
      for (let k = 1; k < ar.length; k++) v -= ar[k] * w[j - k]
      for (let k = 1; k < ma.length; k++) v += ma[k] * e[j - k]
      w[j] = v
      e[j] = 0
      let level = v + this.model.mean
      for (let k = 1; k < diff.length; k++) level -= diff[k] * x[j - k]
      x[j] = level
    }
    for (let k = 0; k < H; k++) out[offset + k] = x[span + h - 1 + k]
  }
}

/** σ²·Σ_{j<h} ψ_j², ψ the MA(∞) weights of m(B) / (a(B)·diff(B)) (Box & Jenkins). */
export function arimaVariance(model: FittedArima, H: number): Float64Array {
  const { ar, ma, diff } = arimaPolynomials(model)
  const phi = multiply(ar, diff)
  const psi = new Float64Array(H)
  const out = new Float64Array(H)
  let acc = 0
  for (let j = 0; j < H; j++) {
    let v = j === 0 ? 1 : j < ma.length ? ma[j] : 0
    for (let k = 1; k <= j && k < phi.length; k++) v -= phi[k] * psi[j - k]
    psi[j] = v
    acc += v * v
    out[j] = model.sigma2 * acc
  }
  return out
}

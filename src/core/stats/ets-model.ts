import type { StatFilter } from './filter'

/**
 * ETS in the innovations state-space form of Hyndman, Koehler, Ord & Snyder (2008):
 * error A/M, trend N/A/Ad (damped), season N/A/M. Point forecasts and state updates do not depend
 * on the error type (only the likelihood and the variance do), so one filter serves all.
 */
export type EtsError = 'A' | 'M'
export type EtsTrend = 'N' | 'A' | 'Ad'
export type EtsSeason = 'N' | 'A' | 'M'

export interface EtsSpec {
  error: EtsError
  trend: EtsTrend
  season: EtsSeason
  /** Season in rows; 1 when `season` is N. */
  period: number
}

/** Smoothing parameters of the state-space form (β and γ multiply the innovation directly). */
export interface EtsParams {
  alpha: number
  beta: number
  gamma: number
  phi: number
}

/** The state before a row: level, slope and one seasonal value per phase (`season[r mod m]`). */
export interface EtsState {
  level: number
  slope: number
  season: number[]
}

export interface FittedEts {
  kind: 'ets'
  spec: EtsSpec
  params: EtsParams
  /** State before row 0 of the series the filter runs over. */
  init: EtsState
  /** Variance of the one-step innovations (of relative errors for error M). */
  sigma2: number
  aicc: number
  trainRows: number
}

export function etsName(spec: EtsSpec): string {
  return `ETS(${spec.error},${spec.trend},${spec.season})`
}

/** Σ_{i=1..k} φ^i: how far the slope carries k steps ahead (k for an undamped trend). */
export function dampedSum(trend: EtsTrend, phi: number, k: number): number {
  if (trend === 'N') return 0
  if (trend === 'A') return k
  let sum = 0
  let p = 1
  for (let i = 0; i < k; i++) {
    p *= phi
    sum += p
  }
  return sum
}

export class EtsFilter implements StatFilter {
  private level: number
  private slope: number
  private readonly season: Float64Array
  private row = 0
  private readonly phi: number

  constructor(private readonly model: Pick<FittedEts, 'spec' | 'params' | 'init'>) {
    this.level = model.init.level
    this.slope = model.spec.trend === 'N' ? 0 : model.init.slope
    this.season = Float64Array.from(model.spec.season === 'N' ? [0] : model.init.season)
    this.phi = model.spec.trend === 'Ad' ? model.params.phi : 1
  }

  /** The one-step forecast for the next row, before it is taken. */
  next(): number {
    const { spec } = this.model
    const lb = this.level + this.phi * this.slope
    if (spec.season === 'N') return lb
    const s = this.season[this.row % spec.period]
    return spec.season === 'A' ? lb + s : lb * s
  }

  update(y: number): void {
    const { spec, params } = this.model
    const lb = this.level + this.phi * this.slope
    const phase = spec.season === 'N' ? 0 : this.row % spec.period
    this.row++
    if (!Number.isFinite(y)) {
      this.level = lb
      this.slope *= this.phi
      return
    }
    if (spec.season === 'N') {
      const u = y - lb
      this.level = lb + params.alpha * u
      this.slope = this.phi * this.slope + params.beta * u
    } else if (spec.season === 'A') {
      const s = this.season[phase]
      const u = y - lb - s
      this.level = lb + params.alpha * u
      this.slope = this.phi * this.slope + params.beta * u
      this.season[phase] = s + params.gamma * u
    } else {
      const s = this.season[phase]
      const u = y - lb * s
      this.level = lb + (params.alpha * u) / s
      this.slope = this.phi * this.slope + (params.beta * u) / s
      this.season[phase] = s + (params.gamma * u) / lb
    }
  }

  forecast(h: number, H: number, out: Float64Array, offset: number): void {
    const { spec } = this.model
    const last = this.row - 1
    for (let k = 0; k < H; k++) {
      const steps = h + k
      const lb = this.level + dampedSum(spec.trend, this.phi, steps) * this.slope
      if (spec.season === 'N') {
        out[offset + k] = lb
        continue
      }
      const s = this.season[(last + steps) % spec.period]
      out[offset + k] = spec.season === 'A' ? lb + s : lb * s
    }
  }
}

/**
 * Forecast variance for steps 1…H from the class-1 formula (Hyndman et al. 2008, §6.3):
 * σ²(1 + Σ_{j<h} c_j²), c_j = α + β·Σφ^i + γ·[j ≡ 0 mod m]. Exact for additive error with no or
 * additive season; null for the multiplicative classes, whose variance depends on the state.
 */
export function etsVariance(model: FittedEts, H: number): Float64Array | null {
  const { spec, params } = model
  if (spec.error !== 'A' || spec.season === 'M') return null
  const out = new Float64Array(H)
  let acc = 1
  for (let h = 1; h <= H; h++) {
    out[h - 1] = model.sigma2 * acc
    const j = h
    const seasonal = spec.season === 'A' && j % spec.period === 0 ? params.gamma : 0
    const c = params.alpha + params.beta * dampedSum(spec.trend, params.phi, j) + seasonal
    acc += c * c
  }
  return out
}

import { seasonalIndices, type SeasonalKind } from '../../shared/seasonality/classical'
import type { FitMonitor } from './monitor'
import { fitEts } from './ets-fit'
import type { StatFilter } from './filter'

/**
 * The Theta method of Assimakopoulos & Nikolopoulos (2000) in the form shown by Hyndman & Billah
 * (2003) to be simple exponential smoothing with drift: the drift is half the slope of the least-
 * squares line through the training rows. When the season is significant (the 90 % ACF test of
 * forecast::thetaf) the series is adjusted by classical decomposition first and the indices,
 * fixed from the training rows, are put back on the forecasts.
 */
export interface FittedTheta {
  kind: 'theta'
  season: { period: number; kind: SeasonalKind; index: number[] } | null
  alpha: number
  /** SES level before row 0. */
  level0: number
  /** Half the slope of the training trend line, per row. */
  drift: number
  sigma2: number
  trainRows: number
}

/** |r_m| against its standard error under no seasonality (Bartlett), one-sided 90 %. */
export function seasonIsSignificant(values: Float64Array, m: number): boolean {
  const n = values.length
  if (m < 2 || n < 2 * m) return false
  let mean = 0
  for (const v of values) mean += v
  mean /= n
  let c0 = 0
  for (const v of values) c0 += (v - mean) * (v - mean)
  const r = (k: number): number => {
    let c = 0
    for (let t = k; t < n; t++) c += (values[t] - mean) * (values[t - k] - mean)
    return c / c0
  }
  let sum = 0
  for (let k = 1; k < m; k++) sum += r(k) ** 2
  return Math.abs(r(m)) / Math.sqrt((1 + 2 * sum) / n) > 1.645
}

export function fitTheta(train: Float64Array, period = 1, monitor?: FitMonitor): FittedTheta {
  let season: FittedTheta['season'] = null
  let adjusted = train
  if (seasonIsSignificant(train, period)) {
    const kind: SeasonalKind = train.every((v) => v > 0) ? 'multiplicative' : 'additive'
    const index = seasonalIndices(train, period, kind)
    season = { period, kind, index: Array.from(index) }
    adjusted = train.map((v, t) => deseason(v, t, season))
  }
  const ses = fitEts(adjusted, { model: 'ANN', monitor })
  const n = adjusted.length
  let mean = 0
  for (const v of adjusted) mean += v
  mean /= n
  const tMean = (n - 1) / 2
  let sxy = 0
  let sxx = 0
  for (let t = 0; t < n; t++) {
    sxy += (t - tMean) * (adjusted[t] - mean)
    sxx += (t - tMean) * (t - tMean)
  }
  return {
    kind: 'theta',
    season,
    alpha: ses.params.alpha,
    level0: ses.init.level,
    drift: sxy / sxx / 2,
    sigma2: ses.sigma2,
    trainRows: n,
  }
}

function deseason(v: number, row: number, season: FittedTheta['season']): number {
  if (!season) return v
  const s = season.index[row % season.period]
  return season.kind === 'additive' ? v - s : v / s
}

function reseason(v: number, row: number, season: FittedTheta['season']): number {
  if (!season) return v
  const s = season.index[row % season.period]
  return season.kind === 'additive' ? v + s : v * s
}

export class ThetaFilter implements StatFilter {
  private level: number
  private rows = 0

  constructor(private readonly model: FittedTheta) {
    this.level = model.level0
  }

  update(y: number): void {
    const v = deseason(y, this.rows, this.model.season)
    this.rows++
    if (Number.isFinite(v)) this.level += this.model.alpha * (v - this.level)
  }

  forecast(h: number, H: number, out: Float64Array, offset: number): void {
    const { alpha, drift, season } = this.model
    // forecast::thetaf: ŷ(k) = ℓ_t + b·(k − 1 + (1 − (1 − α)^n) / α), n = rows seen.
    const carried = (1 - Math.pow(1 - alpha, this.rows)) / alpha
    for (let k = 0; k < H; k++) {
      const steps = h + k
      out[offset + k] = reseason(
        this.level + drift * (steps - 1 + carried),
        this.rows - 1 + steps,
        season,
      )
    }
  }
}

/** SES variance σ²(1 + (k−1)α²) (drift uncertainty ignored); null for a seasonal fit. */
export function thetaVariance(model: FittedTheta, H: number): Float64Array | null {
  if (model.season) return null
  return Float64Array.from({ length: H }, (_, i) => model.sigma2 * (1 + i * model.alpha ** 2))
}

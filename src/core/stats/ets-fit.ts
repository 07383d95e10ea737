import { SeqcastError } from '../../shared/errors'
import { seasonalIndices } from '../../shared/seasonality/classical'
import type { FitMonitor } from './monitor'
import { nelderMead } from './nelder-mead'
import type {
  EtsParams,
  EtsSeason,
  EtsSpec,
  EtsState,
  EtsTrend,
  EtsError,
  FittedEts,
} from './ets-model'
import { etsName } from './ets-model'

/**
 * Automatic ETS: every admissible (error, trend, season) is estimated by maximum likelihood on the
 * training rows and the one with the smallest AICc is kept (Hyndman et al. 2008, ch. 7; R's
 * `forecast::ets`). The smoothing parameters, the damping and the initial level and slope are
 * optimized by Nelder–Mead; the initial seasonal values come from a classical decomposition of
 * the first seasons and stay fixed, which keeps seasons of 96 or 672 rows fast.
 */
export interface EtsOptions {
  /** Season in rows; 1 or absent for none. */
  period?: number
  /** Model string as in R: error, trend, season, each a letter or Z for automatic ("ZZZ", "AAdA"). */
  model?: string
  /** Told before each candidate is estimated; may throw to stop the fit. */
  monitor?: FitMonitor
}

interface Candidate {
  spec: EtsSpec
  params: EtsParams
  init: EtsState
  sigma2: number
  aicc: number
}

const TOKEN = /^([AMZ])(N|Ad|A|M|Z)([NAMZ])$/

/** Parses "ZZZ", "AAdA", "MNM", …; multiplicative trends are not offered. */
export function parseEtsModel(model: string): { error: string; trend: string; season: string } {
  const match = TOKEN.exec(model)
  if (!match || match[2] === 'M') {
    throw new SeqcastError(
      'config',
      `ETS model: expected three letters for error (A, M, Z), trend (N, A, Ad, Z) and season (N, A, M, Z), e.g. "ZZZ" or "AAdA", received "${model}".`,
      { setting: 'model', received: model },
    )
  }
  return { error: match[1], trend: match[2], season: match[3] }
}

export function fitEts(train: Float64Array, options: EtsOptions = {}): FittedEts {
  const period = options.period ?? 1
  const wanted = parseEtsModel(options.model ?? 'ZZZ')
  const finite = train.every(Number.isFinite)
  if (!finite || train.length < 6) {
    throw new SeqcastError(
      'config',
      `ETS: expected at least 6 training rows without missing values, received ${train.length} rows${finite ? '' : ' with missing values'}. Repair the target column or widen the training split.`,
      { setting: 'training rows', received: train.length },
    )
  }
  if (!Number.isInteger(period) || period < 1) {
    throw new SeqcastError(
      'config',
      `ETS season: expected a whole number of rows ≥ 1, received ${period}.`,
      {
        setting: 'season',
        received: period,
      },
    )
  }
  const positive = train.every((v) => v > 0)
  const seasonalOk = period > 1 && train.length >= 2 * period + 2
  const auto = wanted.error === 'Z' || wanted.trend === 'Z' || wanted.season === 'Z'
  const errors = (
    wanted.error === 'Z' ? (positive ? ['A', 'M'] : ['A']) : [wanted.error]
  ) as EtsError[]
  const trends = (wanted.trend === 'Z' ? ['N', 'A', 'Ad'] : [wanted.trend]) as EtsTrend[]
  const seasons = (
    wanted.season === 'Z'
      ? seasonalOk
        ? positive
          ? ['N', 'A', 'M']
          : ['N', 'A']
        : ['N']
      : [wanted.season]
  ) as EtsSeason[]
  if (!positive && (wanted.error === 'M' || wanted.season === 'M')) {
    throw new SeqcastError(
      'config',
      `ETS model ${options.model}: a multiplicative error or season needs every training value > 0. Choose an additive model (e.g. "AAA") or "ZZZ".`,
      { setting: 'model', received: options.model },
    )
  }
  if (!seasonalOk && seasons.some((s) => s !== 'N')) {
    throw new SeqcastError(
      'config',
      `ETS season: a seasonal model needs a season > 1 and at least two seasons plus two rows of training data (${2 * period + 2}), received season ${period} and ${train.length} rows. Set a shorter season or a model without season ("ZZN").`,
      { setting: 'season', received: period },
    )
  }
  const specs: EtsSpec[] = []
  for (const error of errors) {
    for (const trend of trends) {
      for (const season of seasons) {
        // Additive error with multiplicative season is numerically unstable (forecast::ets).
        if (auto && error === 'A' && season === 'M') continue
        specs.push({ error, trend, season, period: season === 'N' ? 1 : period })
      }
    }
  }
  let best: Candidate | null = null
  for (const [i, spec] of specs.entries()) {
    options.monitor?.step(etsName(spec), i, specs.length)
    const candidate = estimate(train, spec)
    if (candidate && (!best || candidate.aicc < best.aicc)) best = candidate
  }
  if (!best) {
    throw new SeqcastError(
      'training',
      `ETS: no model could be estimated on the ${train.length} training rows (every likelihood was infinite). Check the target column for extreme values.`,
      { setting: 'model', received: options.model ?? 'ZZZ' },
    )
  }
  return { kind: 'ets', ...best, trainRows: train.length }
}

/** Heuristic start: seasonal indices of the first seasons, then a line through the adjusted start. */
export function initialState(train: Float64Array, spec: EtsSpec): EtsState {
  const m = spec.period
  let season: number[] = []
  let adjusted: ArrayLike<number> = train
  if (spec.season !== 'N') {
    const kind = spec.season === 'A' ? 'additive' : 'multiplicative'
    const index = seasonalIndices(train.subarray(0, Math.min(train.length, 4 * m)), m, kind)
    season = Array.from(index)
    adjusted = train.map((v, t) => (kind === 'additive' ? v - index[t % m] : v / index[t % m]))
  }
  const k = Math.min(train.length, Math.max(10, m))
  let mean = 0
  for (let t = 0; t < k; t++) mean += adjusted[t]
  mean /= k
  if (spec.trend === 'N') return { level: mean, slope: 0, season }
  let sxy = 0
  let sxx = 0
  const tMean = (k - 1) / 2
  for (let t = 0; t < k; t++) {
    sxy += (t - tMean) * (adjusted[t] - mean)
    sxx += (t - tMean) * (t - tMean)
  }
  const slope = sxy / sxx
  // The state before row 0: its one-step forecast is the fitted line at t = 0.
  return { level: mean - slope * tMean - slope, slope, season }
}

const BIG = Number.POSITIVE_INFINITY

function estimate(train: Float64Array, spec: EtsSpec): Candidate | null {
  const init = initialState(train, spec)
  const hasTrend = spec.trend !== 'N'
  const hasSeason = spec.season !== 'N'
  const damped = spec.trend === 'Ad'
  const scratch = new Float64Array(hasSeason ? spec.period : 1)
  const unpack = (x: ArrayLike<number>): { params: EtsParams; level: number; slope: number } => {
    let i = 0
    const alpha = x[i++]
    const beta = hasTrend ? x[i++] : 0
    const gamma = hasSeason ? x[i++] : 0
    const phi = damped ? x[i++] : 1
    const level = x[i++]
    const slope = hasTrend ? x[i] : 0
    return { params: { alpha, beta, gamma, phi }, level, slope }
  }
  const objective = (x: ArrayLike<number>): number => {
    const { params, level, slope } = unpack(x)
    if (!admissible(params, hasTrend, hasSeason, damped)) return BIG
    return loss(train, spec, params, level, slope, init.season, scratch).lik
  }
  const x0 = [0.2]
  if (hasTrend) x0.push(0.02)
  if (hasSeason) x0.push(0.05)
  if (damped) x0.push(0.95)
  x0.push(init.level)
  if (hasTrend) x0.push(init.slope)
  if (!Number.isFinite(objective(x0))) return null
  const result = nelderMead(objective, x0, { maxEvaluations: 300 * x0.length })
  if (!Number.isFinite(result.fx)) return null
  const { params, level, slope } = unpack(result.x)
  const fit = loss(train, spec, params, level, slope, init.season, scratch)
  const n = fit.count
  // Parameters: smoothing + damping, initial states (m − 1 free seasonal values), and σ.
  const k = x0.length + (hasSeason ? spec.period - 1 : 0) + 1
  const aicc = n - k - 1 > 0 ? fit.lik + 2 * k + (2 * k * (k + 1)) / (n - k - 1) : BIG
  const sigma2 = fit.sse / Math.max(1, n - k)
  return { spec, params, init: { level, slope, season: init.season }, sigma2, aicc }
}

/** The usual parameter space of forecast::ets: 0 < β < α < 1, 0 < γ < 1 − α, 0.8 ≤ φ ≤ 0.98. */
function admissible(p: EtsParams, trend: boolean, season: boolean, damped: boolean): boolean {
  if (!(p.alpha > 1e-4 && p.alpha < 0.9999)) return false
  if (trend && !(p.beta > 1e-4 && p.beta < p.alpha)) return false
  if (season && !(p.gamma > 1e-4 && p.gamma < 1 - p.alpha)) return false
  if (damped && !(p.phi >= 0.8 && p.phi <= 0.98)) return false
  return true
}

/**
 * −2 log-likelihood up to a constant (Hyndman et al. 2008, eq. 5.x): n·log Σε² for additive
 * errors, n·log Σ(ε/μ)² + 2·Σ log|μ| for multiplicative ones. The same recursion as EtsFilter,
 * written out flat because the optimizer calls it thousands of times.
 */
export function loss(
  y: Float64Array,
  spec: EtsSpec,
  p: EtsParams,
  level0: number,
  slope0: number,
  season0: ArrayLike<number>,
  scratch: Float64Array,
): { lik: number; sse: number; count: number } {
  const m = spec.period
  const seasonKind = spec.season
  const multErr = spec.error === 'M'
  const phi = spec.trend === 'Ad' ? p.phi : 1
  const { alpha, beta, gamma } = p
  let level = level0
  let slope = spec.trend === 'N' ? 0 : slope0
  if (seasonKind !== 'N') for (let j = 0; j < m; j++) scratch[j] = season0[j]
  let sse = 0
  let logMu = 0
  let count = 0
  let phase = 0
  for (let t = 0; t < y.length; t++) {
    const lb = level + phi * slope
    const v = y[t]
    let mu: number
    if (seasonKind === 'N') {
      mu = lb
      const u = v - mu
      level = lb + alpha * u
      slope = phi * slope + beta * u
      sse += multErr ? (u / mu) * (u / mu) : u * u
    } else if (seasonKind === 'A') {
      const s = scratch[phase]
      mu = lb + s
      const u = v - mu
      level = lb + alpha * u
      slope = phi * slope + beta * u
      scratch[phase] = s + gamma * u
      sse += multErr ? (u / mu) * (u / mu) : u * u
    } else {
      const s = scratch[phase]
      mu = lb * s
      const u = v - mu
      if (!(lb > 0) || !(s > 0)) return { lik: BIG, sse: BIG, count }
      level = lb + (alpha * u) / s
      slope = phi * slope + (beta * u) / s
      scratch[phase] = s + (gamma * u) / lb
      sse += multErr ? (u / mu) * (u / mu) : u * u
    }
    if (multErr) {
      if (!(mu > 0)) return { lik: BIG, sse: BIG, count }
      logMu += Math.log(mu)
    }
    count++
    if (++phase === m) phase = 0
  }
  if (!(sse > 0) || !Number.isFinite(sse)) return { lik: sse === 0 ? -BIG : BIG, sse, count }
  return { lik: count * Math.log(sse) + 2 * logMu, sse, count }
}

/**
 * Prediction intervals of a run, for every model family alike: conformal half-widths per horizon
 * step from the validation residuals (data units, finite-sample rank). With method 'aci' (the
 * default) they are adapted along the test split as its actuals arrive (a forecast at row t uses
 * residuals of targets ≤ t only) and carried into the future forecast in the state the last test
 * actual left them; with 'split' the validation half-widths are applied unchanged to the test and
 * future forecasts. The validation bands are split conformal with either method.
 *
 * The validation bands are calibrated on the validation residuals themselves, so their coverage
 * is at least the level by construction; the test coverage is the honest figure.
 */
import {
  adaptiveBands,
  adaptiveBandsAt,
  calibrateConformal,
  checkLevel,
  conformalBands,
  DEFAULT_INTERVAL_LEVEL,
  describeCalibration,
  intervalCoverage,
  levelNumber,
  levelPercent,
  normalQuantile,
  fromScale,
  toScale,
  type Bands,
  type IntervalScale,
} from '../intervals'
import { SeqcastError } from '../errors'
import type { ModelManifest } from '../manifest'
import type { WindowConfig } from '../windows/config'

/**
 * 'split' and 'aci' are conformal and work for every family; 'model' is a statistical model's
 * own interval, ŷ ± Φ⁻¹((1+level)/2)·σ_h from its closed-form forecast variance (ETS with
 * additive errors and no multiplicative season, ARIMA, non-seasonal Theta, MSTL).
 */
export type IntervalMethod = 'split' | 'aci' | 'model'
export const INTERVAL_METHODS: readonly IntervalMethod[] = ['split', 'aci', 'model']

/** How the app and the CLI name a method. */
export function methodName(method: IntervalMethod): string {
  return method === 'aci'
    ? 'adaptive conformal'
    : method === 'model'
      ? 'model-based, from its forecast variance'
      : 'split conformal'
}

/**
 * "mean width 10.37", "mean width 10.37 where bounded (57 of 17,257 unbounded)" or "every
 * interval unbounded", with `num` formatting the width the way the caller prints numbers. Runs
 * saved before the unbounded count hold a width of ∞ when some interval was unbounded.
 */
export function widthPhrase(
  c: { width: number | null; n: number; unbounded?: number },
  num: (x: number) => string,
): string {
  const u = c.unbounded ?? 0
  if (c.width === null || !Number.isFinite(c.width))
    return u > 0 && u === c.n ? 'every interval unbounded' : 'mean width unbounded'
  if (u === 0) return `mean width ${num(c.width)}`
  return `mean width ${num(c.width)} where bounded (${u.toLocaleString('en-US')} of ${c.n.toLocaleString('en-US')} unbounded)`
}

export interface IntervalSettings {
  /** Nominal coverage, strictly between 0 and 1 (0.9 = 90 %). */
  level: number
  method: IntervalMethod
  /** Residual scale; absent: chosen from the training and validation rows (chooseScale). */
  scale?: IntervalScale
}

/**
 * Adaptive conformal by default: split conformal assumes the test errors look like the
 * validation ones, and on series whose error scale drifts (sunspots' cycles, Jena's seasons) it
 * covered 85 % where ACI covered 89–90 % (bench/coverage.ts, README).
 */
export const DEFAULT_INTERVALS: IntervalSettings = {
  level: DEFAULT_INTERVAL_LEVEL,
  method: 'aci',
}

/**
 * Levels whose half-widths an exported model stores besides its own, so that `predict
 * --interval` can draw them without the validation residuals.
 */
export const STORED_LEVELS: readonly number[] = [0.5, 0.8, 0.9, 0.95, 0.99]

export interface SplitCoverage {
  /** Share of actuals inside their interval, 0 … 1 (NaN without pairs). */
  coverage: number
  /**
   * Mean upper − lower in data units over the bounded intervals (NaN when none is; runs saved
   * before `unbounded` existed hold ∞ when some interval was unbounded).
   */
  width: number
  /** Values that entered. */
  n: number
  /** Of the n, intervals with an infinite bound (absent in runs saved before it). */
  unbounded?: number
}

/** Half-widths per horizon step at one level; null where unbounded (too few residuals). */
export interface LevelRadius {
  level: number
  radius: (number | null)[]
}

export interface RunIntervals {
  level: number
  method: IntervalMethod
  /**
   * The scale residuals were ranked on (shared/intervals/scale.ts); with 'relative' every
   * half-width below is a share of |forecast|. Absent in runs saved before it: absolute.
   */
  scale?: IntervalScale
  /** Split conformal half-widths per step from the validation residuals. */
  radius: (number | null)[]
  /** Validation residuals per step that entered. */
  samples: number[]
  /** Half-widths of the future forecast: `radius`, or the adapted ones with ACI. */
  futureRadius: (number | null)[]
  coverage: Partial<Record<'val' | 'test', SplitCoverage>>
  /**
   * Half-widths at STORED_LEVELS and the run's level, for exported models: with 'aci' (and test
   * windows to adapt on) ACI's final state at each level, as `futureRadius` is at the run's;
   * otherwise the split conformal (or the model's own) half-widths.
   */
  grid: LevelRadius[]
  /** How `grid` was computed (absent in runs saved before it: split, or model with 'model'). */
  gridMethod?: IntervalMethod
  /** Why some interval is unbounded, or null. */
  note: string | null
}

/** n × H window-major forecasts of the validation and test windows with their actuals. */
export interface SplitForecasts {
  starts: Int32Array
  actual: Float64Array
  predicted: Float64Array
}

/**
 * Calibrates on `val` and gives bands for both splits; null without validation forecasts
 * (nothing to calibrate on).
 */
export function runIntervals(
  window: WindowConfig,
  settings: IntervalSettings,
  dataVal: SplitForecasts | undefined,
  dataTest: SplitForecasts | undefined,
  scale: IntervalScale = 'absolute',
  /** With method 'model': the model's forecast standard deviation per horizon step. */
  modelSd: readonly number[] | null = null,
): { intervals: RunIntervals; bands: Partial<Record<'val' | 'test', Bands>> } | null {
  checkLevel(settings.level)
  if (!dataVal || dataVal.starts.length === 0) return null
  if (settings.method === 'model') return modelIntervals(settings, modelSd, dataVal, dataTest)
  // Calibrated and adapted on the chosen scale; bands and coverage in data units.
  const val = toScale(dataVal, scale)
  const test = dataTest && toScale(dataTest, scale)
  const H = window.horizon
  const calibration = calibrateConformal(val.actual, val.predicted, H, settings.level)
  const bands: Partial<Record<'val' | 'test', Bands>> = {
    val: fromScale(conformalBands(val.predicted, calibration), dataVal.predicted, scale),
  }
  let futureRadius = calibration.radius
  const adapts = settings.method === 'aci' && !!test && test.starts.length > 0
  if (test && dataTest && test.starts.length > 0) {
    if (adapts) {
      const adaptive = adaptiveBands(val, test, window, settings.level)
      bands.test = fromScale(adaptive, dataTest.predicted, scale)
      futureRadius = adaptive.finalRadius
    } else {
      bands.test = fromScale(conformalBands(test.predicted, calibration), dataTest.predicted, scale)
    }
  }
  const coverage: RunIntervals['coverage'] = {}
  for (const split of ['val', 'test'] as const) {
    const b = bands[split]
    const f = split === 'val' ? dataVal : dataTest
    if (!b || !f) continue
    const c = intervalCoverage(f.actual, b.lower, b.upper)
    coverage[split] = { coverage: c.coverage, width: c.meanWidth, n: c.n, unbounded: c.unbounded }
  }
  const levels = [...new Set([...STORED_LEVELS, settings.level])].sort((a, b) => a - b)
  // ACI's final state at each level: what a forecast after the last test actual would get.
  const adapted = adapts ? adaptiveBandsAt(val, test!, window, levels) : null
  const grid = levels.map((level, l) => ({
    level,
    radius:
      level === settings.level
        ? futureRadius
        : adapted
          ? adapted[l].finalRadius
          : calibrateConformal(val.actual, val.predicted, H, level).radius,
  }))
  return {
    intervals: {
      level: settings.level,
      method: settings.method,
      scale,
      radius: calibration.radius,
      samples: calibration.samples,
      futureRadius,
      coverage,
      grid,
      gridMethod: adapts ? 'aci' : 'split',
      note: describeCalibration(calibration),
    },
    bands,
  }
}

/** ŷ ± z·σ_h: the half-widths of a model's own interval at `level`. */
export function modelRadius(sd: readonly number[], level: number): (number | null)[] {
  const z = normalQuantile((1 + level) / 2)
  return sd.map((s) => (Number.isFinite(s) ? z * s : null))
}

function modelIntervals(
  settings: IntervalSettings,
  sd: readonly number[] | null,
  val: SplitForecasts,
  test: SplitForecasts | undefined,
): { intervals: RunIntervals; bands: Partial<Record<'val' | 'test', Bands>> } {
  if (!sd) {
    throw new SeqcastError(
      'config',
      'Interval method model: this model gives no forecast variance of its own (only ETS with additive errors and no multiplicative season, ARIMA, non-seasonal Theta and MSTL do). Use the interval method split or aci, which work for every model.',
      { setting: 'intervalMethod' },
    )
  }
  const radius = modelRadius(sd, settings.level)
  const bands: Partial<Record<'val' | 'test', Bands>> = {
    val: conformalBands(val.predicted, { radius }),
  }
  if (test && test.starts.length > 0) bands.test = conformalBands(test.predicted, { radius })
  const coverage: RunIntervals['coverage'] = {}
  for (const split of ['val', 'test'] as const) {
    const b = bands[split]
    const f = split === 'val' ? val : test
    if (!b || !f) continue
    const c = intervalCoverage(f.actual, b.lower, b.upper)
    coverage[split] = { coverage: c.coverage, width: c.meanWidth, n: c.n, unbounded: c.unbounded }
  }
  const levels = [...new Set([...STORED_LEVELS, settings.level])].sort((a, b) => a - b)
  return {
    intervals: {
      level: settings.level,
      method: 'model',
      scale: 'absolute',
      radius,
      samples: sd.map(() => 0),
      futureRadius: radius,
      coverage,
      grid: levels.map((level) => ({ level, radius: modelRadius(sd, level) })),
      gridMethod: 'model',
      note: null,
    },
    bands,
  }
}

/** forecast ± half-width per step (±∞ where the half-width is null); relative: ± half-width · |forecast|. */
export function bandsFromRadius(
  predicted: ArrayLike<number>,
  radius: (number | null)[],
  scale: IntervalScale = 'absolute',
): Bands {
  const onScale = toScale({ actual: predicted, predicted }, scale).predicted
  return fromScale(conformalBands(onScale, { radius }), predicted, scale)
}

/**
 * The half-widths stored in the manifest at `level` (default: the run's level), so another
 * process draws the same bands, and the method they come from. `predict` has no residual history
 * to adapt on, so it holds them fixed on every window of the file and on the future:
 * - split: the validation calibration of the training run at every level;
 * - aci: ACI's final state (after the last test actual of the training run) at the run's level,
 *   and at the stored levels too when the manifest says `levelsMethod: 'aci'`; manifests written
 *   before that hold split half-widths at the other levels, and say so by its absence;
 * - model: the model's own half-widths from its forecast variance.
 */
export function storedCalibration(
  manifest: ModelManifest,
  level: number | undefined,
): {
  level: number
  method: IntervalMethod
  radius: (number | null)[]
  futureRadius: (number | null)[]
  scale: IntervalScale
} | null {
  const stored = manifest.intervals
  if (!stored) {
    if (level === undefined) return null
    throw new SeqcastError(
      'config',
      `Interval level: the model "${manifest.name}" holds no interval calibration (it was exported before intervals, or trained without validation windows). ` +
        'Train it again with a validation split to get intervals, or leave out --interval.',
      { setting: 'interval' },
    )
  }
  const wanted = level ?? stored.level
  const scale = stored.scale ?? 'absolute'
  const same = (a: number, b: number) => Math.abs(a - b) < 1e-9
  if (same(wanted, stored.level)) {
    // ACI's final state is what the run would give its next forecast; split and model keep
    // one set of half-widths (radius = futureRadius).
    const radius = stored.method === 'aci' ? stored.futureRadius : stored.radius
    return { level: stored.level, method: stored.method, radius, futureRadius: radius, scale }
  }
  const found = stored.levels.find((l) => same(l.level, wanted))
  if (!found) {
    throw new SeqcastError(
      'config',
      `Interval level: the model "${manifest.name}" holds calibrations for ${stored.levels.map((l) => levelPercent(l.level)).join(', ')}; received ${levelPercent(wanted)}. ` +
        `Use one of them, or train again with --interval ${levelNumber(wanted)}.`,
      { setting: 'interval', received: wanted, levels: stored.levels.map((l) => l.level) },
    )
  }
  const method = stored.levelsMethod ?? (stored.method === 'model' ? 'model' : 'split')
  return { level: found.level, method, radius: found.radius, futureRadius: found.radius, scale }
}

/** What `predict` says it drew, e.g. "adaptive conformal, the state the training run ended in". */
export function storedMethodText(method: IntervalMethod): string {
  return method === 'aci'
    ? "adaptive conformal, held in the state the training run's last test actual left it"
    : method === 'model'
      ? "the model's own, from its forecast variance"
      : "split conformal, from the training run's validation residuals"
}

/**
 * A forecast of a file with its bands at another level the model stores (the Forecast view's
 * Interval field): the same numbers `predict --interval` writes. Null when the model has none.
 */
export function withStoredLevel<
  S extends {
    forecast: {
      actual: Float64Array
      predicted: Float64Array
      lower?: Float64Array
      upper?: Float64Array
    }
    future: { predicted: Float64Array; lower?: Float64Array; upper?: Float64Array } | null
    intervals?: {
      level: number
      method: IntervalMethod
      radius: (number | null)[]
      coverage: SplitCoverage | null
    } | null
  },
>(set: S, manifest: ModelManifest, level: number): S | null {
  const c = storedCalibration(manifest, level)
  if (!c) return null
  const bands = bandsFromRadius(set.forecast.predicted, c.radius, c.scale)
  const cov = intervalCoverage(set.forecast.actual, bands.lower, bands.upper)
  return {
    ...set,
    forecast: { ...set.forecast, ...bands },
    future: set.future && {
      ...set.future,
      ...bandsFromRadius(set.future.predicted, c.futureRadius, c.scale),
    },
    intervals: {
      level: c.level,
      method: c.method,
      radius: c.radius,
      coverage:
        cov.n > 0
          ? { coverage: cov.coverage, width: cov.meanWidth, n: cov.n, unbounded: cov.unbounded }
          : null,
    },
  }
}

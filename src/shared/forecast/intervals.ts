/**
 * Prediction intervals of a run, for every model family alike: split conformal half-widths per
 * horizon step from the validation residuals (data units, finite-sample rank), applied to the
 * validation, test and future forecasts; or, with method 'aci', adapted along the test split as
 * its actuals arrive (a forecast at row t uses residuals of targets ≤ t only) and carried into
 * the future forecast in the state the last test actual left them.
 *
 * The validation bands are calibrated on the validation residuals themselves, so their coverage
 * is at least the level by construction; the test coverage is the honest figure.
 */
import {
  adaptiveBands,
  calibrateConformal,
  checkLevel,
  conformalBands,
  DEFAULT_INTERVAL_LEVEL,
  describeCalibration,
  intervalCoverage,
  type Bands,
} from '../intervals'
import type { WindowConfig } from '../windows/config'

export type IntervalMethod = 'split' | 'aci'
export const INTERVAL_METHODS: readonly IntervalMethod[] = ['split', 'aci']

export interface IntervalSettings {
  /** Nominal coverage, strictly between 0 and 1 (0.9 = 90 %). */
  level: number
  method: IntervalMethod
}

export const DEFAULT_INTERVALS: IntervalSettings = {
  level: DEFAULT_INTERVAL_LEVEL,
  method: 'split',
}

/**
 * Levels whose half-widths an exported model stores besides its own, so that `predict
 * --interval` can draw them without the validation residuals.
 */
export const STORED_LEVELS: readonly number[] = [0.5, 0.8, 0.9, 0.95, 0.99]

export interface SplitCoverage {
  /** Share of actuals inside their interval, 0 … 1 (NaN without pairs). */
  coverage: number
  /** Mean upper − lower in data units (∞ when some interval is unbounded). */
  width: number
  /** Values that entered. */
  n: number
}

/** Half-widths per horizon step at one level; null where unbounded (too few residuals). */
export interface LevelRadius {
  level: number
  radius: (number | null)[]
}

export interface RunIntervals {
  level: number
  method: IntervalMethod
  /** Split conformal half-widths per step from the validation residuals. */
  radius: (number | null)[]
  /** Validation residuals per step that entered. */
  samples: number[]
  /** Half-widths of the future forecast: `radius`, or the adapted ones with ACI. */
  futureRadius: (number | null)[]
  coverage: Partial<Record<'val' | 'test', SplitCoverage>>
  /** Half-widths at STORED_LEVELS and the run's level, for exported models. */
  grid: LevelRadius[]
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
  val: SplitForecasts | undefined,
  test: SplitForecasts | undefined,
): { intervals: RunIntervals; bands: Partial<Record<'val' | 'test', Bands>> } | null {
  checkLevel(settings.level)
  if (!val || val.starts.length === 0) return null
  const H = window.horizon
  const calibration = calibrateConformal(val.actual, val.predicted, H, settings.level)
  const bands: Partial<Record<'val' | 'test', Bands>> = {
    val: conformalBands(val.predicted, calibration),
  }
  let futureRadius = calibration.radius
  if (test && test.starts.length > 0) {
    if (settings.method === 'aci') {
      const adaptive = adaptiveBands(val, test, window, settings.level)
      bands.test = adaptive
      futureRadius = adaptive.finalRadius
    } else {
      bands.test = conformalBands(test.predicted, calibration)
    }
  }
  const coverage: RunIntervals['coverage'] = {}
  for (const split of ['val', 'test'] as const) {
    const b = bands[split]
    const f = split === 'val' ? val : test
    if (!b || !f) continue
    const c = intervalCoverage(f.actual, b.lower, b.upper)
    coverage[split] = { coverage: c.coverage, width: c.meanWidth, n: c.n }
  }
  const levels = [...new Set([...STORED_LEVELS, settings.level])].sort((a, b) => a - b)
  const grid = levels.map((level) => ({
    level,
    radius:
      level === settings.level
        ? calibration.radius
        : calibrateConformal(val.actual, val.predicted, H, level).radius,
  }))
  return {
    intervals: {
      level: settings.level,
      method: settings.method,
      radius: calibration.radius,
      samples: calibration.samples,
      futureRadius,
      coverage,
      grid,
      note: describeCalibration(calibration),
    },
    bands,
  }
}

/** forecast ± half-width per step (±∞ where the half-width is null). */
export function bandsFromRadius(predicted: ArrayLike<number>, radius: (number | null)[]): Bands {
  return conformalBands(predicted, { radius })
}

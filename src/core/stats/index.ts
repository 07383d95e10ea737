import { SeqcastError } from '../../shared/errors'
import { fitArima } from './arima-fit'
import { ArimaFilter, arimaName, arimaVariance, type FittedArima } from './arima-model'
import type { SarimaOrder } from './arima-package'
import { fitEts } from './ets-fit'
import { EtsFilter, etsName, etsVariance, type FittedEts } from './ets-model'
import type { StatFilter } from './filter'
import type { FitMonitor } from './monitor'
import { MstlFilter, fitMstl, type FittedMstl } from './mstl'
import { ThetaFilter, fitTheta, thetaVariance, type FittedTheta } from './theta'
import { runWindows } from './windows'

/**
 * Statistical models (StatsForecast's shape): fit on the training rows, then run forward over the
 * whole series with the parameters fixed and forecast from the state at any row. They forecast the
 * target from its own past only.
 */
export type StatKind = 'ets' | 'arima' | 'theta' | 'mstl'
export const STAT_KINDS: readonly StatKind[] = ['ets', 'arima', 'theta', 'mstl']

export type FittedStat = FittedEts | FittedArima | FittedTheta | FittedMstl
export type { FittedEts, FittedArima, FittedTheta, FittedMstl, StatFilter, FitMonitor }

export interface StatOptions {
  /**
   * Seasons in rows, shortest first. ETS, ARIMA and Theta use the first; MSTL uses all (e.g. 96
   * and 672 for 15-minute rows). Empty or [1] for none.
   */
  seasons?: number[]
  /** ETS model string ("ZZZ" by default, e.g. "AAdA"). */
  etsModel?: string
  /** Fixed ARIMA orders instead of the automatic search. */
  arimaOrder?: Partial<SarimaOrder> & { p: number; d: number; q: number }
  /** Progress and cancel between estimation steps (the engine worker's job passes one). */
  monitor?: FitMonitor
}

/**
 * Fits `kind` on `train`, which must be the first rows of the series that the forecasts later run
 * over (row 0 of `train` is row 0 of the series: seasons are aligned by row number).
 */
export function fitStatModel(
  kind: StatKind,
  train: Float64Array,
  options: StatOptions = {},
): FittedStat {
  const seasons = (options.seasons ?? []).filter((m) => m > 1)
  for (const m of seasons) {
    if (!Number.isInteger(m)) {
      throw new SeqcastError('config', `season: expected a whole number of rows, received ${m}.`, {
        setting: 'season',
        received: m,
      })
    }
  }
  const period = seasons[0] ?? 1
  switch (kind) {
    case 'ets':
      return fitEts(train, { period, model: options.etsModel, monitor: options.monitor })
    case 'arima':
      return fitArima(train, { period, order: options.arimaOrder, monitor: options.monitor })
    case 'theta':
      return fitTheta(train, period, options.monitor)
    case 'mstl':
      return fitMstl(train, seasons, 2, options.monitor)
    default:
      throw new SeqcastError(
        'config',
        `model: expected one of ${STAT_KINDS.join(', ')}, received "${String(kind)}".`,
        { setting: 'model', received: kind },
      )
  }
}

/** A fresh filter at the start of the series (before row 0). */
export function createFilter(model: FittedStat): StatFilter {
  switch (model.kind) {
    case 'ets':
      return new EtsFilter(model)
    case 'arima':
      return new ArimaFilter(model)
    case 'theta':
      return new ThetaFilter(model)
    case 'mstl':
      return new MstlFilter(model)
  }
}

/**
 * Forecasts for every window: for the window whose last observed row is `lastRows[w]`, the steps
 * `h … h+H−1` after it, at `out[w·H + k]`. One forward pass over `series` (the full target column).
 */
export function forecastWindows(
  model: FittedStat,
  series: Float64Array,
  lastRows: Int32Array,
  h: number,
  H: number,
): Float64Array {
  return runWindows(createFilter(model), series, lastRows, h, H)
}

/** The future: steps 1…H after the last row of `series`. */
export function forecastFuture(model: FittedStat, series: Float64Array, H: number): Float64Array {
  return forecastWindows(model, series, Int32Array.of(series.length - 1), 1, H)
}

/**
 * Model-based forecast variance for steps 1…H where the model has a closed form that does not
 * depend on the origin (additive-error ETS, ARIMA, non-seasonal Theta, MSTL's additive ETS);
 * null otherwise. Steps h…h+H−1 of a window are entries h−1…h+H−2.
 */
export function forecastVariance(model: FittedStat, H: number): Float64Array | null {
  switch (model.kind) {
    case 'ets':
      return etsVariance(model, H)
    case 'arima':
      return arimaVariance(model, H)
    case 'theta':
      return thetaVariance(model, H)
    case 'mstl':
      return etsVariance(model.trend, H)
  }
}

/** A short name for tables: "ETS(M,A,M)", "ARIMA(2,0,0)(0,1,0)[12]", "Theta", "MSTL[96,672]+ETS(A,N,N)". */
export function statModelName(model: FittedStat): string {
  switch (model.kind) {
    case 'ets':
      return etsName(model.spec)
    case 'arima':
      return arimaName(model)
    case 'theta':
      return model.season ? `Theta (${model.season.kind} season ${model.season.period})` : 'Theta'
    case 'mstl':
      return `MSTL[${model.periods.join(',')}]+${etsName(model.trend.spec)}`
  }
}

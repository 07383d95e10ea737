import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { expect } from 'vitest'
export { gaussian } from '../../shared/gaussian'
import {
  fitStatModel,
  forecastWindows,
  type StatKind,
  type StatOptions,
} from '../../../src/core/stats'

/** The second column of a shipped CSV (AirPassengers, sunspots). */
export function shippedColumn(file: string): Float64Array {
  const lines = readFileSync(resolve('resources/data', file), 'utf8').trim().split('\n').slice(1)
  return Float64Array.from(lines, (line) => Number(line.split(',')[1]))
}

/**
 * The evaluation contract for one model family: parameters depend on the training rows only, a
 * window's forecast does not change when rows after its last row change, and it does change when
 * a row before it changes (so the check can fail).
 */
export function expectNoLookAhead(
  kind: StatKind,
  series: Float64Array,
  trainRows: number,
  options: StatOptions,
): void {
  const fitted = fitStatModel(kind, series.subarray(0, trainRows), options)
  const changed = series.map((v, t) => (t >= trainRows ? v * 1.5 + 7 : v))
  expect(fitStatModel(kind, changed.subarray(0, trainRows), options)).toEqual(fitted)

  const t = trainRows + Math.floor((series.length - trainRows) / 2)
  const lastRows = Int32Array.of(trainRows - 1, t)
  const before = forecastWindows(fitted, series, lastRows, 2, 3)
  const after = series.map((v, r) => (r > t ? v + 1000 * (r % 3) - 50 : v))
  expect(forecastWindows(fitted, after, lastRows, 2, 3)).toEqual(before)
  const earlier = series.map((v, r) => (r === t - 1 || r === t ? v + 25 : v))
  expect(forecastWindows(fitted, earlier, lastRows, 2, 3).subarray(3)).not.toEqual(
    before.subarray(3),
  )
}

/** MAE of 12 forecasts from row `from` and of the seasonal naive (the year before) on the same rows. */
export function nextYearMae(
  forecasts: Float64Array,
  y: Float64Array,
  from: number,
): { model: number; seasonalNaive: number } {
  let model = 0
  let seasonalNaive = 0
  for (let k = 0; k < 12; k++) {
    model += Math.abs(forecasts[k] - y[from + k]) / 12
    seasonalNaive += Math.abs(y[from - 12 + k] - y[from + k]) / 12
  }
  return { model, seasonalNaive }
}

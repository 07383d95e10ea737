/**
 * Forecasts put together from a model's predictions (already in the data's units): which rows
 * each value is for, their times and actual values, and the forecast after the data's end from
 * its latest window. Training runs and forecasts of new files assemble them the same way.
 */
import { actualTargets } from '../baselines'
import type { Forecast, FutureForecast } from '../run'
import type { Dataset } from '../series/dataset'
import { timeAfter } from '../series/time-after'
import { analyzeTimes } from '../series/time-axis'
import type { WindowConfig } from '../windows/config'

/** Start row of the latest window of the data, or null when the data is shorter than one. */
export function latestWindowStart(rowCount: number, w: WindowConfig): number | null {
  const start = rowCount - 1 - (w.sequenceLength - 1) * w.samplingRate
  return start >= 0 ? start : null
}

/**
 * The window the future forecast starts from: the latest one, unless a row it reads holds a
 * missing value in `matrix` (row-major rows × featureCount), which would make the forecast NaN.
 */
export function futureWindowStart(
  matrix: Float32Array,
  featureCount: number,
  rowCount: number,
  w: WindowConfig,
): number | null {
  const start = latestWindowStart(rowCount, w)
  if (start === null) return null
  for (let t = 0; t < w.sequenceLength; t++) {
    const r = (start + t * w.samplingRate) * featureCount
    for (let f = 0; f < featureCount; f++) if (Number.isNaN(matrix[r + f])) return null
  }
  return start
}

/** Times of rows past the data, from the time axis' cadence (calendar months stay months). */
export function extrapolateTimes(dataset: Dataset, rows: Int32Array): Float64Array | null {
  const column = dataset.timeColumn
    ? dataset.columns.find((c) => c.name === dataset.timeColumn)
    : undefined
  if (!column || column.kind !== 'datetime') return null
  const times = column.values
  const cadence = analyzeTimes(times, column.name, column.format).cadence
  if (!cadence) return null
  let lastRow = times.length - 1
  while (lastRow >= 0 && Number.isNaN(times[lastRow])) lastRow--
  if (lastRow < 0) return null
  const last = times[lastRow]
  const out = new Float64Array(rows.length)
  rows.forEach((row, i) => {
    const steps = row - lastRow
    out[i] =
      row < times.length && !Number.isNaN(times[row]) ? times[row] : timeAfter(last, cadence, steps)
  })
  return out
}

/** The forecast of the windows starting at `starts`: H values each, with their rows, times and actuals. */
export function windowForecast(
  data: { target: Float64Array; timestamps: Float64Array | null },
  starts: Int32Array,
  w: WindowConfig,
  predicted: Float64Array,
): Forecast {
  const H = w.horizon
  const rowIndex = new Int32Array(starts.length * H)
  for (let k = 0; k < starts.length; k++)
    for (let h = 0; h < H; h++) rowIndex[k * H + h] = starts[k] + w.delay + h
  const times = data.timestamps
  return {
    horizon: H,
    rowIndex,
    timestamps: times ? Float64Array.from(rowIndex, (r) => times[r]) : null,
    actual: actualTargets(data.target, starts, w),
    predicted,
  }
}

/** The forecast from the window starting at `start` for the H rows after it (past the data's end). */
export function futureForecast(
  dataset: Dataset,
  start: number,
  w: WindowConfig,
  predicted: Float64Array,
): FutureForecast {
  const rowIndex = new Int32Array(w.horizon)
  for (let h = 0; h < w.horizon; h++) rowIndex[h] = start + w.delay + h
  return {
    horizon: w.horizon,
    fromRow: start + (w.sequenceLength - 1) * w.samplingRate,
    rowIndex,
    timestamps: extrapolateTimes(dataset, rowIndex),
    predicted,
  }
}

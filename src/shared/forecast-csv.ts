/**
 * The forecasts CSV every export writes (the CLI's forecasts.csv, the app's "Export forecasts…"):
 * one line per predicted value, numbers in shortest round-trip form so the file holds exactly
 * the numbers the engine computed.
 *
 *   timestamp,split,row,step,actual,predicted,residual
 *   2016-07-10T14:50:00.000Z,val,315337,1,23.1,22.87,0.23
 *   2017-01-01T00:00:00.000Z,future,,1,,21.5,
 *
 * `row` is the 0-based dataset row of the target; `step` is 1…H within a window's horizon;
 * residual = actual − predicted; future rows have no actual, no residual and no row.
 */
export interface ForecastColumns {
  split: 'train' | 'val' | 'test' | 'future'
  /** Values per window, window-major: window k step h at k·H + h. */
  horizon: number
  /** Target row of each window's first step (future: −1). */
  targetRows: Int32Array
  /** Epoch ms of each predicted value (n × H), or null without a time axis. */
  timestamps: Float64Array | null
  actual: Float64Array | null
  predicted: Float64Array
}

export const FORECAST_CSV_HEADER = 'timestamp,split,row,step,actual,predicted,residual'

export function formatForecastCsv(sets: ForecastColumns[]): string {
  const lines = [FORECAST_CSV_HEADER]
  for (const set of sets) {
    const H = set.horizon
    for (let i = 0; i < set.predicted.length; i++) {
      const k = Math.floor(i / H)
      const h = i % H
      const t = set.timestamps ? set.timestamps[i] : NaN
      const row = set.targetRows[k] >= 0 ? String(set.targetRows[k] + h) : ''
      const actual = set.actual ? set.actual[i] : NaN
      const predicted = set.predicted[i]
      lines.push(
        [
          Number.isFinite(t) ? new Date(t).toISOString() : '',
          set.split,
          row,
          String(h + 1),
          num(actual),
          num(predicted),
          num(actual - predicted),
        ].join(','),
      )
    }
  }
  return lines.join('\n') + '\n'
}

function num(x: number): string {
  return Number.isFinite(x) ? String(x) : ''
}

/** Reads the file back (for tests and for comparing an export with the engine's numbers). */
export function parseForecastCsv(text: string): {
  timestamp: string
  split: string
  row: number | null
  step: number
  actual: number | null
  predicted: number
  residual: number | null
}[] {
  const lines = text.trim().split(/\r?\n/)
  if (lines[0] !== FORECAST_CSV_HEADER)
    throw new Error(`not a Seqcast forecasts file: header ${lines[0]}`)
  const opt = (s: string) => (s === '' ? null : Number(s))
  return lines.slice(1).map((line) => {
    const [timestamp, split, row, step, actual, predicted, residual] = line.split(',')
    return {
      timestamp,
      split,
      row: opt(row),
      step: Number(step),
      actual: opt(actual),
      predicted: Number(predicted),
      residual: opt(residual),
    }
  })
}

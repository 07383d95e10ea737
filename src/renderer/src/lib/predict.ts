/**
 * Forecasting a dataset with a saved or imported model (`model:predict`), the pure parts: the
 * columns the request carries, the text of the forecasts CSV (the CLI's `predict` writer), and
 * the rows of the target kept for the future chart. No DOM, no Vue: unit-tested in test/renderer.
 */
import { SeqcastError } from '@shared/errors'
import { forecastColumns, formatForecastCsv, futureColumns } from '@shared/forecast-csv'
import type { RunData } from '@shared/ipc/contract'
import type { ForecastSet, ModelManifest } from '@shared/run'
import type { Dataset } from '@shared/series/dataset'
import { requestData } from './run-data'

const KIND_TEXT = { numeric: 'numbers', datetime: 'dates/times', text: 'text' } as const

/** The columns a model reads, in its tensor order: its features, then the target if not one of them. */
export function modelColumns(manifest: Pick<ModelManifest, 'experiment'>): string[] {
  return [...new Set([...manifest.experiment.features, manifest.experiment.target])]
}

/**
 * The request data of `model:predict`: the columns the model's manifest names, in its order, and
 * the time axis. A column the dataset lacks is left out, so the engine answers with the message
 * that names it (and the columns the file has). A column that is there but holds text or dates
 * cannot cross as numbers: that mismatch is reported here, in the engine's words.
 */
export function predictData(dataset: Dataset, manifest: ModelManifest): RunData {
  const needed = modelColumns(manifest)
  const columns: RunData['columns'] = []
  for (const name of needed) {
    const c = dataset.columns.find((col) => col.name === name)
    if (!c) continue
    if (c.kind !== 'numeric') {
      throw new SeqcastError(
        'model-mismatch',
        `Column "${name}" of ${dataset.name} holds ${KIND_TEXT[c.kind]}, but the model "${manifest.model.name}" was trained on numbers in that column. ` +
          'Fix the cells that are not numbers (the Data view lists them) or use a file with the same schema.',
        { file: dataset.name, column: name, expected: 'numeric', received: c.kind },
      )
    }
    columns.push({ name, values: c.values as Float64Array<ArrayBuffer> })
  }
  if (columns.length === 0) {
    // Nothing to send: say what is missing here (the request needs at least one column).
    const have = dataset.columns.filter((c) => c.kind === 'numeric').map((c) => `"${c.name}"`)
    throw new SeqcastError(
      'model-mismatch',
      `${dataset.name} lacks the column${needed.length === 1 ? '' : 's'} ${needed.map((m) => `"${m}"`).join(', ')} that the model "${manifest.model.name}" reads ` +
        `(it was trained on ${manifest.dataset.name} with features ${manifest.experiment.features.map((f) => `"${f}"`).join(', ')} and target "${manifest.experiment.target}"). ` +
        `Numeric columns in ${dataset.name}: ${have.join(', ') || 'none'}. Rename the columns or use a file with the same schema.`,
      { file: dataset.name, missing: needed, expected: needed },
    )
  }
  return requestData(dataset, columns)
}

/** The forecasts CSV of a forecast set: exactly what `npm run forecast -- predict` writes. */
export function predictionCsv(set: Pick<ForecastSet, 'forecast' | 'future'>): string {
  return formatForecastCsv([
    forecastColumns('all', set.forecast),
    ...(set.future ? [futureColumns(set.future)] : []),
  ])
}

/** Windows in a forecast set. */
export function predictionWindows(set: Pick<ForecastSet, 'forecast'>): number {
  const f = set.forecast
  return f.horizon > 0 ? Math.floor(f.predicted.length / f.horizon) : 0
}

/**
 * The last rows of the target (and their times) that the future chart shows before the
 * forecast: a few horizons' worth, at least 200 rows. Copies, so the record holds only these.
 */
export function futureContext(
  dataset: Dataset,
  target: string,
  window: { delay: number; horizon: number },
): { firstRow: number; values: Float64Array; times: Float64Array | null } | null {
  const column = dataset.columns.find((c) => c.name === target)
  if (!column || column.kind !== 'numeric') return null
  const n = dataset.rowCount
  const rows = Math.min(n, Math.max(200, 3 * (window.delay + window.horizon)))
  const firstRow = n - rows
  const time = dataset.timeColumn
    ? dataset.columns.find((c) => c.name === dataset.timeColumn)
    : undefined
  return {
    firstRow,
    values: column.values.slice(firstRow, n),
    times: time && time.kind === 'datetime' ? time.values.slice(firstRow, n) : null,
  }
}

/**
 * Forecasting a dataset with a saved or imported model (`model:predict`), the pure parts: the
 * columns the request carries, the windows of a forecast, and the rows of the target kept for the
 * future chart (its CSV is `forecastSetCsv`, the CLI's `predict` writer). No DOM, no Vue: unit-tested in test/renderer.
 */
import { checkDatasetFits, modelColumns, modelTextColumns } from '@shared/checks/dataset-fit'
import type { RunData } from '@shared/ipc/contract'
import type { ModelManifest } from '@shared/manifest'
import type { ForecastSet } from '@shared/run'
import { findColumn, timeValues, type Dataset } from '@shared/series/dataset'
import { requestData } from './run-data'

/**
 * The request data of `model:predict`: the columns the model's manifest names, in its order, and
 * the time axis. The dataset is checked first with the engine's own rule (`checkDatasetFits`),
 * so a file that does not fit is refused here, in the same words, before anything is sent.
 */
export function predictData(dataset: Dataset, manifest: ModelManifest): RunData {
  checkDatasetFits(manifest, dataset)
  const columns = modelColumns(manifest).map((name) => ({
    name,
    values: (findColumn(dataset, name) as { values: Float64Array<ArrayBuffer> }).values,
  }))
  return requestData(dataset, columns, modelTextColumns(manifest))
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
  const times = timeValues(dataset)
  return {
    firstRow,
    values: column.values.slice(firstRow, n),
    times: times ? times.slice(firstRow, n) : null,
  }
}

/**
 * The dataset the Forecast view should offer for a model: the chosen one while it has every
 * numeric column the model reads; else the model's own training dataset (when still in the
 * Library); else the first that has them; else the chosen one (the view then says what is
 * missing). Without this, "Forecast a dataset…" on a weather model kept the stock file picked
 * the last time, and Forecast failed with "lacks the columns".
 */
export function datasetForModel(
  needs: readonly string[],
  chosen: string | null,
  own: string | null,
  datasets: readonly { id: string; columns: readonly { name: string; kind: string }[] }[],
): string | null {
  const fits = (id: string | null) => {
    const d = id === null ? undefined : datasets.find((x) => x.id === id)
    return (
      d !== undefined &&
      needs.every((n) => d.columns.some((c) => c.name === n && c.kind === 'numeric'))
    )
  }
  if (fits(chosen)) return chosen
  if (fits(own)) return own
  return datasets.find((d) => fits(d.id))?.id ?? chosen
}

/**
 * The data a training or forecasting request carries to main: the chosen numeric columns (the
 * dataset's own arrays, sent as bytes) and the time axis when the dataset has one.
 */
import type { RunData } from '@shared/ipc/contract'
import type { Dataset } from '@shared/series/dataset'

export function requestData(dataset: Dataset, columns: RunData['columns']): RunData {
  const time = dataset.timeColumn
    ? dataset.columns.find((c) => c.name === dataset.timeColumn)
    : undefined
  return {
    datasetName: dataset.name,
    rowCount: dataset.rowCount,
    columns,
    timestamps:
      time && time.kind === 'datetime' ? (time.values as Float64Array<ArrayBuffer>) : null,
  }
}

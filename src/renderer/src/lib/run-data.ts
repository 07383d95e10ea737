/**
 * The data a training or forecasting request carries to main: the chosen numeric columns (the
 * dataset's own arrays, sent as bytes), the time column's name and values, and the file's schema
 * (every column's name and kind, for the manifest of an exported model).
 */
import type { RunData } from '@shared/ipc/contract'
import { fileSchema, timeValues, type Dataset } from '@shared/series/dataset'

export function requestData(dataset: Dataset, columns: RunData['columns']): RunData {
  return {
    datasetName: dataset.name,
    rowCount: dataset.rowCount,
    columns,
    timeColumn: dataset.timeColumn,
    timestamps: timeValues(dataset) as Float64Array<ArrayBuffer> | null,
    schema: fileSchema(dataset),
  }
}

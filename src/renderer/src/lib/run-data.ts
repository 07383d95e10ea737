/**
 * The data a training or forecasting request carries to main: the chosen numeric columns (the
 * dataset's own arrays, sent as bytes), the text columns it one-hot encodes (codes and labels), the time column's name and values, and the file's schema
 * (every column's name and kind, for the manifest of an exported model).
 */
import type { RunData } from '@shared/ipc/contract'
import { SeqcastError } from '@shared/errors'
import { fileSchema, timeValues, type Dataset } from '@shared/series/dataset'

export function requestData(
  dataset: Dataset,
  columns: RunData['columns'],
  textNames: string[] = [],
): RunData {
  return {
    datasetName: dataset.name,
    rowCount: dataset.rowCount,
    columns,
    ...(textNames.length > 0 ? { textColumns: textColumns(dataset, textNames) } : {}),
    timeColumn: dataset.timeColumn,
    timestamps: timeValues(dataset) as Float64Array<ArrayBuffer> | null,
    schema: fileSchema(dataset),
  }
}

/** The named text columns, as codes and labels; a clear error when one is not text. */
function textColumns(dataset: Dataset, names: string[]): NonNullable<RunData['textColumns']> {
  return names.map((name) => {
    const c = dataset.columns.find((col) => col.name === name)
    if (!c || c.kind !== 'text') {
      throw new SeqcastError(
        'column',
        `${dataset.name} has no text column "${name}" to one-hot encode. Pick the one-hot columns again in the Experiment view.`,
        { column: name, setting: 'oneHot' },
      )
    }
    return { name, codes: c.codes as Int32Array<ArrayBuffer>, categories: c.categories }
  })
}

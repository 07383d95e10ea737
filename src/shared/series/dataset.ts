/**
 * A dataset in memory: columns as typed arrays, never arrays of strings for numbers.
 * Missing numeric values are NaN; missing datetimes are NaN; missing text is code -1.
 */
export type ColumnKind = 'numeric' | 'datetime' | 'text'

export interface NumericColumn {
  name: string
  kind: 'numeric'
  values: Float64Array
}

export interface DatetimeColumn {
  name: string
  kind: 'datetime'
  /** Milliseconds since the Unix epoch, UTC (local times without zone are read as UTC). */
  values: Float64Array
  /** The detected format, e.g. 'dd.mm.yyyy HH:MM:SS', 'yyyy-mm', 'iso', 'unix-s', 'decimal-year'. */
  format: string
}

export interface TextColumn {
  name: string
  kind: 'text'
  /** Index into `categories`; -1 where missing. */
  codes: Int32Array
  categories: string[]
}

export type Column = NumericColumn | DatetimeColumn | TextColumn

/** A column's name and kind without its values: the schema of a file. */
export interface ColumnSchema {
  name: string
  kind: ColumnKind
}

export interface Dataset {
  /** File name (not the full path) the data came from; used in every message. */
  name: string
  rowCount: number
  columns: Column[]
  /** Name of the time column, or null when the data has none (rows are then the time axis). */
  timeColumn: string | null
  /**
   * Every column of the file, when `columns` holds only some of them (a run or forecast request
   * carries only the columns the model reads; `timeColumn` may then name one that was not sent).
   * Absent when `columns` is the whole file.
   */
  fileColumns?: ColumnSchema[]
}

/** The file's columns and their kinds, in file order (what an exported model's manifest lists). */
export function fileSchema(dataset: Dataset): ColumnSchema[] {
  return dataset.fileColumns ?? dataset.columns.map((c) => ({ name: c.name, kind: c.kind }))
}

export function findColumn(dataset: Dataset, name: string): Column | undefined {
  return dataset.columns.find((c) => c.name === name)
}

/** Epoch ms of every row from the time column, or null when the data has no datetime time column. */
export function timeValues(dataset: Dataset): Float64Array | null {
  const column = dataset.timeColumn ? findColumn(dataset, dataset.timeColumn) : undefined
  return column && column.kind === 'datetime' ? column.values : null
}

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

export interface Dataset {
  /** File name (not the full path) the data came from; used in every message. */
  name: string
  rowCount: number
  columns: Column[]
  /** Name of the time column, or null when the data has none (rows are then the time axis). */
  timeColumn: string | null
}

export function findColumn(dataset: Dataset, name: string): Column | undefined {
  return dataset.columns.find((c) => c.name === name)
}

/**
 * One-hot encoding of a low-cardinality text column (a weather label such as "rain" / "sun")
 * as numeric features: one 0/1 column per category, named `label=rain`. The categories are
 * fixed when the run is set up (those of the training file, sorted) and stored with the run and
 * the model, so `predict` on another file encodes the same columns in the same order; a value
 * not seen then becomes all zeros, with a warning naming the column, the values and the rows.
 * Pure: used by the app and the CLI alike.
 */
import { formatCount } from '../format/number'
import type { Dataset, TextColumn } from '../series/dataset'

/** At most this many distinct values: more would be an identifier or free text, not a category. */
export const MAX_CATEGORIES = 12

export interface OneHotSetting {
  column: string
  /** The categories encoded, in column order (fixed at setup). */
  categories: string[]
}

/** Why a text column can or cannot be encoded, in the words the Data view shows. */
export function oneHotEligibility(column: TextColumn): { ok: boolean; reason: string } {
  const n = distinctCount(column)
  if (n < 2)
    return { ok: false, reason: `${n} distinct value${n === 1 ? '' : 's'}: nothing to encode` }
  if (n > MAX_CATEGORIES)
    return {
      ok: false,
      reason: `${n} distinct values, more than ${MAX_CATEGORIES}: too many to one-hot encode (an identifier or free text?)`,
    }
  return { ok: true, reason: `${n} distinct values: can be one-hot encoded as ${n} features` }
}

export interface OneHotOption {
  column: string
  /** Distinct labels in the file. */
  count: number
  ok: boolean
  reason: string
}

/**
 * Every text column of a dataset with whether it can be one-hot encoded and why: what `inspect`,
 * the Data view and the Experiment view's feature picker show.
 */
export function oneHotOptions(dataset: Pick<Dataset, 'columns'>): OneHotOption[] {
  return dataset.columns.flatMap((c) => {
    if (c.kind !== 'text') return []
    const { ok, reason } = oneHotEligibility(c)
    return [{ column: c.name, count: distinctCount(c), ok, reason }]
  })
}

function distinctCount(column: TextColumn): number {
  const distinct = new Set<number>()
  for (const c of column.codes) if (c >= 0) distinct.add(c)
  return distinct.size
}

/** What a run's choices say about its one-hot columns: the inputs each became. */
export function describeOneHot(settings: OneHotSetting[]): string | null {
  if (settings.length === 0) return null
  return `One-hot: ${settings
    .map((s) => `"${s.column}" as ${s.categories.length} inputs (${oneHotNames(s).join(', ')})`)
    .join(
      '; ',
    )}, from the labels of the training rows; a label outside them is encoded as all zeros.`
}

/**
 * The setting for a column: its categories that occur in rows [0, end) (a run passes its training
 * rows' end, so nothing after them chooses the inputs), sorted (a stable order across files).
 */
export function oneHotSetting(column: TextColumn, end = column.codes.length): OneHotSetting {
  const used = new Set<string>()
  for (let r = 0; r < Math.min(end, column.codes.length); r++) {
    const c = column.codes[r]
    if (c >= 0) used.add(column.categories[c])
  }
  return { column: column.name, categories: [...used].sort() }
}

/** Feature names of an encoded column: `weather=rain`, … */
export function oneHotNames(setting: OneHotSetting): string[] {
  return setting.categories.map((c) => `${setting.column}=${c}`)
}

export interface OneHotResult {
  names: string[]
  /** One column of 0/1 per category; a missing value is all zeros (and NaN-free). */
  values: Float64Array[]
  /** Values not among the setting's categories: each value and the 0-based rows holding it. */
  unknown: { value: string; rows: number[] }[]
  /** A warning for a person, or null when every value was known. */
  warning: string | null
}

export function oneHotEncode(column: TextColumn, setting: OneHotSetting): OneHotResult {
  const n = column.codes.length
  const index = new Map(setting.categories.map((c, i) => [c, i]))
  const values = setting.categories.map(() => new Float64Array(n))
  const unknown = new Map<string, number[]>()
  for (let r = 0; r < n; r++) {
    const code = column.codes[r]
    if (code < 0) continue
    const label = column.categories[code]
    const k = index.get(label)
    if (k === undefined) {
      const rows = unknown.get(label) ?? []
      rows.push(r)
      unknown.set(label, rows)
    } else values[k][r] = 1
  }
  const list = [...unknown.entries()].map(([value, rows]) => ({ value, rows }))
  const warning = list.length
    ? `Column "${setting.column}": ${list
        .map(
          (u) =>
            `"${u.value}" (${u.rows.length} row${u.rows.length === 1 ? '' : 's'}: data row${u.rows.length === 1 ? '' : 's'} ${firstRows(u.rows)})`,
        )
        .join(
          ', ',
        )} ${list.length === 1 ? 'was' : 'were'} not among the categories the model was trained with (${setting.categories.join(', ')}): encoded as all zeros.`
    : null
  return { names: oneHotNames(setting), values, unknown: list, warning }
}

/** The first three rows, 1-based as a person counts data rows: "4, 9, 12, …". */
function firstRows(rows: number[]): string {
  const shown = rows.slice(0, 3).map((r) => formatCount(r + 1))
  return rows.length > 3 ? `${shown.join(', ')}, …` : shown.join(', ')
}

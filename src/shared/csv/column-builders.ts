/**
 * Column builders: a column of the ColumnStore becomes a typed Dataset column, with the issues
 * about cells its kind could not read.
 *
 * - Text in a numeric column: the cell is read as missing and reported (first line, value,
 *   count). When text cells outnumber numbers, the column becomes a text column instead (numbers
 *   are then kept as their shortest decimal form) and may still be read as datetimes.
 * - ±Infinity in a numeric column (`Inf`, `-inf`, `Infinity`, `1e999`): read as missing and
 *   reported like missing values ('non-finite': first line, text, count).
 * - A numeric first column of years or epoch times may be read as the time axis.
 * - Text in a datetime column: read as missing and reported.
 */
import type { Column, TextColumn } from '../series/dataset'
import { datetimeFromText } from '../series/time-axis'
import { groupDigits } from './bytes'
import { K_NUM, K_TEXT, type ColumnStore } from './column-store'
import { detectNumericTime, isYearlessFormat, numericToTime } from './datetime'
import { where, type ImportIssue } from './report'

export interface BuiltColumn {
  column: Column
  /** Text cells read as missing in a column that stayed numeric: count, first text and line. */
  textCells?: { count: number; first: string; line: number }
  /** ±Infinity cells read as missing in a numeric column: count, first text and line. */
  nonFinite?: { count: number; first: string; line: number }
}

export interface ColumnContext {
  file: string
  name: string
  /** The sniffed datetime format's label ('' when the column is not datetime). */
  dateLabel: string
  /** Whether the column may be a numeric time axis (the first column, and no datetime column). */
  mayBeNumericTime: boolean
  /** The line the tokenizer ended on (for a too-many-categories message while converting). */
  lastLine: number
}

/** Builds column `c` of `store` (releasing its blocks) and appends its issues to `issues`. */
export function buildColumn(
  store: ColumnStore,
  c: number,
  ctx: ColumnContext,
  issues: ImportIssue[],
): BuiltColumn {
  const { file, name } = ctx
  const n = store.rows
  const kind = store.kinds[c]
  const data = store.column(c)
  const textRows = store.textRows[c]
  const textCodes = store.textCodes[c]
  const categories = store.categories[c]
  const firstTextLine = store.textFirstLine[c]
  if (kind === K_TEXT) return { column: textColumn(name, data as Int32Array, categories) }
  if (kind !== K_NUM) {
    const column: Column = {
      name,
      kind: 'datetime',
      values: data as Float64Array,
      format: ctx.dateLabel,
    }
    if (textRows.length > 0) {
      const first = categories[textCodes[0]]
      const more = textRows.length > 1 ? ` (and ${groupDigits(textRows.length - 1)} more)` : ''
      // Times without a year are read in a year of 365 days: a leap day has no place in it.
      const leapDay = isYearlessFormat(ctx.dateLabel) && /^02[-/]29(?!\d)/.test(first.trim())
      const fix = leapDay
        ? 'Remove the February 29 rows (or add a year to every time).'
        : `Correct those cells to the ${ctx.dateLabel} format, or remove the rows.`
      issues.push({
        code: 'bad-datetime',
        severity: 'warning',
        message: leapDay
          ? `${where(file, firstTextLine, name)}: "${first}"${more} is February 29 in times without a year, which Seqcast reads as a year of 365 days; Seqcast reads ${textRows.length === 1 ? 'it' : 'them'} as missing. ${fix}`
          : `${where(file, firstTextLine, name)}: expected a datetime like the rest of the column (${ctx.dateLabel}), received "${first}"${more}; Seqcast reads ${textRows.length === 1 ? 'it' : 'them'} as missing. ${fix}`,
        file,
        row: firstTextLine,
        column: name,
        fix,
        count: textRows.length,
      })
    }
    return { column }
  }
  const values = data as Float64Array
  let numbers = 0
  if (textRows.length > 0) for (let i = 0; i < n; i++) if (values[i] === values[i]) numbers++
  if (textRows.length > numbers) {
    // mostly text: a text column (and maybe datetimes written as text)
    const codes = new Int32Array(n)
    for (let i = 0; i < n; i++) {
      const v = values[i]
      codes[i] = v === v ? store.codeOf(c, String(v), ctx.lastLine) : -1
    }
    for (let i = 0; i < textRows.length; i++) codes[textRows[i]] = textCodes[i]
    const asText = textColumn(name, codes, categories)
    const asDate = datetimeFromText(name, asText.codes, asText.categories)
    const fix = 'If the column should hold numbers, correct the text cells in the file.'
    issues.push({
      code: 'numeric-to-text',
      severity: 'info',
      message: `${where(file, firstTextLine, name)}: the first rows looked like numbers, but ${groupDigits(textRows.length)} cells hold ${asDate ? 'dates' : 'text'} (first "${categories[textCodes[0]]}"); the column is read as ${asDate ? `datetimes (${asDate.format})` : 'text'}. ${fix}`,
      file,
      row: firstTextLine,
      column: name,
      fix,
      count: textRows.length,
    })
    return { column: asDate ?? asText }
  }
  const built: BuiltColumn = { column: { name, kind: 'numeric', values } }
  const fmt =
    textRows.length === 0 ? detectNumericTime(name, values, n, ctx.mayBeNumericTime) : null
  if (fmt) {
    numericToTime(values, n, fmt)
    built.column = { name, kind: 'datetime', values, format: fmt }
  }
  if (textRows.length > 0) {
    const first = categories[textCodes[0]]
    built.textCells = { count: textRows.length, first, line: firstTextLine }
    const more = textRows.length - 1
    const fix =
      'Correct those cells in the file, or keep them as missing values and fill them in Repairs.'
    issues.push({
      code: 'text-in-numeric',
      severity: 'warning',
      message: `${where(file, firstTextLine, name)}: expected a number, received "${first}"${more > 0 ? ` (and ${groupDigits(more)} more text cell${more === 1 ? '' : 's'} in this column)` : ''}; Seqcast reads ${textRows.length === 1 ? 'it as a missing value' : 'them as missing values'}. ${fix}`,
      file,
      row: firstTextLine,
      column: name,
      fix,
      count: textRows.length,
    })
  }
  const infinite = built.column.kind === 'numeric' ? store.nonFiniteCount[c] : 0
  if (infinite > 0) {
    const line = store.nonFiniteFirstLine[c]
    const first = store.nonFiniteFirstText[c]
    built.nonFinite = { count: infinite, first, line }
    const more = infinite - 1
    const fix =
      'Correct those cells in the file, or fill them like missing values (linear interpolation or forward fill in Repairs, --fill on the command line).'
    issues.push({
      code: 'non-finite',
      severity: 'warning',
      message: `${where(file, line, name)}: expected a finite number, received "${first}"${more > 0 ? ` (and ${groupDigits(more)} more infinite cell${more === 1 ? '' : 's'} in this column)` : ''}; Seqcast reads ${infinite === 1 ? 'it as a missing value' : 'them as missing values'}. ${fix}`,
      file,
      row: line,
      column: name,
      fix,
      count: infinite,
    })
  }
  return built
}

/** A text column without the categories seen only in rows that were not kept. */
export function textColumn(name: string, codes: Int32Array, categories: string[]): TextColumn {
  const used = new Uint8Array(categories.length)
  for (let i = 0; i < codes.length; i++) if (codes[i] >= 0) used[codes[i]] = 1
  if (used.every((u) => u === 1)) return { name, kind: 'text', codes, categories }
  const remap = new Int32Array(categories.length)
  const kept: string[] = []
  for (let i = 0; i < categories.length; i++) {
    remap[i] = used[i] ? kept.length : -1
    if (used[i]) kept.push(categories[i])
  }
  for (let i = 0; i < codes.length; i++) if (codes[i] >= 0) codes[i] = remap[codes[i]]
  return { name, kind: 'text', codes, categories: kept }
}

/**
 * CSV import: a streaming byte-level parser from chunks to typed columns, with sniffing,
 * datetime formats, a per-column report and a time-axis report. Pure TypeScript (no Node/DOM).
 *
 * Fatal problems throw SeqcastError kind 'csv' with `details: { file, row?, column?, code, fix }`:
 * empty file ('empty-file'), header only ('header-only'), binary data or UTF-16 ('binary'), no row
 * with the header's field count ('no-rows'), a row longer than `maxRowBytes` ('row-too-long'),
 * more than 16 million distinct texts in a column ('too-many-categories'). Everything else is an
 * issue in the report. Policies:
 *
 * - Ragged rows are skipped: the first 10 are listed with their line, then one summary issue with
 *   the total. Extra fields that are all empty (a trailing delimiter) are ignored.
 * - Text in a numeric column: the cell becomes missing (NaN) and one 'text-in-numeric' issue per
 *   column gives the first line, the value and the count (`targetIssue` names a target with
 *   text). When text cells outnumber numbers the column becomes text ('numeric-to-text').
 * - Duplicate column names are renamed `x (2)`, `x (3)` with a warning; an empty header name
 *   becomes `column N` (its 1-based position), an info issue, and is usable as the time column.
 * - Invalid UTF-8 in the first 256 KB: the whole file is decoded as Windows-1252 with a warning;
 *   invalid UTF-8 later on gives a warning with the line, and U+FFFD in those cells.
 * - Missing cells: empty, NA, N/A, #N/A, NaN, nan, null, NULL, None, ?.
 * - ±Infinity in a numeric column (`Inf`, `-inf`, `Infinity`, `1e999`): the cell becomes missing
 *   and one 'non-finite' issue per column gives the first line, the text and the count, so the
 *   checks and repairs treat it like any gap.
 * - Sentinels (-9999, -999, 9999, …) are reported when outside the range of the other values, or
 *   every given value with `sentinels`. Statistics keep them (min shows -9999) until the user
 *   treats them as missing (series/repairs).
 * - Datetimes are epoch ms, local times without zone read as UTC. The time column is the first
 *   datetime column with a time-like name (else the first datetime column); `timeColumn` or
 *   `setTimeColumn` changes it.
 * - Numbers and datetimes are stored as Float64Array (the Dataset type); with `totalBytes` each
 *   column is one allocation sized from the sample (about 6 % spare, returned as a view).
 */
import { CsvStreamParser, type ParseOptions } from './parser'
import type { ImportResult } from './report'

export { CsvStreamParser, type ParseOptions } from './parser'
export {
  formatReport,
  lineOfRow,
  requireNumericTarget,
  targetIssue,
  type ColumnReport,
  type FileReport,
  type ImportIssue,
  type ImportReport,
  type ImportResult,
  type IssueCode,
  type RowLineMap,
} from './report'
export type { TimeAxisReport, TimeCadence, TimeGap, TimeDuplicate } from '../series/time-axis'
export { MISSING_TOKENS } from './bytes'
export { detectDateFormat, parseDateText, type NumericTimeFormat } from './datetime'

const encoder = new TextEncoder()

/** Parses a whole input at once (a string is encoded as UTF-8 first). */
export function parseCsv(input: Uint8Array | string, options: ParseOptions): ImportResult {
  const bytes = typeof input === 'string' ? encoder.encode(input) : input
  const parser = new CsvStreamParser({ totalBytes: bytes.length, ...options })
  // hand over in slices so a huge input never needs a second full-size copy
  const step = 1 << 20
  for (let i = 0; i < bytes.length; i += step) parser.push(bytes.subarray(i, i + step))
  return parser.finish()
}

/**
 * The streaming CSV parser: bytes in (chunks of any size, split anywhere), typed columns and the
 * import report out. Three parts, one job each:
 *
 * - tokenizer.ts: the input buffer, sniffing, the byte-level row loop and line counting; cells go
 *   into a ColumnStore (column-store.ts) as they are read;
 * - column-builders.ts: each stored column becomes a typed Dataset column, with the issues about
 *   cells its kind could not read (text, ±Infinity);
 * - import-report.ts: per-column summaries, time-axis issues and the file report.
 *
 * Memory: the parsed columns, the unfinished row, and a ~256 KB sample at the start. With
 * `totalBytes` known, each column is one allocation sized from the sample's bytes per row.
 */
import { SeqcastError } from '../errors'
import type { Column, Dataset, DatetimeColumn } from '../series/dataset'
import { analyzeTimes, setTimeColumn, type TimeAxisReport } from '../series/time-axis'
import { groupDigits } from './bytes'
import { buildColumn } from './column-builders'
import { K_DATE } from './column-store'
import { isTimeLikeName } from './datetime'
import { columnReport, lineEnding, raggedSummary, timeIssues } from './import-report'
import {
  csvError,
  lineOfRow,
  type ColumnReport,
  type ImportReport,
  type ImportResult,
} from './report'
import type { Delimiter } from './sniff'
import { CsvTokenizer, LISTED_RAGGED } from './tokenizer'

export interface ParseOptions {
  /** File name (not the full path) used in every message. */
  fileName: string
  delimiter?: Delimiter
  decimal?: '.' | ','
  /** Whether the first line holds column names; detected when absent. */
  header?: boolean
  /** Column to use as the time axis; chosen automatically when absent. */
  timeColumn?: string
  /**
   * Values to report as sentinels ("no reading" codes). Default: -9999, -999, 9999 and similar,
   * flagged only when outside the range of the column's other values.
   */
  sentinels?: number[]
  /** Size of the whole input when known: lets each column be allocated once. */
  totalBytes?: number
  /** Longest row accepted before the input is judged not to be CSV. Default 64 MB. */
  maxRowBytes?: number
  /**
   * Bytes sampled for sniffing before rows are parsed (default 256 KB; doubled while the sample
   * holds no complete data row). Tests use small values to move chunk boundaries past the sample.
   */
  sniffBytes?: number
}

export class CsvStreamParser {
  private readonly options: ParseOptions
  private readonly tokenizer: CsvTokenizer

  constructor(options: ParseOptions) {
    this.options = options
    this.tokenizer = new CsvTokenizer(options)
  }

  /** Bytes pushed so far. */
  get bytesSeen(): number {
    return this.tokenizer.bytesSeen
  }

  /** Data rows read into columns so far. */
  get rowsSeen(): number {
    return this.tokenizer.rowsSeen
  }

  push(chunk: Uint8Array): void {
    this.tokenizer.push(chunk)
  }

  /**
   * Zero-copy input: returns a view of at least `bytes` free bytes at the end of the parser's
   * buffer; write the next input there (e.g. `fileHandle.read(view)`), then call `commit` with
   * the count written. No other call may come in between.
   */
  reserve(bytes: number): Uint8Array {
    return this.tokenizer.reserve(bytes)
  }

  /** Parses the `bytes` written into the view from `reserve`. */
  commit(bytes: number): void {
    this.tokenizer.commit(bytes)
  }

  finish(): ImportResult {
    const t = this.tokenizer
    t.finish()
    const s = t.sniffResult
    const store = t.store
    if (!s || !store) throw new SeqcastError('internal', 'CsvStreamParser: nothing was sniffed')
    const file = t.file
    const n = store.rows
    const sink = { file, issues: t.issues }
    raggedSummary(sink, t.ragged, t.raggedFirst, store.columns, LISTED_RAGGED)
    if (n === 0) {
      throw csvError(
        'no-rows',
        file,
        `${file}: none of the ${groupDigits(t.ragged)} data rows has ${store.columns} fields like the header (line ${groupDigits(t.headerLine)}), so there is nothing to import.`,
        'Check the delimiter and the header row, or choose the delimiter yourself.',
        { row: t.raggedFirst },
      )
    }
    const rowLines = t.rowLines
    const lineOf = (row: number): number => lineOfRow(rowLines, row)

    const columns: Column[] = []
    const reports: ColumnReport[] = []
    const hasDatetime = Array.from(store.kinds).some((k) => k === K_DATE)
    for (let c = 0; c < store.columns; c++) {
      const built = buildColumn(
        store,
        c,
        {
          file,
          name: s.names[c],
          dateLabel: s.dates[c]?.label ?? '',
          mayBeNumericTime: c === 0 && !hasDatetime,
          lastLine: t.currentLine,
        },
        t.issues,
      )
      columns.push(built.column)
      const report = columnReport(sink, built.column, n, lineOf, this.options.sentinels)
      if (built.textCells) {
        report.textCells = built.textCells.count
        report.firstText = built.textCells.first
        report.firstTextRow = built.textCells.line
      }
      if (built.nonFinite) {
        report.nonFinite = built.nonFinite.count
        report.firstNonFinite = built.nonFinite.first
        report.firstNonFiniteRow = built.nonFinite.line
      }
      reports.push(report)
    }

    let dataset: Dataset = { name: file, rowCount: n, columns, timeColumn: null }
    const requested = this.options.timeColumn
    if (requested !== undefined) {
      dataset = setTimeColumn(dataset, requested)
      const converted = dataset.columns.find((c) => c.name === requested)
      const i = reports.findIndex((r) => r.name === requested)
      if (converted && i >= 0 && converted.kind !== reports[i].kind) {
        reports[i] = { ...columnReport(sink, converted, n, lineOf), textCells: undefined }
      }
    } else {
      // A column whose times never repeat wins over one that repeats (NOAA's `year` beside its
      // `decimal date`: the year names only the row's year, 12 rows share it); then a time-like name.
      const dated = columns.filter((c): c is DatetimeColumn => c.kind === 'datetime')
      const distinct = dated.filter((c) => neverRepeats(c.values))
      const pool = distinct.length > 0 ? distinct : dated
      const chosen = pool.find((c) => isTimeLikeName(c.name)) ?? pool[0]
      if (chosen) dataset = { ...dataset, timeColumn: chosen.name }
      else {
        const fix = 'Choose a time column if one holds times in a format Seqcast did not recognise.'
        t.issues.push({
          code: 'no-time-column',
          severity: 'info',
          message: `${file}: no column holds datetimes, so the row order is the time axis. ${fix}`,
          file,
          fix,
        })
      }
    }

    let timeAxis: TimeAxisReport | null = null
    const tcol = dataset.columns.find((c) => c.name === dataset.timeColumn)
    if (tcol && tcol.kind === 'datetime') {
      timeAxis = analyzeTimes(tcol.values, tcol.name, tcol.format, n)
      timeIssues(sink, timeAxis, tcol.values, lineOf)
    }

    const report: ImportReport = {
      file: {
        name: file,
        bytes: t.bytesSeen,
        rows: n,
        delimiter: s.delimiter,
        decimal: s.decimal,
        encoding: s.encoding,
        bom: t.bom,
        lineEnding: lineEnding(t.lineEnds),
        header: s.hasHeader,
        skippedRows: t.ragged,
      },
      columns: reports,
      timeAxis,
      issues: t.issues,
    }
    return { dataset, report, rowLines }
  }
}

/** Whether the times (NaN skipped) strictly increase or strictly decrease: no time repeats. */
function neverRepeats(values: Float64Array): boolean {
  let prev = NaN
  let dir = 0
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (v !== v) continue
    if (prev === prev) {
      const d = Math.sign(v - prev)
      if (d === 0 || (dir !== 0 && d !== dir)) return false
      dir = d
    }
    prev = v
  }
  return true
}

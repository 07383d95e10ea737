/** The import report: per-column summaries, the time axis and every issue found, and its text. */
import { SeqcastError } from '../errors'
import type { ColumnKind, Dataset } from '../series/dataset'
import { formatTime, timePrecision } from '../series/calendar'
import { formatTimestamp, timeStyleOf } from '../format/time'
import type { TimeAxisReport } from '../series/time-axis'
import { groupDigits } from './bytes'
import { isYearlessFormat } from './datetime'
import { formatNumber } from '../format'

export type IssueCode =
  | 'empty-file'
  | 'header-only'
  | 'no-rows'
  | 'binary'
  | 'row-too-long'
  | 'too-many-categories'
  | 'non-utf8'
  | 'ragged-row'
  | 'duplicate-column'
  | 'empty-header-name'
  | 'no-header'
  | 'text-in-numeric'
  | 'non-finite'
  | 'numeric-to-text'
  | 'bad-datetime'
  | 'ambiguous-date'
  | 'unclosed-quote'
  | 'sentinel'
  | 'empty-column'
  | 'no-time-column'
  | 'unsorted-time'
  | 'duplicate-time'
  | 'gaps'
  | 'irregular-time'
  | 'missing-time'

export interface ImportIssue {
  code: IssueCode | (string & {})
  severity: 'error' | 'warning' | 'info'
  /** A full sentence naming file, line, column, what was expected, and the fix. */
  message: string
  file: string
  /** 1-based line number in the file as a person counts them (header = line 1). */
  row?: number
  column?: string
  fix: string
  /** How many cells / rows the issue covers, when more than one. */
  count?: number
}

export interface ColumnReport {
  name: string
  kind: ColumnKind
  /** Non-missing cells. */
  count: number
  /**
   * Missing cells (empty, NA, NaN, null, ?, … and, in numeric columns, cells with text and
   * non-finite cells such as Inf, -inf, Infinity or 1e999).
   */
  missing: number
  /** Numeric: of the values as stored (sentinels included). Datetime: epoch ms (mean/std NaN). */
  min: number
  max: number
  mean: number
  std: number
  sentinels: { value: number; count: number }[]
  /** Text columns: number of distinct values. */
  distinct?: number
  /** Datetime columns: the detected format. */
  format?: string
  /** Numeric columns that met text: the first such line, its value and how many cells. */
  firstTextRow?: number
  firstText?: string
  textCells?: number
  /** Numeric columns with ±Infinity cells (read as missing): the first line, its text and how many. */
  firstNonFiniteRow?: number
  firstNonFinite?: string
  nonFinite?: number
}

export interface FileReport {
  name: string
  bytes: number
  /** Data rows read into the dataset. */
  rows: number
  delimiter: string
  decimal: '.' | ','
  encoding: 'utf-8' | 'windows-1252'
  bom: boolean
  lineEnding: 'lf' | 'crlf' | 'cr' | 'mixed'
  header: boolean
  /** Rows left out (ragged). */
  skippedRows: number
}

export interface ImportReport {
  file: FileReport
  columns: ColumnReport[]
  timeAxis: TimeAxisReport | null
  issues: ImportIssue[]
}

/**
 * Where dataset rows came from in the file: row r is on line `r + delta`, where delta is that of
 * the last break at or before r (breaks come from skipped rows, blank lines and quoted fields
 * spanning lines). Plain data, so it crosses IPC and workers.
 */
export interface RowLineMap {
  /** Line of row 0 when there are no breaks before it. */
  firstLine: number
  breakRows: number[]
  breakDeltas: number[]
}

/** The file line (1-based) of a dataset row (0-based). */
export function lineOfRow(map: RowLineMap, row: number): number {
  const rows = map.breakRows
  let lo = 0
  let hi = rows.length - 1
  let delta = map.firstLine
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    if (rows[mid] <= row) {
      delta = map.breakDeltas[mid]
      lo = mid + 1
    } else hi = mid - 1
  }
  return row + delta
}

export interface ImportResult {
  dataset: Dataset
  report: ImportReport
  rowLines: RowLineMap
}

/**
 * How much of a time to print: the format's own precision for monthly / yearly formats, else
 * what the values (and one cadence step) need, but at least the day.
 */
export function displayPrecision(
  format: string,
  times: number[],
  cadenceMs?: number,
): 'year' | 'month' | 'day' | 'minute' | 'second' | 'ms' {
  if (format === 'yyyy') return 'year'
  if (format === 'yyyy-mm' || format === 'yyyy/mm') return 'month'
  const all = cadenceMs && Number.isFinite(times[0]) ? [...times, times[0] + cadenceMs] : times
  const p = timePrecision(all)
  return p === 'year' || p === 'month' ? 'day' : p
}

/** `jena.csv, line 1,204` / `jena.csv, column "T (degC)"` prefixes. */
export function where(file: string, line?: number, column?: string): string {
  let s = file
  if (line !== undefined) s += `, line ${groupDigits(line)}`
  if (column !== undefined) s += `, column "${column}"`
  return s
}

/** A fatal CSV problem: SeqcastError kind 'csv' with file, row, column, code and fix. */
export function csvError(
  code: IssueCode,
  file: string,
  message: string,
  fix: string,
  extra: { row?: number; column?: string; [key: string]: unknown } = {},
): SeqcastError {
  return new SeqcastError('csv', `${message} ${fix}`, { file, code, fix, ...extra })
}

export function displayDelimiter(d: string): string {
  return d === '\t' ? 'tab' : d === ';' ? 'semicolon (;)' : 'comma (,)'
}

/**
 * The issue about a target column, or null when it is numeric and clean: a target must be a
 * numeric column without text cells. Use before training; the message names the column.
 */
export function targetIssue(report: ImportReport, target: string): ImportIssue | null {
  const file = report.file.name
  const col = report.columns.find((c) => c.name === target)
  if (!col) {
    const fix = `Choose one of the columns: ${report.columns.map((c) => `"${c.name}"`).join(', ')}.`
    return {
      code: 'missing-target',
      severity: 'error',
      message: `${where(file, undefined, target)}: there is no such column to forecast. ${fix}`,
      file,
      column: target,
      fix,
    }
  }
  if (col.kind !== 'numeric') {
    const fix =
      'Choose a numeric column as the target, or fix the file so this column holds numbers.'
    return {
      code: 'target-not-numeric',
      severity: 'error',
      message: `${where(file, undefined, target)}: the target must hold numbers, but this column holds ${col.kind === 'text' ? 'text' : 'datetimes'}${col.firstTextRow !== undefined ? ` (line ${groupDigits(col.firstTextRow)} holds "${col.firstText}")` : ''}. ${fix}`,
      file,
      column: target,
      row: col.firstTextRow,
      fix,
    }
  }
  if (col.textCells) {
    const fix =
      'Correct those cells in the file, or accept them as missing values and fill them (forward fill or linear interpolation).'
    return {
      code: 'text-in-target',
      severity: 'warning',
      message: `${where(file, col.firstTextRow, target)}: the target should hold numbers, but ${groupDigits(col.textCells)} cell${col.textCells === 1 ? '' : 's'} hold text, first "${col.firstText}"; they are read as missing. ${fix}`,
      file,
      column: target,
      row: col.firstTextRow,
      fix,
      count: col.textCells,
    }
  }
  return null
}

/** Throws SeqcastError kind 'column' when `targetIssue` finds an error-severity problem. */
export function requireNumericTarget(report: ImportReport, target: string): void {
  const issue = targetIssue(report, target)
  if (issue && issue.severity === 'error') {
    throw new SeqcastError('column', issue.message, {
      file: issue.file,
      column: target,
      row: issue.row,
      code: issue.code,
      fix: issue.fix,
    })
  }
}

function pad(s: string, width: number): string {
  return s.length >= width ? s : s + ' '.repeat(width - s.length)
}

function padLeft(s: string, width: number): string {
  return s.length >= width ? s : ' '.repeat(width - s.length) + s
}

/** The human-readable report the CLI's `inspect` command prints. */
export function formatReport(report: ImportReport): string {
  const f = report.file
  const lines: string[] = []
  const sizeMb = f.bytes / 1e6
  const size = sizeMb >= 0.1 ? `${sizeMb.toFixed(1)} MB` : `${groupDigits(f.bytes)} bytes`
  lines.push(`${f.name}: ${groupDigits(f.rows)} rows × ${report.columns.length} columns, ${size}`)
  lines.push(
    `  ${displayDelimiter(f.delimiter)}-separated, decimal ${f.decimal === ',' ? 'comma' : 'point'}, ${f.encoding}${f.bom ? ' with BOM' : ''}, ${f.lineEnding.toUpperCase()} line ends${f.header ? '' : ', no header row'}${f.skippedRows ? `, ${groupDigits(f.skippedRows)} row${f.skippedRows === 1 ? '' : 's'} skipped` : ''}`,
  )
  lines.push('')
  const nameWidth = Math.min(28, Math.max(6, ...report.columns.map((c) => c.name.length)))
  lines.push(
    `  ${pad('column', nameWidth)}  ${pad('type', 8)}  ${padLeft('count', 9)}  ${padLeft('missing', 8)}  ${padLeft('min', 11)}  ${padLeft('max', 11)}  ${padLeft('mean', 11)}  ${padLeft('std', 11)}  notes`,
  )
  for (const c of report.columns) {
    const notes: string[] = []
    let min = formatNumber(c.min)
    let max = formatNumber(c.max)
    let mean = formatNumber(c.mean)
    let std = formatNumber(c.std)
    if (c.kind === 'datetime') {
      const precision = displayPrecision(c.format ?? '', [c.min, c.max])
      const show = (x: number): string =>
        c.format === 'decimal-year' || isYearlessFormat(c.format ?? '')
          ? formatTimestamp(
              x,
              timeStyleOf(
                { format: c.format ?? '', values: [c.min, c.max] },
                report.timeAxis?.cadence,
              ),
            )
          : formatTime(x, precision)
      min = Number.isFinite(c.min) ? show(c.min) : '–'
      max = Number.isFinite(c.max) ? show(c.max) : '–'
      mean = ''
      std = ''
      if (c.format) notes.push(c.format)
      if (report.timeAxis?.column === c.name) notes.push('time axis')
    } else if (c.kind === 'text') {
      min = max = mean = std = ''
      notes.push(`${groupDigits(c.distinct ?? 0)} distinct`)
    }
    for (const s of c.sentinels) notes.push(`${groupDigits(s.count)} × ${s.value} (sentinel?)`)
    if (c.textCells) {
      notes.push(
        `${groupDigits(c.textCells)} text cell${c.textCells === 1 ? '' : 's'}, first "${c.firstText}" on line ${groupDigits(c.firstTextRow ?? 0)}`,
      )
    }
    if (c.nonFinite) {
      notes.push(
        `${groupDigits(c.nonFinite)} non-finite cell${c.nonFinite === 1 ? '' : 's'}, first "${c.firstNonFinite}" on line ${groupDigits(c.firstNonFiniteRow ?? 0)}`,
      )
    }
    const name = c.name.length > nameWidth ? c.name.slice(0, nameWidth - 1) + '…' : c.name
    lines.push(
      `  ${pad(name, nameWidth)}  ${pad(c.kind, 8)}  ${padLeft(groupDigits(c.count), 9)}  ${padLeft(groupDigits(c.missing), 8)}  ${padLeft(min, 11)}  ${padLeft(max, 11)}  ${padLeft(mean, 11)}  ${padLeft(std, 11)}  ${notes.join('; ')}`.trimEnd(),
    )
  }
  lines.push('')
  const t = report.timeAxis
  if (t) {
    const step = t.cadence && t.cadence.months === 0 ? t.cadence.ms : undefined
    const precision = displayPrecision(t.format, [t.start, t.end], step)
    const show = (x: number): string =>
      t.format === 'decimal-year' || isYearlessFormat(t.format)
        ? formatTimestamp(x, timeStyleOf({ format: t.format, values: [t.start, t.end] }, t.cadence))
        : formatTime(x, precision)
    lines.push(`Time axis "${t.column}" (${t.format}): ${show(t.start)} … ${show(t.end)}`)
    const cadence = t.cadence
      ? `cadence ${t.cadence.label} (${Math.round(t.cadence.share * 100)} % of steps)`
      : 'no cadence (fewer than two distinct timestamps)'
    lines.push(
      `  ${t.sorted ? 'sorted' : `NOT sorted (${groupDigits(t.unsortedSteps)} steps back in time)`}, ${cadence}`,
    )
    lines.push(
      `  ${groupDigits(t.duplicates.count)} duplicated timestamps, ${groupDigits(t.gaps.count)} gaps (${groupDigits(t.gaps.missingRows)} missing rows), ${groupDigits(t.irregularSteps)} irregular steps${t.missing ? `, ${groupDigits(t.missing)} rows without time` : ''}`,
    )
  } else {
    lines.push('No time column: rows are the time axis.')
  }
  if (report.issues.length > 0) {
    lines.push('')
    lines.push(`Issues (${report.issues.length}):`)
    for (const issue of report.issues) {
      lines.push(`  ${issue.severity.padEnd(7)} ${issue.message}`)
    }
  } else {
    lines.push('')
    lines.push('No issues found.')
  }
  return lines.join('\n')
}

/**
 * The import report's parts built from the parsed columns: a summary per column (count, missing,
 * range, mean, std, sentinels) with its issues, the issues of the time axis (missing, unsorted,
 * duplicated times, gaps, irregular steps), the summary of ragged rows and the line endings.
 * Every issue names the file, line and column, what was expected and the fix.
 */
import { summarizeNumeric } from '../series/column-stats'
import type { Column } from '../series/dataset'
import { formatTime } from '../series/calendar'
import type { TimeAxisReport } from '../series/time-axis'
import { groupDigits } from './bytes'
import { formatNumber } from '../format'
import {
  displayPrecision,
  where,
  type ColumnReport,
  type FileReport,
  type ImportIssue,
} from './report'

/** Where the report's builders write their issues, and for which file. */
export interface IssueSink {
  file: string
  issues: ImportIssue[]
}

/**
 * The summary of one column. `sentinelValues`: the user's list of "no reading" codes (default: the
 * usual candidates, flagged only outside the column's other values); datetime columns have none.
 */
export function columnReport(
  sink: IssueSink,
  column: Column,
  n: number,
  lineOf: (row: number) => number,
  sentinelValues?: number[],
): ColumnReport {
  const file = sink.file
  if (column.kind === 'text') {
    let missing = 0
    for (let i = 0; i < n; i++) if (column.codes[i] < 0) missing++
    if (missing === n) emptyColumn(sink, column.name)
    return {
      name: column.name,
      kind: 'text',
      count: n - missing,
      missing,
      min: NaN,
      max: NaN,
      mean: NaN,
      std: NaN,
      sentinels: [],
      distinct: column.categories.length,
    }
  }
  const stats = summarizeNumeric(column.values, n, column.kind === 'datetime' ? [] : sentinelValues)
  if (stats.count === 0) emptyColumn(sink, column.name)
  if (column.kind === 'datetime') {
    return {
      name: column.name,
      kind: 'datetime',
      count: stats.count,
      missing: stats.missing,
      min: stats.min,
      max: stats.max,
      mean: NaN,
      std: NaN,
      sentinels: [],
      format: column.format,
    }
  }
  const sentinels = stats.sentinels
  const lo = stats.restMin
  const hi = stats.restMax
  for (const s of sentinels) {
    let firstRow = 0
    while (firstRow < n && column.values[firstRow] !== s.value) firstRow++
    const line = lineOf(firstRow)
    const range =
      lo <= hi ? ` (the other values lie in ${formatNumber(lo)} … ${formatNumber(hi)})` : ''
    const fix = 'Treat sentinels as missing in Repairs, then fill them or leave them out.'
    sink.issues.push({
      code: 'sentinel',
      severity: 'warning',
      message: `${where(file, line, column.name)}: ${groupDigits(s.count)} cell${s.count === 1 ? ' holds' : 's hold'} ${s.value}, which looks like a "no reading" code, not a measurement${range}. ${fix}`,
      file,
      row: line,
      column: column.name,
      fix,
      count: s.count,
    })
  }
  return {
    name: column.name,
    kind: 'numeric',
    count: stats.count,
    missing: stats.missing,
    min: stats.min,
    max: stats.max,
    mean: stats.mean,
    std: stats.std,
    sentinels,
  }
}

function emptyColumn(sink: IssueSink, name: string): void {
  const fix = 'Leave the column out of the experiment, or check the delimiter.'
  sink.issues.push({
    code: 'empty-column',
    severity: 'info',
    message: `${where(sink.file, undefined, name)}: every cell is empty or missing. ${fix}`,
    file: sink.file,
    column: name,
    fix,
  })
}

/** The issues of the time axis `t` of the column holding `times`. */
export function timeIssues(
  sink: IssueSink,
  t: TimeAxisReport,
  times: Float64Array,
  lineOf: (row: number) => number,
): void {
  const file = sink.file
  const name = t.column
  const step = t.cadence && t.cadence.months === 0 ? t.cadence.ms : undefined
  const precision = displayPrecision(t.format, [t.start, t.end], step)
  const show = (x: number): string => formatTime(x, precision)
  if (t.missing > 0) {
    let first = 0
    while (first < times.length && times[first] === times[first]) first++
    const line = lineOf(first)
    const fix = 'Fill in the times or remove those rows.'
    sink.issues.push({
      code: 'missing-time',
      severity: 'warning',
      message: `${where(file, line, name)}: ${groupDigits(t.missing)} row${t.missing === 1 ? ' has' : 's have'} no time. ${fix}`,
      file,
      row: line,
      column: name,
      fix,
      count: t.missing,
    })
  }
  if (!t.sorted && t.firstUnsortedRow !== null) {
    const r = t.firstUnsortedRow
    const line = lineOf(r)
    const fix = 'Apply "sort by time" in Repairs (a stable sort keeps equal times in file order).'
    sink.issues.push({
      code: 'unsorted-time',
      severity: 'warning',
      message: `${where(file, line, name)}: the times are not sorted; ${show(times[r])} comes after a later time, and ${groupDigits(t.unsortedSteps)} step${t.unsortedSteps === 1 ? ' goes' : 's go'} back in time. ${fix}`,
      file,
      row: line,
      column: name,
      fix,
      count: t.unsortedSteps,
    })
  }
  if (t.duplicates.count > 0) {
    const d = t.duplicates.examples[0]
    const line = lineOf(d.row)
    const fix = 'Apply "drop exact duplicate rows" in Repairs, or remove the extra rows.'
    sink.issues.push({
      code: 'duplicate-time',
      severity: 'warning',
      message: `${where(file, line, name)}: the time ${show(d.time)} repeats line ${groupDigits(lineOf(d.firstRow))}; ${groupDigits(t.duplicates.count)} row${t.duplicates.count === 1 ? ' repeats' : 's repeat'} an earlier time. ${fix}`,
      file,
      row: line,
      column: name,
      fix,
      count: t.duplicates.count,
    })
  }
  if (t.gaps.count > 0 && t.cadence && t.gaps.largest) {
    const g = t.gaps.largest
    const line = lineOf(g.beforeRow)
    const fix = 'Apply "fill gaps" in Repairs to insert the missing rows, then fill their values.'
    sink.issues.push({
      code: 'gaps',
      severity: 'warning',
      message: `${where(file, undefined, name)}: ${groupDigits(t.gaps.count)} gap${t.gaps.count === 1 ? '' : 's'} in the ${t.cadence.label} cadence, ${groupDigits(t.gaps.missingRows)} missing row${t.gaps.missingRows === 1 ? '' : 's'} in all; the largest is ${show(g.from)} → ${show(g.to)} before line ${groupDigits(line)} (${groupDigits(g.missingRows)} rows). ${fix}`,
      file,
      row: line,
      column: name,
      fix,
      count: t.gaps.count,
    })
  }
  if (t.irregularSteps > 0 && t.cadence && t.firstIrregular) {
    const g = t.firstIrregular
    const line = lineOf(g.beforeRow)
    const fix = 'Resample the series to a regular cadence if the model needs one.'
    sink.issues.push({
      code: 'irregular-time',
      severity: 'info',
      message: `${where(file, line, name)}: ${groupDigits(t.irregularSteps)} step${t.irregularSteps === 1 ? ' is' : 's are'} not a whole multiple of the ${t.cadence.label} cadence, first ${show(g.from)} → ${show(g.to)}. ${fix}`,
      file,
      row: line,
      column: name,
      fix,
      count: t.irregularSteps,
    })
  }
}

/** One issue summing up the ragged rows when there are more than the `listed` ones. */
export function raggedSummary(
  sink: IssueSink,
  ragged: number,
  firstLine: number,
  fields: number,
  listed: number,
): void {
  if (ragged <= listed) return
  const file = sink.file
  const fix = 'Fix those rows or remove them; Seqcast skipped them.'
  sink.issues.push({
    code: 'ragged-row',
    severity: 'warning',
    message: `${file}: ${groupDigits(ragged)} rows in all (first on line ${groupDigits(firstLine)}) do not have ${fields} fields like the header; the first ${listed} are listed above. ${fix}`,
    file,
    row: firstLine,
    fix,
    count: ragged,
  })
}

/** The file's line ending: the one seen, or 'mixed'. */
export function lineEnding(seen: {
  lf: number
  crlf: number
  cr: number
}): FileReport['lineEnding'] {
  const kinds = [seen.lf, seen.crlf, seen.cr].filter((x) => x > 0).length
  return kinds > 1 ? 'mixed' : seen.crlf > 0 ? 'crlf' : seen.cr > 0 ? 'cr' : 'lf'
}

/**
 * Each warning of the import report with its repair (`applyRepairs` from @shared/series):
 * sentinels → missing, sort by time, drop duplicate rows, fill gaps, fill missing values.
 * A repair saves a new version of the dataset in one transaction; the report's time axis and
 * the issues the repair resolved are updated with it, and the repair is listed on the dataset.
 */
import { ref } from 'vue'
import { SeqcastError } from '@shared/errors'
import type { ImportIssue, ImportReport } from '@shared/csv/report'
import { applyRepairs, type RepairOptions } from '@shared/series/repairs'
import { RESAMPLE_LABEL } from '@shared/series/resample'
import { analyzeTimeAxis } from '@shared/series/time-axis'
import type { Dataset } from '@shared/series/dataset'
import { saveDataset } from '../db'
import { useWorkspace } from './use-workspace'

export interface RepairAction {
  label: string
  options: RepairOptions
}

/**
 * Missing values still in numeric columns, as issues with a fill repair (after sentinels, gaps…);
 * ±Infinity counts as missing, as the import and the fill repairs read it.
 */
export function missingValueIssues(dataset: Dataset): ImportIssue[] {
  const out: ImportIssue[] = []
  for (const c of dataset.columns) {
    if (c.kind !== 'numeric') continue
    let n = 0
    let first = -1
    for (let i = 0; i < c.values.length; i++) {
      if (!Number.isFinite(c.values[i])) {
        n++
        if (first < 0) first = i
      }
    }
    if (n === 0) continue
    const fix =
      'Fill them by linear interpolation or forward fill, or leave the column out of the experiment.'
    out.push({
      code: 'missing-values',
      severity: 'warning',
      message: `${dataset.name}, column "${c.name}": ${n.toLocaleString('en-US')} missing value${n === 1 ? '' : 's'}, first in data row ${(first + 1).toLocaleString('en-US')}. Models cannot train on gaps. ${fix}`,
      file: dataset.name,
      column: c.name,
      fix,
      count: n,
    })
  }
  return out
}

export function repairActions(issue: ImportIssue, report: ImportReport | null): RepairAction[] {
  switch (issue.code) {
    case 'irregular-time': {
      // One row per step of the dominant cadence; the user picks how a bucket's rows combine.
      const c = report?.timeAxis?.cadence
      if (!c) return []
      const every = c.label.replace(/^1 /, '')
      return (['mean', 'sum', 'last'] as const).map((how) => ({
        label: `Resample: ${RESAMPLE_LABEL[how]} per ${every}`,
        options: { resample: { stepMs: c.ms, months: c.months, how } },
      }))
    }
    case 'sentinel': {
      const values =
        report?.columns.find((c) => c.name === issue.column)?.sentinels.map((s) => s.value) ?? []
      if (!issue.column || values.length === 0) return []
      return [
        {
          label: `Treat ${values.join(', ')} as missing`,
          options: { sentinels: values, columns: [issue.column] },
        },
      ]
    }
    case 'unsorted-time':
      return [{ label: 'Sort by time', options: { sortByTime: true } }]
    case 'duplicate-time':
      return [{ label: 'Drop exact duplicate rows', options: { dropDuplicateRows: true } }]
    case 'gaps':
      return [
        {
          label: 'Fill gaps (insert rows, interpolate)',
          options: { fillGaps: true, fillMissing: 'linear' },
        },
        { label: 'Insert the missing rows only', options: { fillGaps: true } },
      ]
    case 'missing-values':
    case 'text-in-numeric':
    case 'non-finite':
      if (!issue.column) return []
      return [
        {
          label: 'Interpolate linearly',
          options: { fillMissing: 'linear', columns: [issue.column] },
        },
        { label: 'Forward fill', options: { fillMissing: 'ffill', columns: [issue.column] } },
      ]
    default:
      return []
  }
}

/** Issues still true after a repair (the time axis ones are re-checked on the new data). */
export function remainingIssues(
  report: ImportReport,
  applied: ImportIssue,
  action: RepairAction,
  next: Dataset,
): ImportIssue[] {
  const axis = analyzeTimeAxis(next)
  return report.issues.filter((i) => {
    if (i === applied) return false
    if (
      i.code === 'sentinel' &&
      action.options.sentinels &&
      i.column &&
      action.options.columns?.includes(i.column)
    )
      return false
    if (i.code === 'unsorted-time') return !!axis && !axis.sorted
    if (i.code === 'duplicate-time') return !!axis && axis.duplicates.count > 0
    if (i.code === 'gaps') return !!axis && axis.gaps.count > 0
    if (i.code === 'irregular-time') return !!axis && axis.irregularSteps > 0
    return true
  })
}

export function useRepairs() {
  const workspace = useWorkspace()
  const busy = ref(false)

  async function apply(issue: ImportIssue, action: RepairAction): Promise<void> {
    const dataset = workspace.dataset.value
    const record = workspace.record.value
    if (!dataset || !record) throw new SeqcastError('not-found', 'Repairs: open a dataset first.')
    busy.value = true
    try {
      const { dataset: next, summary } = applyRepairs(dataset, action.options)
      const base = record.report
      const report: ImportReport | null = base
        ? {
            ...base,
            timeAxis: analyzeTimeAxis(next),
            issues: remainingIssues(base, issue, action, next),
            columns: base.columns.map((c) =>
              action.options.sentinels && action.options.columns?.includes(c.name)
                ? { ...c, sentinels: [] }
                : c,
            ),
          }
        : null
      const notes = summary.notes.length ? summary.notes : [`${action.label}: nothing to change.`]
      await saveDataset(next, report, {
        id: record.id,
        name: record.name,
        repairs: [...record.repairs, ...notes],
      })
    } finally {
      busy.value = false
    }
  }

  return { busy, apply }
}

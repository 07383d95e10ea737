/** Data repairs on the command line: the same repairs the Data view offers. */
import type { ImportReport } from '../shared/csv'
import type { FillMissing, RepairOptions } from '../shared/series/repairs'
import { usageError, type OptionSpecs, type ParsedArgs } from './args'

export const repairOptions: OptionSpecs = {
  sort: { type: 'boolean', description: 'sort rows by time (stable)' },
  dedupe: { type: 'boolean', description: 'drop exact duplicate rows' },
  sentinels: { type: 'boolean', description: 'treat detected sentinels such as -9999 as missing' },
  'fill-gaps': {
    type: 'boolean',
    description: 'insert the rows missing from the time axis (filled by --fill)',
  },
  fill: {
    type: 'string',
    value: '<how>',
    description: 'fill missing values: leave (default) | ffill | linear',
  },
}

const FILLS: FillMissing[] = ['leave', 'ffill', 'linear']

/** Null when no repair was asked for. */
export function repairsFromArgs(
  options: ParsedArgs['options'],
  report: ImportReport,
): RepairOptions | null {
  const fill = (options.fill ?? 'leave') as FillMissing
  if (!FILLS.includes(fill)) {
    throw usageError(
      `--fill: expected one of ${FILLS.join(', ')}, received "${String(options.fill)}".`,
      { option: 'fill' },
    )
  }
  const sentinels = options.sentinels
    ? [...new Set(report.columns.flatMap((c) => c.sentinels.map((s) => s.value)))]
    : undefined
  const repairs: RepairOptions = {
    sortByTime: Boolean(options.sort),
    dropDuplicateRows: Boolean(options.dedupe),
    fillGaps: Boolean(options['fill-gaps']),
    fillMissing: fill,
    ...(sentinels && sentinels.length > 0 ? { sentinels } : {}),
  }
  const any =
    repairs.sortByTime ||
    repairs.dropDuplicateRows ||
    repairs.fillGaps ||
    fill !== 'leave' ||
    repairs.sentinels
  return any ? repairs : null
}

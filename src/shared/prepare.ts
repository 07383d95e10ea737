/**
 * From a dataset and an experiment config to everything training, baselines and previews need:
 * validated columns, windows per split, the normalization fitted on the training rows, and the
 * baseline metrics. Pure and cheap (no windows are materialized), so the UI can call it live.
 */
import { baselineReport, type BaselineReport } from './baselines'
import { checkMissing } from './checks/missing'
import { SeqcastError } from './errors'
import type { ExperimentConfig } from './experiment'
import { timeValues, type Dataset } from './series/dataset'
import { fitNormalization, type NormalizationStats } from './series/normalize'
import type { SplitName } from './series/split'
import { SPLITS } from './series/split'
import { rowsReservedForTargets } from './windows/config'
import { requireWindows, type ExperimentWindows } from './windows/experiment'

export interface NamedValues {
  name: string
  values: Float64Array
}

export interface PreparedExperiment {
  config: ExperimentConfig
  dataset: string
  rowCount: number
  windows: ExperimentWindows
  sampleCounts: Record<SplitName, number>
  /** Target in the data's units. */
  target: Float64Array
  /** Feature columns in tensor order, in the data's units. */
  features: NamedValues[]
  /** Epoch ms per row, or null when the dataset has no time column. */
  timestamps: Float64Array | null
  normalization: NormalizationStats
  baselines: BaselineReport
}

export function prepareExperiment(dataset: Dataset, config: ExperimentConfig): PreparedExperiment {
  const target = numericColumn(dataset, config.target, 'target')
  if (config.features.length === 0) {
    throw new SeqcastError(
      'config',
      'Features: expected at least one input column, received none. Pick the columns the model reads (the target may be one of them).',
      { setting: 'features' },
    )
  }
  const seen = new Set<string>()
  const features = config.features.map((name) => {
    if (seen.has(name)) {
      throw new SeqcastError(
        'config',
        `Features: column "${name}" is listed twice. Keep it once.`,
        { setting: 'features', column: name },
      )
    }
    seen.add(name)
    return { name, values: numericColumn(dataset, name, 'feature') }
  })
  const windows = requireWindows(dataset.rowCount, config.window, config.split)
  // Rows a window or a target can touch: all of them up to the last target row.
  const lastRow = dataset.rowCount - 1
  checkMissing(dataset.name, config.target, target, 0, lastRow)
  for (const f of features)
    checkMissing(dataset.name, f.name, f.values, 0, lastRow - rowsReservedForTargets(config.window))
  const normalization = fitNormalization(
    config.normalization,
    uniqueColumns([...features, { name: config.target, values: target }]),
    windows.ranges.train.end,
  )
  const sampleCounts = Object.fromEntries(
    SPLITS.map((s) => [s, windows.starts[s].length]),
  ) as Record<SplitName, number>
  return {
    config,
    dataset: dataset.name,
    rowCount: dataset.rowCount,
    windows,
    sampleCounts,
    target,
    features,
    timestamps: timeValues(dataset),
    normalization,
    baselines: baselineReport(target, windows, config.seasonRows),
  }
}

function uniqueColumns(columns: NamedValues[]): NamedValues[] {
  const byName = new Map<string, NamedValues>()
  for (const c of columns) if (!byName.has(c.name)) byName.set(c.name, c)
  return [...byName.values()]
}

function numericColumn(dataset: Dataset, name: string, role: 'target' | 'feature'): Float64Array {
  const column = dataset.columns.find((c) => c.name === name)
  const setting = role === 'target' ? 'Target' : 'Features'
  if (!column) {
    const names = dataset.columns.filter((c) => c.kind === 'numeric').map((c) => `"${c.name}"`)
    throw new SeqcastError(
      'column',
      `${setting}: ${dataset.name} has no column "${name}". Numeric columns: ${names.join(', ') || 'none'}.`,
      { file: dataset.name, column: name, setting: role },
    )
  }
  if (column.kind !== 'numeric') {
    throw new SeqcastError(
      'column',
      `${setting}: column "${name}" of ${dataset.name} is ${column.kind === 'text' ? 'text' : 'a date/time column'}, expected numbers. ` +
        (column.kind === 'text'
          ? 'Fix the cells that are not numbers (the Data view lists the first one) or pick a numeric column.'
          : 'Pick a numeric column.'),
      { file: dataset.name, column: name, setting: role, kind: column.kind },
    )
  }
  return column.values
}

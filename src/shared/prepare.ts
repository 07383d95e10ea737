/**
 * From a dataset and an experiment config to everything training, baselines and previews need:
 * validated columns, windows per split, the normalization fitted on the training rows, and the
 * baseline metrics. Pure and cheap (no windows are materialized), so the UI can call it live.
 */
import { baselineReport, type BaselineReport } from './baselines'
import { checkMissing } from './checks/missing'
import { checkOneHotColumns } from './checks/run'
import { SeqcastError } from './errors'
import type { ExperimentConfig } from './experiment'
import { fitInputNormalization, inputColumns } from './features/inputs'
import {
  chooseCalendarFeatures,
  type CalendarChoice,
  type CalendarFeature,
} from './features/calendar'
import { oneHotSetting, type OneHotSetting } from './features/one-hot'
import { timeValues, type Dataset } from './series/dataset'
import { fitNormalization, type NormalizationStats } from './series/normalize'
import { formatCount } from './format/number'
import type { SplitName } from './series/split'
import { SPLITS } from './series/split'
import { analyzeTimeAxis } from './series/time-axis'
import { chooseTargetTransform } from './transforms/choose'
import {
  formatTargetTransform,
  learnedTargetName,
  NO_TRANSFORM,
  validateTargetTransform,
  type TargetTransform,
} from './transforms/spec'
import {
  firstTransformableStart,
  learnedTargetRows,
  learnedTrainingValues,
} from './transforms/target'
import { rowsReservedForTargets } from './windows/config'
import { requireWindows, type ExperimentWindows } from './windows/experiment'

export interface NamedValues {
  name: string
  values: Float64Array
}

export interface PreparedExperiment {
  /** The config with 'auto' replaced by what was chosen: the one runs and models store. */
  config: ExperimentConfig
  dataset: string
  rowCount: number
  windows: ExperimentWindows
  sampleCounts: Record<SplitName, number>
  /** Target in the data's units. */
  target: Float64Array
  /** Input columns in tensor order: the features in the data's units, then the calendar's. */
  features: NamedValues[]
  transform: TargetTransform
  /** One sentence for the Experiment view and the CLI: why this transform. */
  transformReason: string
  calendar: CalendarChoice
  /**
   * Values of one-hot columns outside their categories (e.g. a label first seen after the
   * training rows), encoded as all zeros: one sentence per column, for the run's warnings.
   */
  oneHotWarnings: string[]
  /** Name of the learned target's statistics in `normalization` (the target's own for none). */
  learnedName: string
  /**
   * What windows learn, rowCount × H (learnedTargetRows), made on first use: the live preview
   * never needs it, and for H = 24 on 420k rows it is 80 MB.
   */
  learnedRows(): Float64Array
  /** Epoch ms per row, or null when the dataset has no time column. */
  timestamps: Float64Array | null
  normalization: NormalizationStats
  baselines: BaselineReport
}

/** What the model is known to need, when it is known: recursive roll-outs feed back levels. */
export interface PrepareOptions {
  recursive?: boolean
  /**
   * Splits that must hold a window (default all three). A backtest reads only the training
   * fraction (its folds cut the rows after it and check their own windows), so it asks for
   * ['train'] and is not refused over a validation or test split it never uses.
   */
  requiredSplits?: readonly SplitName[]
}

/** What decides which settings a model reads: its family and its head. */
export interface ModelReads {
  statistical: boolean
  recursive: boolean
}

/**
 * The experiment as a model of this kind reads it, prepared: a statistical model forecasts the
 * target's own levels from its own past, so no target transform and no calendar or one-hot
 * inputs, whatever the experiment asked of window models (a log of a zero or a calendar without
 * a time column does not refuse it); a recursive roll-out feeds back levels, so 'auto' gives no
 * transform and no calendar. Every path that fits a model (train, backtest, compare --folds)
 * prepares through here, so the same settings are honoured or refused the same way.
 */
export function prepareForModel(
  dataset: Dataset,
  experiment: ExperimentConfig,
  model: ModelReads,
  options: Pick<PrepareOptions, 'requiredSplits'> = {},
): PreparedExperiment {
  const read = model.statistical
    ? { ...experiment, transform: NO_TRANSFORM, calendar: 'none' as const, oneHot: undefined }
    : experiment
  return prepareExperiment(dataset, read, { ...options, recursive: model.recursive })
}

export function prepareExperiment(
  dataset: Dataset,
  requested: ExperimentConfig,
  options: PrepareOptions = {},
): PreparedExperiment {
  let config = requested
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
  const windows = requireWindows(
    dataset.rowCount,
    config.window,
    config.split,
    options.requiredSplits,
  )
  // Rows a window or a target can touch: all of them up to the last target row.
  const lastRow = dataset.rowCount - 1
  checkMissing(dataset.name, config.target, target, 0, lastRow)
  for (const f of features)
    checkMissing(dataset.name, f.name, f.values, 0, lastRow - rowsReservedForTargets(config.window))

  const { transform, reason: transformReason } = resolveTransform(config, target, windows, options)
  validateTargetTransform(transform, config.window, { name: config.target, values: target })
  const timestamps = timeValues(dataset)
  const calendar = resolveCalendar(dataset, config, timestamps, windows, options)
  const oneHot = resolveOneHot(dataset, config, windows)
  config = { ...config, transform, calendar: calendar.features }
  if (oneHot) config.oneHot = oneHot
  // `seasonal` has no learned value for windows whose first target lies within a season of row 0.
  const first = firstTransformableStart(transform, config.window)
  if (first > 0) {
    for (const s of SPLITS) windows.starts[s] = windows.starts[s].filter((start) => start >= first)
  }
  const oneHotWarnings: string[] = []
  const inputs = inputColumns(config, dataset, features, oneHotWarnings)
  const trainEnd = windows.ranges.train.end
  const normalization = fitInputNormalization(
    config,
    uniqueColumns([...inputs, { name: config.target, values: target }]),
    trainEnd,
  )
  const learnedName = learnedTargetName(config.target, transform)
  const window = config.window
  let learned: Float64Array | null = null
  const learnedRows = () => (learned ??= learnedTargetRows(target, window, transform))
  addLearnedNormalization(normalization, config, transform, target, trainEnd)
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
    features: inputs,
    transform,
    transformReason,
    calendar,
    oneHotWarnings,
    learnedName,
    learnedRows,
    timestamps,
    normalization,
    baselines: baselineReport(target, windows, config.seasonRows),
  }
}

/**
 * Adds the normalization of what a window model outputs when it learns a transformed target
 * (`change`, `seasonal`, log): fitted on the learned values of the rows before `trainEnd` only
 * (they depend only on rows before it). A run fits it on its training rows, a backtest fold on
 * the rows before its block, so both turn outputs back into data units the same way. Nothing
 * is added when the model learns the target's levels (its own column's statistics serve).
 */
export function addLearnedNormalization(
  normalization: NormalizationStats,
  config: Pick<ExperimentConfig, 'target' | 'window' | 'normalization'>,
  transform: TargetTransform,
  target: Float64Array,
  trainEnd: number,
): void {
  const learnedName = learnedTargetName(config.target, transform)
  if (learnedName === config.target) return
  const trainRows = learnedTargetRows(target.subarray(0, trainEnd), config.window, transform)
  const values = learnedTrainingValues(trainRows, trainEnd, config.window)
  const own = fitNormalization(config.normalization, [{ name: learnedName, values }], values.length)
  normalization.columns.push(learnedName)
  normalization.center.push(own.center[0])
  normalization.scale.push(own.scale[0])
  normalization.constant.push(...own.constant)
}

function resolveTransform(
  config: ExperimentConfig,
  target: Float64Array,
  windows: ExperimentWindows,
  options: PrepareOptions,
): { transform: TargetTransform; reason: string } {
  let setting = config.transform ?? NO_TRANSFORM
  // `seasonal` without its own season takes the experiment's (the Experiment view's Season field).
  if (setting !== 'auto' && setting.kind === 'seasonal' && setting.seasonRows === null) {
    setting = { ...setting, seasonRows: config.seasonRows }
  }
  if (setting !== 'auto') {
    return { transform: setting, reason: `Transform: ${formatTargetTransform(setting)} (as set).` }
  }
  if (options.recursive) {
    return {
      transform: NO_TRANSFORM,
      reason:
        'None: a recursive roll-out feeds each prediction back as the newest input, so it learns the values themselves.',
    }
  }
  const choice = chooseTargetTransform(target, windows.ranges)
  return { transform: choice.transform, reason: choice.reason }
}

function resolveCalendar(
  dataset: Dataset,
  config: ExperimentConfig,
  timestamps: Float64Array | null,
  windows: ExperimentWindows,
  options: PrepareOptions,
): CalendarChoice {
  const setting = config.calendar ?? 'none'
  if (setting === 'auto' && options.recursive) {
    return {
      features: [],
      reason:
        'Calendar features: none, because a recursive roll-out reads the target alone as its input.',
    }
  }
  if (setting === 'none') return chooseCalendarFeatures('none', null, 0)
  const cadence = analyzeTimeAxis(dataset)?.cadence ?? null
  const trainEnd = windows.ranges.train.end
  const spanMs = timestamps && trainEnd >= 1 ? timestamps[trainEnd - 1] - timestamps[0] : Number.NaN
  const choice = chooseCalendarFeatures(setting, cadence, spanMs)
  return { ...choice, features: choice.features as CalendarFeature[] }
}

/**
 * The one-hot settings with their categories fixed: as set, or (left empty) the labels of the
 * training rows, sorted, so nothing after them chooses the inputs. Undefined when none is asked.
 */
function resolveOneHot(
  dataset: Dataset,
  config: ExperimentConfig,
  windows: ExperimentWindows,
): OneHotSetting[] | undefined {
  const settings = config.oneHot ?? []
  if (settings.length === 0) return config.oneHot
  const columns = checkOneHotColumns(dataset, settings)
  const trainEnd = windows.ranges.train.end
  return settings.map((s, i) => {
    if (s.categories.length > 0) return s
    const fixed = oneHotSetting(columns[i], trainEnd)
    if (fixed.categories.length < 2) {
      throw new SeqcastError(
        'config',
        `One-hot: column "${s.column}" of ${dataset.name} has ${fixed.categories.length === 0 ? 'no value' : `only one value ("${fixed.categories[0]}")`} in the training rows (1–${formatCount(trainEnd)}), so the model could not learn what its labels mean. Untick it, or give the training split more rows.`,
        { file: dataset.name, column: s.column, setting: 'oneHot' },
      )
    }
    return fixed
  })
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

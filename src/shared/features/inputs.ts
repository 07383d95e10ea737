/**
 * What a prepared (resolved) experiment feeds a window model: its feature columns, then the
 * calendar columns, then the one-hot columns of text features; and the target transform it
 * learns. Stored configs hold concrete settings ('auto' and empty one-hot categories are
 * replaced when the experiment is prepared); configs made before issue 10 have none of these
 * fields and mean none.
 */
import { SeqcastError } from '../errors'
import type { ExperimentConfig } from '../experiment'
import { fitNormalization, type NormalizationStats } from '../series/normalize'
import { NO_TRANSFORM, type TargetTransform } from '../transforms/spec'
import type { NamedValues } from '../prepare'
import { findColumn, type Dataset } from '../series/dataset'
import { analyzeTimes, timeColumnOf } from '../series/time-axis'
import { calendarColumnNames, calendarColumns, type CalendarFeature } from './calendar'
import { oneHotEncode, oneHotNames, type OneHotSetting } from './one-hot'

type Settings = Pick<ExperimentConfig, 'transform' | 'calendar' | 'oneHot'>

function unresolved(setting: string): never {
  throw new SeqcastError(
    'internal',
    `${setting} is still "auto": prepare the experiment (prepareExperiment) before reading it.`,
    { setting },
  )
}

/** The transform of a resolved config (none when the field is absent). */
export function transformOf(e: Settings): TargetTransform {
  if (e.transform === undefined) return NO_TRANSFORM
  if (e.transform === 'auto') return unresolved('transform')
  return e.transform
}

/** The calendar features of a resolved config ([] when absent or none). */
export function calendarOf(e: Settings): CalendarFeature[] {
  if (e.calendar === undefined || e.calendar === 'none') return []
  if (e.calendar === 'auto') return unresolved('calendar')
  return e.calendar
}

/** The one-hot encoded text columns of a resolved config ([] when absent). */
export function oneHotOf(e: Pick<ExperimentConfig, 'oneHot'>): OneHotSetting[] {
  const settings = e.oneHot ?? []
  const open = settings.find((s) => s.categories.length === 0)
  if (open) return unresolved(`one-hot column "${open.column}"`)
  return settings
}

/** Whether the model learns the target's own values (no transform, no log). */
export function learnsLevels(t: TargetTransform): boolean {
  return t.kind === 'none' && !t.log
}

/**
 * Input columns in tensor order: the features, then the calendar's sin/cos columns, then one 0/1
 * column per category of each one-hot column (`weather=rain`, in the setting's category order).
 */
export function inputColumnNames(e: Pick<ExperimentConfig, 'features'> & Settings): string[] {
  return [...e.features, ...calendarColumnNames(calendarOf(e)), ...oneHotOf(e).flatMap(oneHotNames)]
}

/**
 * `inputColumnNames` of a config that may not be resolved yet (a run still queued keeps 'auto'
 * and unfixed one-hot categories): null until it is, for views that show a run's inputs.
 */
export function resolvedInputNames(
  e: Pick<ExperimentConfig, 'features'> & Settings,
): string[] | null {
  if (e.calendar === 'auto' || (e.oneHot ?? []).some((s) => s.categories.length === 0)) return null
  return inputColumnNames(e)
}

/**
 * The input columns of a resolved experiment on a dataset, in tensor order: its feature columns,
 * then the calendar columns recomputed from the dataset's time column (how `predict` and a
 * model's future forecast see the same inputs as training), then the one-hot columns encoded
 * with the stored categories. `features` are the feature columns already read from the dataset.
 * A value of a one-hot column that is not among its categories is encoded as all zeros, and a
 * sentence saying so (column, values, first rows) is pushed onto `warnings`.
 */
export function inputColumns(
  experiment: Pick<ExperimentConfig, 'features' | 'window' | 'transform' | 'calendar' | 'oneHot'>,
  dataset: Dataset,
  features: NamedValues[],
  warnings: string[] = [],
): NamedValues[] {
  return [
    ...features,
    ...calendarInputs(experiment, dataset),
    ...oneHotInputs(experiment, dataset, warnings),
  ]
}

function oneHotInputs(
  experiment: Pick<ExperimentConfig, 'oneHot'>,
  dataset: Dataset,
  warnings: string[],
): NamedValues[] {
  return oneHotOf(experiment).flatMap((setting) => {
    const column = findColumn(dataset, setting.column)
    if (!column || column.kind !== 'text') {
      throw new SeqcastError(
        'model-mismatch',
        `${dataset.name}: the one-hot column "${setting.column}" ${column ? `holds ${column.kind === 'numeric' ? 'numbers' : 'dates/times'}, not text labels` : 'is missing'}. ` +
          `Use a file with the text column "${setting.column}" (categories ${setting.categories.join(', ')}), or train without --one-hot ${setting.column}.`,
        { file: dataset.name, column: setting.column, setting: 'oneHot' },
      )
    }
    const encoded = oneHotEncode(column, setting)
    if (encoded.warning) warnings.push(`${dataset.name}: ${encoded.warning}`)
    return encoded.names.map((name, k) => ({ name, values: encoded.values[k] }))
  })
}

function calendarInputs(
  experiment: Pick<ExperimentConfig, 'window' | 'calendar'>,
  dataset: Dataset,
): NamedValues[] {
  const calendar = calendarOf(experiment)
  if (calendar.length === 0) return []
  const column = timeColumnOf(dataset)
  const cadence = column
    ? analyzeTimes(column.values, column.name, column.format, dataset.rowCount).cadence
    : null
  if (!column || !cadence) {
    throw new SeqcastError(
      'model-mismatch',
      `${dataset.name}: the model reads calendar features (${calendar.join(', ')}) computed from the time, ` +
        `but ${column ? `the time column "${column.name}" has no regular cadence` : 'the file has no time column'}. ` +
        `Choose the time column in the Data view (or use a file with one at a regular cadence), or train the model with --calendar none.`,
      { file: dataset.name, setting: 'calendar', column: column?.name ?? null },
    )
  }
  return calendarColumns(column.values, calendar, experiment.window, cadence)
}

/**
 * The normalization of a run's columns, fitted on rows [0, trainEnd), except one-hot columns,
 * which stay 0/1 (center 0, scale 1): they are already on the scale of normalized inputs, and a
 * missing or unseen label (all zeros) then means "none of the categories" in every column,
 * whatever the normalization. Z-scoring would blow a rare label up to 1/√p (seen 4 times in
 * 10,000 rows: 50), and min-max of a label absent from the training rows has no range.
 */
export function fitInputNormalization(
  experiment: Pick<ExperimentConfig, 'normalization' | 'oneHot'>,
  columns: NamedValues[],
  trainEnd: number,
): NormalizationStats {
  const encoded = new Set(oneHotOf(experiment).flatMap(oneHotNames))
  const stats = fitNormalization(
    experiment.normalization,
    columns.filter((c) => !encoded.has(c.name)),
    trainEnd,
  )
  for (const c of columns) {
    if (!encoded.has(c.name)) continue
    stats.columns.push(c.name)
    stats.center.push(0)
    stats.scale.push(1)
  }
  return stats
}

/**
 * What a prepared (resolved) experiment feeds a window model: its feature columns, then the
 * calendar columns; and the target transform it learns. Stored configs hold concrete settings
 * ('auto' is replaced when the experiment is prepared); configs made before issue 10 have
 * neither field and mean none.
 */
import { SeqcastError } from '../errors'
import type { ExperimentConfig } from '../experiment'
import { NO_TRANSFORM, type TargetTransform } from '../transforms/spec'
import type { NamedValues } from '../prepare'
import type { Dataset } from '../series/dataset'
import { analyzeTimes, timeColumnOf } from '../series/time-axis'
import { calendarColumnNames, calendarColumns, type CalendarFeature } from './calendar'

type Settings = Pick<ExperimentConfig, 'transform' | 'calendar'>

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

/** Whether the model learns the target's own values (no transform, no log). */
export function learnsLevels(t: TargetTransform): boolean {
  return t.kind === 'none' && !t.log
}

/** Input columns in tensor order: the features, then the calendar's sin/cos columns. */
export function inputColumnNames(e: Pick<ExperimentConfig, 'features'> & Settings): string[] {
  return [...e.features, ...calendarColumnNames(calendarOf(e))]
}

/**
 * The input columns of a resolved experiment on a dataset, in tensor order: its feature columns,
 * then the calendar columns recomputed from the dataset's time column (how `predict` and a
 * model's future forecast see the same inputs as training). `features` are the feature columns
 * already read from the dataset.
 */
export function inputColumns(
  experiment: Pick<ExperimentConfig, 'features' | 'window' | 'transform' | 'calendar'>,
  dataset: Dataset,
  features: NamedValues[],
): NamedValues[] {
  const calendar = calendarOf(experiment)
  if (calendar.length === 0) return features
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
  return [...features, ...calendarColumns(column.values, calendar, experiment.window, cadence)]
}

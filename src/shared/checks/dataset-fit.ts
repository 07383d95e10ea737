/**
 * Whether a file can be forecast with an exported model: the same checks and words in the
 * Forecast view (before the request is sent), the `model:predict` handler and `predict` on the
 * command line.
 */
import { SeqcastError } from '../errors'
import type { ModelManifest } from '../manifest'
import type { Dataset } from '../series/dataset'
import { checkMissing } from './missing'

const KIND_TEXT = { numeric: 'numbers', datetime: 'dates/times', text: 'text' } as const

/**
 * The numeric columns a model reads, in its tensor order: its features, then the target if not
 * one of them. A statistical model reads its target alone (the features chosen with it in the
 * Experiment view were never used), so a file needs only that column.
 */
export function modelColumns(manifest: Pick<ModelManifest, 'experiment' | 'model'>): string[] {
  const { experiment } = manifest
  if (manifest.model.statistical) return [experiment.target]
  return [...new Set([...experiment.features, experiment.target])]
}

/** The text columns a model one-hot encodes (their labels, not numbers); none for a statistical model. */
export function modelTextColumns(manifest: Pick<ModelManifest, 'experiment' | 'model'>): string[] {
  if (manifest.model.statistical) return []
  return (manifest.experiment.oneHot ?? []).map((s) => s.column)
}

/**
 * Checks that a dataset fits a model: the manifest's target and features exist and hold numbers,
 * the file has rows for at least one window, and no row the model reads is missing (a window
 * with a gap has no forecast and a missing target no error, as in training). Errors name the
 * file, column, row or setting and the fix.
 */
export function checkDatasetFits(
  manifest: Pick<ModelManifest, 'experiment' | 'dataset' | 'model'>,
  dataset: Dataset,
): void {
  const { experiment } = manifest
  const needed = modelColumns(manifest)
  const have = dataset.columns.filter((c) => c.kind === 'numeric').map((c) => `"${c.name}"`)
  const missing = needed.filter((name) => !dataset.columns.some((c) => c.name === name))
  if (missing.length > 0) {
    throw new SeqcastError(
      'model-mismatch',
      `${dataset.name} lacks the column${missing.length === 1 ? '' : 's'} ${missing.map((m) => `"${m}"`).join(', ')} that the model "${manifest.model.name}" reads ` +
        (manifest.model.statistical
          ? `(a statistical model trained on ${manifest.dataset.name}, it reads its target "${experiment.target}" alone). `
          : `(it was trained on ${manifest.dataset.name} with features ${experiment.features.map((f) => `"${f}"`).join(', ')} and target "${experiment.target}"). `) +
        `Numeric columns in ${dataset.name}: ${have.join(', ') || 'none'}. Rename the columns or use a file with the same schema.`,
      { file: dataset.name, missing, expected: needed },
    )
  }
  for (const name of needed) {
    const column = dataset.columns.find((c) => c.name === name)!
    if (column.kind !== 'numeric') {
      throw new SeqcastError(
        'model-mismatch',
        `Column "${name}" of ${dataset.name} holds ${KIND_TEXT[column.kind]}, but the model "${manifest.model.name}" was trained on numbers in that column. ` +
          'Fix the cells that are not numbers (the import report lists them) or use a file with the same schema.',
        { file: dataset.name, column: name, expected: 'numeric', received: column.kind },
      )
    }
  }
  for (const name of modelTextColumns(manifest)) {
    const column = dataset.columns.find((c) => c.name === name)
    if (column?.kind === 'text') continue
    const categories = experiment.oneHot!.find((s) => s.column === name)!.categories
    throw new SeqcastError(
      'model-mismatch',
      column
        ? `Column "${name}" of ${dataset.name} holds ${KIND_TEXT[column.kind]}, but the model "${manifest.model.name}" one-hot encodes text labels in that column (${categories.join(', ')}). Use a file whose "${name}" holds those labels.`
        : `${dataset.name} lacks the column "${name}" that the model "${manifest.model.name}" one-hot encodes (labels ${categories.join(', ')}). Add the column or use a file with the same schema.`,
      { file: dataset.name, column: name, setting: 'oneHot' },
    )
  }
  const w = experiment.window
  const span = (w.sequenceLength - 1) * w.samplingRate + 1
  if (dataset.rowCount < span) {
    const n = (x: number) => x.toLocaleString('en-US')
    throw new SeqcastError(
      'window',
      `${dataset.name} has ${n(dataset.rowCount)} rows, but the model reads windows of ${w.sequenceLength} rows at a sampling rate of ${w.samplingRate} ` +
        `(${n(span)} rows). Use a file with at least ${n(span)} rows.`,
      { file: dataset.name, setting: 'sequenceLength', rows: dataset.rowCount, needed: span },
    )
  }
  // As in training, every row must be complete: with a stride of 1 each row is read by a window
  // (the latest one ends at the last row) or is a target.
  for (const name of needed) {
    const column = dataset.columns.find((c) => c.name === name) as { values: Float64Array }
    checkMissing(dataset.name, name, column.values, 0, dataset.rowCount - 1)
  }
}

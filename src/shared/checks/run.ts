/**
 * The settings a run is refused for, in the words a person reads: the Experiment view checks them
 * before Start, the training service and the CLI before training, the model builder before it
 * builds. Shapes come from `summarizeModel`, which names the layer.
 */
import { SeqcastError } from '../errors'
import type { RunConfig } from '../experiment'
import { calendarOf, inputColumnNames, learnsLevels, transformOf } from '../features/inputs'
import {
  oneHotEligibility,
  oneHotNames,
  oneHotSetting,
  type OneHotSetting,
} from '../features/one-hot'
import type { Dataset, TextColumn } from '../series/dataset'
import { isRecurrent, type ModelSpec } from '../models/spec'
import { summarizeModel } from '../models/summary'
import { checkTrainingMemory } from '../models/memory'
import { gapAfterWindow } from '../windows/config'
import { batchesPerEpoch } from '../windows/batches'
import { checkOutputRange } from './nonsense'

export interface SpecShape {
  /** Timesteps L and features F of one window. */
  inputShape: [number, number]
  horizon: number
  /** Fixed batch size of a stateful model. */
  batchSize: number | null
}

/** Shapes (via summarizeModel, which names the layer) and stateful constraints. */
export function checkSpec(spec: ModelSpec, options: SpecShape): void {
  const [steps, features] = options.inputShape
  summarizeModel(spec, steps, features, options.horizon)
  const recurrent = spec.layers.filter(isRecurrent)
  if (spec.stateful) {
    if (recurrent.length === 0) {
      throw new SeqcastError(
        'config',
        `Model "${spec.name}" is stateful but has no recurrent layer to carry state. Turn "stateful" off or add an LSTM, GRU or SimpleRNN layer.`,
        { setting: 'stateful' },
      )
    }
    if (recurrent.some((l) => l.bidirectional)) {
      throw new SeqcastError(
        'config',
        `Model "${spec.name}": a stateful model cannot have bidirectional layers (the backward pass would carry state from the future). Turn "stateful" or "bidirectional" off.`,
        { setting: 'stateful' },
      )
    }
    if (!(options.batchSize && options.batchSize >= 1)) {
      throw new SeqcastError('config', 'A stateful model needs a fixed batch size ≥ 1.', {
        setting: 'batchSize',
      })
    }
    if (spec.head.kind === 'recursive') {
      throw new SeqcastError(
        'config',
        `Model "${spec.name}": a recursive roll-out cannot be stateful (every roll-out step would advance the carried state). Use a direct head or turn "stateful" off.`,
        { setting: 'head' },
      )
    }
  }
}

/**
 * One-hot columns (features/one-hot.ts): each must be a text column of the dataset, listed once,
 * with 2 … MAX_CATEGORIES distinct values (`oneHotEligibility`, the reason the Data and
 * Experiment views show), and no two inputs may share a name (`checkOneHotNames`). Returns the
 * columns, in the setting's order.
 */
export function checkOneHotColumns(dataset: Dataset, settings: OneHotSetting[]): TextColumn[] {
  const seen = new Set<string>()
  const columns = settings.map(({ column: name }) => {
    const fix = `Untick it under Text columns in the Experiment view (or leave it out of --one-hot).`
    if (seen.has(name)) {
      throw new SeqcastError('config', `One-hot: column "${name}" is listed twice. Keep it once.`, {
        setting: 'oneHot',
        column: name,
      })
    }
    seen.add(name)
    const column = dataset.columns.find((c) => c.name === name)
    if (!column) {
      const texts = dataset.columns.filter((c) => c.kind === 'text').map((c) => `"${c.name}"`)
      throw new SeqcastError(
        'column',
        `One-hot: ${dataset.name} has no column "${name}". Text columns: ${texts.join(', ') || 'none'}. ${fix}`,
        { file: dataset.name, column: name, setting: 'oneHot' },
      )
    }
    if (column.kind !== 'text') {
      throw new SeqcastError(
        'column',
        `One-hot: column "${name}" of ${dataset.name} holds ${column.kind === 'numeric' ? 'numbers' : 'dates/times'}; only text columns are one-hot encoded.${column.kind === 'numeric' ? ' Pick it as a feature instead.' : ''} ${fix}`,
        { file: dataset.name, column: name, setting: 'oneHot', kind: column.kind },
      )
    }
    const eligible = oneHotEligibility(column)
    if (!eligible.ok) {
      throw new SeqcastError(
        'config',
        `One-hot: column "${name}" of ${dataset.name} has ${eligible.reason}. ${fix}`,
        { file: dataset.name, column: name, setting: 'oneHot' },
      )
    }
    return column
  })
  checkOneHotNames(dataset, settings, columns)
  return columns
}

/**
 * The 0/1 inputs are named `column=label`: a file that also has a column of that very name (a
 * numeric `weather=rain` next to a `weather` label), or two text columns whose names and labels
 * join to the same name, would give two inputs one name, and every list of inputs, the saved
 * normalization and a later `predict` would read the wrong one. Refused rather than renamed: a
 * name Seqcast invented (`weather=rain (2)`) would not match the file the next time.
 * Categories not yet fixed are checked with every label of the column, since any of them may
 * become an input once the training rows are known.
 */
function checkOneHotNames(dataset: Dataset, settings: OneHotSetting[], columns: TextColumn[]) {
  const fix = `or untick "%s" under Text columns in the Experiment view (or leave it out of --one-hot).`
  const made = new Map<string, string>()
  settings.forEach((s, i) => {
    const categories = s.categories.length > 0 ? s.categories : oneHotSetting(columns[i]).categories
    for (const input of oneHotNames({ column: s.column, categories })) {
      const clash = dataset.columns.find((c) => c.name === input)
      if (clash) {
        throw new SeqcastError(
          'column',
          `One-hot: column "${s.column}" would add an input named "${input}", and ${dataset.name} already has a column named "${input}", so two inputs would share one name. Rename the column "${input}" in the file (for example to "${input.replace(/=/g, '_')}"), ${fix.replace('%s', s.column)}`,
          { file: dataset.name, column: input, setting: 'oneHot', columns: [s.column, input] },
        )
      }
      const other = made.get(input)
      if (other !== undefined) {
        throw new SeqcastError(
          'column',
          `One-hot: columns "${other}" and "${s.column}" of ${dataset.name} would both add an input named "${input}". Rename one of them in the file, ${fix.replace('%s', s.column)}`,
          { file: dataset.name, column: s.column, setting: 'oneHot', columns: [other, s.column] },
        )
      }
      made.set(input, s.column)
    }
  })
}

/**
 * Training needs at least one batch: a stateful model at least one whole batch of training
 * windows (its batch size is fixed, and the windows past the last whole batch are left out).
 */
export function checkTrainingBatches(
  stateful: boolean,
  trainWindows: number,
  batchSize: number,
): void {
  if (batchesPerEpoch(trainWindows, batchSize, stateful) > 0) return
  throw new SeqcastError(
    'config',
    stateful
      ? `Batch size: a stateful model needs at least one full batch of training windows; the training split has ${trainWindows.toLocaleString('en-US')} windows and the batch size is ${batchSize.toLocaleString('en-US')}. Lower the batch size to ${Math.max(1, trainWindows).toLocaleString('en-US')} or less, or give the training split more rows.`
      : 'The training split has no windows. Give the training split more rows or shorten the window.',
    { setting: 'batchSize', windows: trainWindows, batchSize },
  )
}

/**
 * A whole run: the spec against the experiment's window and features, what a recursive roll-out
 * needs (each step appends its prediction as the window's newest row, so the window must be the
 * target alone, every row, with the target right after the window's last row), when the
 * number of training windows is known, at least one batch of them, and that the model fits in
 * the training engine's memory (`checkTrainingMemory`).
 */
export function checkRun(config: RunConfig, trainWindows?: number): void {
  const { model: spec, experiment, training } = config
  const w = experiment.window
  // A statistical model has no layers or batches: it reads the target's own past, row by row.
  if (spec.statistical) return
  if (config.intervals?.method === 'model') {
    throw new SeqcastError(
      'config',
      `Interval method model: "${spec.name}" is a window model, and only statistical models (ETS, ARIMA, Theta, MSTL) give intervals of their own. Use the interval method split or aci, which work for every model.`,
      { setting: 'intervalMethod' },
    )
  }
  // A config prepared from 'auto' holds concrete settings; an unprepared one is checked as none.
  const resolved = {
    ...experiment,
    transform: experiment.transform === 'auto' ? undefined : experiment.transform,
    calendar: experiment.calendar === 'auto' ? undefined : experiment.calendar,
    // Categories not yet fixed count as none: the input width is known once prepared.
    oneHot: experiment.oneHot?.filter((s) => s.categories.length > 0),
  }
  if (spec.head.kind === 'every-step' && transformOf(resolved).kind === 'seasonal') {
    // Early timesteps' targets lie less than a season after row 0 for the first windows.
    throw new SeqcastError(
      'config',
      `Model "${spec.name}" learns a target at every timestep, and the transform "seasonal" has no value one season before the first rows those targets reach. Use --transform change or a direct head (Dense(H)).`,
      { setting: 'transform', settings: ['transform', 'head'] },
    )
  }
  checkSpec(spec, {
    inputShape: [w.sequenceLength, inputColumnNames(resolved).length],
    horizon: w.horizon,
    batchSize: spec.stateful ? training.batchSize : null,
  })
  checkOutputRange(spec, experiment.normalization)
  if (spec.head.kind === 'recursive') {
    const problems: string[] = []
    if (experiment.features.length !== 1 || experiment.features[0] !== experiment.target) {
      problems.push(
        `the target "${experiment.target}" must be the only feature (features: ${experiment.features.join(', ')})`,
      )
    }
    // The roll-out has no future calendar or label rows to feed: it reads the target alone.
    if (calendarOf(resolved).length > 0) {
      problems.push('calendar features must be off (--calendar none)')
    }
    if ((experiment.oneHot ?? []).length > 0) {
      problems.push(
        `one-hot columns must be off (one-hot: ${(experiment.oneHot ?? []).map((s) => s.column).join(', ')})`,
      )
    }
    const t = transformOf(resolved)
    if (!learnsLevels(t)) {
      problems.push(
        `the transform must be none, because the predictions it feeds back are values, not changes (it is ${t.kind}${t.log ? ',log' : ''})`,
      )
    }
    if (w.samplingRate !== 1) problems.push(`the sampling rate must be 1 (it is ${w.samplingRate})`)
    if (gapAfterWindow(w) !== 1) {
      problems.push(
        `the delay must equal the sequence length, ${w.sequenceLength} (it is ${w.delay}), so the target is the row right after the window`,
      )
    }
    if (problems.length > 0) {
      throw new SeqcastError(
        'config',
        `Model "${spec.name}" rolls a one-step forecast out ${w.horizon} step${w.horizon === 1 ? '' : 's'} by feeding each prediction back as the newest input: ${problems.join('; ')}. Change these settings or use a direct head (Dense(H)).`,
        { setting: 'head', problems },
      )
    }
  }
  if (trainWindows !== undefined)
    checkTrainingBatches(spec.stateful, trainWindows, training.batchSize)
  checkTrainingMemory(spec, {
    inputShape: [w.sequenceLength, inputColumnNames(resolved).length],
    horizon: w.horizon,
    batchSize: training.batchSize,
    optimizer: training.optimizer,
  })
}

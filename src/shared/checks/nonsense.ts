/**
 * No silent nonsense: what a run can do but should not do quietly, in the words the Data,
 * Experiment, Train and Results views and the CLI all show.
 *
 * - a constant column (no spread in the training rows) says nothing; it is flagged and never the
 *   default target;
 * - validation or test values outside the training range cannot be reached by a model of the
 *   levels (its normalization and output saw only that range): learn the change instead;
 * - a tanh output lies in [−1, 1], so its target must be scaled into that range (min-max);
 * - a stateful model trains on whole batches; its validation forecasts pad the last batch, but
 *   the teacher-forced validation loss of an every-step or recursive head reads whole batches
 *   only, so a validation split with fewer windows than the batch size is not evaluated: early
 *   stopping then watches the training loss;
 * - a model worse than naive on validation gets a verdict with its likely cause and what to try.
 * Reading the test values for a warning chooses nothing (DESIGN.md: test rows are never used to
 * choose); `chooseTargetTransform` reads the validation values only.
 */
import { SeqcastError } from '../errors'
import { formatNumber } from '../format'
import type { ImportIssue } from '../csv/report'
import type { ExperimentConfig } from '../experiment'
import { learnsLevels, transformOf } from '../features/inputs'
import type { Metrics } from '../metrics'
import type { ModelSpec } from '../models/spec'
import { numericStats } from '../series/column-stats'
import type { Dataset } from '../series/dataset'
import type { NormalizationKind } from '../series/normalize'
import type { SplitRanges } from '../series/split'
import { lineR2, OUTSIDE_SHARE, TREND_R2 } from '../transforms/choose'
import { gapAfterWindow } from '../windows/config'

const pct = (x: number) => `${formatNumber(Math.round(x * 1000) / 10)} %`
const range = (min: number, max: number) => `${formatNumber(min)} … ${formatNumber(max)}`

/** Numeric columns whose values (in the first `rows` rows, all by default) are all equal. */
export function constantColumns(dataset: Dataset, rows = dataset.rowCount): string[] {
  const out: string[] = []
  for (const c of dataset.columns) {
    if (c.kind !== 'numeric') continue
    const s = numericStats(c.values, Math.min(rows, c.values.length))
    if (s.count > 0 && s.min === s.max) out.push(c.name)
  }
  return out
}

/** The sentence the Data view shows next to a constant column. */
export function constantColumnMessage(dataset: Dataset, name: string): string {
  const c = dataset.columns.find((x) => x.name === name) as { values: Float64Array }
  const v = numericStats(c.values).min
  return (
    `Column "${name}" is constant (every value is ${formatNumber(v)}): it cannot be forecast or help a forecast. ` +
    `It is not offered as the default target; check the file (a meter that read nothing?) or leave it out.`
  )
}

/** Constant columns as Data view warnings (the same list as the import's). */
export function constantColumnIssues(dataset: Dataset): ImportIssue[] {
  return constantColumns(dataset).map((column) => ({
    code: 'constant-column',
    severity: 'warning' as const,
    message: constantColumnMessage(dataset, column),
    file: dataset.name,
    column,
    fix: 'Leave the column out of the target and the features, or check the file.',
  }))
}

/** Names of calendar fields a file may carry next to its time column (NOAA's year, month …). */
const CALENDAR_FIELD =
  /^(year|yr|month|mon|mo|day|dd|hour|hr|minute|min|week|weekday|dow|doy|quarter|qtr)$/i

/** Whether values count rows: 0, 1, 2 … or 1, 2, 3 … (R's write.csv puts its row names first). */
function countsRows(v: Float64Array): boolean {
  if (v.length < 2 || (v[0] !== 0 && v[0] !== 1)) return false
  for (let i = 1; i < v.length; i++) if (v[i] !== v[0] + i) return false
  return true
}

/**
 * Numeric columns that only count rows (R's row names): not a quantity to forecast, and as a
 * feature a trend the validation and test rows leave the training range of.
 */
export function rowCounterColumns(dataset: Dataset): string[] {
  return dataset.columns
    .filter((c) => c.kind === 'numeric' && countsRows(c.values))
    .map((c) => c.name)
}

/**
 * Numeric columns that label rows rather than measure anything: a row counter and whole-number
 * calendar fields (a `month` of 1 … 12 beside NOAA's `decimal date`). Forecasting one is never
 * what a person meant.
 */
export function rowLabelColumns(dataset: Dataset): string[] {
  const counters = new Set(rowCounterColumns(dataset))
  const out: string[] = []
  for (const c of dataset.columns) {
    if (c.kind !== 'numeric' || c.values.length < 2) continue
    const whole = c.values.every((x) => Number.isInteger(x))
    if (counters.has(c.name) || (whole && CALENDAR_FIELD.test(c.name.trim()))) out.push(c.name)
  }
  return out
}

/**
 * The default target: the first numeric column that is neither constant nor a row label (row
 * counter, calendar field); else the first that is not constant; else the first numeric.
 */
export function defaultTargetColumn(dataset: Dataset): string {
  const numeric = dataset.columns.filter((c) => c.kind === 'numeric').map((c) => c.name)
  const constant = new Set(constantColumns(dataset))
  const labels = new Set(rowLabelColumns(dataset))
  return (
    numeric.find((n) => !constant.has(n) && !labels.has(n)) ??
    numeric.find((n) => !constant.has(n)) ??
    numeric[0] ??
    ''
  )
}

/** The normalization a model's output needs, or null when any will do (linear outputs). */
export function outputNormalization(spec: Pick<ModelSpec, 'head'>): NormalizationKind | null {
  return spec.head.activation === 'tanh' ? 'minmax-sym' : null
}

/**
 * A tanh output reaches [−1, 1] only: z-scored (or unscaled) targets lie beyond it, and the
 * model would saturate (the stock index at "worse than naive by 4990 %"). Min-max scales the
 * training target into [0, 1] or [−1, 1], inside the output's range.
 */
export function checkOutputRange(spec: ModelSpec, normalization: NormalizationKind): void {
  if (spec.head.activation !== 'tanh') return
  if (normalization === 'minmax' || normalization === 'minmax-sym') return
  throw new SeqcastError(
    'config',
    `Model "${spec.name}" ends in tanh, whose outputs lie in [−1, 1], but the normalization is ${normalization}, ` +
      `which leaves targets outside that range. Use min-max to [−1, 1] (--normalize minmax-sym, the preset's setting) or a linear output.`,
    { setting: 'normalization', settings: ['normalization', 'head'], normalization },
  )
}

export interface RangeReport {
  split: 'val' | 'test'
  outside: number
  count: number
  min: number
  max: number
}

/** Values of the validation and test rows outside the training [min, max] of the target. */
export function outsideTrainingRange(
  y: ArrayLike<number>,
  ranges: Pick<SplitRanges, 'train' | 'val' | 'test'>,
): RangeReport[] {
  const train = numericStats(y, Math.min(ranges.train.end, y.length))
  const out: RangeReport[] = []
  for (const split of ['val', 'test'] as const) {
    let outside = 0
    let count = 0
    for (let r = ranges[split].start; r < Math.min(ranges[split].end, y.length); r++) {
      const v = y[r]
      if (Number.isNaN(v)) continue
      count++
      if (v < train.min || v > train.max) outside++
    }
    if (count > 0) out.push({ split, outside, count, min: train.min, max: train.max })
  }
  return out
}

export interface WarningInput {
  experiment: ExperimentConfig
  model: Pick<ModelSpec, 'stateful'> & {
    head?: Pick<ModelSpec['head'], 'kind'>
    /** Set for ETS, ARIMA, Theta, MSTL: they model the level's drift and ignore the transform. */
    statistical?: unknown
  }
  batchSize: number
  target: ArrayLike<number>
  ranges: Pick<SplitRanges, 'train' | 'val' | 'test'>
  valWindows: number
  /** Input columns the normalization found constant in the training rows. */
  constantInputs: string[]
}

/** Warnings of a prepared run (resolved experiment), each with what to do. */
export function runWarnings(input: WarningInput): string[] {
  const { experiment: e } = input
  const out: string[] = []
  const train = numericStats(input.target, Math.min(input.ranges.train.end, input.target.length))
  if (train.count > 0 && train.min === train.max) {
    out.push(
      `Target "${e.target}" is constant in the training rows (every value is ${formatNumber(train.min)}): ` +
        `there is nothing to learn, and every error will look small. Pick another target column.`,
    )
  } else if (!input.model.statistical && learnsLevels(transformOf(e))) {
    // A window model of the levels; a statistical model follows a level beyond the training
    // range by itself, and the advice (a transform) does nothing for it.
    for (const r of outsideTrainingRange(input.target, input.ranges)) {
      if (r.outside / r.count <= OUTSIDE_SHARE) continue
      out.push(
        `${pct(r.outside / r.count)} of the ${r.split === 'val' ? 'validation' : 'test'} values of "${e.target}" lie outside ` +
          `the training range ${range(r.min, r.max)}, which a model of the levels reaches only by extrapolating (saturating layers such as LSTM or tanh cannot). ` +
          `Use the transform change (the Transform field; --transform change on the command line) so windows learn the change from their last value.`,
      )
    }
  }
  const inputs = input.constantInputs.filter((c) => c !== e.target)
  if (inputs.length > 0) {
    out.push(
      `Input${inputs.length === 1 ? '' : 's'} ${inputs.map((c) => `"${c}"`).join(', ')} ${inputs.length === 1 ? 'is' : 'are'} constant in the training rows and add nothing. Leave ${inputs.length === 1 ? 'it' : 'them'} out of the features.`,
    )
  }
  const head = input.model.head?.kind ?? 'direct'
  if (
    input.model.stateful &&
    head !== 'direct' &&
    input.valWindows > 0 &&
    input.valWindows < input.batchSize
  ) {
    out.push(
      `Validation: a stateful model with ${head === 'recursive' ? 'a recursive' : 'an every-step'} head reads whole batches of ${input.batchSize} windows for its validation loss, and the validation split has ${input.valWindows}, ` +
        `so it is not evaluated during training: early stopping and the best epoch watch the training loss. ` +
        `Lower the batch size to ${input.valWindows} or less, or give the validation split more rows.`,
    )
  }
  return out
}

export interface VerdictInput {
  experiment: ExperimentConfig
  target: ArrayLike<number>
  ranges: Pick<SplitRanges, 'train' | 'val'>
  model: Metrics | undefined
  naive: Metrics | undefined
  /**
   * The run's statistical model ("ETS"), if it is one: it reads the target's own past with no
   * window, transform or layers, so the window-model advice does not apply to it.
   */
  statistical?: string
}

/**
 * A plain verdict when the model is worse than naive on validation (null otherwise), with the
 * likely cause and a suggestion: the shared words of the Train and Results views and the CLI.
 */
export function naiveVerdict(input: VerdictInput): string | null {
  const { model, naive, experiment: e } = input
  if (!model || !naive || !(model.mae > naive.mae) || !(naive.mae >= 0)) return null
  const worse = naive.mae > 0 ? `${pct(model.mae / naive.mae - 1)} ` : ''
  const head = `Worse than naive on validation: MAE ${formatNumber(model.mae)} against ${formatNumber(naive.mae)} for repeating the last value (${worse}worse).`
  const t = transformOf(e)
  const trainEnd = Math.min(input.ranges.train.end, input.target.length)
  const r2 = lineR2(input.target, trainEnd)
  const outside = outsideTrainingRange(input.target, {
    ...input.ranges,
    test: { start: 0, end: 0 },
  })
  const share = outside.length > 0 ? outside[0].outside / outside[0].count : 0
  const gap = gapAfterWindow(e.window)
  if (input.statistical) {
    // No transform to try and no saturating layers (an ETS run on 40 rows was told both).
    const cause =
      share > OUTSIDE_SHARE
        ? ` Likely cause: ${pct(share)} of the validation values lie outside the training range ${range(outside[0].min, outside[0].max)}, which the ${input.statistical} fitted on the training rows alone did not foresee.`
        : ''
    return `${head}${cause} Try the other statistical models (Compare models ranks them on the same windows), the Season field, more training rows, or a window model learning the change.`
  }
  if (learnsLevels(t) && share > OUTSIDE_SHARE) {
    return `${head} Likely cause: ${pct(share)} of the validation values lie outside the training range ${range(outside[0].min, outside[0].max)}, which a model of the levels reaches only by extrapolating (saturating layers such as LSTM or tanh cannot). Try the transform change.`
  }
  if (learnsLevels(t) && r2 >= TREND_R2) {
    return `${head} Likely cause: the target trends (a straight line explains ${pct(r2)} of the training rows' variance). Try the transform change.`
  }
  if (learnsLevels(t)) {
    return `${head} Likely cause: ${gap} row${gap === 1 ? '' : 's'} ahead the last value is already a close forecast, and the model learns the level instead. Try the transform change, calendar features, or a longer window.`
  }
  return `${head} Likely cause: the model has not learned more than the last value tells (transform ${t.kind}). Try calendar features, more features or a longer window, or train longer.`
}

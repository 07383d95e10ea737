/**
 * Rolling-origin backtest plans: which rows each fold fits on and which windows it forecasts.
 *
 * The first-target rows after the training split, [a, e), are cut into K consecutive blocks
 * [c_k, c_{k+1}) with c_k = a + ⌊k·(e − a)/K⌋ (sizes differ by at most one row, the larger ones
 * last). a is the training split's end (`splitRows`); e = N − (L − 1)·R − H + 1 is one past the
 * last row that can be a window's first target under the Keras rules of windows/ (a window's
 * last row stays below N − delay − H + 1), so every block can hold windows. Later horizon steps of
 * a fold's windows reach up to H − 1 rows past its block.
 *
 * Fold k (1-based) fits on rows [0, c_k) only, inputs and targets alike (`refit: 'once'`: on
 * [0, c_1) for every fold, rolling the one model forward): its training windows are those of a
 * dataset that ends at c_k, split into fitting rows and, for window models, the last
 * `valFraction` of them for early stopping. It forecasts every window whose first target falls
 * in its block. All row ranges are half-open, [start, end).
 */
import { SeqcastError } from '../errors'
import { splitRows, type SplitFractions } from '../series/split'
import { rowsReservedForTargets, type WindowConfig } from '../windows/config'
import { rangeStarts, validateWindow } from '../windows/experiment'
import { windowSpan } from '../windows/keras'

export type Refit = 'every' | 'once'

export interface BacktestSettings {
  folds: number
  refit: Refit
  /**
   * Share of each fold's training rows, at their end, kept for early stopping (window models:
   * the experiment's validation fraction); 0 fits on all of them (statistical models).
   */
  valFraction: number
}

export type RowRange = [number, number]

export interface FoldPlan {
  /** 1-based, as shown to people. */
  fold: number
  /** Rows the fold's model learns from: [0, c_k), or [0, c_1) with refit once. */
  trainRows: RowRange
  /** The part the weights are fitted on, and the last `valFraction` of trainRows. */
  fitRows: RowRange
  earlyStopRows: RowRange
  fitStarts: Int32Array
  earlyStopStarts: Int32Array
  /** The block of first-target rows. */
  targetRows: RowRange
  /** Windows whose first target falls in the block, chronological. */
  starts: Int32Array
  /** True when this fold fits a model: every fold with refit every, the first with once. */
  fits: boolean
}

export function planFolds(
  rowCount: number,
  window: WindowConfig,
  split: SplitFractions,
  settings: BacktestSettings,
): FoldPlan[] {
  validateWindow(window)
  const { folds: K, refit, valFraction } = settings
  if (!(Number.isInteger(K) && K >= 1)) {
    throw new SeqcastError(
      'config',
      `Folds: expected a whole number ≥ 1, received ${K}. Use e.g. --folds 5.`,
      { setting: 'folds', received: K },
    )
  }
  if (!(valFraction >= 0 && valFraction < 1)) {
    throw new SeqcastError(
      'config',
      `Backtest validation fraction: expected a number from 0 up to 1, received ${valFraction}. Use e.g. 0.25.`,
      { setting: 'validationFraction', received: valFraction },
    )
  }
  const a = splitRows(rowCount, split).train.end
  const lastOffset = (window.sequenceLength - 1) * window.samplingRate
  const e = rowCount - lastOffset - window.horizon + 1
  const M = Math.max(0, e - a)
  const cut = (k: number) => a + Math.floor((k * M) / K)
  const dataLength = rowCount - rowsReservedForTargets(window)
  const plans: FoldPlan[] = []
  for (let k = 0; k < K; k++) {
    const fold = k + 1
    const c = cut(k)
    const d = cut(k + 1)
    const trainEnd = refit === 'once' ? cut(0) : c
    const valRows = Math.floor(valFraction * trainEnd + 1e-9)
    const fitEnd = trainEnd - valRows
    const foldData = trainEnd - rowsReservedForTargets(window)
    const fitStarts = rangeStarts(foldData, window, { start: 0, end: fitEnd })
    const earlyStopStarts =
      valRows > 0
        ? rangeStarts(foldData, window, { start: fitEnd, end: trainEnd })
        : new Int32Array(0)
    if (fitStarts.length === 0 || (valRows > 0 && earlyStopStarts.length === 0)) {
      throw tooFewTrainingRows(fold, trainEnd, valFraction, window)
    }
    const starts =
      d > c
        ? rangeStarts(dataLength, window, {
            start: c - window.delay,
            end: d - window.delay + lastOffset,
          })
        : new Int32Array(0)
    if (starts.length === 0) throw noWindows(fold, [c, d], K, [a, e], rowCount)
    plans.push({
      fold,
      trainRows: [0, trainEnd],
      fitRows: [0, fitEnd],
      earlyStopRows: [fitEnd, trainEnd],
      fitStarts,
      earlyStopStarts,
      targetRows: [c, d],
      starts,
      fits: refit === 'every' || k === 0,
    })
  }
  return plans
}

function tooFewTrainingRows(
  fold: number,
  trainEnd: number,
  valFraction: number,
  w: WindowConfig,
): SeqcastError {
  const span = windowSpan(w.sequenceLength, w.samplingRate)
  const reach = rowsReservedForTargets(w)
  const needed = rowsForOneWindowEach(span, reach, valFraction)
  const early =
    valFraction > 0
      ? `; the last ${fmtPct(valFraction)} are kept for early stopping (window models) and to calibrate the intervals, and need a window too`
      : ''
  return new SeqcastError(
    'config',
    `Backtest fold ${fold}: expected at least ${fmt(needed)} rows before its block to fit on ` +
      `(a window spans ${fmt(span)} rows, and the last delay + horizon − 1 = ${fmt(reach)} rows only hold targets${early}), ` +
      `received ${fmt(trainEnd)}. Raise the training fraction, or lower the sequence length, sampling rate, delay or horizon` +
      (valFraction > 0 ? ', or the validation fraction.' : '.'),
    {
      setting: 'trainingFraction',
      settings: ['trainingFraction', 'sequenceLength', 'samplingRate', 'delay', 'horizon'],
      fold,
      rows: trainEnd,
      needed,
    },
  )
}

function noWindows(
  fold: number,
  block: RowRange,
  K: number,
  usable: RowRange,
  rowCount: number,
): SeqcastError {
  const M = Math.max(0, usable[1] - usable[0])
  const tail = rowCount - usable[1]
  return new SeqcastError(
    'config',
    `Backtest fold ${fold}: expected at least one window whose first target falls in rows [${fmt(block[0])}, ${fmt(block[1])}), ` +
      `received none: ${K} folds share ${fmt(M)} rows of first targets after the training rows ` +
      `(the last ${fmt(tail)} rows can only be later targets or lie inside windows). ` +
      (M > 0
        ? `Use at most ${fmt(M)} folds, or lower the training fraction.`
        : 'Lower the training fraction.'),
    { setting: 'folds', settings: ['folds', 'trainingFraction'], fold, folds: K, rows: M },
  )
}

/** Fewest training rows that give one fitting window and, with a validation share, one early-stopping window. */
function rowsForOneWindowEach(span: number, reach: number, valFraction: number): number {
  const enough = (rows: number) => {
    const val = Math.floor(valFraction * rows + 1e-9)
    const fits = Math.min(rows - val, rows - reach) >= span
    return fits && (valFraction === 0 || val >= span + reach)
  }
  let rows = span + reach
  if (valFraction > 0) rows = Math.max(rows, Math.floor((span + reach) / valFraction))
  while (!enough(rows)) rows++
  return rows
}

function fmt(n: number): string {
  return n.toLocaleString('en-US')
}

function fmtPct(x: number): string {
  return `${Number((x * 100).toPrecision(4))} %`
}

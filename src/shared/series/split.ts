import { expectArg } from '../errors'

export type SplitName = 'train' | 'val' | 'test'
export const SPLITS: readonly SplitName[] = ['train', 'val', 'test']

/** Fractions of the rows for training and validation; the test split takes the rest. */
export interface SplitFractions {
  train: number
  val: number
}

export const DEFAULT_SPLIT: SplitFractions = { train: 0.5, val: 0.25 }

/** Half-open row ranges [start, end) of each split. */
export type SplitRanges = Record<SplitName, { start: number; end: number }>

/**
 * Chronological split by rows, as in Chollet ch. 10:
 * `num_train = int(0.5 * N)`, `num_val = int(0.25 * N)`, the test split takes the rest.
 */
export function splitRows(
  rowCount: number,
  fractions: SplitFractions = DEFAULT_SPLIT,
): SplitRanges {
  expectArg(
    Number.isInteger(rowCount) && rowCount >= 0,
    'row count',
    'a whole number ≥ 0',
    rowCount,
  )
  const { train, val } = fractions
  expectArg(
    Number.isFinite(train) && train > 0 && train < 1,
    'training fraction',
    'a number between 0 and 1',
    train,
    'config',
  )
  expectArg(
    Number.isFinite(val) && val >= 0 && val < 1,
    'validation fraction',
    'a number from 0 up to 1',
    val,
    'config',
  )
  expectArg(
    train + val <= 1 + 1e-12,
    'split',
    'training + validation fractions ≤ 1 (the test split takes the rest)',
    `${train} + ${val} = ${+(train + val).toFixed(6)}`,
    'config',
  )
  // Python's int() truncates; the epsilon keeps 0.7 * 10 = 6.999… from losing a row.
  const numTrain = Math.floor(train * rowCount + 1e-9)
  const numVal = Math.min(rowCount - numTrain, Math.floor(val * rowCount + 1e-9))
  return {
    train: { start: 0, end: numTrain },
    val: { start: numTrain, end: numTrain + numVal },
    test: { start: numTrain + numVal, end: rowCount },
  }
}

import { expectArg } from '../errors'

/**
 * Start rows of the windows that Keras' `timeseries_dataset_from_array` yields, as absolute row
 * indices into `data`. Mirrors keras/src/utils/timeseries_dataset_utils.py:
 *
 *   end_index  = end_index ?? len(data)
 *   num_seqs   = end_index - start_index - (sequence_length - 1) * sampling_rate
 *   num_seqs   = min(num_seqs, len(targets))            (when targets are given)
 *   positions  = range(0, num_seqs, sequence_stride)     (relative to start_index)
 *
 * Window k holds rows p, p + R, …, p + (L - 1)·R with p = start_index + positions[k], and its
 * target is `targets[p]`. Shuffling and batching are separate (see `shuffled` and batches.ts).
 */
export interface TimeseriesArgs {
  /** len(data): number of rows the windows may read. */
  dataLength: number
  /** len(targets); omit when there are no targets. */
  targetLength?: number
  sequenceLength: number
  sequenceStride?: number
  samplingRate?: number
  startIndex?: number
  /** Exclusive; defaults to dataLength. Keras requires end_index < len(data) when given. */
  endIndex?: number
}

export function timeseriesStarts(args: TimeseriesArgs): Int32Array {
  const { dataLength, targetLength, sequenceLength } = args
  const stride = args.sequenceStride ?? 1
  const rate = args.samplingRate ?? 1
  const start = args.startIndex ?? 0
  const end = args.endIndex ?? dataLength
  expectArg(isCount(dataLength), 'data length', 'a whole number ≥ 0', dataLength)
  expectArg(isPositive(sequenceLength), 'sequence length', 'a whole number ≥ 1', sequenceLength)
  expectArg(isPositive(stride), 'sequence stride', 'a whole number ≥ 1', stride)
  expectArg(isPositive(rate), 'sampling rate', 'a whole number ≥ 1', rate)
  expectArg(isCount(start), 'start index', 'a whole number ≥ 0', start)
  expectArg(
    isCount(end) && end <= dataLength,
    'end index',
    `a whole number ≤ the data length (${dataLength})`,
    end,
  )
  if (targetLength !== undefined) {
    expectArg(isCount(targetLength), 'target length', 'a whole number ≥ 0', targetLength)
  }
  let numSeqs = end - start - (sequenceLength - 1) * rate
  if (targetLength !== undefined) numSeqs = Math.min(numSeqs, targetLength)
  if (numSeqs <= 0) return new Int32Array(0)
  const count = Math.ceil(numSeqs / stride)
  const starts = new Int32Array(count)
  for (let k = 0; k < count; k++) starts[k] = start + k * stride
  return starts
}

/** Rows a window spans from its first to its last sampled row, inclusive: (L - 1)·R + 1. */
export function windowSpan(sequenceLength: number, samplingRate: number): number {
  return (sequenceLength - 1) * samplingRate + 1
}

function isCount(n: number): boolean {
  return Number.isInteger(n) && n >= 0
}

function isPositive(n: number): boolean {
  return Number.isInteger(n) && n >= 1
}

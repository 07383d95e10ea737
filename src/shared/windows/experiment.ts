import { SeqcastError, expectArg } from '../errors'
import {
  SPLITS,
  splitRows,
  type SplitFractions,
  type SplitName,
  type SplitRanges,
} from '../series/split'
import { gapAfterWindow, rowsReservedForTargets, type WindowConfig } from './config'
import { timeseriesStarts, windowSpan } from './keras'

export interface ExperimentWindows {
  rowCount: number
  ranges: SplitRanges
  /** Absolute start rows of every window, per split, in chronological order. */
  starts: Record<SplitName, Int32Array>
  window: WindowConfig
}

/**
 * Windows of each split, exactly as Chollet ch. 10 builds them with
 * `timeseries_dataset_from_array(raw_data[:-delay], targets=temperature[delay:], …,
 * start_index=split_start, end_index=split_end)`; the test split has no end index, so it ends
 * where the data ends (N - delay rows, fewer for H > 1).
 */
export function experimentWindows(
  rowCount: number,
  window: WindowConfig,
  split: SplitFractions,
): ExperimentWindows {
  validateWindow(window)
  const ranges = splitRows(rowCount, split)
  const dataLength = rowCount - rowsReservedForTargets(window)
  if (dataLength <= 0) {
    // Windows read the first N − delay − H + 1 rows only (Keras' data[:-delay]), so one window
    // needs (L − 1)·R + delay + H rows, and the delay at least the window's span (L − 1)·R + 1.
    const { sequenceLength: L, samplingRate: R, horizon: H } = window
    const maxDelay = rowCount - H - (L - 1) * R
    const minDelay = windowSpan(L, R)
    const targets = H > 1 ? `its ${H} targets` : 'its target'
    if (maxDelay < minDelay) {
      // Lowering the delay cannot help: the window itself is too long for the data.
      const most = Math.max(1, Math.floor((rowCount - H - 1) / (2 * R)) + 1)
      throw new SeqcastError(
        'window',
        `Sequence length of ${fmt(L)} rows: the data has ${fmt(rowCount)} rows, too few for one window of ${fmt(L)} rows and ${targets}, ` +
          `whatever the delay (it must be at least ${fmt(minDelay)} rows to put the target after the window). ` +
          `Shorten the window to a sequence length of at most ${fmt(most)}, with a delay of ${fmt(windowSpan(most, R))} rows.`,
        {
          setting: 'sequenceLength',
          settings: ['sequenceLength', 'delay'],
          rowCount,
          sequenceLength: L,
          delay: window.delay,
        },
      )
    }
    throw new SeqcastError(
      'window',
      `Delay of ${fmt(window.delay)} rows: the data has ${fmt(rowCount)} rows, too few for a window of ${fmt(L)} rows and ${targets} ` +
        `that far ahead (every window needs its target inside the data). ` +
        `Lower the delay to at most ${fmt(maxDelay)} rows${H > 1 ? ', or the horizon' : ''}.`,
      { setting: 'delay', rowCount, delay: window.delay, horizon: H },
    )
  }
  const starts = {} as Record<SplitName, Int32Array>
  for (const name of SPLITS) starts[name] = rangeStarts(dataLength, window, ranges[name])
  return { rowCount, ranges, starts, window }
}

/**
 * Start rows of the windows that read rows [start, end) only, of data whose first `dataLength`
 * rows may be read (rowCount − delay − H + 1: every target must exist): Keras' `start_index` /
 * `end_index`, windows at start + k·stride.
 */
export function rangeStarts(
  dataLength: number,
  window: WindowConfig,
  range: { start: number; end: number },
): Int32Array {
  const stop = Math.min(range.end, dataLength)
  if (range.start >= stop) return new Int32Array(0)
  return timeseriesStarts({
    dataLength,
    targetLength: dataLength,
    sequenceLength: window.sequenceLength,
    sequenceStride: window.sequenceStride,
    samplingRate: window.samplingRate,
    startIndex: range.start,
    endIndex: stop,
  })
}

/**
 * Like `experimentWindows`, and also insists that every split with rows gets at least one window;
 * the message says how many rows the split has and how many the window needs.
 */
export function requireWindows(
  rowCount: number,
  window: WindowConfig,
  split: SplitFractions,
  required: readonly SplitName[] = ['train', 'val', 'test'],
): ExperimentWindows {
  const result = experimentWindows(rowCount, window, split)
  const span = windowSpan(window.sequenceLength, window.samplingRate)
  const dataLength = rowCount - rowsReservedForTargets(window)
  for (const name of required) {
    if (result.starts[name].length > 0) continue
    const { start, end } = result.ranges[name]
    if (end === start && name !== 'train') continue // an empty split was asked for
    throw new SeqcastError('window', noWindowMessage(name, start, end, dataLength, window), {
      setting: 'sequenceLength',
      // Every setting the message offers as a fix, so the app can mark each of their fields.
      settings: [
        'sequenceLength',
        'samplingRate',
        ...(end > dataLength ? ['delay'] : []),
        ...(name === 'train' ? ['trainingFraction'] : ['trainingFraction', 'validationFraction']),
      ],
      split: name,
      rows: Math.max(0, Math.min(end, dataLength) - start),
      needed: span,
    })
  }
  return result
}

export function validateWindow(w: WindowConfig): void {
  const whole = (n: number, min: number) => Number.isInteger(n) && n >= min
  expectArg(
    whole(w.sequenceLength, 1),
    'sequence length',
    'a whole number ≥ 1',
    w.sequenceLength,
    'window',
  )
  expectArg(
    whole(w.samplingRate, 1),
    'sampling rate',
    'a whole number ≥ 1',
    w.samplingRate,
    'window',
  )
  expectArg(
    whole(w.sequenceStride, 1),
    'sequence stride',
    'a whole number ≥ 1',
    w.sequenceStride,
    'window',
  )
  expectArg(whole(w.horizon, 1), 'horizon', 'a whole number ≥ 1', w.horizon, 'window')
  expectArg(whole(w.delay, 1), 'delay', 'a whole number of rows ≥ 1', w.delay, 'window')
  const lastRow = (w.sequenceLength - 1) * w.samplingRate
  if (gapAfterWindow(w) < 1) {
    // Either the delay is too short or the window too long: offer both.
    const longest = Math.floor((w.delay - 1) / w.samplingRate) + 1
    throw new SeqcastError(
      'window',
      `Delay of ${fmt(w.delay)} rows: the target must come after the window's last row, so the delay must be at least ` +
        `(sequence length − 1) × sampling rate + 1 = ${fmt(lastRow + 1)} rows; a smaller delay puts the target inside the window, where the model can read it. ` +
        `Raise the delay to ${fmt(lastRow + 1)} rows, or shorten the window to a sequence length of at most ${fmt(longest)}.`,
      {
        setting: 'delay',
        settings: ['delay', 'sequenceLength', 'samplingRate'],
        expected: lastRow + 1,
        received: w.delay,
      },
    )
  }
}

/**
 * Why split [start, end) holds no window, in numbers that add up for a reader: the rows it holds,
 * the rows of it a window may read (Keras reads only rows before N − delay − H + 1: the data's
 * last rows are left to targets), the rows one window reads, how many it is short, and what to
 * change. E.g. AirPassengers (144 months) at split 0.7/0.15 with 12-month windows and delay 12:
 * the test split holds rows 121–143, but only 121–131 may be read, 11 rows for a 12-row window.
 */
function noWindowMessage(
  name: SplitName,
  start: number,
  end: number,
  dataLength: number,
  window: WindowConfig,
): string {
  const label = SPLIT_LABEL[name]
  const lower = label.toLowerCase()
  const span = windowSpan(window.sequenceLength, window.samplingRate)
  const reads = Math.min(end, dataLength)
  const usable = Math.max(0, reads - start)
  const short = span - usable
  const rows = (n: number) => `${fmt(n)} row${n === 1 ? '' : 's'}`
  const range = (a: number, b: number) =>
    b - a === 1 ? `row ${fmt(a)}` : `rows ${fmt(a)}–${fmt(b - 1)}`
  const shape = `sequence length ${fmt(window.sequenceLength)} at sampling rate ${fmt(window.samplingRate)}`
  const minDelay = (window.sequenceLength - 1) * window.samplingRate + 1
  const delayFix =
    window.delay > minDelay
      ? 'lower the sequence length, sampling rate or delay'
      : `lower the sequence length or sampling rate (with the delay, which is at its least, ${fmt(minDelay)})`
  let text = `${label} split: no window fits. It holds ${range(start, end)} (${rows(end - start)})`
  if (end <= dataLength) {
    return (
      text +
      `, and one window reads ${rows(span)} (${shape}): ${rows(short)} short. ` +
      `Give the ${lower} split at least ${rows(short)} more (a larger ${lower} fraction), or lower the sequence length or sampling rate.`
    )
  }
  const reserved = rowsReservedForTargets(window)
  const why =
    window.horizon > 1
      ? `the delay ${fmt(window.delay)} + horizon ${window.horizon} − 1`
      : `the delay`
  text +=
    `, but windows read only rows before ${fmt(dataLength)}: the data's last ${rows(reserved)} are left to targets (${why}), as Keras' data = rows[:-delay] does. ` +
    `That leaves it ${usable === 0 ? 'no row' : `${rows(usable)} (${usable === 1 ? fmt(start) : `${fmt(start)}–${fmt(reads - 1)}`})`} to read, ` +
    `and one window reads ${rows(span)} (${shape}): ${rows(short)} short. `
  const latest = dataLength - span
  if (name === 'train' || latest < 0) {
    return text + `The data is too short for this window: ${delayFix}.`
  }
  return (
    text +
    `Let the ${lower} split start by row ${fmt(latest)} (it starts at ${fmt(start)}): lower the training${name === 'test' ? ' or validation' : ''} fraction; or ${delayFix}.`
  )
}

const SPLIT_LABEL: Record<SplitName, string> = {
  train: 'Training',
  val: 'Validation',
  test: 'Test',
}

function fmt(n: number): string {
  return n.toLocaleString('en-US')
}

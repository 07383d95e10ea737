import { describe, expect, it } from 'vitest'
import {
  BatchFiller,
  batchesPerEpoch,
  epochOrder,
  experimentWindows,
  requireWindows,
  statefulOrder,
  type WindowConfig,
} from '../../../src/shared/windows'
import { readFileSync } from 'node:fs'
import { parseCsv } from '../../../src/shared/csv'
import { SeqcastError } from '../../../src/shared/errors'
import type { ExperimentConfig } from '../../../src/shared/experiment'
import { prepareExperiment } from '../../../src/shared/prepare'

const jena: WindowConfig = {
  sequenceLength: 120,
  samplingRate: 6,
  sequenceStride: 1,
  delay: 858,
  horizon: 1,
}

describe('experiment windows: Chollet ch. 10 on the 420,451-row Jena file', () => {
  const w = experimentWindows(420_451, jena, { train: 0.5, val: 0.25 })

  it('splits rows 210,225 / 105,112 / 105,114', () => {
    expect(w.ranges.train).toEqual({ start: 0, end: 210_225 })
    expect(w.ranges.val).toEqual({ start: 210_225, end: 315_337 })
    expect(w.ranges.test).toEqual({ start: 315_337, end: 420_451 })
  })

  it('yields 209,511 / 104,398 / 103,542 samples and 819 training batches of 256', () => {
    expect(w.starts.train.length).toBe(209_511)
    expect(w.starts.val.length).toBe(104_398)
    expect(w.starts.test.length).toBe(103_542)
    expect(batchesPerEpoch(w.starts.train.length, 256, false)).toBe(819)
  })

  it('the last test window reads up to the row before the last delay rows', () => {
    const last = w.starts.test[w.starts.test.length - 1]
    expect(last + 119 * 6).toBe(420_451 - 858 - 1) // data = raw_data[:-delay]
    expect(last + 858).toBe(420_451 - 1 - 714) // so the last 714 targets are never used
  })
})

/** The message `run` throws with (the whole text, not a part of it). */
function messageOf(run: () => unknown): string | null {
  try {
    run()
  } catch (e) {
    return (e as Error).message
  }
  return null
}

describe('requireWindows: too few rows for the window', () => {
  it('names the split, its rows, the rows one window reads and how many it is short', () => {
    // 5,000 rows: training rows 0–2,499, validation 2,500–2,799 (300 rows); 715 − 300 = 415.
    const run = () => requireWindows(5_000, jena, { train: 0.5, val: 0.06 })
    expect(run).toThrow(SeqcastError)
    expect(messageOf(run)).toBe(
      'Validation split: no window fits. It holds rows 2,500–2,799 (300 rows), and one window reads 715 rows (sequence length 120 at sampling rate 6): 415 rows short. ' +
        'Give the validation split at least 415 rows more (a larger validation fraction), or lower the sequence length or sampling rate.',
    )
  })

  it('counts only the rows a window may read when the split lies in the last delay rows', () => {
    // 2,000 rows: windows read rows before 2,000 − 858 = 1,142; validation rows 1,400–1,699.
    // The latest start that fits a 715-row window is 1,142 − 715 = 427.
    expect(messageOf(() => requireWindows(2_000, jena, { train: 0.7, val: 0.15 }))).toBe(
      "Validation split: no window fits. It holds rows 1,400–1,699 (300 rows), but windows read only rows before 1,142: the data's last 858 rows are left to targets (the delay), as Keras' data = rows[:-delay] does. " +
        'That leaves it no row to read, and one window reads 715 rows (sequence length 120 at sampling rate 6): 715 rows short. ' +
        'Let the validation split start by row 427 (it starts at 1,400): lower the training fraction; or lower the sequence length, sampling rate or delay.',
    )
  })

  it('AirPassengers at split 0.7/0.15, 12-month windows, delay 12: the numbers add up for a reader', () => {
    // 144 months: training rows 0–99 (⌊100.8⌋), validation 100–120 (⌊21.6⌋), test 121–143.
    // Windows read rows before 144 − 12 = 132, so the test split has 121–131 (11 rows) to read,
    // one short of a 12-row window; the split must start by row 132 − 12 = 120. The delay is at
    // its least (11 + 1): only a shorter window lowers it.
    const lines = readFileSync('resources/data/airpassengers_monthly.csv', 'utf8')
    const { dataset } = parseCsv(lines, { fileName: 'airpassengers_monthly.csv' })
    const config: ExperimentConfig = {
      target: 'passengers',
      features: ['passengers'],
      window: { sequenceLength: 12, samplingRate: 1, sequenceStride: 1, delay: 12, horizon: 1 },
      split: { train: 0.7, val: 0.15 },
      normalization: 'zscore',
      seasonRows: 12,
    }
    expect(messageOf(() => prepareExperiment(dataset, config))).toBe(
      "Test split: no window fits. It holds rows 121–143 (23 rows), but windows read only rows before 132: the data's last 12 rows are left to targets (the delay), as Keras' data = rows[:-delay] does. " +
        'That leaves it 11 rows (121–131) to read, and one window reads 12 rows (sequence length 12 at sampling rate 1): 1 row short. ' +
        'Let the test split start by row 120 (it starts at 121): lower the training or validation fraction; or lower the sequence length or sampling rate (with the delay, which is at its least, 12).',
    )
    // The fix it names works: 100 + ⌊18.72⌋ = 118 ≤ 120.
    expect(() =>
      prepareExperiment(dataset, { ...config, split: { train: 0.7, val: 0.13 } }),
    ).not.toThrow()
  })

  it('lists every setting that can fix it: the delay only when it eats the split', () => {
    const settingsOf = (rows: number, split: { train: number; val: number }) => {
      try {
        requireWindows(rows, jena, split)
      } catch (e) {
        return (e as SeqcastError).details.settings
      }
      return null
    }
    expect(settingsOf(5_000, { train: 0.5, val: 0.06 })).toEqual([
      'sequenceLength',
      'samplingRate',
      'trainingFraction',
      'validationFraction',
    ])
    expect(settingsOf(2_000, { train: 0.7, val: 0.15 })).toEqual([
      'sequenceLength',
      'samplingRate',
      'delay',
      'trainingFraction',
      'validationFraction',
    ])
  })

  it('rejects a delay that puts the target inside the window', () => {
    expect(() =>
      requireWindows(10_000, { ...jena, delay: 700 }, { train: 0.5, val: 0.25 }),
    ).toThrow(
      /^Delay of 700 rows: .* at least \(sequence length − 1\) × sampling rate \+ 1 = 715 rows; .* Raise the delay to 715 rows, or shorten the window to a sequence length of at most 117\.$/,
    )
  })

  it('rejects a delay longer than the data: lower it to what leaves one window', () => {
    // 500 rows, windows of 2 rows one every 6 (span 7), delay 600. One window needs
    // (2 − 1)·6 + delay + 1 ≤ 500 rows: delay ≤ 493.
    expect(() =>
      experimentWindows(500, { ...jena, sequenceLength: 2, delay: 600 }, { train: 0.5, val: 0.25 }),
    ).toThrow(
      'Delay of 600 rows: the data has 500 rows, too few for a window of 2 rows and its target that far ahead ' +
        '(every window needs its target inside the data). Lower the delay to at most 493 rows.',
    )
    const one = experimentWindows(
      500,
      { ...jena, sequenceLength: 2, delay: 493 },
      { train: 1 - 1e-9, val: 0 },
    )
    expect(one.starts.train.length + one.starts.val.length + one.starts.test.length).toBe(1)
  })

  it('a window too long for the data: shorten the window, not "lower the delay"', () => {
    // 1,461 daily rows, windows of 5,000 rows one every row, delay 5,000: no delay can help.
    // A window of L rows with its target right after needs (L − 1) + L + 1 = 2L rows: L ≤ 730.
    const w = { sequenceLength: 5000, samplingRate: 1, sequenceStride: 1, delay: 5000, horizon: 1 }
    expect(() => experimentWindows(1461, w, { train: 0.5, val: 0.25 })).toThrow(
      'Sequence length of 5,000 rows: the data has 1,461 rows, too few for one window of 5,000 rows and its target, ' +
        'whatever the delay (it must be at least 5,000 rows to put the target after the window). ' +
        'Shorten the window to a sequence length of at most 730, with a delay of 730 rows.',
    )
    // the advice holds: 729 + 730 + 1 = 1,460 rows, one to spare, so 2 windows (starts 0 and
    // 1); at 731 rows, 1,462 > 1,461
    const all = { train: 1 - 1e-9, val: 0 }
    const fits = experimentWindows(1461, { ...w, sequenceLength: 730, delay: 730 }, all)
    expect(fits.starts.train.length + fits.starts.test.length).toBe(2)
    const over = experimentWindows(1461, { ...w, sequenceLength: 731, delay: 731 }, all)
    expect(over.starts.train.length + over.starts.test.length).toBe(0)
  })
})

describe('BatchFiller on index-valued data', () => {
  // Row r has feature values [r, 1000 + r] and target 10·r: every number says where it came from.
  const N = 60
  const features = new Float32Array(N * 2)
  const target = new Float32Array(N)
  for (let r = 0; r < N; r++) {
    features[2 * r] = r
    features[2 * r + 1] = 1000 + r
    target[r] = 10 * r
  }
  const source = { features, featureCount: 2, target }

  it('fills window rows s, s+R, … and the target s + delay', () => {
    const win: WindowConfig = {
      sequenceLength: 3,
      samplingRate: 2,
      sequenceStride: 1,
      delay: 7,
      horizon: 1,
    }
    const filler = new BatchFiller(source, win, 4)
    const order = Int32Array.of(5, 0, 11)
    expect(filler.fill(order, 0)).toBe(3)
    expect(Array.from(filler.x.subarray(0, 6))).toEqual([5, 1005, 7, 1007, 9, 1009])
    expect(Array.from(filler.x.subarray(6, 12))).toEqual([0, 1000, 2, 1002, 4, 1004])
    expect(Array.from(filler.y.subarray(0, 3))).toEqual([120, 70, 180])
    expect(filler.fill(order, 2)).toBe(1) // a short last batch
    expect(Array.from(filler.x.subarray(0, 6))).toEqual([11, 1011, 13, 1013, 15, 1015])
  })

  it('multi-output targets are the next H rows after the delay', () => {
    const win: WindowConfig = {
      sequenceLength: 4,
      samplingRate: 1,
      sequenceStride: 1,
      delay: 4,
      horizon: 3,
    }
    const filler = new BatchFiller(source, win, 2)
    filler.fill(Int32Array.of(0, 10), 0)
    expect(Array.from(filler.y)).toEqual([40, 50, 60, 140, 150, 160])
  })

  it('every-step targets follow each timestep by the same gap', () => {
    const win: WindowConfig = {
      sequenceLength: 3,
      samplingRate: 1,
      sequenceStride: 1,
      delay: 3,
      horizon: 2,
    }
    const filler = new BatchFiller(source, win, 1, 'every-step')
    filler.fill(Int32Array.of(0), 0)
    // Steps read rows 0, 1, 2; each predicts the next 2 rows.
    expect(Array.from(filler.y)).toEqual([10, 20, 20, 30, 30, 40])
  })

  it('experiment windows never read a target past the data', () => {
    const win: WindowConfig = {
      sequenceLength: 5,
      samplingRate: 2,
      sequenceStride: 1,
      delay: 12,
      horizon: 3,
    }
    const ew = experimentWindows(N, win, { train: 0.4, val: 0.2 })
    const filler = new BatchFiller(source, win, 64)
    for (const split of ['train', 'val', 'test'] as const) {
      expect(ew.starts[split].length).toBeGreaterThan(0)
      filler.fill(ew.starts[split], 0)
    }
    // data = rows[:-(delay + H - 1)]: the last window's last row is N - 15.
    const lastTest = ew.starts.test[ew.starts.test.length - 1]
    expect(lastTest + 4 * 2).toBe(N - 14 - 1)
    // The filler itself guards the end: a start whose last target is row N - 1 fits, one more not.
    expect(() => filler.fill(Int32Array.of(N - 15), 0)).not.toThrow()
    expect(() => filler.fill(Int32Array.of(N - 14), 0)).toThrow(/reads past the data/)
  })
})

describe('batch order', () => {
  const starts = Int32Array.from({ length: 10 }, (_, i) => 100 + i)

  it('stateless: a reproducible shuffle per epoch, a different one the next epoch', () => {
    const a = epochOrder(starts, true, 42, 0)
    expect(Array.from(epochOrder(starts, true, 42, 0))).toEqual(Array.from(a))
    expect(Array.from(epochOrder(starts, true, 42, 1))).not.toEqual(Array.from(a))
    expect(Array.from(a).sort()).toEqual(Array.from(starts))
    expect(epochOrder(starts, false, 42, 3)).toBe(starts)
  })

  it("stateful: Keras' order cut to a multiple of the batch; row i of batch k continues row i of batch k−1", () => {
    const order = statefulOrder(starts, 3) // 9 windows, 3 batches of 3; window 109 dropped
    expect(order.length).toBe(9)
    const batches = [0, 1, 2].map((k) => Array.from(order.subarray(3 * k, 3 * k + 3)))
    expect(batches).toEqual([
      [100, 101, 102],
      [103, 104, 105],
      [106, 107, 108],
    ])
    for (let k = 1; k < 3; k++)
      for (let i = 0; i < 3; i++) expect(batches[k][i]).toBe(batches[k - 1][i] + 3)
  })
})

describe('describeWindow', () => {
  it('Chollet on 10-minute data: 4 d 23 h windows, target 24 h after the last row', async () => {
    const { describeWindow } = await import('../../../src/shared/windows/describe')
    const d = describeWindow(jena, { ms: 600_000 })
    expect(d).toMatchObject({
      spanRows: 715,
      delayRows: 858,
      gapRows: 144,
      span: '4 d 23 h',
      delay: '5 d 23 h',
      gap: '1 day',
    })
    expect(d.text).toBe(
      'Each window reads 120 rows, one every 6 rows, spanning 715 rows (4 d 23 h); the target is 858 rows after the window starts (5 d 23 h), 144 rows (1 day) after its last row.',
    )
  })
  it('monthly data counts calendar months', async () => {
    const { describeWindow } = await import('../../../src/shared/windows/describe')
    const d = describeWindow(
      { sequenceLength: 15, samplingRate: 1, sequenceStride: 1, delay: 15, horizon: 1 },
      { ms: 0, months: 1 },
    )
    expect([d.span, d.delay, d.gap]).toEqual(['14 months', '15 months', '1 month'])
  })
  it('consecutive rows are not said to span themselves; thousands are grouped', async () => {
    const { describeWindow } = await import('../../../src/shared/windows/describe')
    const d = describeWindow(
      { sequenceLength: 5000, samplingRate: 1, sequenceStride: 1, delay: 5001, horizon: 1 },
      { ms: 86_400_000 },
    )
    expect(d.text).toBe(
      'Each window reads 5,000 consecutive rows (4,999 days); the target is 5,001 rows after the window starts (5,001 days), 2 rows (2 days) after its last row.',
    )
  })
  it('a delay shorter than the window: the target lies inside it, never "-3 rows after"', async () => {
    const { describeWindow } = await import('../../../src/shared/windows/describe')
    const d = describeWindow(
      { sequenceLength: 10, samplingRate: 1, sequenceStride: 1, delay: 6, horizon: 1 },
      { ms: 86_400_000 },
    )
    // Window rows 0…9, target row 6: 3 rows before the last row.
    expect(d.text).toBe(
      'Each window reads 10 consecutive rows (9 days); the target is 6 rows after the window starts (6 days), which puts it inside the window, 3 rows before its last row: the delay must be at least 10.',
    )
    expect(d.text).not.toMatch(/-\d/)
  })
})

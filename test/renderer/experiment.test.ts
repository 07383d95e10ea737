import { describe, expect, it } from 'vitest'
import { parseCsv } from '../../src/shared/csv'
import { experimentWindows } from '../../src/shared/windows/experiment'
import { DEFAULT_WINDOW } from '../../src/shared/windows/config'
import { summarizeModel, presetSpec } from '../../src/shared/models'
import type { Dataset } from '../../src/shared/series/dataset'
import {
  defaultDraft,
  memoryEstimate,
  runConfigOf,
  sampleRows,
  seasonRowsFromInput,
  upgradeDraft,
  type Draft,
} from '../../src/renderer/src/lib/experiment'
import { parseRunConfig } from '../../src/shared/experiment'

const MIN = 60_000

function dataset(rows: number, stepMs: number | null): Dataset {
  const columns: Dataset['columns'] = [
    {
      name: 'p',
      kind: 'numeric',
      values: new Float64Array(rows).map((_, i) => 1000 + Math.sin(i)),
    },
    { name: 'T', kind: 'numeric', values: new Float64Array(rows).map((_, i) => Math.cos(i)) },
    { name: 'label', kind: 'text', codes: new Int32Array(rows), categories: ['a'] },
  ]
  if (stepMs)
    columns.unshift({
      name: 'time',
      kind: 'datetime',
      format: 'iso',
      values: new Float64Array(rows).map((_, i) => i * stepMs),
    })
  return { name: 'd.csv', rowCount: rows, columns, timeColumn: stepMs ? 'time' : null }
}

describe('defaultDraft', () => {
  it("uses Chollet's windows on long 10-minute data and every numeric column as a feature", () => {
    const draft = defaultDraft(dataset(50_000, 10 * MIN), { ms: 10 * MIN, months: 0 })
    expect(draft.experiment.window).toEqual(DEFAULT_WINDOW)
    expect(draft.experiment.window.delay).toBe(858)
    expect(draft.experiment.features).toEqual(['p', 'T'])
    expect(draft.experiment.target).toBe('p')
    expect(draft.experiment.seasonRows).toBe(144)
    expect(draft.training.batchSize).toBe(256)
    expect(draft.model.preset).toBe('lstm')
  })
  it("leaves R's row names out: neither the target nor a feature", () => {
    const eu = parseCsv(
      '"","time","DAX","SMI"\n"1",1991.49615384615,1628.75,1678.1\n"2",1991.5,1613.63,1688.5\n"3",1991.50384615385,1606.51,1678.6\n',
      { fileName: 'eustock.csv' },
    ).dataset
    const draft = defaultDraft(eu, null)
    expect(draft.experiment.target).toBe('DAX')
    expect(draft.experiment.features).toEqual(['DAX', 'SMI'])
    // a counter alone is still the target, and then its own feature
    const lone = parseCsv('n\n1\n2\n3\n', { fileName: 'n.csv' }).dataset
    expect(defaultDraft(lone, null).experiment).toMatchObject({ target: 'n', features: ['n'] })
  })
  it('sizes a window of consecutive rows to short data, target right after it, with windows in every split', () => {
    const d = dataset(144, null)
    const draft = defaultDraft(d, null)
    const w = draft.experiment.window
    expect(w.samplingRate).toBe(1)
    expect(w.delay).toBe(w.sequenceLength)
    expect(draft.experiment.seasonRows).toBeNull()
    const windows = experimentWindows(d.rowCount, w, draft.experiment.split)
    expect(windows.starts.train.length).toBeGreaterThan(0)
    expect(windows.starts.val.length).toBeGreaterThan(0)
    expect(windows.starts.test.length).toBeGreaterThan(0)
  })
})

describe('runConfigOf: what Start refuses, in the training service’s words', () => {
  // 144 rows without a time axis: windows of 9 rows, target right after; training rows 0–71
  // hold 72 − (9 − 1) = 64 windows (Keras: k < b − a − (L − 1)·R).
  const d = dataset(144, null)
  const TRAIN_WINDOWS = 64
  const draft = (edit: (d: Draft) => void = () => {}): Draft => {
    const out = defaultDraft(d, null)
    edit(out)
    return out
  }

  it('passes the first draft', () => {
    const first = draft()
    expect(first.experiment.window).toMatchObject({ sequenceLength: 9, delay: 9 })
    expect(
      experimentWindows(144, first.experiment.window, first.experiment.split).starts.train,
    ).toHaveLength(TRAIN_WINDOWS)
    expect(runConfigOf(first, TRAIN_WINDOWS).model.head.kind).toBe('direct')
  })

  it('refuses a recursive roll-out over several features', () => {
    const bad = draft((x) => {
      x.model.head.kind = 'recursive'
    })
    expect(bad.experiment.features).toEqual(['p', 'T'])
    expect(() => runConfigOf(bad, TRAIN_WINDOWS)).toThrow(
      'Model "LSTM(16)" rolls a one-step forecast out 1 step by feeding each prediction back as the newest input: ' +
        'the target "p" must be the only feature (features: p, T). Change these settings or use a direct head (Dense(H)).',
    )
  })

  it('refuses a stateful recursive model, naming the head', () => {
    const bad = draft((x) => {
      x.experiment.features = ['p']
      x.model.head.kind = 'recursive'
      x.model.stateful = true
      x.training.shuffle = false
    })
    expect(() => runConfigOf(bad, TRAIN_WINDOWS)).toThrow(/a recursive roll-out cannot be stateful/)
    bad.model.stateful = false
    expect(() => runConfigOf(bad, TRAIN_WINDOWS)).not.toThrow()
  })

  it('refuses a stateful batch larger than the training windows; a stateless one trains', () => {
    const big = draft((x) => {
      x.training.batchSize = TRAIN_WINDOWS + 1
    })
    expect(() => runConfigOf(big, TRAIN_WINDOWS)).not.toThrow()
    big.model.stateful = true
    big.training.shuffle = false
    expect(() => runConfigOf(big, TRAIN_WINDOWS)).toThrow(
      /^Batch size: a stateful model needs at least one full batch of training windows; the training split has 64 windows and the batch size is 65\./,
    )
    big.training.batchSize = TRAIN_WINDOWS
    expect(() => runConfigOf(big, TRAIN_WINDOWS)).not.toThrow()
  })

  it('refuses a model that needs more memory than the engine has, naming its largest layers', () => {
    // Flatten + 8 × Dense(4096) on 9 × 2 inputs: 7 × (4096·4096 + 4096) ≈ 117 M parameters,
    // × 5 copies (weights, gradients, best copy, Adam's two slots) × 4 bytes ≈ 2.35 GB, plus an
    // evaluation batch: 128 × (18 + 2·18 + 8·2·4096 + 2) values × 4 bytes ≈ 33.6 MB.
    const huge = draft((x) => {
      x.training.optimizer = 'adam'
      x.model.layers = [
        { type: 'flatten' },
        ...Array.from({ length: 8 }, () => ({ type: 'dense' as const, units: 4096 })),
      ]
    })
    expect(() => runConfigOf(huge, TRAIN_WINDOWS)).toThrow(
      /^Model "LSTM\(16\)" needs about 2\.38 GB to train \(118 M parameters × 5 copies with adam: 2\.35 GB; activations of one batch: 33\.6 MB\), more than the 2\.15 GB the training engine can use\. Layer 3, Dense\(4096\), has 16\.8 M parameters; layer 4, Dense\(4096\), has 16\.8 M parameters\. Use fewer units or layers/,
    )
    huge.model.layers = huge.model.layers.slice(0, 6) // 4 × Dense(4096) after the first: fits
    expect(() => runConfigOf(huge, TRAIN_WINDOWS)).not.toThrow()
  })
})

describe('upgradeDraft', () => {
  it('gives a draft saved before a training setting existed its default, keeping the rest', () => {
    const current = defaultDraft(dataset(50_000, 10 * MIN), { ms: 10 * MIN, months: 0 })
    expect(current.training.fusedKernels).toBe(true)
    const { fusedKernels: _f, ...older } = { ...current.training, epochs: 3 }
    const saved = { ...current, training: older } as unknown as Draft
    expect(() => parseRunConfig(saved)).toThrow(/fusedKernels/)
    const upgraded = upgradeDraft(saved)
    expect(upgraded.training).toEqual({ ...current.training, epochs: 3, fusedKernels: true })
    expect(parseRunConfig(upgraded).training.fusedKernels).toBe(true)
    // A saved choice is kept.
    const off = { ...current, training: { ...current.training, fusedKernels: false } }
    expect(upgradeDraft(off).training.fusedKernels).toBe(false)
  })

  it('intervals: a new draft gets 90 % adaptive conformal; a saved draft keeps the method it holds', () => {
    const current = defaultDraft(dataset(50_000, 10 * MIN), { ms: 10 * MIN, months: 0 })
    expect(current.intervals).toEqual({ level: 0.9, method: 'aci' })
    const split = { ...current, intervals: { level: 0.8, method: 'split' as const } }
    expect(upgradeDraft(split).intervals).toEqual({ level: 0.8, method: 'split' })
    // Saved before intervals existed: it chose nothing, and gets what a new draft gets.
    const { intervals: _i, ...older } = current
    expect(upgradeDraft(older as Draft).intervals).toEqual({ level: 0.9, method: 'aci' })
  })
})

describe('sampleRows', () => {
  it('lists the rows a Keras window reads and its target row', () => {
    const w = { sequenceLength: 120, samplingRate: 6, sequenceStride: 1, delay: 858, horizon: 1 }
    const windows = experimentWindows(5000, w, { train: 0.5, val: 0.25 })
    const s = sampleRows(windows, 'val', 3)!
    const start = windows.starts.val[3]
    expect(start).toBe(2503)
    expect(s.start).toBe(start)
    expect(s.windowRows).toHaveLength(120)
    expect(s.windowRows[0]).toBe(start)
    expect(s.windowRows[1]).toBe(start + 6)
    expect(s.windowRows[119]).toBe(start + 119 * 6)
    expect(s.targetRows).toEqual([start + 858])
    expect(s.count).toBe(windows.starts.val.length)
    expect(s.from).toBeLessThanOrEqual(start)
    expect(s.to).toBeGreaterThanOrEqual(start + 858)
    expect(s.to).toBeLessThan(5000)
  })
  it('clamps the sample number and lists every horizon step', () => {
    const w = { sequenceLength: 10, samplingRate: 1, sequenceStride: 1, delay: 12, horizon: 3 }
    const windows = experimentWindows(200, w, { train: 0.5, val: 0.25 })
    const s = sampleRows(windows, 'train', 1e9)!
    expect(s.index).toBe(windows.starts.train.length - 1)
    const start = windows.starts.train[s.index]
    expect(s.targetRows).toEqual([start + 12, start + 13, start + 14])
    expect(
      sampleRows({ ...windows, starts: { ...windows.starts, test: new Int32Array(0) } }, 'test', 0),
    ).toBeNull()
  })
})

describe('memoryEstimate', () => {
  it("says materializing Jena's training windows would take 1.4 GB (DESIGN.md), and counts the real layout", () => {
    const w = DEFAULT_WINDOW
    const windows = experimentWindows(420_451, w, { train: 0.5, val: 0.25 })
    const samples = {
      train: windows.starts.train.length,
      val: windows.starts.val.length,
      test: windows.starts.test.length,
    }
    expect(samples).toEqual({ train: 209_511, val: 104_398, test: 103_542 })
    const features = Array.from({ length: 14 }, (_, i) => `f${i}`)
    const model = presetSpec('lstm')!
    const config = {
      experiment: {
        target: 'f1',
        features,
        window: w,
        split: { train: 0.5, val: 0.25 },
        normalization: 'zscore' as const,
        seasonRows: 144,
      },
      model,
      training: {
        epochs: 10,
        batchSize: 256,
        optimizer: 'rmsprop' as const,
        learningRate: 0.001,
        decay: 0,
        loss: 'mse' as const,
        shuffle: true,
        seed: 1,
        earlyStopping: null,
        backend: 'auto' as const,
        fusedKernels: true,
      },
    }
    const summary = summarizeModel(model, 120, 14, 1)
    const m = memoryEstimate(config, 420_451, samples, summary)
    expect(m.materializedTrain).toBe(209_511 * 120 * 14 * 4) // 1.41 GB
    expect(m.materializedTrain / 1e9).toBeCloseTo(1.408, 3)
    expect(m.data).toBe(420_451 * 15 * 4)
    expect(m.indices).toBe((209_511 + 104_398 + 103_542) * 4)
    expect(m.batch).toBe(256 * (120 * 14 + 1) * 4)
    // LSTM(16) on 14 features: 4·(16·(16+14)+16) = 1,984, plus Dense(1) 17; weights, gradients,
    // the best-epoch copy and tfjs RMSprop's two slots (mean square, momentum).
    expect(summary.totalParams).toBe(2001)
    expect(m.parameters).toBe(2001 * 4 * 5)
    // Per window: input 120·14; LSTM 2·120·16·(2·4+2); Dense(1) 2 — for a batch of 256.
    expect(m.activations).toBe(256 * (120 * 14 + 2 * 120 * 16 * 10 + 2) * 4)
    expect(m.total).toBe(m.data + m.indices + m.batch + m.parameters + m.activations)
    expect(m.total).toBeLessThan(m.materializedTrain / 10)
  })
})

describe('Season field', () => {
  // v-model on <input type="number"> delivers numbers: the field used to call .trim() on them.
  it('reads the number that v-model hands over, and text, and empty as none', () => {
    expect(seasonRowsFromInput(24)).toBe(24)
    expect(seasonRowsFromInput('12')).toBe(12)
    expect(seasonRowsFromInput(' 7 ')).toBe(7)
    expect(seasonRowsFromInput('')).toBeNull()
    expect(seasonRowsFromInput(Number.NaN)).toBeNull()
  })
})

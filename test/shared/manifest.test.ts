/**
 * The manifest of an exported model: what it records for a finished run and for a checkpoint
 * written while the run trained, how it reads back (also the version-1 files of earlier builds),
 * and the disagreements it refuses by name.
 */
import { describe, expect, it } from 'vitest'
import type { BaselineReport } from '../../src/shared/baselines'
import { SeqcastError } from '../../src/shared/errors'
import { DEFAULT_TRAINING, type RunConfig } from '../../src/shared/experiment'
import {
  checkManifest,
  manifestFor,
  parseManifest,
  type ManifestInput,
  type ModelManifest,
} from '../../src/shared/manifest'
import { presetSpec } from '../../src/shared/models/presets'
import type { RunIntervals } from '../../src/shared/forecast/intervals'
import type { BackendReport } from '../../src/shared/run'
import type { Dataset } from '../../src/shared/series/dataset'

const config: RunConfig = {
  experiment: {
    target: 'T',
    features: ['p', 'T'],
    window: { sequenceLength: 15, samplingRate: 1, sequenceStride: 1, delay: 15, horizon: 2 },
    split: { train: 0.5, val: 0.25 },
    normalization: 'zscore',
    seasonRows: 12,
  },
  model: { ...presetSpec('stateful-lstm')!, stateful: true },
  training: { ...DEFAULT_TRAINING, batchSize: 20, shuffle: false },
}

// What a run request brings: the two columns the model reads, the time column by its own name,
// and the file's whole schema (a text column the model does not read included).
const sent: Dataset = {
  name: 'station.csv',
  rowCount: 400,
  timeColumn: 'Date Time',
  columns: [
    { name: 'p', kind: 'numeric', values: new Float64Array(400) },
    { name: 'T', kind: 'numeric', values: new Float64Array(400) },
  ],
  fileColumns: [
    { name: 'Date Time', kind: 'datetime' },
    { name: 'p', kind: 'numeric' },
    { name: 'note', kind: 'text' },
    { name: 'T', kind: 'numeric' },
  ],
}

const input: ManifestInput = {
  dataset: sent,
  config,
  normalization: {
    kind: 'zscore',
    columns: ['p', 'T'],
    center: [990, 9],
    scale: [8, 8.5],
    constant: [],
  },
  trainWindows: 170,
  maseScale: 0.75,
  versions: { seqcast: '1.2.3', node: '20.19.0' },
}

const metrics = { mae: 1, rmse: 2, mape: NaN, smape: 3, mase: 1.5, n: 10 }
const baselines: BaselineReport = {
  seasonRows: 12,
  maseScale: 0.75,
  trainMean: 9,
  naive: { val: metrics },
  'seasonal-naive': { val: metrics },
  mean: { val: metrics },
}
const backend: BackendReport = {
  used: 'wasm',
  skipped: {},
  versions: { tfjs: '4.22.0' },
}

const roundTrip = (m: ModelManifest) => parseManifest(JSON.parse(JSON.stringify(m)))

describe('manifestFor', () => {
  const checkpoint = manifestFor(
    input,
    {
      history: [],
      bestEpoch: 1,
      stopReason: 'in-progress',
      metrics: {},
      baselines,
      backend: null,
    },
    new Date(Date.UTC(2024, 0, 2)),
  )

  it('lists the file’s schema and its real time column, not only the columns that were sent', () => {
    expect(checkpoint.dataset).toEqual({
      name: 'station.csv',
      rowCount: 400,
      columns: sent.fileColumns,
      timeColumn: 'Date Time',
    })
  })

  it('a checkpoint says it was written while training, and that the backend is not known yet', () => {
    expect(checkpoint.stopReason).toBe('in-progress')
    expect(checkpoint.backend).toBeNull()
    expect(checkpoint.versions).toEqual({ seqcast: '1.2.3', node: '20.19.0' })
    const back = roundTrip(checkpoint)
    expect(back.stopReason).toBe('in-progress')
    expect(back.backend).toBeNull()
  })

  it('stores the MASE scale and the stateful warm-up (⌊170 training windows / 20⌋ = 8)', () => {
    expect(checkpoint.maseScale).toBe(0.75)
    expect(checkpoint.inference).toEqual({
      inputShape: [15, 2],
      batchSize: 20,
      outputUnits: 2,
      warmup: 8,
    })
    expect(checkpoint.baselines).toEqual({
      naive: { val: metrics },
      'seasonal-naive': { val: metrics },
    })
    // A constant training target has no scale: stored as null (JSON has no NaN), read back as null.
    expect(
      manifestFor({ ...input, maseScale: NaN }, { ...outcome(), backend }).maseScale,
    ).toBeNull()
  })

  it('a finished run records how it ended and where it ran, with the backend’s library versions', () => {
    const done = manifestFor(input, { ...outcome(), stopReason: 'early-stopping', backend })
    expect(done.stopReason).toBe('early-stopping')
    expect(done.backend).toEqual(backend)
    expect(done.versions).toEqual({ seqcast: '1.2.3', node: '20.19.0', tfjs: '4.22.0' })
    expect(roundTrip(done).maseScale).toBe(0.75)
  })

  it('without fileColumns the dataset’s own columns are the schema', () => {
    const whole: Dataset = {
      name: 'w.csv',
      rowCount: 400,
      timeColumn: null,
      columns: sent.columns,
    }
    expect(manifestFor({ ...input, dataset: whole }, outcome()).dataset.columns).toEqual([
      { name: 'p', kind: 'numeric' },
      { name: 'T', kind: 'numeric' },
    ])
  })
})

function outcome() {
  return {
    history: [],
    bestEpoch: 3,
    stopReason: 'completed' as const,
    metrics: { val: metrics },
    baselines,
    backend: null,
  }
}

describe('parseManifest', () => {
  it('reads a version-1 manifest: no stored MASE scale, a backend object', () => {
    const v2 = manifestFor(input, { ...outcome(), backend })
    const { maseScale: _scale, ...rest } = JSON.parse(JSON.stringify(v2)) as Record<string, unknown>
    const v1 = parseManifest({ ...rest, version: 1 })
    expect(v1.version).toBe(1)
    expect(v1.maseScale).toBeNull()
    expect(v1.backend?.used).toBe('wasm')
  })

  it('refuses a window length that disagrees with the model’s input, by field, not as a MASE lag', () => {
    // Sunspots: windows of 15 rows, target 15 rows after the start. Editing the window to 30 rows
    // used to surface as "MASE lag: … received -14" when forecasting.
    const m = JSON.parse(JSON.stringify(manifestFor(input, outcome()))) as ModelManifest
    m.experiment.window.sequenceLength = 30
    let error: unknown
    try {
      parseManifest(m, 'model/seqcast.json')
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(SeqcastError)
    expect((error as SeqcastError).kind).toBe('model-mismatch')
    expect((error as SeqcastError).message).toBe(
      "model/seqcast.json: the windows have 30 rows (experiment.window.sequenceLength), but the model's input takes 15 (inference.inputShape). " +
        'The file was edited or belongs to another model: export the model again.',
    )
  })

  it('refuses other disagreements, naming the fields', () => {
    const base = () => JSON.parse(JSON.stringify(manifestFor(input, outcome()))) as ModelManifest
    const features = base()
    features.experiment.features = ['T']
    expect(() => checkManifest(features)).toThrow(
      /input takes 2 features \(inference.inputShape\), but experiment.features lists 1/,
    )
    const horizon = base()
    horizon.experiment.window.horizon = 3
    expect(() => checkManifest(horizon)).toThrow(
      /has 2 outputs \(inference.outputUnits\), but a direct head with a horizon of 3 has 3/,
    )
    const delay = base()
    delay.experiment.window = { ...delay.experiment.window, sequenceLength: 15, delay: 10 }
    expect(() => checkManifest(delay)).toThrow(
      /a delay of 10 rows puts the target inside the window \(15 rows at sampling rate 1 need a delay of at least 15\)/,
    )
    const stats = base()
    stats.normalization.columns = ['p', 'rh']
    expect(() => checkManifest(stats)).toThrow(
      /reads column "T", but the normalization has no statistics/,
    )
  })

  it('refuses a manifest newer than this build', () => {
    const m = JSON.parse(JSON.stringify(manifestFor(input, outcome())))
    expect(() => parseManifest({ ...m, version: 99 })).toThrow(/manifest version 99 is newer/)
  })

  it('carries the interval calibration through JSON (null = unbounded), and older readers’ files without it', () => {
    const intervals: RunIntervals = {
      level: 0.9,
      method: 'aci',
      radius: [1.5, null],
      samples: [9, 8],
      futureRadius: [1.75, null],
      coverage: { test: { coverage: 0.9, width: 3, n: 10 } },
      grid: [
        { level: 0.5, radius: [0.5, 0.75] },
        { level: 0.9, radius: [1.5, null] },
      ],
      note: null,
    }
    const m = roundTrip(manifestFor(input, { ...outcome(), intervals }))
    expect(m.version).toBe(2)
    expect(m.intervals).toEqual({
      level: 0.9,
      method: 'aci',
      radius: [1.5, null],
      samples: [9, 8],
      futureRadius: [1.75, null],
      levels: intervals.grid,
    })
    expect(roundTrip(manifestFor(input, outcome())).intervals).toBeUndefined()
    const short = JSON.parse(JSON.stringify(m)) as ModelManifest
    short.intervals!.radius = [1.5]
    expect(() => checkManifest(short)).toThrow(/one value per horizon step \(2\)/)
  })
})

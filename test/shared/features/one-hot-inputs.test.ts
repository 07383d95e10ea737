/**
 * One-hot columns as a run's inputs (features/inputs.ts, prepare.ts, checks/run.ts, manifest.ts),
 * on index-valued data so every expected value is written out by hand: the columns come after
 * the features and the calendar, in category order, 0/1 with missing labels all zeros; the
 * categories are those of the training rows; the normalization leaves them 0/1; the run rules
 * refuse by name; and the manifest stores and checks the categories.
 */
import { describe, expect, it } from 'vitest'
import { checkRun } from '../../../src/shared/checks/run'
import { checkDatasetFits } from '../../../src/shared/checks/dataset-fit'
import { SeqcastError } from '../../../src/shared/errors'
import {
  DEFAULT_TRAINING,
  parseRunConfig,
  type ExperimentConfig,
  type RunConfig,
} from '../../../src/shared/experiment'
import { inputColumnNames, inputColumns } from '../../../src/shared/features/inputs'
import { oneHotOptions } from '../../../src/shared/features/one-hot'
import { checkManifest, manifestFor, parseManifest } from '../../../src/shared/manifest'
import { presetSpec } from '../../../src/shared/models/presets'
import { prepareExperiment } from '../../../src/shared/prepare'
import type { Dataset, TextColumn } from '../../../src/shared/series/dataset'

const DAY = 86_400_000

function text(name: string, values: (string | null)[]): TextColumn {
  const categories: string[] = []
  const codes = Int32Array.from(values, (v) => {
    if (v === null) return -1
    let i = categories.indexOf(v)
    if (i < 0) i = categories.push(v) - 1
    return i
  })
  return { name, kind: 'text', codes, categories }
}

/**
 * 12 daily rows: x = row index, y = 10 · row, weather cycling rain, sun, fog with a missing
 * label at row 4 and "hail" at row 10 (after the training rows 0–5, split 0.5).
 */
function dataset(weather = WEATHER): Dataset {
  const rows = weather.length
  return {
    name: 'days.csv',
    rowCount: rows,
    timeColumn: 'date',
    columns: [
      {
        name: 'date',
        kind: 'datetime',
        values: Float64Array.from({ length: rows }, (_, r) => Date.UTC(2024, 0, 1) + r * DAY),
        format: 'iso-date',
      },
      { name: 'x', kind: 'numeric', values: Float64Array.from({ length: rows }, (_, r) => r) },
      { name: 'y', kind: 'numeric', values: Float64Array.from({ length: rows }, (_, r) => 10 * r) },
      text('weather', weather),
      text('id', ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm'].slice(0, rows)),
    ],
  }
}
// prettier-ignore
const WEATHER = ['rain', 'sun', 'fog', 'rain', null, 'fog', 'rain', 'sun', 'fog', 'rain', 'hail', 'fog']

const experiment = (edit: Partial<ExperimentConfig> = {}): ExperimentConfig => ({
  target: 'y',
  features: ['x'],
  window: { sequenceLength: 1, samplingRate: 1, sequenceStride: 1, delay: 1, horizon: 1 },
  split: { train: 0.5, val: 0.25 },
  normalization: 'zscore',
  seasonRows: null,
  transform: { kind: 'none', log: false, seasonRows: null },
  calendar: 'none',
  oneHot: [{ column: 'weather', categories: [] }],
  ...edit,
})

function refusal(fn: () => unknown): SeqcastError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(SeqcastError)
    return error as SeqcastError
  }
  throw new Error('expected a refusal')
}

describe('one-hot inputs of a prepared run', () => {
  const prepared = prepareExperiment(dataset(), experiment())

  it('fixes the categories from the training rows (0–5), sorted: "hail" at row 10 is not one', () => {
    expect(prepared.config.oneHot).toEqual([
      { column: 'weather', categories: ['fog', 'rain', 'sun'] },
    ])
  })

  it('appends one 0/1 column per category after the features; a missing label is all zeros', () => {
    expect(prepared.features.map((c) => c.name)).toEqual([
      'x',
      'weather=fog',
      'weather=rain',
      'weather=sun',
    ])
    const values = prepared.features.map((c) => Array.from(c.values))
    expect(values[0]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
    //               rain sun fog rain  —  fog rain sun fog rain hail fog
    expect(values[1]).toEqual([0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1]) // fog
    expect(values[2]).toEqual([1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0]) // rain
    expect(values[3]).toEqual([0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0]) // sun
  })

  it('warns about a label the training rows never held, naming the column, value and row', () => {
    expect(prepared.oneHotWarnings).toEqual([
      'days.csv: Column "weather": "hail" (1 row: data row 11) was not among the categories the model was trained with (fog, rain, sun): encoded as all zeros.',
    ])
  })

  it('leaves the one-hot columns 0/1 (center 0, scale 1) while z-scoring x on rows 0–5', () => {
    const n = prepared.normalization
    const at = (c: string) => n.columns.indexOf(c)
    for (const c of ['weather=fog', 'weather=rain', 'weather=sun'])
      expect([n.center[at(c)], n.scale[at(c)]]).toEqual([0, 1])
    // x on rows 0–5: mean 2.5, population std √(17.5 / 6)
    expect(n.center[at('x')]).toBeCloseTo(2.5, 12)
    expect(n.scale[at('x')]).toBeCloseTo(Math.sqrt(17.5 / 6), 12)
  })

  it('comes after the calendar columns when both are on', () => {
    const both = prepareExperiment(dataset(), experiment({ calendar: ['dow'] }))
    expect(both.features.map((c) => c.name)).toEqual([
      'x',
      ...inputColumnNames({ features: [], calendar: ['dow'] }),
      'weather=fog',
      'weather=rain',
      'weather=sun',
    ])
  })

  it('encodes another file with the stored categories, whatever order its labels first appear in', () => {
    const stored = prepared.config
    // The same rows from row 1 on: "sun" is now code 0 of the text column, "rain" code 2.
    const later = dataset(WEATHER.slice(1))
    expect((later.columns[3] as TextColumn).categories.slice(0, 3)).toEqual(['sun', 'fog', 'rain'])
    const warnings: string[] = []
    const columns = inputColumns(stored, later, [], warnings)
    expect(columns.map((c) => c.name)).toEqual(['weather=fog', 'weather=rain', 'weather=sun'])
    for (let k = 0; k < 3; k++)
      expect(Array.from(columns[k].values)).toEqual(
        Array.from(prepared.features[k + 1].values).slice(1),
      )
    expect(warnings).toEqual([
      'days.csv: Column "weather": "hail" (1 row: data row 10) was not among the categories the model was trained with (fog, rain, sun): encoded as all zeros.',
    ])
  })

  it('keeps categories set explicitly (a run repeated from stored settings)', () => {
    const set = prepareExperiment(
      dataset(),
      experiment({ oneHot: [{ column: 'weather', categories: ['rain', 'sun'] }] }),
    )
    expect(set.features.map((c) => c.name)).toEqual(['x', 'weather=rain', 'weather=sun'])
    expect(set.oneHotWarnings[0]).toContain('"fog" (4 rows: data rows 3, 6, 9, …)')
  })
})

describe('one-hot run rules', () => {
  it('refuses a missing, numeric, repeated or too-varied column, naming it and the fix', () => {
    const fix =
      'Untick it under Text columns in the Experiment view (or leave it out of --one-hot).'
    const cases: [ExperimentConfig['oneHot'], string][] = [
      [
        [{ column: 'sky', categories: [] }],
        `One-hot: days.csv has no column "sky". Text columns: "weather", "id". ${fix}`,
      ],
      [
        [{ column: 'x', categories: [] }],
        `One-hot: column "x" of days.csv holds numbers; only text columns are one-hot encoded. Pick it as a feature instead. ${fix}`,
      ],
      [
        [
          { column: 'weather', categories: [] },
          { column: 'weather', categories: [] },
        ],
        'One-hot: column "weather" is listed twice. Keep it once.',
      ],
    ]
    for (const [oneHot, message] of cases)
      expect(refusal(() => prepareExperiment(dataset(), experiment({ oneHot }))).message).toBe(
        message,
      )
    const ids = dataset([...WEATHER, 'sun'])
    expect(
      refusal(() =>
        prepareExperiment(ids, experiment({ oneHot: [{ column: 'id', categories: [] }] })),
      ).message,
    ).toBe(
      `One-hot: column "id" of days.csv has 13 distinct values, more than 12: too many to one-hot encode (an identifier or free text?). ${fix}`,
    )
  })

  it('refuses a column whose training rows hold one label', () => {
    const one = dataset(['sun', 'sun', 'sun', 'sun', 'sun', 'sun', 'rain', 'fog', 'sun', 'rain'])
    expect(refusal(() => prepareExperiment(one, experiment())).message).toBe(
      'One-hot: column "weather" of days.csv has only one value ("sun") in the training rows (1–5), so the model could not learn what its labels mean. Untick it, or give the training split more rows.',
    )
  })

  it('a recursive roll-out refuses one-hot columns, with every other problem in one sentence', () => {
    const config: RunConfig = {
      experiment: experiment({ features: ['y'] }),
      model: { ...presetSpec('lstm')!, head: { kind: 'recursive', activation: 'linear' } },
      training: DEFAULT_TRAINING,
    }
    expect(refusal(() => checkRun(config)).message).toBe(
      'Model "LSTM(16)" rolls a one-step forecast out 1 step by feeding each prediction back as the newest input: one-hot columns must be off (one-hot: weather). Change these settings or use a direct head (Dense(H)).',
    )
  })

  it('the IPC schema takes the setting, and refuses more than 12 categories', () => {
    const config = {
      experiment: experiment(),
      model: presetSpec('linear')!,
      training: DEFAULT_TRAINING,
    }
    expect(parseRunConfig(config).experiment.oneHot).toEqual(config.experiment.oneHot)
    const many = Array.from({ length: 13 }, (_, i) => `c${i}`)
    expect(() =>
      parseRunConfig({
        ...config,
        experiment: experiment({ oneHot: [{ column: 'weather', categories: many }] }),
      }),
    ).toThrow(/oneHot/)
  })

  it('lists every text column with whether it can be encoded and why', () => {
    expect(oneHotOptions(dataset())).toEqual([
      {
        column: 'weather',
        count: 4,
        ok: true,
        reason: '4 distinct values: can be one-hot encoded as 4 features',
      },
      {
        column: 'id',
        count: 12,
        ok: true,
        reason: '12 distinct values: can be one-hot encoded as 12 features',
      },
    ])
  })
})

describe('the manifest of a one-hot model', () => {
  const prepared = prepareExperiment(dataset(), experiment())
  const config: RunConfig = {
    experiment: prepared.config,
    model: presetSpec('linear')!,
    training: DEFAULT_TRAINING,
  }
  const manifest = manifestFor(
    {
      dataset: dataset(),
      config,
      normalization: prepared.normalization,
      trainWindows: prepared.sampleCounts.train,
      maseScale: 1,
      versions: {},
    },
    {
      history: [],
      bestEpoch: 1,
      stopReason: 'completed',
      metrics: {},
      baselines: prepared.baselines,
      backend: null,
    },
  )

  it('stores the categories and the input width, and reads them back', () => {
    const back = parseManifest(JSON.parse(JSON.stringify(manifest)))
    expect(back.experiment.oneHot).toEqual([
      { column: 'weather', categories: ['fog', 'rain', 'sun'] },
    ])
    expect(back.inference.inputShape).toEqual([1, 4])
    expect(() => checkManifest(back)).not.toThrow()
  })

  it('refuses categories that were never fixed, and a width that disagrees', () => {
    const open = structuredClone(manifest)
    open.experiment.oneHot = [{ column: 'weather', categories: [] }]
    expect(refusal(() => checkManifest(open)).message).toBe(
      'seqcast.json: experiment.oneHot lists the column "weather" with 0 categories; a model stores the 2 or more it was trained with. The file was edited or belongs to another model: export the model again.',
    )
    const wide = structuredClone(manifest)
    wide.inference.inputShape = [1, 1]
    expect(refusal(() => checkManifest(wide)).message).toBe(
      "seqcast.json: the model's input takes 1 feature (inference.inputShape), but experiment.features and experiment.oneHot make 4. The file was edited or belongs to another model: export the model again.",
    )
  })

  it('a file to forecast must hold the one-hot column as text', () => {
    const numeric = dataset()
    numeric.columns[3] = { name: 'weather', kind: 'numeric', values: new Float64Array(12) }
    expect(refusal(() => checkDatasetFits(manifest, numeric)).message).toBe(
      'Column "weather" of days.csv holds numbers, but the model "Linear" one-hot encodes text labels in that column (fog, rain, sun). Use a file whose "weather" holds those labels.',
    )
  })
})

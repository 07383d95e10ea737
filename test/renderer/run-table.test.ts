import { describe, expect, it } from 'vitest'
import { parseRunConfig } from '../../src/shared/experiment'
import type { Dataset } from '../../src/shared/series/dataset'
import type { EpochRecord } from '../../src/shared/run'
import type { RunRecord } from '../../src/renderer/src/db'
import { defaultDraft } from '../../src/renderer/src/lib/experiment'
import { keptValMae, runRow, sortRuns } from '../../src/renderer/src/lib/run-table'
import { presetSpec } from '../../src/shared/models/presets'

const data: Dataset = {
  name: 'st.csv',
  rowCount: 40,
  timeColumn: null,
  columns: [{ name: 'a', kind: 'numeric', values: Float64Array.from({ length: 40 }, (_, i) => i) }],
}
const epoch = (n: number, valMae: number): EpochRecord => ({
  epoch: n,
  loss: 1,
  valLoss: valMae,
  valMae,
  seconds: 1,
  samplesPerSecond: 10,
  learningRate: 0.001,
})
const naive = (val: number, test: number) => ({
  seasonRows: null,
  maseScale: 1,
  trainMean: 0,
  naive: { val: { mae: val }, test: { mae: test } },
  mean: {},
})

function run(id: string, over: Partial<RunRecord>): RunRecord {
  return {
    id,
    name: id,
    datasetId: 'ds',
    datasetName: 'st.csv',
    status: 'cancelled',
    config: parseRunConfig(defaultDraft(data, null)),
    sampleCounts: { train: 10, val: 5, test: 4 },
    baselines: null,
    history: [],
    lastProgress: null,
    result: null,
    backend: null,
    error: null,
    checkpointEpoch: null,
    modelId: null,
    createdAt: 0,
    updatedAt: 0,
    finishedAt: null,
    ...over,
  } as RunRecord
}

describe('run table', () => {
  it('a statistical run lists no epochs, optimizer, batch or scaling: it is fitted, not trained', () => {
    const base = parseRunConfig(defaultDraft(data, null))
    const fitted = runRow(
      run('ets', {
        status: 'done',
        config: {
          ...base,
          model: presetSpec('ets')!,
          experiment: { ...base.experiment, seasonRows: 12 },
        },
      }),
    )
    const w = base.experiment.window
    expect(fitted.epochs).toBe('—')
    expect(fitted.settings).toBe(
      `L ${w.sequenceLength} · R ${w.samplingRate} · delay ${w.delay} · season 12`,
    )
    const trained = runRow(run('nn', {}))
    expect(trained.epochs).toBe(`0 / ${base.training.epochs}`)
    expect(trained.settings).toMatch(/ · batch \d+/)
  })

  it("a cancelled run shows the val MAE of the epoch its checkpoint holds, not the last epoch's", () => {
    const r = run('a', {
      history: [epoch(1, 3), epoch(2, 2), epoch(3, 2.5)],
      checkpointEpoch: 2,
    })
    expect(keptValMae(r)).toBe(2)
    expect(runRow(r).keptEpoch).toBe(2)
  })
  it('a finished run shows its own evaluation of the kept model, and the change against naive', () => {
    const r = run('b', {
      status: 'done',
      history: [epoch(1, 3), epoch(2, 2)],
      checkpointEpoch: 2,
      result: {
        bestEpoch: 2,
        metrics: { val: { mae: 2.2 }, test: { mae: 1.5 } },
        baselines: naive(2.5, 2),
        seconds: 12,
      } as unknown as RunRecord['result'],
    })
    const row = runRow(r)
    expect(row.valMae).toBe(2.2)
    expect(row.testMae).toBe(1.5)
    expect(row.vsNaive).toBeCloseTo(-0.25, 12) // (1.5 − 2) / 2
    expect(row.settings).toMatch(/^L \d+ · R \d+ · delay \d+/)
  })
  it('sorts by a column either way, runs without a value last', () => {
    const rows = [
      runRow(run('x', { history: [epoch(1, 5)], checkpointEpoch: 1 })),
      runRow(run('y', {})),
      runRow(run('z', { history: [epoch(1, 1)], checkpointEpoch: 1 })),
    ]
    expect(sortRuns(rows, 'valMae', true).map((r) => r.id)).toEqual(['z', 'x', 'y'])
    expect(sortRuns(rows, 'valMae', false).map((r) => r.id)).toEqual(['x', 'z', 'y'])
    expect(sortRuns(rows, 'name', false).map((r) => r.id)).toEqual(['z', 'y', 'x'])
  })
})

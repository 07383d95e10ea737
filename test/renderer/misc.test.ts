import { describe, expect, it } from 'vitest'
import type { ImportIssue, ImportReport } from '../../src/shared/csv/report'
import { parseRunConfig } from '../../src/shared/experiment'
import { applyRepairs } from '../../src/shared/series/repairs'
import type { Dataset } from '../../src/shared/series/dataset'
import { parseHash } from '../../src/renderer/src/composables/use-route'
import {
  missingValueIssues,
  remainingIssues,
  repairActions,
} from '../../src/renderer/src/composables/use-repairs'
import { runData } from '../../src/renderer/src/composables/use-runs'
import { safeFileName } from '../../src/renderer/src/composables/use-exports'
import { envelope } from '../../src/renderer/src/lib/sparkline'
import { curvesSvg, runReportHtml } from '../../src/renderer/src/lib/report'
import { defaultDraft } from '../../src/renderer/src/lib/experiment'
import type { RunRecord } from '../../src/renderer/src/db'

const MIN = 60_000

function ds(): Dataset {
  const n = 8
  return {
    name: 'st.csv',
    rowCount: n,
    timeColumn: 'time',
    columns: [
      {
        name: 'time',
        kind: 'datetime',
        format: 'iso',
        values: Float64Array.from([0, 1, 2, 3, 3, 4, 6, 7], (k) => k * 10 * MIN),
      },
      { name: 'a', kind: 'numeric', values: Float64Array.of(1, 2, NaN, 4, 4, 5, 7, 8) },
      { name: 'wv', kind: 'numeric', values: Float64Array.of(1, -9999, 2, 3, 3, 4, 5, 6) },
    ],
  }
}

const issue = (code: string, column?: string): ImportIssue => ({
  code,
  severity: 'warning',
  message: code,
  file: 'st.csv',
  column,
  fix: '',
})

describe('parseHash', () => {
  it('maps the hash to one of the seven views, defaulting to Data', () => {
    expect(parseHash('#/experiment')).toBe('experiment')
    expect(parseHash('#/forecast')).toBe('forecast')
    expect(parseHash('#library')).toBe('library')
    expect(parseHash('#/results/run-1')).toBe('results')
    expect(parseHash('')).toBe('data')
    expect(parseHash('#/nope')).toBe('data')
  })
})

describe('repairs', () => {
  const report = {
    columns: [{ name: 'wv', sentinels: [{ value: -9999, count: 1 }] }],
    issues: [],
  } as unknown as ImportReport

  it('offers a repair for each warning it can fix, and none for the others', () => {
    expect(repairActions(issue('sentinel', 'wv'), report)).toEqual([
      { label: 'Treat -9999 as missing', options: { sentinels: [-9999], columns: ['wv'] } },
    ])
    expect(repairActions(issue('unsorted-time'), report)[0].options).toEqual({ sortByTime: true })
    expect(repairActions(issue('duplicate-time'), report)[0].options).toEqual({
      dropDuplicateRows: true,
    })
    expect(repairActions(issue('gaps'), report).map((a) => a.options)).toEqual([
      { fillGaps: true, fillMissing: 'linear' },
      { fillGaps: true },
    ])
    expect(
      repairActions(issue('missing-values', 'a'), report).map((a) => a.options.fillMissing),
    ).toEqual(['linear', 'ffill'])
    expect(
      repairActions(issue('non-finite', 'a'), report).map((a) => [
        a.options.fillMissing,
        a.options.columns,
      ]),
    ).toEqual([
      ['linear', ['a']],
      ['ffill', ['a']],
    ])
    expect(repairActions(issue('ambiguous-date'), report)).toEqual([])
  })

  it('lists missing values per numeric column with the first row, and fills them', () => {
    const d = ds()
    const found = missingValueIssues(d)
    expect(found.map((i) => [i.column, i.count])).toEqual([['a', 1]])
    expect(found[0].message).toMatch(/column "a": 1 missing value, first in data row 3/)
    const [linear] = repairActions(found[0], report)
    const { dataset } = applyRepairs(d, linear.options)
    expect(missingValueIssues(dataset)).toEqual([])
    expect((dataset.columns[1] as { values: Float64Array }).values[2]).toBe(3)
  })

  it('counts ±Infinity as missing in a dataset held in memory, and fills it', () => {
    const d = ds()
    const a = d.columns[1] as { values: Float64Array }
    a.values[5] = Infinity
    const found = missingValueIssues(d)
    expect(found.map((i) => [i.column, i.count])).toEqual([['a', 2]])
    const [linear] = repairActions(found[0], report)
    expect(missingValueIssues(applyRepairs(d, linear.options).dataset)).toEqual([])
  })

  it('drops the issues a repair resolved and re-checks the time axis', () => {
    const d = ds()
    const all = [
      issue('sentinel', 'wv'),
      issue('duplicate-time'),
      issue('gaps'),
      issue('ambiguous-date'),
    ]
    const rep = { ...report, issues: all } as ImportReport
    const [drop] = repairActions(all[1], rep)
    const { dataset } = applyRepairs(d, drop.options)
    // The duplicate row is gone; the gap (3 → 4 → 6) is still there.
    expect(remainingIssues(rep, all[1], drop, dataset).map((i) => i.code)).toEqual([
      'sentinel',
      'gaps',
      'ambiguous-date',
    ])
    const [sentinel] = repairActions(all[0], rep)
    expect(
      remainingIssues(rep, all[0], sentinel, applyRepairs(d, sentinel.options).dataset).map(
        (i) => i.code,
      ),
    ).toEqual(['duplicate-time', 'gaps', 'ambiguous-date'])
  })
})

describe('runData', () => {
  it('sends only the features and the target, once each, with the time axis', () => {
    const d = ds()
    const draft = defaultDraft(d, { ms: 10 * MIN, months: 0 })
    draft.experiment.target = 'wv'
    draft.experiment.features = ['a', 'wv']
    const data = runData(d, parseRunConfig(draft))
    expect(data.columns.map((c) => c.name)).toEqual(['a', 'wv'])
    expect(data.columns[0].values).toBe((d.columns[1] as { values: Float64Array }).values)
    expect(data.timestamps).toBe((d.columns[0] as { values: Float64Array }).values)
    expect(data.rowCount).toBe(8)
    draft.experiment.features = ['a']
    expect(runData(d, parseRunConfig(draft)).columns.map((c) => c.name)).toEqual(['a', 'wv'])
  })
  it('names a column that is missing or not numeric', () => {
    const draft = defaultDraft(ds(), null)
    draft.experiment.features = ['time']
    expect(() => runData(ds(), parseRunConfig(draft))).toThrow(
      /st.csv has no numeric column "time"/,
    )
  })
})

describe('small helpers', () => {
  it('safeFileName keeps names readable and legal', () => {
    expect(safeFileName('#1 LSTM(16) → T (degC)')).toBe('#1 LSTM(16) → T (degC)')
    expect(safeFileName('a/b:c*?\u0001d')).toBe('a_b_c__d')
    expect(safeFileName('   ')).toBe('seqcast')
  })
  it('envelope gives min and max per pixel column', () => {
    const e = envelope([1, 5, 2, NaN, 3, 9], 3)!
    expect(Array.from(e.min)).toEqual([1, 2, 3])
    expect(Array.from(e.max)).toEqual([5, 2, 9])
    expect([e.lo, e.hi]).toEqual([1, 9])
    expect(envelope([NaN], 3)).toBeNull()
  })
})

describe('run report', () => {
  const draft = defaultDraft(ds(), { ms: 10 * MIN, months: 0 })
  const run: RunRecord = {
    id: 'run-1',
    name: 'LSTM <fast>',
    datasetId: 'ds',
    datasetName: 'st.csv',
    status: 'done',
    config: parseRunConfig(draft),
    sampleCounts: { train: 10, val: 5, test: 4 },
    baselines: null,
    history: [
      {
        epoch: 1,
        loss: 0.9,
        valLoss: 0.8,
        valMae: 2.5,
        seconds: 1,
        samplesPerSecond: 10,
        learningRate: 0.001,
      },
      {
        epoch: 2,
        loss: 0.5,
        valLoss: 0.6,
        valMae: 2.1,
        seconds: 1,
        samplesPerSecond: 10,
        learningRate: 0.001,
      },
    ],
    lastProgress: null,
    result: null,
    backend: { used: 'cpu', skipped: { wasm: 'no kernel' } },
    error: null,
    checkpointEpoch: 2,
    modelId: null,
    createdAt: 0,
    updatedAt: 0,
    finishedAt: 1000,
  }
  it('is self-contained HTML with the settings, escaped names and the curves', () => {
    const html = runReportHtml(run, { ms: 10 * MIN })
    expect(html).toMatch(/^<!doctype html>/)
    expect(html).toContain('LSTM &lt;fast&gt;')
    expect(html).not.toContain('<fast>')
    expect(html).not.toMatch(/<script/i)
    expect(html).toContain('Each window reads')
    // LSTM(16) on the 2 numeric features: 4·(16·(16+2)+16) = 1,216 parameters.
    expect(html).toContain('4·(16·(16+2)+16) = 1,216')
    expect(html).toContain('<th>Total</th><td></td><th>1,233</th>')
    // A new draft leaves the transform and the calendar to auto.
    expect(html).toContain('<tr><th>Target transform</th><td>auto</td></tr>')
    expect(html).toContain('<tr><th>Calendar features (UTC)</th><td>auto</td></tr>')
  })
  it('counts the calendar columns of a resolved run among the inputs', () => {
    const resolved = structuredClone(run)
    resolved.config.experiment.calendar = ['hour']
    resolved.config.experiment.transform = { kind: 'change', log: true, seasonRows: null }
    const html = runReportHtml(resolved, { ms: 10 * MIN })
    // 2 features + sin/cos of the row's and the target's hour: 4·(16·(16+6)+16) = 1,472.
    expect(html).toContain('4·(16·(16+6)+16) = 1,472')
    expect(html).toContain('<tr><th>Target transform</th><td>change,log</td></tr>')
  })
  it('a statistical run: its kind and seasons, no layers, epochs, optimizer or curves', () => {
    const ets = structuredClone(run)
    ets.name = 'ETS → a'
    ets.config.model = {
      ...ets.config.model,
      name: 'ETS',
      statistical: { kind: 'ets', seasons: [52] },
    }
    ets.history = []
    const html = runReportHtml(ets, { ms: 10 * MIN })
    expect(html).toContain(
      '<tr><th>Kind</th><td>ETS: forecasts the target from its own past</td></tr><tr><th>Seasons</th><td>52 rows</td></tr>',
    )
    expect(html).toContain(`<tr><th>Reads</th><td>${ets.config.experiment.target} alone</td></tr>`)
    expect(html).toContain('<h2>Fit</h2>')
    // Before: a layer table error ("layer 0 (the input) outputs a sequence…"), "Epochs 10 (ran
    // 0, …)", the optimizer, the transform and "No finished epochs" twice.
    for (const absent of [
      'Layer',
      'Epochs',
      'Optimizer',
      'Batch size',
      'Target transform',
      'Normalization',
      'No finished epochs',
      '<h2>Curves</h2>',
    ])
      expect(html).not.toContain(absent)
  })
  it('speaks in names a person reads: no ISO times, no internal setting keys', () => {
    const html = runReportHtml(run, { ms: 10 * MIN })
    expect(html).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:/) // no raw ISO start time
    expect(html).toContain('z-score (fit on training rows)')
    expect(html).toContain('RMSprop')
    expect(html).toContain('mean squared error (MSE)')
    expect(html).not.toMatch(/>\s*(zscore|rmsprop|mse)\b/)
  })
  it("draws the test forecast and the future on the dataset's time axis", () => {
    const day = Date.UTC(2013, 8, 15)
    const test = {
      horizon: 1,
      rowIndex: Int32Array.of(10, 11, 12),
      timestamps: Float64Array.of(day, day + 86_400_000, day + 2 * 86_400_000),
      actual: Float64Array.of(1, 2, 3),
      predicted: Float64Array.of(1.5, 2.5, 2.5),
    }
    const future = {
      horizon: 1,
      fromRow: 13,
      rowIndex: Int32Array.of(13),
      timestamps: Float64Array.of(day + 3 * 86_400_000),
      predicted: Float64Array.of(4),
    }
    const html = runReportHtml(
      run,
      { ms: 86_400_000 },
      { kind: 'calendar', precision: 'day' },
      { splits: { test }, future },
    )
    const svg = html.slice(html.indexOf('<h2>Forecast</h2>'), html.indexOf('<h2>Curves</h2>'))
    expect(svg.match(/<polyline/g)).toHaveLength(3) // actual, predicted, future
    expect(svg).toContain('>2013-09-15<') // first x label: the date, no clock time
    expect(svg).toContain('>2013-09-18<')
  })
  it('writes each metric column in one style, as the app: "2.6300" under "2.5760", never "2.63"', () => {
    const m = (mae: number, rmse: number, mape: number) => ({
      mae,
      rmse,
      mape,
      smape: mape,
      mase: mae / 2,
      n: 1687,
    })
    const withBaselines = structuredClone(run)
    withBaselines.baselines = {
      naive: { val: m(2.111, 2.576, 11.45) },
      'seasonal-naive': { val: m(2.144, 2.63, 11.3) },
      mean: { val: m(5.322, 6.132, 25.99) },
    } as unknown as RunRecord['baselines']
    const html = runReportHtml(withBaselines, { ms: 10 * MIN })
    const table = html.slice(
      html.indexOf('<th>Naive</th>'),
      html.indexOf('</table>', html.indexOf('<th>Naive</th>')),
    )
    expect(table).toContain('<th>Naive</th><td>2.1110</td><td>2.5760</td><td>11.450</td>')
    expect(table).toContain('<th>Seasonal naive</th><td>2.1440</td><td>2.6300</td><td>11.300</td>')
    expect(table).toContain('<td>1,687</td>')
  })
  it('draws one polyline per series with a point per epoch', () => {
    const svg = curvesSvg(run.history, [{ key: 'loss', label: 'loss', color: '#000' }])
    expect(svg.match(/<polyline/g)).toHaveLength(1)
    expect(svg.match(/<circle/g)).toHaveLength(2)
    expect(curvesSvg([], [{ key: 'loss', label: 'loss', color: '#000' }])).toBe(
      '<p>No finished epochs.</p>',
    )
  })
})

/**
 * prepareExperiment with a target transform and calendar features: what it resolves 'auto' to
 * and why, the learned target's normalization (fitted on the training rows of the transformed
 * target, computed by hand), seasonal windows dropped where no earlier season exists, the
 * calendar columns appended, and the batch filler reading learned rows.
 */
import { describe, expect, it } from 'vitest'
import { parseCsv } from '../../src/shared/csv'
import type { ExperimentConfig } from '../../src/shared/experiment'
import { prepareExperiment } from '../../src/shared/prepare'
import { normalizeColumn } from '../../src/shared/series/normalize'
import { BatchFiller } from '../../src/shared/windows/batches'

function monthly(values: number[]) {
  const lines = ['date,y,x']
  values.forEach((v, r) =>
    lines.push(
      `${2000 + Math.floor(r / 12)}-${String((r % 12) + 1).padStart(2, '0')},${v},${r % 5}`,
    ),
  )
  return parseCsv(lines.join('\n') + '\n', { fileName: 'm.csv' }).dataset
}

function experiment(over: Partial<ExperimentConfig> = {}): ExperimentConfig {
  return {
    target: 'y',
    features: ['y'],
    window: { sequenceLength: 2, samplingRate: 1, sequenceStride: 1, delay: 2, horizon: 1 },
    split: { train: 0.5, val: 0.25 },
    normalization: 'zscore',
    seasonRows: null,
    ...over,
  }
}

const squares = Array.from({ length: 40 }, (_, r) => r * r)

describe('prepareExperiment with a transform', () => {
  it('change: the learned target is normalized on its training rows (hand: y = r², gap 1)', () => {
    const p = prepareExperiment(
      monthly(squares),
      experiment({ transform: { kind: 'change', log: false, seasonRows: null } }),
    )
    // Training rows 0…19; learned y[r] − y[r − 1] = 2r − 1 for r = 1…19 (row 0 has none):
    // 1, 3, …, 37, mean 19, population variance Σ(2r − 20)² / 19 = 4·Σ(r − 10)² / 19 = 4·570/19.
    const i = p.normalization.columns.indexOf('y|change')
    expect(i).toBeGreaterThan(0)
    expect(p.normalization.center[i]).toBeCloseTo(19, 12)
    expect(p.normalization.scale[i]).toBeCloseTo(Math.sqrt((4 * 570) / 19), 12)
    // The target read as an input keeps its statistics in data units (mean of 0², …, 19²).
    expect(p.normalization.center[p.normalization.columns.indexOf('y')]).toBeCloseTo(123.5, 12)
    expect(p.config.transform).toEqual({ kind: 'change', log: false, seasonRows: null })
    expect(p.transformReason).toBe('Transform: change (as set).')
  })

  it('auto: change for a trending target, with the reason; none for a level one; none for a recursive roll-out', () => {
    const trend = prepareExperiment(monthly(squares), experiment({ transform: 'auto' }))
    expect(trend.transform.kind).toBe('change')
    expect(trend.transformReason).toMatch(
      /^Change: the training target trends \(a straight line explains 9\d(\.\d)? % of its variance\)/,
    )
    const level = Array.from({ length: 40 }, (_, r) => 10 + Math.sin((2 * Math.PI * r) / 12))
    const flat = prepareExperiment(monthly(level), experiment({ transform: 'auto' }))
    expect(flat.transform.kind).toBe('none')
    expect(flat.transformReason).toMatch(/^None: the training target has no clear trend/)
    expect(flat.normalization.columns).toEqual(['y']) // none keeps today's statistics only
    const rec = prepareExperiment(monthly(squares), experiment({ transform: 'auto' }), {
      recursive: true,
    })
    expect(rec.transform.kind).toBe('none')
    expect(rec.transformReason).toMatch(/recursive roll-out/)
  })

  it('seasonal: windows whose first target has no value one season earlier are dropped in every split', () => {
    const base = prepareExperiment(monthly(squares), experiment())
    const p = prepareExperiment(
      monthly(squares),
      experiment({ seasonRows: 6, transform: { kind: 'seasonal', log: false, seasonRows: 6 } }),
    )
    // First target s + 2 needs row s + 2 − 6 ≥ 0: s ≥ 4.
    expect(Array.from(base.windows.starts.train.slice(0, 5))).toEqual([0, 1, 2, 3, 4])
    expect(p.windows.starts.train[0]).toBe(4)
    expect(p.sampleCounts.train).toBe(base.sampleCounts.train - 4)
    expect(p.sampleCounts.val).toBe(base.sampleCounts.val)
    // learned at row r: r² − (r − 6)² = 12r − 36
    expect(p.learnedRows()[10]).toBe(84)
  })

  it('log of a column with a zero is refused, naming the row', () => {
    expect(() =>
      prepareExperiment(
        monthly(squares),
        experiment({ transform: { kind: 'change', log: true, seasonRows: null } }),
      ),
    ).toThrow(/expected positive values in column "y", received 0 in data row 1/)
  })
})

describe('prepareExperiment with calendar features', () => {
  it('auto on monthly data: month of the rows and of the target (no hour, no day of week), after the features', () => {
    const p = prepareExperiment(
      monthly(squares),
      experiment({ features: ['y', 'x'], calendar: 'auto' }),
    )
    expect(p.config.calendar).toEqual(['month'])
    expect(p.calendar.reason).toMatch(/^Calendar features: month, as sin\/cos/)
    expect(p.calendar.reason).toMatch(/hour of day \(1 month data\)/)
    expect(p.features.map((f) => f.name)).toEqual([
      'y',
      'x',
      'cal:month_sin',
      'cal:month_cos',
      'cal:target_month_sin',
      'cal:target_month_cos',
    ])
    // Row 0 is January 2000 (phase 0); its target, row 0 + gap 1, is February (phase 1/12).
    expect(p.features[2].values[0]).toBeCloseTo(0, 12)
    expect(p.features[3].values[0]).toBeCloseTo(1, 12)
    expect(p.features[4].values[0]).toBeCloseTo(Math.sin(Math.PI / 6), 12)
    expect(p.features[5].values[0]).toBeCloseTo(Math.cos(Math.PI / 6), 12)
  })

  it('absent or none: no calendar columns', () => {
    expect(prepareExperiment(monthly(squares), experiment()).features).toHaveLength(1)
    expect(
      prepareExperiment(monthly(squares), experiment({ calendar: 'none' })).config.calendar,
    ).toEqual([])
  })

  it('hour of day for monthly data is refused with the fix', () => {
    expect(() =>
      prepareExperiment(monthly(squares), experiment({ calendar: ['hour', 'month'] })),
    ).toThrow(/received "hour" \(hour of day\) for 1 month data.*--calendar month/)
  })
})

describe('BatchFiller over learned rows', () => {
  it('step j of window s reads learned[(s + delay + j)·H + j]', () => {
    const p = prepareExperiment(
      monthly(squares),
      experiment({
        window: { sequenceLength: 2, samplingRate: 1, sequenceStride: 1, delay: 2, horizon: 2 },
        transform: { kind: 'change', log: false, seasonRows: null },
      }),
    )
    const target = normalizeColumn(p.normalization, p.learnedName, p.learnedRows())
    const filler = new BatchFiller(
      { features: new Float32Array(40), featureCount: 1, target, targetWidth: 2 },
      p.config.window,
      1,
    )
    filler.fill(Int32Array.of(5), 0)
    // Window 5: last row 6; step 0 targets row 7 (7² − 6² = 13), step 1 row 8 (8² − 6² = 28).
    const i = p.normalization.columns.indexOf('y|change')
    const [c, s] = [p.normalization.center[i], p.normalization.scale[i]]
    expect(filler.y[0] * s + c).toBeCloseTo(13, 4)
    expect(filler.y[1] * s + c).toBeCloseTo(28, 4)
  })
})

/**
 * Bands on the forecast charts: the level in the legend, lower + width stacked per split (a gap
 * where the interval is unbounded), the future's interval per step, the coverage sentence counted
 * by hand, and a forecast of a file redrawn at another level the model stores.
 */
import { describe, expect, it } from 'vitest'
import {
  actualVsPredictedOption,
  coverageText,
  futureOption,
  residualsOption,
  splitCoverageText,
  unboundedAreas,
} from '../../src/renderer/src/lib/results'
import { withStoredLevel } from '../../src/shared/forecast/intervals'
import type { Forecast, ForecastSet, FutureForecast } from '../../src/shared/run'
import type { ModelManifest } from '../../src/shared/manifest'

type Series = { name: string; data: ArrayLike<number> | [number, number][]; stack?: string }

const val: Forecast = {
  horizon: 1,
  rowIndex: Int32Array.of(10, 11, 12),
  timestamps: null,
  actual: Float64Array.of(1, 2, 3),
  predicted: Float64Array.of(1.5, 2, 2),
  lower: Float64Array.of(0.5, 1, -Infinity),
  upper: Float64Array.of(2.5, 3, Infinity),
}

describe('bands on the actual vs predicted chart', () => {
  it('one legend entry named with the level; lower, then upper − lower stacked on it', () => {
    const series = actualVsPredictedOption('run', { val }, 0, [], 0.8).series as unknown as Series[]
    const band = series.filter((s) => s.name === '80 % interval')
    expect(band).toHaveLength(2)
    expect(band.map((s) => s.stack)).toEqual(['band-val', 'band-val'])
    // Stacked whatever the signs: a band below zero must not restart its width at 0.
    expect(band.map((s) => (s as { stackStrategy?: string }).stackStrategy)).toEqual(['all', 'all'])
    // [x, y] pairs: rows 10, 11, 12. The unbounded third interval is no point of the stacked
    // band; it is a full-height area from the window before it (row 11) to its own (row 12), so
    // it reads as "any value" without stretching the y axis.
    expect(Array.from(band[0].data as ArrayLike<number>)).toEqual([10, 0.5, 11, 1, 12, NaN])
    expect(Array.from(band[1].data as ArrayLike<number>)).toEqual([10, 2, 11, 2, 12, NaN])
    const area = (band[0] as { markArea?: { data: { xAxis: number }[][] } }).markArea
    expect(area?.data).toEqual([[{ xAxis: 11 }, { xAxis: 12 }]])
    expect((band[1] as { markArea?: unknown }).markArea).toBeUndefined()
    // A missing bound is still a gap.
    const missing = {
      ...val,
      lower: Float64Array.of(0.5, NaN, 1),
      upper: Float64Array.of(2.5, 3, 4),
    }
    const gap = actualVsPredictedOption('run', { val: missing }, 0, [], 0.8)
      .series as unknown as Series[]
    expect(
      Array.from(gap.filter((s) => s.name === '80 % interval')[0].data as ArrayLike<number>),
    ).toEqual([10, 0.5, 11, NaN, 12, 1])
  })

  it('an unbounded band leaves the y axis rounded (its stretch is a full-height area)', () => {
    type Axis = { min?: unknown; max?: unknown }
    const axis = actualVsPredictedOption('run', { val }, 0, [], 0.8).yAxis as unknown as Axis
    expect(axis.min).toBeUndefined()
    expect(axis.max).toBeUndefined()
  })

  it('no level or no bands: no band series', () => {
    const plain = { ...val, lower: undefined, upper: undefined }
    for (const option of [
      actualVsPredictedOption('run', { val }, 0, []),
      actualVsPredictedOption('run', { val: plain }, 0, [], 0.9),
    ]) {
      const names = (option.series as unknown as Series[]).map((s) => s.name)
      expect(names.some((n) => n.includes('interval'))).toBe(false)
    }
  })

  it('the coverage sentence counts the actuals inside their bands', () => {
    // 1 ∈ [0.5, 2.5], 2 ∈ [1, 3], 3 ∈ (−∞, ∞): 3 of 3; the two bounded widths are 2 and 2.
    expect(coverageText(val, 0.8)).toBe(
      '80 % interval (split conformal): covers 100.0 % of 3 targets, mean width 2 where bounded (1 of 3 unbounded)',
    )
    const none = { ...val, lower: Float64Array.of(-Infinity, -Infinity, -Infinity) }
    expect(coverageText(none, 0.8)).toBe(
      '80 % interval (split conformal): covers 100.0 % of 3 targets, every interval unbounded',
    )
    const narrow = {
      ...val,
      lower: Float64Array.of(1.4, 1, 1.5),
      upper: Float64Array.of(1.6, 3, 2.5),
    }
    // Widths 0.2, 2, 1 (mean 3.2 / 3); only 2 ∈ [1, 3].
    expect(coverageText(narrow, 0.9, 'aci')).toBe(
      '90 % interval (adaptive conformal): covers 33.3 % of 3 targets, mean width 1.067',
    )
    expect(coverageText({ ...val, lower: undefined }, 0.9)).toBeNull()
  })

  it('per split: validation bands are split conformal, calibrated there, whatever adapts on test', () => {
    // ACI adapts along the test split only; the validation band is the split conformal one.
    expect(splitCoverageText(val, 'val', 0.8, 'aci')).toBe(
      '80 % interval (split conformal): covers 100.0 % of 3 targets, mean width 2 where bounded (1 of 3 unbounded) (calibrated on these windows)',
    )
    expect(splitCoverageText(val, 'test', 0.8, 'aci')).toBe(
      '80 % interval (adaptive conformal): covers 100.0 % of 3 targets, mean width 2 where bounded (1 of 3 unbounded)',
    )
    // A model's own interval is not calibrated on the validation windows.
    expect(splitCoverageText(val, 'val', 0.8, 'model')).toBe(
      '80 % interval (model-based, from its forecast variance): covers 100.0 % of 3 targets, mean width 2 where bounded (1 of 3 unbounded)',
    )
  })
})

describe('the future chart', () => {
  it('draws each step’s interval from lower to upper, named with the level', () => {
    const future: FutureForecast = {
      horizon: 2,
      fromRow: 19,
      rowIndex: Int32Array.of(20, 21),
      timestamps: null,
      predicted: Float64Array.of(5, 6),
      lower: Float64Array.of(4, 4.5),
      upper: Float64Array.of(6, 7.5),
    }
    const option = futureOption(
      future,
      { name: 'y', values: new Float64Array(20) },
      null,
      20,
      0,
      0.9,
    )
    const series = option.series as unknown as Series[]
    const band = series.find((s) => s.name === '90 % interval')!
    expect(band.data).toEqual([
      [20, 4],
      [20, 6],
      [NaN, NaN],
      [21, 4.5],
      [21, 7.5],
      [NaN, NaN],
    ])
  })
})

describe('a one-step future', () => {
  it('its value label sits on a white ground above the end-of-data line', () => {
    const future: FutureForecast = {
      horizon: 1,
      fromRow: 19,
      rowIndex: Int32Array.of(20),
      timestamps: null,
      predicted: Float64Array.of(1852),
    }
    const series = futureOption(future, { name: 'y', values: new Float64Array(20) }, null, 20)
      .series as unknown as {
      name: string
      z?: number
      label?: { backgroundColor?: string }
    }[]
    const point = series.find((s) => s.name === 'forecast')!
    const history = series.find((s) => s.name === 'history')!
    expect(point.label!.backgroundColor).toMatch(/^rgba\(255, 255, 255/)
    expect(point.z!).toBeGreaterThan(history.z ?? 2)
  })

  it('its label names its interval when both sides are finite, the value alone otherwise', () => {
    const label = (lower: number, upper: number) => {
      const future: FutureForecast = {
        horizon: 1,
        fromRow: 19,
        rowIndex: Int32Array.of(20),
        timestamps: null,
        predicted: Float64Array.of(26441.2),
        lower: Float64Array.of(lower),
        upper: Float64Array.of(upper),
      }
      const series = futureOption(
        future,
        { name: 'y', values: new Float64Array(20) },
        null,
        20,
        0,
        0.9,
      ).series as unknown as { name: string; label?: { formatter: (p: unknown) => string } }[]
      return series
        .find((s) => s.name === 'forecast')!
        .label!.formatter({
          value: [20, 26441.2],
        })
    }
    expect(label(25996, 26886.5)).toBe('26,441 (90 % interval 25,996 … 26,887)')
    expect(label(25996, Infinity)).toBe('26,441')
  })
})

describe('a forecast of a file at another stored level', () => {
  it('bands = forecast ± the stored half-width of that level, coverage recounted', () => {
    // withStoredLevel reads the model's name and its stored calibration only.
    const manifest = {
      name: 'Linear on sunspots',
      intervals: {
        level: 0.9,
        method: 'split',
        radius: [1],
        samples: [40],
        futureRadius: [1],
        levels: [
          { level: 0.5, radius: [0.25] },
          { level: 0.9, radius: [1] },
        ],
      },
    } as unknown as ModelManifest
    const set: ForecastSet = {
      dataset: { name: 'x', rowCount: 20 },
      forecast: { ...val, lower: undefined, upper: undefined },
      future: {
        horizon: 1,
        fromRow: 19,
        rowIndex: Int32Array.of(20),
        timestamps: null,
        predicted: Float64Array.of(4),
      },
      metrics: null,
      baselines: {},
      comparison: {},
    }
    const half = withStoredLevel(set, manifest, 0.5)!
    expect(Array.from(half.forecast.lower!)).toEqual([1.25, 1.75, 1.75])
    expect(Array.from(half.forecast.upper!)).toEqual([1.75, 2.25, 2.25])
    expect(Array.from(half.future!.upper!)).toEqual([4.25])
    // Actuals 1, 2, 3: only 2 is inside [1.75, 2.25].
    expect(half.intervals!.coverage!.coverage).toBeCloseTo(1 / 3, 12)
    expect(() => withStoredLevel(set, manifest, 0.8)).toThrow(
      /holds calibrations for 50 %, 90 %; received 80 %/,
    )
  })
})

describe('the actual vs predicted tooltip', () => {
  const tooltipOf = (option: ReturnType<typeof actualVsPredictedOption>) =>
    (option.tooltip as { formatter: (p: unknown) => string }).formatter
  const text = (html: string) =>
    html
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()

  it('reads actual, prediction and band of the hovered window from the run, whichever series ECharts offers', () => {
    const format = tooltipOf(actualVsPredictedOption('run', { val }, 0, [], 0.8))
    // ECharts offered only the predicted point of row 11 (its sampled actual lay elsewhere).
    const only = [
      { seriesId: 'predicted:val', seriesName: 'predicted: run', dataIndex: 1, value: [11, 2] },
    ]
    expect(text(format(only))).toBe('row 11 actual 2 predicted: run 2 80 % interval 1 … 3')
    // Row 12's interval is unbounded on both sides.
    const last = [{ seriesId: 'actual:val', seriesName: 'actual', dataIndex: 2, value: [12, 3] }]
    expect(text(format(last))).toBe('row 12 actual 3 predicted: run 2 80 % interval −∞ … ∞')
  })

  it('lists an overlaid run by its own point', () => {
    const format = tooltipOf(actualVsPredictedOption('run', { val }, 0, [], null))
    const params = [
      { seriesId: 'actual:val', seriesName: 'actual', dataIndex: 0, value: [10, 1] },
      { seriesName: 'predicted: other', dataIndex: 0, value: [10, 1.25] },
    ]
    expect(text(format(params))).toBe('row 10 actual 1 predicted: run 1.5 predicted: other 1.25')
  })
})

describe('unbounded stretches of a band', () => {
  const f = (lower: number[], upper: number[], horizon = 1): Forecast => ({
    horizon,
    rowIndex: Int32Array.from({ length: lower.length }, (_, i) => 100 + i),
    timestamps: null,
    actual: new Float64Array(lower.length),
    predicted: new Float64Array(lower.length),
    lower: Float64Array.from(lower),
    upper: Float64Array.from(upper),
  })
  it('each run of unbounded windows, widened to the windows either side', () => {
    const I = Infinity
    // windows at rows 100…106; 102–103 and 106 unbounded (106 is the last: no window after it)
    const runs = unboundedAreas(f([0, 0, -I, -I, 0, 0, -I], [1, 1, I, I, 1, 1, I]), 0)
    expect(runs).toEqual([
      [101, 104],
      [105, 106],
    ])
    expect(unboundedAreas(f([0, 0], [1, 1]), 0)).toEqual([])
  })
  it('per horizon step: step 2 of each window', () => {
    const I = Infinity
    // two windows of 2 steps, rows 100,101 and 102,103; only step 2 of window 2 is unbounded
    const two = f([0, 0, 0, -I], [1, 1, 1, I], 2)
    expect(unboundedAreas(two, 0)).toEqual([])
    expect(unboundedAreas(two, 1)).toEqual([[101, 103]])
  })
})

describe('residuals over time', () => {
  it('dots are visible under a few dozen residuals and small under tens of thousands', () => {
    const size = (n: number) => {
      const f: Forecast = {
        horizon: 1,
        rowIndex: Int32Array.from({ length: n }, (_, i) => i),
        timestamps: null,
        actual: new Float64Array(n).fill(2),
        predicted: new Float64Array(n).fill(1),
      }
      const [series] = residualsOption({ val: f }, 0).series as unknown as { symbolSize: number }[]
      return series.symbolSize
    }
    expect(size(32)).toBe(6)
    expect(size(301 + 241)).toBe(4)
    expect(size(50_000)).toBe(2)
  })
})

import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { fitEts } from '../../../src/core/stats/ets-fit'
import {
  EtsFilter,
  etsVariance,
  type EtsSpec,
  type FittedEts,
} from '../../../src/core/stats/ets-model'
import { forecastWindows } from '../../../src/core/stats'
import { expectNoLookAhead, gaussian, nextYearMae, shippedColumn } from './helpers'

function model(
  spec: Partial<EtsSpec>,
  params: Partial<FittedEts['params']>,
  init: Partial<FittedEts['init']>,
): FittedEts {
  return {
    kind: 'ets',
    spec: { error: 'A', trend: 'N', season: 'N', period: 1, ...spec },
    params: { alpha: 0.5, beta: 0, gamma: 0, phi: 1, ...params },
    init: { level: 0, slope: 0, season: [], ...init },
    sigma2: 1,
    aicc: 0,
    trainRows: 0,
  }
}

function forecastAfter(m: FittedEts, y: number[], H: number): number[] {
  const filter = new EtsFilter(m)
  for (const v of y) filter.update(v)
  const out = new Float64Array(H)
  filter.forecast(1, H, out, 0)
  return Array.from(out)
}

describe('ETS filter', () => {
  it('simple exponential smoothing with α = 0.3 matches the hand computation', () => {
    // ℓ1 = 10 + 0.3·(12 − 10) = 10.6; ℓ2 = 10.6 + 0.3·(9 − 10.6) = 10.12; ℓ3 = 10.12 + 0.3·0.88 = 10.384
    const ses = model({}, { alpha: 0.3 }, { level: 10 })
    const f = forecastAfter(ses, [12, 9, 11], 3)
    for (const v of f) expect(v).toBeCloseTo(10.384, 12)
  })

  // Steps that are a multiple of the season come from Hyndman's formula on statsmodels' final
  // components (statsmodels 0.13–0.14 uses a stale seasonal factor there: its issue 9538).
  it('Holt-Winters forecasts equal statsmodels with the same parameters and initial states', () => {
    const fixture = JSON.parse(readFileSync('test/fixtures/stats/holt-winters.json', 'utf8')) as {
      y: number[]
      cases: {
        trend: string | null
        damped: boolean
        seasonal: 'add' | 'mul'
        period: number
        params: {
          smoothing_level: number
          smoothing_trend?: number
          smoothing_seasonal: number
          damping_trend?: number
        }
        initial: { level: number; trend: number; seasonal: number[] }
        statsmodels: number[]
        expected: number[]
      }[]
    }
    expect(fixture.cases).toHaveLength(4)
    for (const c of fixture.cases) {
      const alpha = c.params.smoothing_level
      // statsmodels uses the error-correction weights of Holt's method: β = α·β*, γ = γ*.
      const m = model(
        {
          trend: c.trend ? (c.damped ? 'Ad' : 'A') : 'N',
          season: c.seasonal === 'add' ? 'A' : 'M',
          period: c.period,
        },
        {
          alpha,
          beta: alpha * (c.params.smoothing_trend ?? 0),
          gamma: c.params.smoothing_seasonal,
          phi: c.params.damping_trend ?? 1,
        },
        { level: c.initial.level, slope: c.initial.trend, season: c.initial.seasonal },
      )
      const ours = forecastAfter(m, fixture.y, c.expected.length)
      ours.forEach((v, k) => expect(v).toBeCloseTo(c.expected[k], 8))
    }
  })

  it('class-1 variance: σ²(1 + (h−1)α²) for simple exponential smoothing', () => {
    const ses = { ...model({}, { alpha: 0.4 }, { level: 1 }), sigma2: 2 }
    expect(Array.from(etsVariance(ses, 3)!)).toEqual(
      [2, 2 * (1 + 0.16), 2 * (1 + 2 * 0.16)].map((v) => expect.closeTo(v, 12)),
    )
    expect(etsVariance({ ...ses, spec: { ...ses.spec, error: 'M' } }, 3)).toBeNull()
  })
})

describe('ETS estimation', () => {
  it('picks a multiplicative season for AirPassengers (as R’s ets does) and beats the seasonal naive', () => {
    const y = shippedColumn('airpassengers_monthly.csv')
    const fit = fitEts(y.subarray(0, 132), { period: 12 })
    expect(fit.spec.season).toBe('M')
    expect(fit.spec.error).toBe('M')
    const mae = nextYearMae(forecastWindows(fit, y, Int32Array.of(131), 1, 12), y, 132)
    expect(mae.model).toBeLessThan(mae.seasonalNaive)
  })

  it('recovers α of a simulated local level model', () => {
    const noise = gaussian(7)
    const y = new Float64Array(2000)
    let level = 50
    for (let t = 0; t < y.length; t++) {
      const e = noise()
      y[t] = level + e
      level += 0.4 * e
    }
    const fit = fitEts(y, { model: 'ANN' })
    expect(fit.params.alpha).toBeGreaterThan(0.33)
    expect(fit.params.alpha).toBeLessThan(0.47)
    expect(fit.sigma2).toBeGreaterThan(0.9)
    expect(fit.sigma2).toBeLessThan(1.1)
  })

  it('names the setting when the model string or the season is wrong', () => {
    const y = Float64Array.from({ length: 30 }, (_, t) => 10 + (t % 4))
    expect(() => fitEts(y, { model: 'AMN' })).toThrow(/ETS model: expected three letters/)
    expect(() => fitEts(y, { model: 'AAA', period: 20 })).toThrow(
      /ETS season: a seasonal model needs/,
    )
    expect(() =>
      fitEts(
        y.map((v) => v - 12),
        { model: 'MNN' },
      ),
    ).toThrow(/every training value > 0/)
  })

  it('uses no row after a window’s last row, and the training rows only for its parameters', () => {
    const y = shippedColumn('airpassengers_monthly.csv')
    expectNoLookAhead('ets', y, 96, { seasons: [12] })
  })
})

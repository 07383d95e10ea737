/**
 * `--interval-method model`: a statistical model's own interval ŷ ± Φ⁻¹((1+level)/2)·σ_h.
 * Answers known without the code: Φ⁻¹ at textbook points; on a local-level series (random walk
 * plus noise, whose one-step forecast error of simple exponential smoothing is Gaussian), ETS's
 * 90 % band covers 90 ± 3 % of 1,000 test targets and its step-1 half-width is 1.645 × the
 * one-step error's standard deviation measured here from the test residuals; the step-3
 * half-width follows σ²(1 + 2α²) relative to step 1; a multiplicative ETS and a window model are
 * refused with what to use instead, and the method is stored in the manifest.
 */
import { describe, expect, it } from 'vitest'
import { trainRun } from '../../../src/core/services/train-run'
import { parseCsv } from '../../../src/shared/csv'
import type { RunConfig } from '../../../src/shared/experiment'
import { checkRun } from '../../../src/shared/checks/run'
import { runIntervals } from '../../../src/shared/forecast/intervals'
import { normalQuantile } from '../../../src/shared/intervals/normal'
import { statsFromJson } from '../../../src/core/stats/stats-json'
import { gaussian } from '../../shared/gaussian'
import { runConfig, spec, window } from '../engine/helpers'

describe('normalQuantile', () => {
  it('matches the tables', () => {
    expect(normalQuantile(0.5)).toBeCloseTo(0, 12)
    expect(normalQuantile(0.95)).toBeCloseTo(1.6448536269514722, 8)
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 8)
    expect(normalQuantile(0.995)).toBeCloseTo(2.5758293035489, 8)
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306167813, 8)
    expect(normalQuantile(0.3)).toBeCloseTo(-normalQuantile(0.7), 12)
    expect(normalQuantile(0)).toBe(-Infinity)
  })
})

/** A random walk level plus noise: y_t = l_t + e_t, l_t = l_{t−1} + η_t. */
function localLevel(n: number): string {
  const noise = gaussian(17)
  let level = 50
  const rows: string[] = []
  for (let t = 0; t < n; t++) {
    level += 0.5 * noise()
    rows.push(`${t},${level + noise()}`)
  }
  return `t,y\n${rows.join('\n')}\n`
}

function config(kind: string, horizon = 1): RunConfig {
  const c = runConfig(spec(kind), window(1, 1, horizon))
  c.experiment.target = 'y'
  c.experiment.features = ['y']
  c.experiment.seasonRows = null
  c.experiment.split = { train: 0.5, val: 0.25 }
  c.model.statistical!.seasons = []
  c.intervals = { level: 0.9, method: 'model' }
  return c
}

describe("ETS's own interval on a local-level series", () => {
  const dataset = parseCsv(localLevel(4000), { fileName: 'level.csv' }).dataset

  it('covers 90 ± 3 % of the test targets; step 1 is 1.645 σ of the one-step errors', async () => {
    const run = await trainRun(dataset, config('ets'))
    const iv = run.intervals!
    expect(iv.method).toBe('model')
    const test = iv.coverage.test!
    expect(test.n).toBeGreaterThan(900)
    expect(Math.abs(test.coverage - 0.9)).toBeLessThan(0.03)
    const f = run.forecasts.test!
    let ss = 0
    for (let i = 0; i < f.actual.length; i++) ss += (f.actual[i] - f.predicted[i]) ** 2
    const sd = Math.sqrt(ss / f.actual.length)
    expect(iv.radius[0]! / (1.6448536 * sd)).toBeGreaterThan(0.93)
    expect(iv.radius[0]! / (1.6448536 * sd)).toBeLessThan(1.07)
    // Stored for predict, with the method that drew it; future bands use the same half-width.
    expect(run.artifacts!.manifest.intervals!.method).toBe('model')
    expect(run.future!.upper![0] - run.future!.predicted[0]).toBeCloseTo(iv.radius[0]!, 9)
    // 95 % from the same σ: 1.96 / 1.645 of the 90 % half-width.
    const g95 = iv.grid.find((g) => g.level === 0.95)!.radius[0]!
    expect(g95 / iv.radius[0]!).toBeCloseTo(1.959964 / 1.6448536, 5)
  })

  it('horizon 3: σ²_h = σ²(1 + (h−1)α²) for simple exponential smoothing', async () => {
    const run = await trainRun(dataset, config('ets', 3))
    const stats = statsFromJson(run.artifacts!.stats!)
    // A local-level series: the selection picks simple exponential smoothing, ETS(A,N,N).
    expect(stats.kind === 'ets' && [stats.spec.error, stats.spec.trend].join()).toBe('A,N')
    if (stats.kind !== 'ets') return
    const a = stats.params.alpha
    const r = run.intervals!.radius as number[]
    expect(r[2] / r[0]).toBeCloseTo(Math.sqrt(1 + 2 * a * a), 9)
    expect(r[1] / r[0]).toBeCloseTo(Math.sqrt(1 + a * a), 9)
  })

  it('a model without a variance of its own (multiplicative ETS) is refused, naming what works', () => {
    const f = {
      starts: Int32Array.of(0),
      actual: Float64Array.of(1),
      predicted: Float64Array.of(1),
    }
    expect(() =>
      runIntervals(window(1, 1, 1), { level: 0.9, method: 'model' }, f, f, 'absolute', null),
    ).toThrow(/gives no forecast variance of its own.*split or aci/)
  })

  it('a window model is refused before training, naming the methods that work', () => {
    const c = runConfig(spec('linear'), window(1, 1, 1))
    c.intervals = { level: 0.9, method: 'model' }
    expect(() => checkRun(c, 100)).toThrow(
      /Interval method model: "[^"]+" is a window model.*split or aci/,
    )
  })
})

/**
 * A run whose intervals were ranked on the relative scale (a growing positive series) stores that
 * in its manifest, and `predict` draws the same bands ŷ(1 ± r) from it, future included: with
 * split conformal the run's test bands; with the default, ACI, the state its last test actual
 * left (the run's future band) on every window.
 */
import { describe, expect, it } from 'vitest'
import { predictWithModel } from '../../../src/core/services/predict-run'
import { trainRun } from '../../../src/core/services/train-run'
import { parseCsv } from '../../../src/shared/csv'
import { gaussian } from '../../shared/gaussian'
import { runConfig, spec, window as win } from '../engine/helpers'

describe('a relative calibration travels with the model', () => {
  const noise = gaussian(3)
  // 300 months of a growing positive series: the relative scale is chosen.
  const rows = Array.from({ length: 300 }, (_, t) => {
    const v = (100 + t) * (1 + 0.1 * Math.sin((2 * Math.PI * t) / 12)) * (1 + 0.03 * noise())
    return `${new Date(Date.UTC(2000, t, 1)).toISOString().slice(0, 7)},${v}`
  })
  const dataset = parseCsv(`month,y\n${rows.join('\n')}\n`, { fileName: 'm.csv' }).dataset
  const config = (method?: 'split') => {
    const c = runConfig(spec('ets'), win(12, 12, 1))
    c.experiment.target = 'y'
    c.experiment.features = ['y']
    c.experiment.seasonRows = 12
    c.model.statistical!.seasons = [12]
    if (method) c.intervals = { level: 0.9, method }
    return c
  }

  it('split conformal: predict draws the same relative bands from the manifest as the run did', async () => {
    const run = await trainRun(dataset, config('split'))
    expect(run.intervals?.scale).toBe('relative')
    expect(run.artifacts!.manifest.intervals!.scale).toBe('relative')
    const again = await predictWithModel(run.artifacts!, dataset)
    // The run's test windows are the last of the file's windows; the bands are ŷ(1 ± r) alike.
    const test = run.forecasts.test!
    const n = test.predicted.length
    const off = again.forecast.predicted.length - n
    for (const i of [0, n - 1]) {
      expect(again.forecast.lower![off + i]).toBeCloseTo(test.lower![i], 9)
      expect(again.forecast.upper![off + i]).toBeCloseTo(test.upper![i], 9)
      const r = run.intervals!.radius[0]!
      expect(test.upper![i]).toBeCloseTo(test.predicted[i] * (1 + r), 9)
    }
    expect(again.future!.upper![0]).toBeCloseTo(run.future!.upper![0], 9)
  })

  it('adaptive conformal (the default): ACI’s final state ŷ(1 ± r) on every window and the future', async () => {
    const run = await trainRun(dataset, config())
    expect(run.intervals).toMatchObject({ method: 'aci', scale: 'relative' })
    const r = run.intervals!.futureRadius[0]!
    expect(r).not.toBe(run.intervals!.radius[0]) // it adapted along the test split
    const again = await predictWithModel(run.artifacts!, dataset)
    expect(again.intervals).toMatchObject({ level: 0.9, method: 'aci', radius: [r] })
    const f = again.forecast
    for (const i of [0, f.predicted.length - 1]) {
      expect(f.upper![i]).toBeCloseTo(f.predicted[i] * (1 + r), 9)
      expect(f.lower![i]).toBeCloseTo(f.predicted[i] * (1 - r), 9)
    }
    expect(again.future!.upper![0]).toBeCloseTo(run.future!.upper![0], 9)
    expect(again.future!.lower![0]).toBeCloseTo(run.future!.lower![0], 9)
  })
})

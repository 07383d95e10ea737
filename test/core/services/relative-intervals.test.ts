/**
 * A run whose intervals were ranked on the relative scale (a growing positive series) stores that
 * in its manifest, and `predict` draws the same bands ŷ(1 ± r) from it, future included.
 */
import { describe, expect, it } from 'vitest'
import { predictWithModel } from '../../../src/core/services/predict-run'
import { trainRun } from '../../../src/core/services/train-run'
import { parseCsv } from '../../../src/shared/csv'
import { gaussian } from '../../shared/gaussian'
import { runConfig, spec, window as win } from '../engine/helpers'

describe('a relative calibration travels with the model', () => {
  it('predict draws the same relative bands from the manifest as the run did', async () => {
    const noise = gaussian(3)
    // 300 months of a growing positive series: the relative scale is chosen.
    const rows = Array.from({ length: 300 }, (_, t) => {
      const v = (100 + t) * (1 + 0.1 * Math.sin((2 * Math.PI * t) / 12)) * (1 + 0.03 * noise())
      return `${new Date(Date.UTC(2000, t, 1)).toISOString().slice(0, 7)},${v}`
    })
    const dataset = parseCsv(`month,y\n${rows.join('\n')}\n`, { fileName: 'm.csv' }).dataset
    const c = runConfig(spec('ets'), win(12, 12, 1))
    c.experiment.target = 'y'
    c.experiment.features = ['y']
    c.experiment.seasonRows = 12
    c.model.statistical!.seasons = [12]
    const run = await trainRun(dataset, c)
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
})

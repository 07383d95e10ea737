/**
 * The Train view's live validation MAE (the epoch records) and the Results / Library validation
 * MAE are one number for the kept checkpoint. Through the real worker on the first 240 months of
 * the sunspot series, for the cases that disagreed before (issue #10, #12 item 5): a recursive
 * multi-step head (its live MAE was the teacher-forced one-step error), a stateful model (its live
 * pass dropped the windows past the last whole batch and ran another order), and a target
 * transform with log (its live MAE was in log units). The reference is the MAE of the Results
 * forecasts, summed here by hand from their actual and predicted values.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { EngineHost } from '../../../src/core/engine/host'
import { trainRun } from '../../../src/core/services/train-run'
import type { RunResult } from '../../../src/shared/run'
import { runConfig, spec, sunspots, tsxWorker, window } from '../engine/helpers'

const host = new EngineHost({ createWorker: tsxWorker })
const data = sunspots(240)

afterAll(() => host.dispose())

/** Mean |actual − predicted| of the run's validation forecasts, by hand. */
function resultsMae(run: RunResult): number {
  const f = run.forecasts.val!
  let sum = 0
  for (let i = 0; i < f.actual.length; i++) sum += Math.abs(f.actual[i] - f.predicted[i])
  return sum / f.actual.length
}

function expectKeptEpochMatches(run: RunResult): void {
  expect(run.bestEpoch).not.toBeNull()
  const kept = run.history[run.bestEpoch! - 1]
  const reference = resultsMae(run)
  expect(run.metrics.val!.mae).toBeCloseTo(reference, 9)
  expect(Math.abs(kept.valMae! - reference) / reference).toBeLessThan(1e-6)
}

describe('live validation MAE = Results validation MAE for the kept epoch', () => {
  it('a recursive head, 3 steps ahead: the live number is the roll-out, not the one-step error', async () => {
    const s = spec('lstm', (m) => {
      m.head = { kind: 'recursive', activation: 'linear' }
    })
    const config = runConfig(s, window(12, 12, 3), { epochs: 3, batchSize: 16, backend: 'wasm' })
    config.experiment.transform = { kind: 'none', log: false, seasonRows: null }
    config.experiment.calendar = 'none'
    const run = await trainRun(data, config, { host })
    expectKeptEpochMatches(run)
  })

  it('a stateful model whose validation windows are not a multiple of the batch', async () => {
    const config = runConfig(
      spec('stateful-lstm'),
      window(15),
      { epochs: 3, batchSize: 8, backend: 'wasm', shuffle: false },
      'minmax-sym',
    )
    config.experiment.transform = { kind: 'none', log: false, seasonRows: null }
    config.experiment.calendar = 'none'
    const run = await trainRun(data, config, { host })
    // 240 rows, windows of 15 with delay 15: int(0.25 · 240) = 60 validation rows hold 45
    // windows, 5 batches of 8 and 5 more, which the live pass used to leave out.
    expect(run.sampleCounts.val % 8).not.toBe(0)
    expectKeptEpochMatches(run)
  })

  it('change with log: the live number is in the data units, not in log units', async () => {
    const config = runConfig(spec('dense'), window(12), { epochs: 3, backend: 'wasm' })
    config.experiment.transform = { kind: 'change', log: true, seasonRows: null }
    config.experiment.calendar = 'none'
    // Sunspot counts touch 0; log needs positive values: shift the series by 1.
    const shifted = structuredClone(data)
    const col = shifted.columns.find((c) => c.name === 'sunspots') as { values: Float64Array }
    col.values = col.values.map((v) => v + 1)
    const run = await trainRun(shifted, config, { host })
    expectKeptEpochMatches(run)
  })
})

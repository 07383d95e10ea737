/**
 * Statistical models on the engine worker (a real worker thread, the `arima` package's
 * WebAssembly loaded inside it): the worker's forecasts are the in-process job's to the bit, each
 * estimation step is reported in order, and a cancel stops a long ARIMA search with `cancelled`
 * after which the same host fits again.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { EngineHost, type JobState } from '../../../src/core/engine/host'
import { runStatJob, type StatJob, type StatStep } from '../../../src/core/engine/stat-job'
import { toErrorInfo } from '../../../src/shared/errors'
import { gaussian } from '../../shared/gaussian'
import { shippedColumn } from '../stats/helpers'
import { tsxWorker } from './helpers'

const hosts: EngineHost[] = []
function newHost(): EngineHost {
  const host = new EngineHost({ createWorker: tsxWorker })
  hosts.push(host)
  return host
}
afterAll(async () => {
  for (const host of hosts) await host.dispose()
})

/** AirPassengers: 96 training months, windows ending in the last 48, 3 steps from h = 2. */
function airJob(kind: StatJob['kind'], runId: string): StatJob {
  const target = shippedColumn('airpassengers_monthly.csv')
  return {
    runId,
    kind,
    seasons: [12],
    target,
    trainRows: 96,
    lastRows: {
      val: Int32Array.from({ length: 20 }, (_, i) => 96 + i),
      test: Int32Array.from({ length: 20 }, (_, i) => 116 + i),
      future: Int32Array.of(143),
    },
    h: 2,
    H: 3,
  }
}

describe('statistical fits on the engine worker', () => {
  for (const kind of ['ets', 'arima'] as const) {
    it(`${kind}: the worker's forecasts and fitted model equal the in-process job's, steps in order`, async () => {
      const local = runStatJob(airJob(kind, 'local'))
      const steps: StatStep[] = []
      const states: JobState[] = []
      const host = newHost()
      const remote = await host.fitStatistical(airJob(kind, `worker-${kind}`), {
        onStep: (s) => steps.push(s),
        onState: (s) => states.push(s),
      })
      // A statistical fit never loads TensorFlow.js in the worker.
      expect((await host.stats()).tf).toEqual({ backend: 'none', numBytes: 0, numTensors: 0 })
      expect(remote.fitted).toEqual(local.fitted)
      expect(remote.predictions).toEqual(local.predictions)
      expect(remote.predictions.val).toHaveLength(20 * 3)
      expect(remote.predictions.future).toHaveLength(3)
      // One step per estimated candidate: 0, 1, … total−1 with a constant total.
      expect(steps.length).toBeGreaterThan(1)
      expect(steps.map((s) => s.done)).toEqual(steps.map((_, i) => i))
      expect(new Set(steps.map((s) => s.total))).toEqual(new Set([steps.length]))
      expect(steps[0].label).toMatch(kind === 'ets' ? /^ETS\(/ : /^ARIMA\(/)
      expect(states).toContain('running')
    })
  }

  it('a cancel during a long ARIMA search rejects with cancelled; the host fits again afterwards', async () => {
    // 4,000 noisy rows with a season of 24: every ARIMA order takes the package a while, so the
    // cancel sent at the first step arrives long before the search could finish.
    const noise = gaussian(3)
    const n = 4200
    const target = Float64Array.from(
      { length: n },
      (_, t) => 50 + 0.01 * t + 10 * Math.sin((2 * Math.PI * t) / 24) + 3 * noise(),
    )
    const host = newHost()
    const controller = new AbortController()
    const steps: StatStep[] = []
    const job: StatJob = {
      runId: 'long-arima',
      kind: 'arima',
      seasons: [24],
      target,
      trainRows: 4000,
      lastRows: { val: Int32Array.of(4000, 4100) },
      h: 1,
      H: 1,
    }
    const error = await host
      .fitStatistical(job, {
        signal: controller.signal,
        onStep: (s) => {
          steps.push(s)
          controller.abort()
        },
      })
      .then(
        () => null,
        (e: unknown) => e,
      )
    expect(error).not.toBeNull()
    expect(toErrorInfo(error).kind).toBe('cancelled')
    expect(steps.length).toBeGreaterThan(0)
    expect(steps.length).toBeLessThan(steps[0].total)
    const again = await host.fitStatistical(airJob('theta', 'after-cancel'))
    expect(again.predictions.test).toHaveLength(60)
  })

  it('in process: a stop requested after the second step ends the fit before the third', () => {
    const seen: string[] = []
    let error: unknown = null
    try {
      runStatJob(airJob('ets', 'stop'), {
        shouldStop: () => seen.length >= 2,
        onStep: (s) => seen.push(s.label),
      })
    } catch (e) {
      error = e
    }
    expect(toErrorInfo(error).kind).toBe('cancelled')
    expect(seen).toHaveLength(2)
  })
})

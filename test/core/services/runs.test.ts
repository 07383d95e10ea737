/**
 * The run manager through the service API (`run:start`, `run:active`, `run:cancel`, events),
 * over a real engine (worker thread, wasm, real training on the sunspot series): runs queue in
 * order behind the one that trains, a queued run can be cancelled without touching the running
 * one, the running one stops cooperatively with its checkpoint, a refused run fails with its
 * message and the queue goes on.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { createApi } from '../../../src/core/services/api'
import { createEngineFacade } from '../../../src/core/services/engine-facade'
import { createServices } from '../../../src/core/services/handlers'
import { EngineHost } from '../../../src/core/engine/host'
import type { EventName, Events, RunData } from '../../../src/shared/ipc/contract'
import type { RunConfig } from '../../../src/shared/experiment'
import { fileSchema, findColumn, timeValues } from '../../../src/shared/series/dataset'
import { runConfig, spec, sunspots, tsxWorker, window } from '../engine/helpers'

const host = new EngineHost({ createWorker: tsxWorker })
const events: { event: EventName; payload: unknown }[] = []
const services = createServices({
  info: { name: 'seqcast', version: 'test', platform: process.platform, versions: {} },
  transport: 'browser',
  broadcast: (event, payload) => events.push({ event, payload }),
  engine: createEngineFacade(host),
})
const api = createApi(services.handlers)

afterAll(async () => {
  services.shutdown()
  await host.dispose()
})

const dataset = sunspots(360)
const data: RunData = {
  datasetName: dataset.name,
  rowCount: dataset.rowCount,
  columns: [
    {
      name: 'sunspots',
      values: (findColumn(dataset, 'sunspots') as { values: Float64Array<ArrayBuffer> }).values,
    },
  ],
  timeColumn: dataset.timeColumn,
  timestamps: timeValues(dataset) as Float64Array<ArrayBuffer> | null,
  schema: fileSchema(dataset),
}

async function call(channel: string, payload: unknown): Promise<unknown> {
  const result = await api.dispatch(channel, payload)
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`)
  return result.value
}

const start = (runId: string, config: RunConfig) => call('run:start', { runId, config, data })

function of<E extends EventName>(event: E, runId?: string): Events[E][] {
  return events
    .filter((e) => e.event === event)
    .map((e) => e.payload as Events[E])
    .filter((p) => runId === undefined || (p as { runId?: string }).runId === runId)
}

const epochsOf = (runId: string) => of('run:epoch', runId).length
const finished = (runId: string) =>
  of('run:done', runId).length + of('run:failed', runId).length > 0

describe('RunManager through the service API', () => {
  it('queues, cancels a queued run without touching the running one, stops the running one, and goes on after a refused run', async () => {
    const long = runConfig(spec('lstm'), window(12), { epochs: 500, batchSize: 8, backend: 'wasm' })
    const small = runConfig(spec('dense'), window(12), {
      epochs: 2,
      batchSize: 32,
      backend: 'wasm',
    })
    const huge = runConfig(
      {
        name: 'huge',
        layers: [
          { type: 'flatten' },
          ...Array.from({ length: 20 }, () => ({ type: 'dense' as const, units: 4096 })),
        ],
        head: { kind: 'direct', activation: 'linear' },
        stateful: false,
      },
      window(12),
      { epochs: 1, backend: 'wasm' },
    )
    await start('a', long)
    await start('b', small)
    await start('huge', huge)
    await start('c', small)
    await expect.poll(() => epochsOf('a'), { timeout: 60_000 }).toBeGreaterThanOrEqual(1)

    // The refused run failed at once with its own message; it never entered the queue.
    expect(of('run:failed', 'huge')[0].error).toMatchObject({
      kind: 'config',
      message: expect.stringMatching(/^Model "huge" needs about .* Use fewer units or layers/),
    })
    const active = (await call('run:active', {})) as {
      runId: string
      status: string
      position: number | null
    }[]
    expect(active.map(({ runId, status, position }) => [runId, status, position])).toEqual([
      ['a', 'running', null],
      ['b', 'queued', 1],
      ['huge', 'failed', null],
      ['c', 'queued', 2],
    ])
    expect(of('run:state', 'c')).toEqual([{ runId: 'c', status: 'queued', position: 2 }])

    expect(await call('run:cancel', { runId: 'b' })).toEqual({ cancelled: true })
    await expect.poll(() => finished('b')).toBe(true)
    expect(of('run:failed', 'b')[0].error).toMatchObject({
      kind: 'cancelled',
      message: 'Run b was cancelled while queued (#1); it never started.',
    })
    expect(of('run:state', 'c').at(-1)).toEqual({ runId: 'c', status: 'queued', position: 1 })

    // The running run goes on training after the cancel of the queued one.
    const before = epochsOf('a')
    await expect.poll(() => epochsOf('a'), { timeout: 60_000 }).toBeGreaterThanOrEqual(before + 2)
    expect(finished('a')).toBe(false)
    expect(await call('run:cancel', { runId: 'a' })).toEqual({ cancelled: true })
    await expect.poll(() => finished('c'), { timeout: 120_000 }).toBe(true)

    const doneA = of('run:done', 'a')[0]
    expect(doneA.result.stopReason).toBe('cancelled')
    expect(doneA.result.stopMessage).toMatch(/keeps the weights of epoch \d+/)
    expect(doneA.result.artifacts).not.toBeNull()
    const doneC = of('run:done', 'c')[0]
    expect(doneC.result.stopReason).toBe('completed')
    expect(doneC.result.history).toHaveLength(2)
    expect(of('run:state', 'c').map((s) => s.status)).toEqual([
      'queued',
      'queued',
      'preparing',
      'running',
    ])
    // a finished before c started; nothing was terminated.
    const order = events
      .filter((e) => e.event === 'run:done')
      .map((e) => (e.payload as { runId: string }).runId)
    expect(order).toEqual(['a', 'c'])
    expect(host.spawnCount).toBe(1)

    const after = (await call('run:active', {})) as { runId: string; status: string }[]
    expect(Object.fromEntries(after.map((r) => [r.runId, r.status]))).toEqual({
      a: 'cancelled',
      b: 'cancelled',
      huge: 'failed',
      c: 'done',
    })
    // Finished runs can be forgotten; their results are there until then.
    expect(((await call('run:result', { runId: 'c' })) as { runId: string }).runId).toBe('c')
    for (const runId of ['a', 'b', 'huge', 'c'])
      expect(await call('run:forget', { runId })).toEqual({ forgotten: true })
    expect(await call('run:active', {})).toEqual([])
  })

  it('a run id that is live cannot start twice; cancel and forget of unknown runs say so', async () => {
    const small = runConfig(spec('dense'), window(12), {
      epochs: 1,
      batchSize: 32,
      backend: 'wasm',
    })
    await start('twice', small)
    const again = await api.dispatch('run:start', { runId: 'twice', config: small, data })
    expect(again).toMatchObject({
      ok: false,
      error: { kind: 'invalid-argument', message: 'Run twice is already training.' },
    })
    expect(await call('run:forget', { runId: 'twice' })).toEqual({ forgotten: false })
    await expect.poll(() => finished('twice'), { timeout: 60_000 }).toBe(true)
    expect(await call('run:cancel', { runId: 'nobody' })).toEqual({ cancelled: false })
    expect(await call('run:forget', { runId: 'twice' })).toEqual({ forgotten: true })
  })
})

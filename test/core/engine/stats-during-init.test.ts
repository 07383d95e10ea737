/**
 * The memory poll (`stats`) is answered at once, outside the job queue, so it can arrive while
 * the wasm backend is still initializing. tfjs throws "Backend 'wasm' has not yet been
 * initialized" from any call that reaches the backend then; that used to escape the worker's
 * message handler and kill the run (seen as a flaky recipe under load).
 */
import { afterAll, expect, it } from 'vitest'
import { EngineHost } from '../../../src/core/engine/host'
import { tsxWorker } from './helpers'

const hosts: EngineHost[] = []
afterAll(async () => {
  await Promise.all(hosts.map((h) => h.dispose()))
})

it('stats asked while the wasm backend initializes are answered, and the backend still loads', async () => {
  const host = new EngineHost({ createWorker: tsxWorker })
  hosts.push(host)
  let done = false
  const started = host.start('wasm').finally(() => (done = true))
  // Poll, one after another, for as long as init is pending: polls land all through the
  // asynchronous wasm setup (reading and compiling the module).
  const stats = []
  while (!done) stats.push(await host.stats())
  const report = await started
  expect(stats.length).toBeGreaterThan(1)
  expect(report.used).toBe('wasm')
  for (const s of stats) {
    expect(s.tf.numTensors).toBeGreaterThanOrEqual(0)
    expect(s.models).toBe(0)
  }
  const after = await host.stats()
  expect(after.tf.backend).toBe('wasm')
})

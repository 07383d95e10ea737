/**
 * The coalesced writer behind the Train view's saves: one write at a time, what arrives during
 * a write goes in the next one as a single batch, nothing is lost or reordered, and a failing
 * write is reported without stopping the ones after it.
 */
import { describe, expect, it } from 'vitest'
import { coalesce, coalesceByKey } from '../../src/renderer/src/lib/coalesce'
import { mergedHistory } from '../../src/renderer/src/composables/use-runs'
import type { EpochRecord } from '../../src/shared/run'

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void
  const promise = new Promise<void>((resolve) => (open = resolve))
  return { promise, open }
}

describe('coalesce', () => {
  it('batches what arrives while a write is in flight, one write at a time, in order', async () => {
    const batches: number[][] = []
    const gates = [gate(), gate(), gate()]
    let inFlight = 0
    let maxInFlight = 0
    const c = coalesce<number>(
      async (items) => {
        inFlight++
        maxInFlight = Math.max(maxInFlight, inFlight)
        const g = gates[batches.length]
        batches.push(items)
        await g.promise
        inFlight--
      },
      () => {},
    )
    c.push(1) // starts write 1 at once
    for (let i = 2; i <= 100; i++) c.push(i) // all wait for write 1
    gates[0].open()
    await Promise.resolve()
    await new Promise((r) => setTimeout(r, 0))
    c.push(101) // arrives during write 2
    gates[1].open()
    gates[2].open()
    await c.idle()
    expect(batches.map((b) => b.length)).toEqual([1, 99, 1])
    expect(batches.flat()).toEqual(Array.from({ length: 101 }, (_, i) => i + 1))
    expect(maxInFlight).toBe(1)
  })

  it('reports a failed write and still writes what came after it', async () => {
    const errors: unknown[] = []
    const written: string[] = []
    const c = coalesce<string>(
      async (items) => {
        if (items.includes('bad')) throw new Error('disk full')
        written.push(...items)
      },
      (e) => errors.push(e),
    )
    c.push('bad')
    await c.idle()
    c.push('good')
    await c.idle()
    expect((errors[0] as Error).message).toBe('disk full')
    expect(written).toEqual(['good'])
  })

  it('keeps one queue per key', async () => {
    const seen: string[] = []
    const c = coalesceByKey<number>(
      async (key, items) => {
        seen.push(`${key}:${items.join(',')}`)
      },
      () => {},
    )
    c.push('a', 1)
    c.push('b', 1)
    c.push('a', 2)
    c.push('a', 3)
    await Promise.all([c.idle('a'), c.idle('b')])
    expect(seen.sort()).toEqual(['a:1', 'a:2,3', 'b:1'])
  })
})

describe('mergedHistory', () => {
  const e = (epoch: number, loss: number): EpochRecord =>
    ({ epoch, loss, valLoss: null, valMae: null }) as unknown as EpochRecord
  it('adds the epochs not yet saved after the saved ones, one record per epoch', () => {
    const saved = [e(1, 5), e(2, 4)]
    const merged = mergedHistory(saved, [e(2, 4), e(3, 3), e(4, 2)])
    expect(merged.map((r) => [r.epoch, r.loss])).toEqual([
      [1, 5],
      [2, 4],
      [3, 3],
      [4, 2],
    ])
    expect(mergedHistory(saved, undefined)).toBe(saved)
  })
})

import { describe, expect, it } from 'vitest'
import { decodeMessage, encodeMessage } from '../../../src/shared/ipc/codec'

describe('browser transport codec', () => {
  it('round-trips typed arrays as bytes, NaN and infinities included', () => {
    const msg = {
      t: 'req',
      id: 7,
      payload: {
        values: Float64Array.of(1.5, NaN, -Infinity, 1e300),
        f32: Float32Array.of(0.1, 2),
        codes: Int32Array.of(-1, 5),
        raw: Uint8Array.of(1, 2, 3).buffer,
        nested: [{ odd: Uint8Array.of(9) }, { x: Float64Array.of(42) }],
        loss: NaN,
        text: 'ünïcode "quoted"',
      },
    }
    const frame = encodeMessage(msg)
    const back = decodeMessage(frame) as typeof msg
    expect(back.payload.values).toBeInstanceOf(Float64Array)
    expect(Array.from(back.payload.values)).toEqual([1.5, NaN, -Infinity, 1e300])
    expect(back.payload.f32).toEqual(Float32Array.of(0.1, 2))
    expect(back.payload.codes).toEqual(Int32Array.of(-1, 5))
    expect(new Uint8Array(back.payload.raw as ArrayBuffer)).toEqual(Uint8Array.of(1, 2, 3))
    expect(back.payload.nested[0].odd).toEqual(Uint8Array.of(9))
    expect((back.payload.nested[1] as { x: Float64Array }).x).toEqual(Float64Array.of(42))
    expect(back.payload.loss).toBeNaN()
    expect(back.payload.text).toBe('ünïcode "quoted"')
  })

  it('sends typed-array bytes, not JSON numbers', () => {
    const big = new Float64Array(10_000).map((_, i) => i / 3)
    const frame = encodeMessage({ big })
    expect(frame.byteLength).toBeLessThan(80_000 + 200)
  })

  it('reads a view into a larger buffer at an odd offset', () => {
    const frame = encodeMessage({ a: Float64Array.of(3, 4) })
    const shifted = new Uint8Array(frame.byteLength + 3)
    shifted.set(frame, 3)
    expect((decodeMessage(shifted.subarray(3)) as { a: Float64Array }).a).toEqual(
      Float64Array.of(3, 4),
    )
  })

  it('rejects malformed frames with invalid-payload', () => {
    expect(() => decodeMessage(Uint8Array.of(1))).toThrow(
      /Malformed message: shorter than its header/,
    )
    const frame = encodeMessage({ a: Float64Array.of(1) })
    expect(() => decodeMessage(frame.subarray(0, frame.byteLength - 8))).toThrow(
      /binary part out of range/,
    )
    const bad = new Uint8Array(8)
    new DataView(bad.buffer).setUint32(0, 4, true)
    bad.set(new TextEncoder().encode('{{{{'), 4)
    expect(() => decodeMessage(bad)).toThrow(/header is not JSON/)
  })
})

/**
 * Wire format of the browser transport: one binary WebSocket frame per message, holding a JSON
 * header in which every typed array / ArrayBuffer is replaced by a reference to a binary part.
 * Typed arrays cross as bytes (no JSON number arrays); NaN and ±Infinity survive.
 *
 *   [u32 header length][header JSON, UTF-8][padding to 8][part 0][padding to 8][part 1]…
 */
import { SeqcastError } from '../errors'

const CONSTRUCTORS = {
  Float64Array,
  Float32Array,
  Int32Array,
  Uint32Array,
  Int16Array,
  Uint16Array,
  Int8Array,
  Uint8Array,
} as const

type TypedArrayName = keyof typeof CONSTRUCTORS | 'ArrayBuffer'

interface PartRef {
  $bin: number
  type: TypedArrayName
  bytes: number
}

const NUMBER_TAG = '$num'
const align8 = (n: number) => (n + 7) & ~7

export function encodeMessage(message: unknown): Uint8Array {
  const parts: Uint8Array[] = []
  const header = JSON.stringify(message, function (this: unknown, key: string, value: unknown) {
    // `this[key]` is the raw value (JSON.stringify may already have called toJSON on it).
    const raw = (this as Record<string, unknown>)[key]
    let bytes: Uint8Array | null = null
    let type: TypedArrayName | null = null
    if (raw instanceof ArrayBuffer) {
      bytes = new Uint8Array(raw)
      type = 'ArrayBuffer'
    } else if (ArrayBuffer.isView(raw) && !(raw instanceof DataView)) {
      type = raw.constructor.name as TypedArrayName
      if (!(type in CONSTRUCTORS)) throw new SeqcastError('internal', `cannot encode a ${type}`)
      bytes = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength)
    }
    if (bytes && type) {
      parts.push(bytes)
      return { $bin: parts.length - 1, type, bytes: bytes.byteLength } satisfies PartRef
    }
    if (typeof raw === 'number' && !Number.isFinite(raw)) return { [NUMBER_TAG]: String(raw) }
    return value
  })
  const headerBytes = new TextEncoder().encode(header)
  let size = align8(4 + headerBytes.length)
  const offsets = parts.map((p) => {
    const at = size
    size = align8(size + p.byteLength)
    return at
  })
  const out = new Uint8Array(size)
  new DataView(out.buffer).setUint32(0, headerBytes.length, true)
  out.set(headerBytes, 4)
  parts.forEach((p, i) => out.set(p, offsets[i]))
  return out
}

export function decodeMessage(frame: Uint8Array): unknown {
  const invalid = (why: string) => new SeqcastError('invalid-payload', `Malformed message: ${why}.`)
  if (frame.byteLength < 4) throw invalid('shorter than its header')
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength)
  const headerLength = view.getUint32(0, true)
  if (4 + headerLength > frame.byteLength) throw invalid('header longer than the message')
  const header = new TextDecoder().decode(frame.subarray(4, 4 + headerLength))
  // Parts were written in `$bin` order, each at an 8-byte boundary.
  const refs: PartRef[] = []
  let parsed: unknown
  try {
    parsed = JSON.parse(header, (_key, value: unknown) => {
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        const v = value as Record<string, unknown>
        if (
          typeof v.$bin === 'number' &&
          typeof v.type === 'string' &&
          typeof v.bytes === 'number'
        ) {
          refs.push(v as unknown as PartRef)
          return v
        }
        if (typeof v[NUMBER_TAG] === 'string' && Object.keys(v).length === 1)
          return Number(v[NUMBER_TAG])
      }
      return value
    })
  } catch {
    throw invalid('header is not JSON')
  }
  const arrays: unknown[] = []
  let at = align8(4 + headerLength)
  const ordered = [...refs].sort((a, b) => a.$bin - b.$bin)
  ordered.forEach((ref, i) => {
    if (ref.$bin !== i) throw invalid('binary parts out of order')
    if (!Number.isInteger(ref.bytes) || ref.bytes < 0 || at + ref.bytes > frame.byteLength) {
      throw invalid('binary part out of range')
    }
    // Fresh, aligned buffer. Not frame.slice(): on a Node Buffer (what `ws` delivers) slice is a
    // view into a larger pooled buffer, and the typed array would span all of it.
    const copy = Uint8Array.prototype.slice.call(frame, at, at + ref.bytes)
    if (ref.type === 'ArrayBuffer') arrays.push(copy.buffer)
    else {
      const Ctor = CONSTRUCTORS[ref.type as keyof typeof CONSTRUCTORS]
      if (!Ctor || ref.bytes % Ctor.BYTES_PER_ELEMENT !== 0)
        throw invalid(`bad binary part type ${ref.type}`)
      arrays.push(new Ctor(copy.buffer))
    }
    at = align8(at + ref.bytes)
  })
  return replaceRefs(parsed, arrays)
}

function replaceRefs(value: unknown, arrays: unknown[]): unknown {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = replaceRefs(value[i], arrays)
    return value
  }
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>
    if (typeof v.$bin === 'number' && typeof v.type === 'string' && typeof v.bytes === 'number') {
      return arrays[v.$bin]
    }
    for (const key of Object.keys(v)) v[key] = replaceRefs(v[key], arrays)
  }
  return value
}

/** Envelopes of the browser transport. */
export type WireMessage =
  | { t: 'req'; id: number; channel: string; payload: unknown }
  | { t: 'res'; id: number; result: unknown }
  | { t: 'evt'; event: string; payload: unknown }

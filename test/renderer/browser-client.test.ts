/// <reference types="node" />
/**
 * The browser transport against a real WebSocket server speaking the codec: typed requests and
 * responses, errors as SeqcastError with their kind, events, reconnect, lost requests.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { WebSocket as WsClient, WebSocketServer, type WebSocket as WsSocket } from 'ws'
import type { AddressInfo } from 'node:net'
import { createServer, type Server } from 'node:http'
import { decodeMessage, encodeMessage, type WireMessage } from '../../src/shared/ipc/codec'
import { SeqcastError } from '../../src/shared/errors'
import { BrowserClient } from '../../src/renderer/src/api/browser'
import { LIMITS } from '../../src/shared/ipc/limits'

// Node 20 has no global WebSocket; `ws` offers the same browser API.
;(globalThis as unknown as { WebSocket: unknown }).WebSocket ??= WsClient

let http: Server
let wss: WebSocketServer
let base: string
let sockets: WsSocket[]
let seen: { token: string | null; path: string }[]
let handle: (m: WireMessage & { t: 'req' }, ws: WsSocket) => void

beforeEach(async () => {
  sockets = []
  seen = []
  http = createServer()
  wss = new WebSocketServer({ server: http })
  wss.on('connection', (ws, req) => {
    const url = new URL(req.url ?? '/', 'http://x')
    seen.push({ token: url.searchParams.get('token'), path: url.pathname })
    sockets.push(ws)
    ws.on('message', (data: Buffer) => {
      const m = decodeMessage(new Uint8Array(data)) as WireMessage
      if (m.t === 'req') handle(m, ws)
    })
  })
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()))
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`
  handle = (m, ws) =>
    ws.send(
      encodeMessage({
        t: 'res',
        id: m.id,
        result: { ok: true, value: { echo: m.payload, channel: m.channel } },
      }),
    )
})

afterEach(async () => {
  for (const s of sockets) s.terminate()
  wss.close()
  await new Promise<void>((r) => http.close(() => r()))
})

const until = async (check: () => boolean, ms = 5000) => {
  const t0 = Date.now()
  while (!check()) {
    if (Date.now() - t0 > ms) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 10))
  }
}

describe('BrowserClient', () => {
  it('connects to /ws with the token and round-trips typed arrays as bytes', async () => {
    const client = new BrowserClient('tok-123', base)
    try {
      const values = Float64Array.of(1.5, NaN, -Infinity)
      const result = (await client.invoke('run:start', {
        runId: 'r1',
        data: { values },
      } as never)) as unknown as {
        echo: { runId: string; data: { values: Float64Array } }
        channel: string
      }
      expect(seen[0]).toEqual({ token: 'tok-123', path: '/ws' })
      expect(result.channel).toBe('run:start')
      expect(result.echo.data.values).toBeInstanceOf(Float64Array)
      expect(Array.from(result.echo.data.values)).toEqual([1.5, NaN, -Infinity])
      expect(client.connection).toBe('open')
    } finally {
      client.close()
    }
  })

  it('throws the main process error as a SeqcastError with its kind and message', async () => {
    handle = (m, ws) =>
      ws.send(
        encodeMessage({
          t: 'res',
          id: m.id,
          result: {
            ok: false,
            error: {
              kind: 'window',
              message: 'delay: expected at least 715 rows.',
              details: { setting: 'delay' },
            },
          },
        }),
      )
    const client = new BrowserClient('t', base)
    try {
      const error = await client.invoke('run:active', {}).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(SeqcastError)
      expect((error as SeqcastError).kind).toBe('window')
      expect((error as SeqcastError).message).toBe('delay: expected at least 715 rows.')
      expect((error as SeqcastError).details).toEqual({ setting: 'delay' })
    } finally {
      client.close()
    }
  })

  it('delivers events to their listeners until unsubscribed', async () => {
    const client = new BrowserClient('t', base)
    try {
      await client.invoke('app:info', {})
      const got: unknown[] = []
      const off = client.on('run:epoch', (p) => got.push(p))
      const record = {
        epoch: 1,
        loss: 0.5,
        valLoss: null,
        valMae: 2.5,
        seconds: 1,
        samplesPerSecond: 100,
        learningRate: 0.001,
      }
      sockets[0].send(
        encodeMessage({ t: 'evt', event: 'run:epoch', payload: { runId: 'r', record } }),
      )
      sockets[0].send(encodeMessage({ t: 'evt', event: 'run:progress', payload: { runId: 'r' } }))
      await until(() => got.length === 1)
      expect(got[0]).toEqual({ runId: 'r', record })
      off()
      sockets[0].send(
        encodeMessage({ t: 'evt', event: 'run:epoch', payload: { runId: 'r', record } }),
      )
      await client.invoke('app:info', {}) // the event above has arrived by now
      expect(got).toHaveLength(1)
    } finally {
      client.close()
    }
  })

  it('rejects a request lost with the connection as an io error, then reconnects and works again', async () => {
    handle = () => {} // never answers
    const client = new BrowserClient('t', base)
    const states: string[] = []
    client.onConnection((s) => states.push(s))
    try {
      const lost = client.invoke('run:active', {}).catch((e: unknown) => e)
      await until(() => sockets.length === 1)
      sockets[0].terminate()
      const error = (await lost) as SeqcastError
      expect(error).toBeInstanceOf(SeqcastError)
      expect(error.kind).toBe('io')
      expect(error.message).toMatch(
        /Lost the connection to the Seqcast server while waiting for run:active/,
      )
      handle = (m, ws) =>
        ws.send(encodeMessage({ t: 'res', id: m.id, result: { ok: true, value: 'again' } }))
      expect(await client.invoke('run:active', {})).toBe('again')
      expect(sockets).toHaveLength(2)
      expect(states).toContain('closed')
      expect(states[states.length - 1]).toBe('open')
    } finally {
      client.close()
    }
  })

  it('queues requests made before the socket opens', async () => {
    const client = new BrowserClient('t', base)
    try {
      const [a, b] = await Promise.all([
        client.invoke('app:info', {}),
        client.invoke('run:active', {}),
      ])
      expect((a as unknown as { channel: string }).channel).toBe('app:info')
      expect((b as unknown as { channel: string }).channel).toBe('run:active')
    } finally {
      client.close()
    }
  })

  it('refuses a file over the upload limit before sending a byte', async () => {
    const client = new BrowserClient('tok', base)
    await until(() => client.connection === 'open')
    const huge = { name: 'huge.csv', size: LIMITS.uploadBytes + 1024 ** 3 } as File
    const error = await client.fileSource({ name: 'huge.csv', file: huge }).catch((e) => e)
    expect(error).toBeInstanceOf(SeqcastError)
    expect(error.kind).toBe('quota')
    expect(error.message).toBe(
      'huge.csv: 5 GiB is larger than the 4 GiB an upload may have. Import it with the desktop app or the command line.',
    )
    client.close()
  })
})

/**
 * A second client of the server's WebSocket, in the test process: it hears every broadcast
 * event (the server sends them to all tabs), so tests can compare what the UI shows and exports
 * with what the engine sent, without going through the renderer.
 */
import WebSocket from 'ws'
import { decodeMessage, encodeMessage, type WireMessage } from '../../../src/shared/ipc/codec'
import type { EventName, Events } from '../../../src/shared/ipc/contract'

export interface EventTap {
  events: { event: EventName; payload: unknown }[]
  /** Resolves with the first event (past or future) that matches. */
  waitFor<E extends EventName>(
    event: E,
    match?: (payload: Events[E]) => boolean,
    timeoutMs?: number,
  ): Promise<Events[E]>
  /** Sends a request on this connection (e.g. run:active) and resolves with the result. */
  request(channel: string, payload: unknown): Promise<unknown>
  close(): void
}

export async function tapEvents(serverUrl: string): Promise<EventTap> {
  const url = new URL(serverUrl)
  const ws = new WebSocket(
    `ws://${url.host}/ws?token=${encodeURIComponent(url.searchParams.get('token') ?? '')}`,
  )
  ws.binaryType = 'nodebuffer'
  const events: EventTap['events'] = []
  const waiters: {
    event: EventName
    match: (p: never) => boolean
    resolve: (p: unknown) => void
  }[] = []
  const pending = new Map<number, (r: unknown) => void>()
  let nextId = 1
  ws.on('message', (data: Buffer) => {
    const m = decodeMessage(new Uint8Array(data)) as WireMessage
    if (m.t === 'res') {
      pending.get(m.id)?.(m.result)
      pending.delete(m.id)
      return
    }
    if (m.t !== 'evt') return
    const item = { event: m.event as EventName, payload: m.payload }
    events.push(item)
    for (const w of [...waiters]) {
      if (w.event === item.event && w.match(item.payload as never)) {
        waiters.splice(waiters.indexOf(w), 1)
        w.resolve(item.payload)
      }
    }
  })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  return {
    events,
    waitFor(event, match = () => true, timeoutMs = 120_000) {
      const past = events.find((e) => e.event === event && match(e.payload as never))
      if (past) return Promise.resolve(past.payload as never)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no ${event} event within ${timeoutMs} ms`)),
          timeoutMs,
        )
        waiters.push({
          event,
          match: match as (p: never) => boolean,
          resolve: (p) => {
            clearTimeout(timer)
            resolve(p as never)
          },
        })
      })
    },
    request(channel, payload) {
      const id = nextId++
      return new Promise((resolve) => {
        pending.set(id, resolve)
        ws.send(encodeMessage({ t: 'req', id, channel, payload } satisfies WireMessage))
      })
    },
    close() {
      ws.close()
    },
  }
}

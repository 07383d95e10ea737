/**
 * The browser binding: the built renderer over HTTP and the service layer over a WebSocket, both
 * on 127.0.0.1 only. An access token (in the URL the server prints) guards the socket and the
 * upload endpoint, and Host / Origin checks stop other local pages and DNS rebinding.
 *
 * What a page may touch: files it uploaded (by the handle the upload returns), nothing else on
 * the server; the channels that write on disk are refused (api.ts BROWSER_REFUSED). Frames,
 * uploads and model zips have size limits (shared/ipc/limits.ts). No response carries a stack
 * trace or a server path.
 */
import { createReadStream, existsSync, statSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { extname, join, resolve } from 'node:path'
import { timingSafeEqual } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import { decodeMessage, encodeMessage, type WireMessage } from '../../shared/ipc/codec'
import { toErrorInfo, type ErrorInfo, type Result } from '../../shared/errors'
import { LIMITS } from '../../shared/ipc/limits'
import type { EventName, Events } from '../../shared/ipc/contract'
import type { Api } from '../services/api'
import type { UploadStore } from '../services/uploads'
import { isInside } from './paths'
import { publicErrorInfo } from './public-errors'
import { contentSecurityPolicy } from './security'

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
}

/** Refused uploads up to this size are read to the end before the reply (see /upload). */
const DRAIN_BYTES = 16 * 1024 ** 2

export interface BrowserServerOptions {
  port: number
  token: string
  rendererDir: string
  api: Api
  uploads: UploadStore
  /** Largest WebSocket frame accepted (default LIMITS.frameBytes). */
  maxPayload?: number
}

export interface BrowserServer {
  url: string
  port: number
  broadcast<E extends EventName>(event: E, payload: Events[E]): void
  close(): Promise<void>
}

export async function startBrowserServer(options: BrowserServerOptions): Promise<BrowserServer> {
  const { token, api, uploads } = options
  const root = resolve(options.rendererDir)
  const clients = new Set<WebSocket>()
  let port = options.port

  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`])
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`])
  const hostOk = (req: IncomingMessage) => allowedHosts().has(req.headers.host ?? '')
  const originOk = (req: IncomingMessage) => {
    const origin = req.headers.origin
    return origin === undefined || allowedOrigins().has(origin)
  }
  const tokenOk = (given: string | null | undefined) => {
    if (!given) return false
    const a = Buffer.from(given)
    const b = Buffer.from(token)
    return a.length === b.length && timingSafeEqual(a, b)
  }

  const server: Server = createServer((req, res) => {
    void handleHttp(req, res).catch((error) => {
      // Only a SeqcastError's message (which names the user's file) reaches the page.
      const info = publicErrorInfo(toErrorInfo(error))
      const status = info.kind === 'quota' ? 413 : info.kind === 'internal' ? 500 : 400
      if (!res.headersSent) send(res, status, 'application/json', JSON.stringify({ error: info }))
      else res.destroy()
    })
  })

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostOk(req)) return send(res, 421, 'text/plain', 'Misdirected request')
    // The raw request path, not a URL-normalised one: `/%2e%2e/` must be seen to be refused.
    const raw = req.url ?? '/'
    const query = raw.indexOf('?')
    let pathname: string
    try {
      pathname = decodeURIComponent(query < 0 ? raw : raw.slice(0, query))
    } catch {
      return send(res, 400, 'text/plain', 'Bad request: the path is not valid percent-encoding.')
    }
    if (
      !pathname.startsWith('/') ||
      pathname.includes('\0') ||
      /(^|[\\/])\.\.([\\/]|$)/.test(pathname)
    )
      return send(res, 400, 'text/plain', 'Bad request: the path leaves the app.')
    const url = new URL(query < 0 ? '/' : `/${raw.slice(query)}`, `http://127.0.0.1:${port}`)
    if (pathname === '/upload') {
      if (req.method !== 'POST') return send(res, 405, 'text/plain', 'POST only')
      if (!originOk(req) || !tokenOk(url.searchParams.get('token') ?? bearer(req))) {
        return send(res, 403, 'text/plain', 'Forbidden')
      }
      const name = url.searchParams.get('name') ?? 'upload.csv'
      const length = req.headers['content-length']
      const declared = length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined
      const upload = await uploads.receive(name, req, declared).catch(async (error: unknown) => {
        // Refused before its body was read. A small body is read and dropped so the browser,
        // done sending, reads the message; a large one is cut off after the reply.
        if (!req.destroyed && declared !== undefined && declared <= DRAIN_BYTES) {
          await new Promise<void>((done) => {
            req.once('end', done).once('close', done).once('error', done)
            req.resume()
          })
        } else res.setHeader('Connection', 'close')
        throw error
      })
      return send(
        res,
        200,
        'application/json',
        JSON.stringify({ handle: upload.handle, name: upload.name, bytes: upload.bytes }),
      )
    }
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(res, 405, 'text/plain', 'GET only')
    let file = join(root, pathname)
    if (!isInside(root, file)) return send(res, 403, 'text/plain', 'Forbidden')
    if (!existsSync(file) || !statSync(file).isFile()) file = join(root, 'index.html')
    if (!existsSync(file)) {
      return send(res, 500, 'text/plain', 'The renderer is not built. Run: npm run build')
    }
    const type = MIME[extname(file)] ?? 'application/octet-stream'
    res.writeHead(200, {
      'Content-Type': type,
      'Content-Security-Policy': contentSecurityPolicy({
        websocket: `ws://127.0.0.1:${port} ws://localhost:${port}`,
      }),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cache-Control': file.endsWith('index.html') ? 'no-store' : 'max-age=3600',
    })
    if (req.method === 'HEAD') return void res.end()
    createReadStream(file).pipe(res)
  }

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxPayload ?? LIMITS.frameBytes,
  })
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`)
    const refuse = (code: number, text: string) => {
      socket.write(`HTTP/1.1 ${code} ${text}\r\nConnection: close\r\n\r\n`)
      socket.destroy()
    }
    if (url.pathname !== '/ws') return refuse(404, 'Not Found')
    if (!hostOk(req) || !originOk(req)) return refuse(403, 'Forbidden')
    if (!tokenOk(url.searchParams.get('token'))) return refuse(401, 'Unauthorized')
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
  })

  wss.on('connection', (ws: WebSocket) => {
    clients.add(ws)
    ws.on('close', () => clients.delete(ws))
    // A frame over maxPayload closes the socket with 1009; the client checks sizes first and says so.
    ws.on('error', () => ws.terminate())
    ws.on('message', (data, isBinary) => {
      void (async () => {
        let message: WireMessage
        try {
          if (!isBinary) throw new Error('text frames are not part of the protocol')
          message = decodeMessage(toBytes(data)) as WireMessage
        } catch (error) {
          ws.close(1003, String((error as Error).message).slice(0, 120))
          return
        }
        if (message?.t !== 'req' || typeof message.id !== 'number') return
        const answer = await api.dispatch(message.channel, message.payload)
        const result: Result<unknown> = answer.ok
          ? answer
          : { ok: false, error: publicErrorInfo(answer.error as ErrorInfo) }
        if (ws.readyState === ws.OPEN)
          ws.send(encodeMessage({ t: 'res', id: message.id, result } satisfies WireMessage))
      })()
    })
  })

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject)
    server.listen(options.port, '127.0.0.1', () => resolveListen())
  })
  port = (server.address() as AddressInfo).port

  return {
    url: `http://127.0.0.1:${port}/?token=${encodeURIComponent(token)}`,
    port,
    broadcast(event, payload) {
      if (clients.size === 0) return
      const frame = encodeMessage({ t: 'evt', event, payload } satisfies WireMessage)
      for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(frame)
    },
    async close() {
      for (const ws of clients) ws.terminate()
      wss.close()
      // Browsers keep idle HTTP connections open; close() alone would wait for them.
      const closed = new Promise<void>((r) => server.close(() => r()))
      server.closeAllConnections()
      await closed
    },
  }
}

function bearer(req: IncomingMessage): string | null {
  const h = req.headers.authorization
  return h?.startsWith('Bearer ') ? h.slice(7) : null
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'Content-Type': type, 'X-Content-Type-Options': 'nosniff' })
  res.end(body)
}

function toBytes(data: unknown): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data as Buffer[]))
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  return data as Buffer
}

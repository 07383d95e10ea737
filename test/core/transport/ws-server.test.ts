import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { request } from 'node:http'
import WebSocket from 'ws'
import { createApi } from '../../../src/core/services/api'
import { createServices } from '../../../src/core/services/handlers'
import { UploadStore } from '../../../src/core/services/uploads'
import { startBrowserServer, type BrowserServer } from '../../../src/core/transport/ws-server'
import { createEngineFacade } from '../../../src/core/services/engine-facade'
import { decodeMessage, encodeMessage } from '../../../src/shared/ipc/codec'

const token = 'test-token-0123456789abcdef'
let server: BrowserServer
let uploads: UploadStore
let origin: string

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'seqcast-renderer-'))
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Seqcast</title>')
  uploads = new UploadStore()
  const services = createServices({
    info: { name: 'Seqcast', version: 'test', platform: 'test', versions: {} },
    transport: 'browser',
    broadcast: (event, payload) => server?.broadcast(event, payload),
    engine: createEngineFacade(),
    uploads,
  })
  server = await startBrowserServer({
    port: 0,
    token,
    rendererDir: dir,
    api: createApi(services.handlers),
    uploads,
  })
  origin = `http://127.0.0.1:${server.port}`
})

afterAll(async () => {
  await server.close()
  uploads.dispose()
})

function http(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: server.port,
          path,
          method: options.method ?? 'GET',
          headers: options.headers,
        },
        (res) => {
          let body = ''
          res.on('data', (c) => (body += c))
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
        },
      )
      req.on('error', reject)
      if (options.body) req.write(options.body)
      req.end()
    },
  )
}

function connect(path: string, headers: Record<string, string> = { Origin: origin }) {
  return new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}${path}`, { headers })
    ws.once('open', () => resolve(ws))
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
    ws.once('error', reject)
  })
}

function call(ws: WebSocket, id: number, channel: string, payload: unknown) {
  return new Promise<unknown>((resolve) => {
    const onMessage = (data: Buffer) => {
      const msg = decodeMessage(new Uint8Array(data)) as { t: string; id: number; result: unknown }
      if (msg.t === 'res' && msg.id === id) {
        ws.off('message', onMessage)
        resolve(msg.result)
      }
    }
    ws.on('message', onMessage)
    ws.send(encodeMessage({ t: 'req', id, channel, payload }))
  })
}

describe('browser binding', () => {
  it('prints a loopback URL that carries the token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${token}`)
  })

  it('serves the renderer with a strict CSP', async () => {
    const res = await http('/', { headers: { Host: `127.0.0.1:${server.port}` } })
    expect(res.status).toBe(200)
    expect(res.body).toContain('<title>Seqcast</title>')
    const csp = String(res.headers['content-security-policy'])
    expect(csp).toContain("default-src 'self'")
    expect(csp).toContain("script-src 'self'")
    expect(csp).not.toContain('unsafe-eval')
  })

  it('refuses other Host headers (DNS rebinding)', async () => {
    const res = await http('/', { headers: { Host: `evil.example:${server.port}` } })
    expect(res.status).toBe(421)
  })

  it('never serves files outside the renderer folder', async () => {
    const res = await http('/%2e%2e/%2e%2e/etc/passwd', {
      headers: { Host: `127.0.0.1:${server.port}` },
    })
    expect(res.body).not.toContain('root:')
  })

  it('refuses a socket without the token, with a wrong token, or from another origin', async () => {
    await expect(connect('/ws')).rejects.toThrow('HTTP 401')
    await expect(connect('/ws?token=nope')).rejects.toThrow('HTTP 401')
    await expect(connect(`/ws?token=${token}`, { Origin: 'http://evil.example' })).rejects.toThrow(
      'HTTP 403',
    )
  })

  it('answers requests on the socket with Results, validating payloads', async () => {
    const ws = await connect(`/ws?token=${token}`)
    expect(await call(ws, 1, 'app:info', {})).toMatchObject({
      ok: true,
      value: { name: 'Seqcast', transport: 'browser' },
    })
    const bad = (await call(ws, 2, 'run:cancel', { runId: '../etc' })) as {
      ok: false
      error: { kind: string; message: string }
    }
    expect(bad.ok).toBe(false)
    expect(bad.error.kind).toBe('invalid-payload')
    expect(bad.error.message).toMatch(/^run:cancel: request.runId: expected an id/)
    const unknown = (await call(ws, 3, 'fs:read', { path: '/etc/passwd' })) as {
      ok: false
      error: { kind: string }
    }
    expect(unknown.error.kind).toBe('invalid-payload')
    ws.close()
  })

  it('takes uploads only with the token, then imports them by id', async () => {
    const denied = await http('/upload?name=a.csv', {
      method: 'POST',
      headers: { Host: `127.0.0.1:${server.port}` },
      body: 'x,y\n1,2\n',
    })
    expect(denied.status).toBe(403)
    const res = await http(`/upload?name=${encodeURIComponent('../../a b.csv')}&token=${token}`, {
      method: 'POST',
      headers: { Host: `127.0.0.1:${server.port}`, Origin: origin },
      body: 'x,y\n1,2\n',
    })
    expect(res.status).toBe(200)
    const { uploadId, name, bytes } = JSON.parse(res.body) as {
      uploadId: string
      name: string
      bytes: number
    }
    expect(name).toBe('a b.csv')
    expect(bytes).toBe(8)
    expect(readFileSync(uploads.resolve(uploadId).path, 'utf8')).toBe('x,y\n1,2\n')
  })
})

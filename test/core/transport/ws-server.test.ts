import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { request } from 'node:http'
import { connect as netConnect } from 'node:net'
import WebSocket from 'ws'
import { BROWSER_REFUSED, createApi } from '../../../src/core/services/api'
import { createServices } from '../../../src/core/services/handlers'
import { UploadStore } from '../../../src/core/services/uploads'
import { FileGrants } from '../../../src/core/transport/grants'
import { startBrowserServer, type BrowserServer } from '../../../src/core/transport/ws-server'
import { createEngineFacade } from '../../../src/core/services/engine-facade'
import { decodeMessage, encodeMessage } from '../../../src/shared/ipc/codec'

const token = 'test-token-0123456789abcdef'
const FRAME_LIMIT = 64 * 1024
let server: BrowserServer
let uploads: UploadStore
let grants: FileGrants
let origin: string
let rendererDir: string
let uploadRoot: string
let outside: string

beforeAll(async () => {
  rendererDir = mkdtempSync(join(tmpdir(), 'seqcast-renderer-'))
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Seqcast</title>')
  uploadRoot = mkdtempSync(join(tmpdir(), 'seqcast-upload-root-'))
  outside = mkdtempSync(join(tmpdir(), 'seqcast-outside-'))
  writeFileSync(join(outside, 'secret.csv'), 'secret,value\n1,2\n')
  grants = new FileGrants()
  uploads = new UploadStore(grants, {
    root: uploadRoot,
    limits: { bytes: 1000, count: 3, totalBytes: 2500 },
  })
  const services = createServices({
    info: { name: 'Seqcast', version: 'test', platform: 'test', versions: {} },
    transport: 'browser',
    broadcast: (event, payload) => server?.broadcast(event, payload),
    engine: createEngineFacade(),
    grants,
  })
  server = await startBrowserServer({
    port: 0,
    token,
    rendererDir,
    api: createApi(services.handlers, { refused: BROWSER_REFUSED }),
    uploads,
    maxPayload: FRAME_LIMIT,
  })
  origin = `http://127.0.0.1:${server.port}`
})

afterAll(async () => {
  await server.close()
  uploads.dispose()
  for (const dir of [rendererDir, uploadRoot, outside])
    rmSync(dir, { recursive: true, force: true })
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

  it('refuses paths that leave the renderer folder, sent raw (not URL-normalised)', async () => {
    // http.request sends the path as written: the server sees the `..` segments themselves.
    for (const path of [
      '/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      '/../../../../etc/passwd',
      '/..%2f..%2f..%2f..%2fetc%2fpasswd',
      '/assets/..%5c..%5c..%5cetc%5cpasswd',
    ]) {
      const res = await http(path, { headers: { Host: `127.0.0.1:${server.port}` } })
      expect(res.status, path).toBe(400)
      expect(res.body).not.toContain('root:')
      expect(res.body).not.toContain('<title>')
    }
  })

  it('answers a malformed path with 400 and no stack trace or server path', async () => {
    for (const path of ['/%', '/%E0%A4%A', '/index.html%00.js']) {
      const res = await http(path, { headers: { Host: `127.0.0.1:${server.port}` } })
      expect(res.status, path).toBe(400)
      expect(res.body).not.toMatch(/\bat .*\(|node:internal|URIError/)
      expect(res.body).not.toContain(rendererDir)
      expect(res.body).not.toContain(process.cwd())
    }
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

  it('takes uploads only with the token, then imports them by handle and deletes them', async () => {
    const denied = await upload('a.csv', 'x,y\n1,2\n', { token: false })
    expect(denied.status).toBe(403)
    const res = await upload('../../a b.csv', 'x,y\n1,2\n')
    expect(res.status).toBe(200)
    const { handle, name, bytes } = JSON.parse(res.body) as {
      handle: string
      name: string
      bytes: number
    }
    expect(name).toBe('a b.csv')
    expect(bytes).toBe(8)
    expect(uploads.count).toBe(1)
    const ws = await connect(`/ws?token=${token}`)
    const imported = (await call(ws, 1, 'dataset:import', { jobId: 'j1', source: { handle } })) as {
      ok: true
      value: { dataset: { name: string; rowCount: number } }
    }
    expect(imported.ok).toBe(true)
    expect(imported.value.dataset).toMatchObject({ name: 'a b.csv', rowCount: 1 })
    // imported: the temp file is gone and the handle with it
    expect(uploads.count).toBe(0)
    expect(sessionFiles()).toEqual([])
    const again = (await call(ws, 2, 'dataset:import', { jobId: 'j2', source: { handle } })) as Fail
    expect(again.error.kind).toBe('not-found')
    ws.close()
  })
})

type Fail = {
  ok: false
  error: { kind: string; message: string; details: Record<string, unknown> }
}

function upload(name: string, body: string, options: { token?: boolean } = {}) {
  const query = `name=${encodeURIComponent(name)}${options.token === false ? '' : `&token=${token}`}`
  return http(`/upload?${query}`, {
    method: 'POST',
    headers: { Host: `127.0.0.1:${server.port}`, Origin: origin },
    body,
  })
}

/** Every file under this server's upload folder. */
function sessionFiles(): string[] {
  return readdirSync(uploads.dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name)
}

describe('what the browser transport may touch', () => {
  it('refuses to import a server path: only upload handles are read', async () => {
    const ws = await connect(`/ws?token=${token}`)
    for (const [i, source] of [
      { path: '/etc/passwd' },
      { path: join(outside, 'secret.csv') },
      { uploadId: 'abcdef0123456789' },
      { handle: '/etc/passwd' },
    ].entries()) {
      const res = (await call(ws, i + 1, 'dataset:import', { jobId: `p${i}`, source })) as Fail
      expect(res.ok).toBe(false)
      expect(res.error.kind).toBe('invalid-payload')
      expect(res.error.message).toContain('dataset:import: request.source')
      expect(JSON.stringify(res)).not.toMatch(/root:|secret,value/)
    }
    const path = (await call(ws, 9, 'dataset:import', {
      jobId: 'p9',
      source: { path: '/etc/passwd' },
    })) as Fail
    expect(path.error.message).toBe(
      'dataset:import: request.source: expected { handle } from an open dialog, a dropped file or an upload (files are never opened by path).',
    )
    // a well-formed handle that was never granted
    const forged = (await call(ws, 10, 'model:read', {
      source: { handle: 'AAAAAAAAAAAAAAAAAAAAAAAA' },
    })) as Fail
    expect(forged.error.kind).toBe('not-found')
    expect(forged.error.message).toContain('Choose the file again')
    ws.close()
  })

  it('offers no channel that writes on the server or opens native dialogs', async () => {
    const ws = await connect(`/ws?token=${token}`)
    const target = join(outside, 'written')
    const requests: [string, unknown][] = [
      ['model:write-folder', { dir: target, package: {} }],
      ['model:write-folder', { handle: 'AAAAAAAAAAAAAAAAAAAAAAAA', package: {} }],
      ['dialog:save', { suggestedName: 'x.csv', kind: 'csv' }],
      ['file:write', { handle: 'AAAAAAAAAAAAAAAAAAAAAAAA', data: 'x' }],
      ['dialog:open', { kind: 'csv', multiple: false }],
    ]
    for (const [i, [channel, payload]] of requests.entries()) {
      const res = (await call(ws, i + 1, channel, payload)) as Fail
      expect(res.ok, channel).toBe(false)
      expect(res.error.message).toContain(`${channel} is not offered by the browser transport`)
    }
    expect(existsSync(target)).toBe(false)
    ws.close()
  })

  it('names uploads by their own name in errors, never by the temp path', async () => {
    const res = await upload('empty.csv', '')
    const { handle } = JSON.parse(res.body) as { handle: string }
    const ws = await connect(`/ws?token=${token}`)
    const failed = (await call(ws, 1, 'dataset:import', {
      jobId: 'e1',
      source: { handle },
    })) as Fail
    expect(failed.ok).toBe(false)
    expect(failed.error.message).toContain('empty.csv')
    expect(JSON.stringify(failed)).not.toContain(uploads.dir)
    expect(JSON.stringify(failed)).not.toContain(tmpdir())
    // a failed import keeps the upload (the user may retry); the session end removes it
    grants.release(handle)
    const model = await upload('model.zip', 'PK\u0003\u0004 not really a zip')
    const modelHandle = (JSON.parse(model.body) as { handle: string }).handle
    const bad = (await call(ws, 2, 'model:read', { source: { handle: modelHandle } })) as Fail
    expect(bad.error.message).toContain('model.zip')
    expect(JSON.stringify(bad)).not.toContain(uploads.dir)
    grants.release(modelHandle)
    ws.close()
  })
})

describe('limits of the browser transport', () => {
  it('refuses an upload larger than the limit before storing it, and keeps nothing', async () => {
    const res = await upload('big.csv', 'x\n' + '1\n'.repeat(600))
    expect(res.status).toBe(413)
    const { error } = JSON.parse(res.body) as Fail
    expect(error.kind).toBe('quota')
    expect(error.message).toMatch(/^big\.csv: .* larger than the 1000 bytes an upload may have/)
    expect(sessionFiles()).toEqual([])
  })

  it('refuses more uploads than the quota until earlier ones are imported', async () => {
    const handles: string[] = []
    for (let i = 0; i < 3; i++) {
      const res = await upload(`f${i}.csv`, 'x\n1\n')
      expect(res.status).toBe(200)
      handles.push((JSON.parse(res.body) as { handle: string }).handle)
    }
    const fourth = await upload('f3.csv', 'x\n1\n')
    expect(fourth.status).toBe(413)
    expect((JSON.parse(fourth.body) as Fail).error.message).toContain(
      '3 uploaded files are waiting to be imported already',
    )
    const ws = await connect(`/ws?token=${token}`)
    await call(ws, 1, 'dataset:import', { jobId: 'q1', source: { handle: handles[0] } })
    expect((await upload('f4.csv', 'x\n1\n')).status).toBe(200)
    ws.close()
    grants.clear()
    expect(sessionFiles()).toEqual([])
  })

  it('deletes a partial upload when the client aborts it', async () => {
    await new Promise<void>((resolve, reject) => {
      const socket = netConnect(server.port, '127.0.0.1', () => {
        socket.write(
          `POST /upload?name=part.csv&token=${token} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n` +
            `Origin: ${origin}\r\nContent-Length: 900\r\n\r\nx\n1\n2\n`,
        )
        // wait until the server has created the file, then drop the connection mid-body
        vi.waitFor(() => expect(sessionFiles()).toContain('part.csv'), { timeout: 10_000 })
          .then(() => {
            socket.destroy()
            resolve()
          })
          .catch(reject)
      })
      socket.on('error', () => undefined)
    })
    await vi.waitFor(() => expect(sessionFiles()).toEqual([]), { timeout: 10_000 })
    expect(uploads.count).toBe(0)
  })

  it('closes a socket that sends a frame over the size limit (1009), and serves smaller ones', async () => {
    const ws = await connect(`/ws?token=${token}`)
    expect(await call(ws, 1, 'app:info', {})).toMatchObject({ ok: true })
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)))
    ws.send(new Uint8Array(FRAME_LIMIT + 1))
    expect(await closed).toBe(1009)
  })
})

/** Builds a small test page with Vite and serves a folder on 127.0.0.1 (for tests of renderer modules in Chromium). */
import { createReadStream, existsSync, mkdtempSync, statSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { extname, join, normalize } from 'node:path'
import type { AddressInfo } from 'node:net'
import { ROOT } from './app'

export async function buildPage(root: string): Promise<string> {
  const { build } = await import('vite')
  const outDir = mkdtempSync(join(tmpdir(), 'seqcast-test-page-'))
  await build({
    root,
    base: './',
    configFile: false,
    logLevel: 'error',
    resolve: { alias: { '@shared': join(ROOT, 'src/shared') } },
    build: { outDir, emptyOutDir: true, minify: false },
  })
  return outDir
}

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
}

export async function serveDir(dir: string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = normalize(
      join(dir, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)),
    )
    const file =
      path.startsWith(dir) && existsSync(path) && !statSync(path).isDirectory()
        ? path
        : join(dir, 'index.html')
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' })
    createReadStream(file).pipe(res)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r())
        server.closeAllConnections() // Chromium keeps connections alive; do not wait for them
      }),
  }
}

/**
 * `npm run serve`: the same services as the desktop app behind a loopback WebSocket, serving the
 * built renderer, so the whole UI runs in a plain browser (and is tested in real Chromium).
 *
 *   npm run serve [-- --port N]      (or PORT=N; default 5858, 0 picks a free port)
 */
import { randomBytes } from 'node:crypto'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { appInfo } from './app-info'
import { BROWSER_REFUSED, createApi } from './services/api'
import { createEngineFacade } from './services/engine-facade'
import { createServices } from './services/handlers'
import { UploadStore } from './services/uploads'
import { FileGrants } from './transport/grants'
import { startBrowserServer, type BrowserServer } from './transport/ws-server'

function portFromArgs(argv: string[]): number {
  const i = argv.indexOf('--port')
  const raw =
    i >= 0 ? argv[i + 1] : (argv.find((a) => a.startsWith('--port='))?.slice(7) ?? process.env.PORT)
  if (raw === undefined || raw === '') return 5858
  const port = Number(raw)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port: expected a whole number from 0 to 65535, received "${raw}".\n`)
    process.exit(2)
  }
  return port
}

async function main(): Promise<void> {
  const here = dirname(fileURLToPath(import.meta.url))
  const rendererDir = process.env.SEQCAST_RENDERER_DIR ?? join(here, '../renderer')
  // The page reaches only what it uploads: each upload is a read handle; nothing else is granted.
  const grants = new FileGrants()
  const uploads = new UploadStore(grants)
  const engine = createEngineFacade()
  let server: BrowserServer | undefined
  const services = createServices({
    info: appInfo(),
    transport: 'browser',
    broadcast: (event, payload) => server?.broadcast(event, payload),
    engine,
    grants,
  })
  const api = createApi(services.handlers, { refused: BROWSER_REFUSED })
  const token = process.env.SEQCAST_TOKEN ?? randomBytes(24).toString('base64url')
  let closing = false
  const shutdown = async () => {
    if (closing) return
    closing = true
    services.shutdown()
    await server?.close()
    await engine.dispose()
    uploads.dispose()
    process.exit(0)
  }
  // Registered before "ready" is printed: whoever reads that line may stop us at once, and a
  // signal that lands before its handler exists takes the default action, which skips cleanup.
  // Exiting any other way still deletes this session's uploads (a crash leaves them to the sweep).
  process.on('exit', () => uploads.dispose())
  process.on('SIGINT', () => void shutdown())
  process.on('SIGTERM', () => void shutdown())
  try {
    server = await startBrowserServer({
      port: portFromArgs(process.argv.slice(2)),
      token,
      rendererDir,
      api,
      uploads,
    })
  } catch (error) {
    const e = error as NodeJS.ErrnoException
    process.stderr.write(
      e.code === 'EADDRINUSE'
        ? `Port ${portFromArgs(process.argv.slice(2))} is in use. Pick another with --port N (0 = any free port).\n`
        : `Could not start the server: ${e.message}\n`,
    )
    process.exit(1)
  }
  process.stdout.write(`Seqcast is ready: ${server.url}\n`)
}

void main()

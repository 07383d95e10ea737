/**
 * End-to-end harness: the built server (`node out/main/serve.js --port 0`, nothing is built
 * here) and Chromium driven by playwright-core with a fresh profile per run. Every process
 * started here is stopped by its own handle.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { findChromium } from '../../../scripts/find-tools.mjs'

export const ROOT = resolve(import.meta.dirname, '../../..')
export const ARTIFACTS = join(ROOT, 'test-artifacts', 'e2e')

let chromiumPath: string | undefined
/** The Chromium that npm test's first step (scripts/prereqs.mjs) found or installed. */
export function chromiumExecutable(): string {
  if (chromiumPath === undefined) {
    const { found } = findChromium()
    if (!found) {
      throw new Error('no Chromium: run `node scripts/prereqs.mjs` (npm test runs it first)')
    }
    chromiumPath = found.path
  }
  return chromiumPath
}

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export interface Server {
  url: string
  origin: string
  port: number
  process: ChildProcess
  output: () => string
  stop(): Promise<void>
}

/**
 * Starts the server and waits for the URL it prints. `SEQCAST_E2E_SERVE` may replace the
 * command (e.g. `node --import tsx src/core/serve.ts` while developing).
 */
export async function startServer(
  options: { port?: number; env?: Record<string, string> } = {},
): Promise<Server> {
  const command = (process.env.SEQCAST_E2E_SERVE ?? 'node out/main/serve.js').split(' ')
  const child = spawn(command[0], [...command.slice(1), '--port', String(options.port ?? 0)], {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()))
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server did not print its URL within 60 s:\n${output}`)),
      60_000,
    )
    const check = () => {
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[^\s]+)/.exec(output)
      if (m) {
        clearTimeout(timer)
        resolveUrl(m[1])
      }
    }
    child.stdout!.on('data', check)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`server exited with ${code} before it was ready:\n${output}`))
    })
  })
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise<void>((r) => child.once('exit', () => r()))
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
    await exited
    clearTimeout(timer)
  }
  return {
    url,
    origin: new URL(url).origin,
    port: Number(new URL(url).port),
    process: child,
    output: () => output,
    stop,
  }
}

export interface Browser {
  context: BrowserContext
  page: Page
  profile: string
  downloads: string
  /** Console errors and uncaught page errors seen so far (CSP violations included). */
  errors: string[]
  /** Closes Chromium, keeping the profile (a relaunch on it finds the same IndexedDB). */
  close(): Promise<void>
  /** Closes Chromium and removes its profile and downloads folders. */
  dispose(): Promise<void>
}

/** Chromium with a persistent profile (real IndexedDB that survives a reload or a relaunch). */
export async function launchBrowser(
  profile = mkdtempSync(join(tmpdir(), 'seqcast-e2e-profile-')),
): Promise<Browser> {
  const downloads = mkdtempSync(join(tmpdir(), 'seqcast-e2e-downloads-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumExecutable(),
    headless: true,
    args: CHROMIUM_ARGS,
    acceptDownloads: true,
    downloadsPath: downloads,
    viewport: { width: 1440, height: 900 },
    deviceScaleFactor: 1,
  })
  const page = context.pages()[0] ?? (await context.newPage())
  const errors: string[] = []
  const watch = (p: Page) => {
    p.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text())
    })
    p.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
  }
  watch(page)
  context.on('page', watch)
  const close = () => context.close().catch(() => {})
  return {
    context,
    page,
    profile,
    downloads,
    errors,
    close,
    async dispose() {
      await close()
      removeDir(profile)
      removeDir(downloads)
    },
  }
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true })
  const path = join(ARTIFACTS, `${name}.png`)
  await page.screenshot({ path, fullPage: false })
  return path
}

/** Writes a Jena-format CSV (scripts/make-jena-like.mjs, deterministic per seed) to `path`. */
export function makeJenaLike(path: string, args: string[]): string {
  const csv = execFileSync('node', [join(ROOT, 'scripts/make-jena-like.mjs'), ...args], {
    maxBuffer: 1 << 30,
  })
  writeFileSync(path, csv)
  return path
}

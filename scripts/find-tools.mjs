// Finds the programs Seqcast's tests and launcher use. scripts/prereqs.mjs (npm test's first
// step), the end-to-end harness (test/e2e/helpers/app.ts), the kernel build (build-kernels.mjs
// and its check) and scripts/launch-electron.mjs all ask this module, so they agree on what is
// there. Nothing here installs or downloads anything.
//
// Environment:
//   CHROMIUM_PATH                 use this browser and no other
//   SEQCAST_CHROMIUM_CANDIDATES   ':'-separated search list instead of the default
//                                 (/usr/bin/chromium:chromium:chromium-browser:google-chrome);
//                                 a name without '/' is looked up on PATH
//   CLANG, WASM_LD                the kernel toolchain's names or paths
//   SEQCAST_ELECTRON_DIR          the electron package folder (default: node_modules/electron)
//   ELECTRON_OVERRIDE_DIST_PATH   Electron's own override of its binary's folder
import { spawnSync } from 'node:child_process'
import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  openSync,
  readFileSync,
  readSync,
  realpathSync,
  statSync,
} from 'node:fs'
import { createRequire } from 'node:module'
import { delimiter, dirname, join } from 'node:path'

export const DEFAULT_CHROMIUM_CANDIDATES = [
  '/usr/bin/chromium',
  'chromium',
  'chromium-browser',
  'google-chrome',
]

/** The executable file `name` stands for: a path as given, a bare name looked up on PATH. */
export function resolveExecutable(name, env = process.env) {
  const dirs = name.includes('/') ? [''] : (env.PATH ?? '').split(delimiter).filter(Boolean)
  for (const dir of dirs) {
    const path = dir ? join(dir, name) : name
    try {
      accessSync(path, constants.X_OK)
      if (statSync(path).isFile()) return path
    } catch {
      // not here
    }
  }
  return null
}

/** The first line `path --version` prints, or null when it does not run or fails. */
function versionOf(path) {
  const run = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 30_000 })
  if (run.status !== 0) return null
  return run.stdout.split('\n')[0].trim() || null
}

// Ubuntu's `chromium-browser` deb installs only a shell script that runs the snap (or asks for
// it); a snap browser has its own private /tmp, where it cannot see the profiles the tests make.
function isSnap(path) {
  const real = realpathSync(path)
  if (real.startsWith('/snap/') || real.endsWith('/snap')) return true
  const head = Buffer.alloc(8192)
  const fd = openSync(real, 'r')
  const text = head.subarray(0, readSync(fd, head, 0, head.length, 0)).toString('latin1')
  closeSync(fd)
  return text.startsWith('#!') && /\/snap\/|snap install/.test(text)
}

/** Why `name` is no usable browser, or null when it is one (then `version` is set). */
function checkBrowser(name, env) {
  const path = resolveExecutable(name, env)
  if (!path) return { reason: name.includes('/') ? 'not an executable file' : 'not on PATH' }
  if (isSnap(path)) return { path, reason: 'a snap wrapper, not a browser' }
  const version = versionOf(path)
  if (!version) return { path, reason: '`--version` failed' }
  return { path, version, reason: null }
}

/**
 * The browser for the end-to-end tests: `found` ({path, version}) or null, and `passedOver`,
 * the candidates that exist but were refused, with why.
 */
export function findChromium(env = process.env) {
  const explicit = env.CHROMIUM_PATH
  const candidates = explicit
    ? [explicit]
    : env.SEQCAST_CHROMIUM_CANDIDATES
      ? env.SEQCAST_CHROMIUM_CANDIDATES.split(':').filter(Boolean)
      : DEFAULT_CHROMIUM_CANDIDATES
  const passedOver = []
  for (const name of candidates) {
    const checked = checkBrowser(name, env)
    if (checked.reason === null) {
      return { found: { path: checked.path, version: checked.version }, passedOver }
    }
    if (checked.path || explicit) passedOver.push(`${checked.path ?? name}: ${checked.reason}`)
  }
  return { found: null, passedOver }
}

function firstRunnable(names, env) {
  for (const name of names) {
    const path = resolveExecutable(name, env)
    const version = path && versionOf(path)
    if (version) return { path, version }
  }
  return null
}

/** clang and wasm-ld for the WebAssembly kernels, or null when either is missing. */
export function findToolchain(env = process.env) {
  const clang = firstRunnable(env.CLANG ? [env.CLANG] : ['clang', 'clang-14'], env)
  const wasmLd = firstRunnable(env.WASM_LD ? [env.WASM_LD] : ['wasm-ld', 'wasm-ld-14'], env)
  if (!clang || !wasmLd) return null
  return {
    clang: clang.path,
    wasmLd: wasmLd.path,
    version: clang.version,
    ldVersion: wasmLd.version,
  }
}

/** The electron package folder, whose install.js is Electron's own binary installer. */
export function electronDir(env = process.env) {
  if (env.SEQCAST_ELECTRON_DIR) return env.SEQCAST_ELECTRON_DIR
  return dirname(createRequire(import.meta.url).resolve('electron/package.json'))
}

/**
 * Electron's binary where its installer put it (path.txt names it inside dist/), or null. It
 * never downloads: `require('electron')` would, so this reads the files the way Electron does.
 */
export function findElectron(env = process.env) {
  const dir = electronDir(env)
  const pathFile = join(dir, 'path.txt')
  const name = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : ''
  const dist = env.ELECTRON_OVERRIDE_DIST_PATH
  if (!dist && !name) return null
  const binary = dist ? join(dist, name || 'electron') : join(dir, 'dist', name)
  return existsSync(binary) ? binary : null
}

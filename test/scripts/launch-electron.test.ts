/**
 * scripts/launch-electron.mjs (npm start / npm run dev) on a copy of the electron package in a
 * temp folder, so the real node_modules/electron is never written to. SEQCAST_LAUNCH_DRY_RUN
 * makes it print the electron-vite command it has reached instead of opening a window.
 */
import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { zipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { ROOT, runScript, tempDir } from './helpers'

const realElectron = dirname(createRequire(import.meta.url).resolve('electron/package.json'))
const { version, files } = JSON.parse(readFileSync(join(realElectron, 'package.json'), 'utf8')) as {
  version: string
  files: string[]
}

/** The electron package as npm installs it (no binary, no path.txt), in a temp folder. */
function electronPackage(): string {
  const dir = tempDir()
  for (const file of [...files, 'package.json']) {
    copyFileSync(join(realElectron, file), join(dir, file))
  }
  return dir
}

/** The launcher with the temp package, an empty download cache and Electron's deps on NODE_PATH. */
function launch(dir: string, mode: string, env: NodeJS.ProcessEnv = {}) {
  return runScript('launch-electron.mjs', [mode], {
    SEQCAST_ELECTRON_DIR: dir,
    SEQCAST_LAUNCH_DRY_RUN: '1',
    NODE_PATH: join(ROOT, 'node_modules'), // the copied install.js requires @electron/get
    electron_config_cache: tempDir(),
    ELECTRON_GET_NO_PROGRESS: '1',
    ...env,
  })
}

describe('npm start / npm run dev (scripts/launch-electron.mjs)', () => {
  it.each(['preview', 'dev'])(
    'with the binary present goes straight to electron-vite %s',
    async (mode) => {
      const dir = electronPackage()
      writeFileSync(join(dir, 'path.txt'), 'electron')
      mkdirSync(join(dir, 'dist'))
      writeFileSync(join(dir, 'dist/electron'), '')
      const run = await launch(dir, mode)
      expect(run).toEqual({
        code: 0,
        stdout: `would run: ELECTRON_EXEC_PATH=${join(dir, 'dist/electron')} electron-vite ${mode}\n`,
        stderr: '',
      })
    },
  )

  it('says in one line that the download failed and offers npm run serve, exit status 69', async () => {
    const dir = electronPackage()
    const run = await launch(dir, 'preview', { ELECTRON_MIRROR: 'http://127.0.0.1:9/' })
    expect(run.code).toBe(69)
    expect(run.stderr).toMatch(
      /^Electron's binary could not be downloaded \([^\n]+\): `npm run serve` runs the same app in your browser \(or set ELECTRON_MIRROR to a reachable mirror and retry\)\.\n$/,
    )
    expect(run.stdout).not.toContain('would run')
    expect(existsSync(join(dir, 'path.txt'))).toBe(false)
  })

  // The zip holds the layout of Electron's Linux release (the binary is `electron` at its top).
  it.skipIf(process.platform !== 'linux')(
    "with the binary missing fetches it from ELECTRON_MIRROR through Electron's installer, then launches",
    async () => {
      const dir = electronPackage()
      const zipName = `electron-v${version}-linux-${process.arch}.zip`
      const zip = zipSync({ electron: new TextEncoder().encode('#!/bin/sh\n') })
      // The installer checks the download against the package's checksums.json.
      const sha256 = createHash('sha256').update(zip).digest('hex')
      writeFileSync(join(dir, 'checksums.json'), JSON.stringify({ [zipName]: sha256 }))
      const asked: string[] = []
      const mirror = createServer((req, res) => {
        asked.push(req.url!)
        if (req.url === `/v${version}/${zipName}`) res.end(zip)
        else res.writeHead(404).end()
      })
      await new Promise<void>((r) => mirror.listen(0, '127.0.0.1', r))
      try {
        const port = (mirror.address() as AddressInfo).port
        const run = await launch(dir, 'preview', { ELECTRON_MIRROR: `http://127.0.0.1:${port}/` })
        expect(run.stderr).toBe('')
        expect(run.code).toBe(0)
        expect(asked).toEqual([`/v${version}/${zipName}`])
        expect(readFileSync(join(dir, 'path.txt'), 'utf8')).toBe('electron')
        expect(run.stdout).toContain(
          `would run: ELECTRON_EXEC_PATH=${join(dir, 'dist/electron')} electron-vite preview\n`,
        )
      } finally {
        mirror.close()
      }
    },
  )
})

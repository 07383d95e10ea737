/**
 * scripts/find-tools.mjs, the one finder of the browser, the kernel toolchain and Electron's
 * binary: stub programs in temp folders stand in for the real ones.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { findChromium, findElectron, findToolchain } from '../../scripts/find-tools.mjs'
import { tempDir, writeScript, writeVersionStub } from './helpers'

describe('findChromium', () => {
  it('takes the first runnable candidate, passing over a snap wrapper', () => {
    const dir = tempDir()
    const snap = writeScript(join(dir, 'chromium-browser'), 'exec /snap/bin/chromium "$@"')
    const first = writeVersionStub(join(dir, 'a/chromium'), 'Chromium 1.0 stub')
    writeVersionStub(join(dir, 'b/chromium'), 'Chromium 2.0 stub')
    const candidates = [join(dir, 'absent'), snap, first, join(dir, 'b/chromium')].join(':')
    expect(findChromium({ SEQCAST_CHROMIUM_CANDIDATES: candidates })).toEqual({
      found: { path: first, version: 'Chromium 1.0 stub' },
      passedOver: [`${snap}: a snap wrapper, not a browser`],
    })
  })

  it('looks a bare name up on PATH', () => {
    const dir = tempDir()
    const chrome = writeVersionStub(join(dir, 'bin/my-chrome'), 'Google Chrome 3.0')
    const env = {
      PATH: `${join(dir, 'empty')}:${join(dir, 'bin')}`,
      SEQCAST_CHROMIUM_CANDIDATES: 'my-chrome',
    }
    expect(findChromium(env).found).toEqual({ path: chrome, version: 'Google Chrome 3.0' })
  })

  it('uses CHROMIUM_PATH and nothing else when it is set', () => {
    const dir = tempDir()
    const listed = writeVersionStub(join(dir, 'listed'), 'Chromium 1.0')
    const chosen = writeVersionStub(join(dir, 'chosen'), 'Chromium 9.0')
    const notExecutable = join(dir, 'plain')
    writeFileSync(notExecutable, 'not a program')
    expect(
      findChromium({ CHROMIUM_PATH: chosen, SEQCAST_CHROMIUM_CANDIDATES: listed }).found?.path,
    ).toBe(chosen)
    expect(
      findChromium({ CHROMIUM_PATH: notExecutable, SEQCAST_CHROMIUM_CANDIDATES: listed }),
    ).toEqual({
      found: null,
      passedOver: [`${notExecutable}: not an executable file`],
    })
  })

  it('refuses a program whose --version fails', () => {
    const broken = writeScript(join(tempDir(), 'chromium'), 'exit 3')
    expect(findChromium({ SEQCAST_CHROMIUM_CANDIDATES: broken })).toEqual({
      found: null,
      passedOver: [`${broken}: \`--version\` failed`],
    })
  })
})

describe('findToolchain', () => {
  it('reports both tools with the first line of their --version', () => {
    const dir = tempDir()
    const clang = writeScript(
      join(dir, 'clang'),
      'echo "Some clang version 14.0.6"; echo "Target: x"',
    )
    const wasmLd = writeVersionStub(join(dir, 'wasm-ld'), 'Some LLD 14.0.6')
    expect(findToolchain({ CLANG: clang, WASM_LD: wasmLd })).toEqual({
      clang,
      wasmLd,
      version: 'Some clang version 14.0.6',
      ldVersion: 'Some LLD 14.0.6',
    })
  })

  it('is null when either tool is missing', () => {
    const clang = writeVersionStub(join(tempDir(), 'clang'), 'clang 14')
    expect(findToolchain({ CLANG: clang, WASM_LD: '/nonexistent/wasm-ld' })).toBeNull()
  })
})

describe('findElectron', () => {
  /** An electron package folder as Electron's installer leaves it (path.txt names the binary). */
  function installedElectron(): { dir: string; binary: string } {
    const dir = tempDir()
    writeFileSync(join(dir, 'path.txt'), 'electron')
    mkdirSync(join(dir, 'dist'))
    const binary = join(dir, 'dist/electron')
    writeFileSync(binary, '')
    chmodSync(binary, 0o755)
    return { dir, binary }
  }

  it('finds the binary path.txt names in dist/', () => {
    const { dir, binary } = installedElectron()
    expect(findElectron({ SEQCAST_ELECTRON_DIR: dir })).toBe(binary)
  })

  it('is null before the installer ran (no path.txt) or when the binary is gone', () => {
    expect(findElectron({ SEQCAST_ELECTRON_DIR: tempDir() })).toBeNull()
    const { dir } = installedElectron()
    writeFileSync(join(dir, 'path.txt'), 'other-name')
    expect(findElectron({ SEQCAST_ELECTRON_DIR: dir })).toBeNull()
  })

  it("follows Electron's ELECTRON_OVERRIDE_DIST_PATH", () => {
    const override = tempDir()
    const binary = join(override, 'electron')
    writeFileSync(binary, '')
    expect(
      findElectron({ SEQCAST_ELECTRON_DIR: tempDir(), ELECTRON_OVERRIDE_DIST_PATH: override }),
    ).toBe(binary)
  })
})

/**
 * scripts/prereqs.mjs, npm test's first step, run as a child process on stand-ins: a fake
 * os-release, stub browsers and toolchains, and fake apt-get / sudo first on PATH that record
 * what they were asked (so nothing is ever really installed).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runScript, tempDir, writeScript, writeVersionStub } from './helpers'

// What the one-line instruction starts with: root needs no sudo (as the script decides).
const SUDO = process.getuid?.() === 0 ? '' : 'sudo '

/**
 * A machine: `distro` os-release, clang + lld present, no browser, fake apt-get and sudo. With
 * `staleLists` apt-get install fails until apt-get update ran, as on a fresh Debian image.
 */
function machine(distro: string, { staleLists = false } = {}) {
  const dir = tempDir()
  const bin = join(dir, 'bin')
  const aptLog = join(dir, 'apt-get.log')
  const updated = join(dir, 'updated')
  const browser = join(dir, 'usr/bin/chromium') // where the fake apt-get "installs" Chromium
  writeScript(
    join(bin, 'apt-get'),
    `echo "$@" >> '${aptLog}'\n` +
      `if [ "$1" = update ]; then touch '${updated}'; exit 0; fi\n` +
      (staleLists ? `[ -e '${updated}' ] || exit 100\n` : '') +
      `mkdir -p '${join(dir, 'usr/bin')}' && printf '#!/bin/sh\\necho "Chromium 7.0 from apt"\\n' > '${browser}' && chmod 755 '${browser}'`,
  )
  writeScript(join(bin, 'sudo'), '[ "$1" = -n ] && shift\nexec "$@"')
  writeFileSync(join(dir, 'os-release'), distro)
  const env = {
    PATH: `${bin}:${process.env.PATH}`,
    TMPDIR: dir, // apt-get's log goes to a folder in here
    SEQCAST_OS_RELEASE: join(dir, 'os-release'),
    SEQCAST_CHROMIUM_CANDIDATES: browser,
    CLANG: writeVersionStub(join(dir, 'clang'), 'Stub clang version 14'),
    WASM_LD: writeVersionStub(join(dir, 'wasm-ld'), 'Stub LLD 14'),
  }
  const aptCalls = () => (existsSync(aptLog) ? readFileSync(aptLog, 'utf8').trim().split('\n') : [])
  return { dir, env, browser, aptCalls }
}

const DEBIAN = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n'
const UBUNTU = 'NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\n'

describe('node scripts/prereqs.mjs', () => {
  it('stops with the apt-get command to run when no browser is found and installing is off', async () => {
    const m = machine(DEBIAN)
    const run = await runScript('prereqs.mjs', [], { ...m.env, SEQCAST_NO_INSTALL: '1' })
    expect(run.code).toBe(1)
    expect(run.stderr).toBe(
      `prereqs: no Chromium for the end-to-end tests (SEQCAST_NO_INSTALL=1): run \`${SUDO}apt-get install -y --no-install-recommends chromium\` (or set CHROMIUM_PATH), then \`npm test\`\n`,
    )
    expect(m.aptCalls()).toEqual([])
  })

  it('uses and reports the browser CHROMIUM_PATH names', async () => {
    const m = machine(DEBIAN)
    const browser = writeVersionStub(join(m.dir, 'my/chrome'), 'Chromium 99.1 stub')
    const run = await runScript('prereqs.mjs', [], { ...m.env, CHROMIUM_PATH: browser })
    expect(run.code).toBe(0)
    expect(run.stdout).toBe(
      `prereqs: Chromium: Chromium 99.1 stub (${browser})\nprereqs: clang + lld: Stub clang version 14, Stub LLD 14\n`,
    )
    expect(m.aptCalls()).toEqual([])
  })

  it('stops when CHROMIUM_PATH is no program, without looking elsewhere', async () => {
    const m = machine(DEBIAN)
    writeVersionStub(m.browser, 'Chromium 1.0') // would be found if CHROMIUM_PATH were ignored
    const run = await runScript('prereqs.mjs', [], { ...m.env, CHROMIUM_PATH: join(m.dir, 'nope') })
    expect(run.code).toBe(1)
    expect(run.stderr).toBe(
      `prereqs: CHROMIUM_PATH is no runnable Chromium (${join(m.dir, 'nope')}: not an executable file): point it at one or unset it, then run \`npm test\`\n`,
    )
  })

  it('installs a missing browser with apt-get and goes on with it', async () => {
    const m = machine(DEBIAN)
    const run = await runScript('prereqs.mjs', [], m.env)
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(m.aptCalls()).toEqual(['install -y --no-install-recommends chromium'])
    expect(run.stdout).toContain(`prereqs: Chromium: Chromium 7.0 from apt (${m.browser})\n`)
  })

  it('runs apt-get update and installs again when the package lists are stale', async () => {
    const m = machine(DEBIAN, { staleLists: true })
    const run = await runScript('prereqs.mjs', [], m.env)
    expect(run.code).toBe(0)
    const install = 'install -y --no-install-recommends chromium'
    expect(m.aptCalls()).toEqual([install, 'update', install])
  })

  it('says the kernel check will be skipped when clang + lld are missing and cannot be installed', async () => {
    const m = machine(DEBIAN)
    const browser = writeVersionStub(m.browser, 'Chromium 1.0')
    const env = { ...m.env, CLANG: join(m.dir, 'no-clang'), SEQCAST_NO_INSTALL: '1' }
    const run = await runScript('prereqs.mjs', [], env)
    expect(run.code).toBe(0)
    expect(run.stdout).toBe(
      `prereqs: Chromium: Chromium 1.0 (${browser})\n` +
        `prereqs: clang + lld not found, so the kernel rebuild check will report itself skipped (to run it: \`${SUDO}apt-get install -y --no-install-recommends clang lld\`)\n`,
    )
  })

  it("on Ubuntu passes over the snap stub and names no apt package (apt's is the stub)", async () => {
    const m = machine(UBUNTU)
    const stub = writeScript(
      join(m.dir, 'usr/bin/chromium-browser'),
      'echo "Command requires the chromium snap: snap install chromium" >&2\nexit 1',
    )
    const env = { ...m.env, SEQCAST_CHROMIUM_CANDIDATES: `${m.browser}:${stub}` }
    const run = await runScript('prereqs.mjs', [], env)
    expect(run.code).toBe(1)
    expect(run.stderr).toBe(
      `prereqs: no Chromium for the end-to-end tests (${stub}: a snap wrapper, not a browser; Ubuntu's apt has only a snap stub): install Chromium or Google Chrome, or run \`CHROMIUM_PATH=/path/to/chromium npm test\`\n`,
    )
    expect(m.aptCalls()).toEqual([])
  })
})

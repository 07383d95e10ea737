#!/usr/bin/env node
// npm test's first step: the system programs the tests use, found by find-tools.mjs (which the
// tests themselves ask too), installed with apt-get where they are missing and the machine allows
// it (Debian or Ubuntu, root or passwordless sudo), or else one line saying what to run.
//
//   Chromium      the end-to-end tests; without one this stops with exit status 1
//   clang + lld   the kernel rebuild check; without them that test reports itself skipped
//
// Environment (besides find-tools.mjs's): SEQCAST_NO_INSTALL=1 never installs;
// SEQCAST_OS_RELEASE reads another file than /etc/os-release.
import { spawnSync } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { findChromium, findToolchain, resolveExecutable } from './find-tools.mjs'

const env = process.env
const say = (line) => console.log(`prereqs: ${line}`)

/** ID and ID_LIKE of the os-release file, as one list ("ubuntu", "debian", …). */
function distroIds() {
  const file = env.SEQCAST_OS_RELEASE ?? '/etc/os-release'
  let text = ''
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return []
  }
  const field = (key) =>
    new RegExp(`^${key}=["']?([^"'\\n]*)`, 'm').exec(text)?.[1].toLowerCase().split(/\s+/) ?? []
  return [...field('ID'), ...field('ID_LIKE')].filter(Boolean)
}

const ids = distroIds()
// Ubuntu's apt has no Chromium of its own (its chromium-browser package only runs the snap).
const ubuntu = ids.includes('ubuntu')
const apt = (ubuntu || ids.includes('debian')) && resolveExecutable('apt-get', env) !== null
const root = process.getuid?.() === 0
const aptLine = (packages) =>
  `${root ? '' : 'sudo '}apt-get install -y --no-install-recommends ${packages.join(' ')}`

/** Why apt-get may not be run here, or null when it may. */
function noInstall() {
  if (env.SEQCAST_NO_INSTALL === '1') return 'SEQCAST_NO_INSTALL=1'
  if (root) return null
  const sudo = resolveExecutable('sudo', env) && spawnSync('sudo', ['-n', 'true']).status === 0
  return sudo ? null : 'installing needs root or passwordless sudo'
}

/** apt-get install (after apt-get update when the package lists are stale); true when it worked. */
function aptInstall(packages, log) {
  say(`installing ${packages.join(' ')} with apt-get (log: ${log})`)
  const fd = openSync(log, 'w')
  const [command, ...prefix] = root ? ['env'] : ['sudo', '-n', 'env']
  const run = (args) =>
    spawnSync(command, [...prefix, 'DEBIAN_FRONTEND=noninteractive', 'apt-get', ...args], {
      stdio: ['ignore', fd, fd],
    }).status === 0
  const install = ['install', '-y', '--no-install-recommends', ...packages]
  const ok = run(install) || (run(['update']) && run(install))
  closeSync(fd)
  return ok
}

function main() {
  let chromium = findChromium(env)
  let toolchain = findToolchain(env)
  const missing = (notes) =>
    `prereqs: no Chromium for the end-to-end tests${notes.length ? ` (${notes.join('; ')})` : ''}`

  if (!chromium.found && env.CHROMIUM_PATH) {
    console.error(
      `prereqs: CHROMIUM_PATH is no runnable Chromium (${chromium.passedOver.join('; ')}): point it at one or unset it, then run \`npm test\``,
    )
    return 1
  }
  if (!chromium.found && (!apt || ubuntu)) {
    const notes = [...chromium.passedOver, ...(ubuntu ? ["Ubuntu's apt has only a snap stub"] : [])]
    console.error(
      `${missing(notes)}: install Chromium or Google Chrome, or run \`CHROMIUM_PATH=/path/to/chromium npm test\``,
    )
    return 1
  }

  const wanted = [...(chromium.found ? [] : ['chromium']), ...(toolchain ? [] : ['clang', 'lld'])]
  const refusal = wanted.length === 0 ? null : apt ? noInstall() : 'no apt-get'
  let failed = false
  let log = ''
  if (wanted.length > 0 && refusal === null) {
    log = join(mkdtempSync(join(tmpdir(), 'seqcast-prereqs-')), 'apt-get.log')
    failed = !aptInstall(wanted, log)
    chromium = findChromium(env)
    toolchain = findToolchain(env)
  }

  if (!chromium.found) {
    const why =
      refusal ?? (failed ? `apt-get failed, see ${log}` : 'apt-get installed no usable one')
    console.error(
      `${missing([...chromium.passedOver, why])}: run \`${aptLine(['chromium'])}\` (or set CHROMIUM_PATH), then \`npm test\``,
    )
    return 1
  }
  say(`Chromium: ${chromium.found.version} (${chromium.found.path})`)
  if (toolchain) {
    say(`clang + lld: ${toolchain.version}, ${toolchain.ldVersion}`)
  } else {
    const how = apt ? `\`${aptLine(['clang', 'lld'])}\`` : 'install clang and lld'
    say(
      `clang + lld not found, so the kernel rebuild check will report itself skipped (to run it: ${how})`,
    )
  }
  return 0
}

process.exitCode = main()

#!/usr/bin/env node
// `npm start` (electron-vite preview) and `npm run dev` (electron-vite dev), Electron's binary
// first. Electron 45 downloads its binary only when first asked for it, and electron-vite stops
// with a stack trace ("Electron uninstall") when it is missing, so this runs Electron's own
// installer (install.js in the electron package: it honours ELECTRON_MIRROR,
// electron_config_cache and the rest of @electron/get's settings) before electron-vite.
//
//   node scripts/launch-electron.mjs preview|dev [electron-vite options]
//
// Exit status: electron-vite's; 69 (EX_UNAVAILABLE) when the binary cannot be downloaded, after
// one line that says so and offers `npm run serve`; 64 for a wrong mode.
// SEQCAST_LAUNCH_DRY_RUN=1 prints the command it would run instead of running it (the tests).
import { spawn, spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { electronDir, findElectron } from './find-tools.mjs'

const EXIT_UNAVAILABLE = 69

/** Runs Electron's installer; the error it ended with (its stack's first line), or null. */
function installElectron(dir) {
  console.log("Fetching Electron's binary with Electron's installer (first start only)…")
  const run = spawnSync(process.execPath, [join(dir, 'install.js')], {
    stdio: ['ignore', 'inherit', 'pipe'],
    encoding: 'utf8',
  })
  if (run.error) return run.error.message
  if (run.status === 0) return null
  const first = run.stderr.split('\n').find((line) => line.trim()) ?? `exit status ${run.status}`
  return first.replace(/^\w*Error: /, '').trim()
}

async function main([mode, ...rest]) {
  if (mode !== 'preview' && mode !== 'dev') {
    console.error('usage: node scripts/launch-electron.mjs preview|dev [electron-vite options]')
    return 64
  }
  let binary = findElectron()
  if (!binary) {
    const failure = installElectron(electronDir())
    binary = findElectron()
    if (!binary) {
      const why = failure ?? 'the installer left no binary'
      console.error(
        `Electron's binary could not be downloaded (${why}): \`npm run serve\` runs the same app in your browser (or set ELECTRON_MIRROR to a reachable mirror and retry).`,
      )
      return EXIT_UNAVAILABLE
    }
  }
  const require = createRequire(import.meta.url)
  const pkg = require.resolve('electron-vite/package.json')
  const cli = join(dirname(pkg), require(pkg).bin['electron-vite'])
  if (process.env.SEQCAST_LAUNCH_DRY_RUN === '1') {
    console.log(
      `would run: ELECTRON_EXEC_PATH=${binary} electron-vite ${[mode, ...rest].join(' ')}`,
    )
    return 0
  }
  // electron-vite takes the binary from ELECTRON_EXEC_PATH before it looks for path.txt.
  const child = spawn(process.execPath, [cli, mode, ...rest], {
    stdio: 'inherit',
    env: { ...process.env, ELECTRON_EXEC_PATH: binary },
  })
  // Ctrl+C reaches the child from the terminal too: wait for it to exit. Pass a kill on.
  process.on('SIGINT', () => {})
  process.on('SIGTERM', () => child.kill('SIGTERM'))
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)))
}

process.exitCode = await main(process.argv.slice(2))

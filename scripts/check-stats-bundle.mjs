/**
 * Builds src/core/stats the way `npm run build` builds the main-process entries (electron-vite's
 * main config: ESM, dependencies external), then fits every statistical model inside a
 * worker_threads Worker that imports the built file, as the engine worker (out/main/worker.js)
 * will. Proves that the `arima` package's WebAssembly is found from the built output: the package
 * embeds its .wasm in a JavaScript file and stays in node_modules, so nothing needs copying.
 *
 *   node scripts/check-stats-bundle.mjs
 */
import { resolveConfig } from 'electron-vite'
import { build } from 'vite'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { Worker } from 'node:worker_threads'

const root = resolve(import.meta.dirname, '..')
const outDir = join(root, 'out', 'stats-check')
rmSync(outDir, { recursive: true, force: true })
// The main-process config of electron.vite.config.ts as `npm run build` resolves it (dependencies
// external, Node target), with the stats module as its only entry.
const resolved = await resolveConfig({ root, logLevel: 'warn' }, 'build', 'production')
const main = resolved.config.main
const input = { stats: resolve(root, 'src/core/stats/index.ts') }
await build({
  ...main,
  build: {
    ...main.build,
    outDir,
    emptyOutDir: true,
    rollupOptions: { ...main.build.rollupOptions, input },
    rolldownOptions: { ...main.build.rolldownOptions, input },
  },
})
mkdirSync(outDir, { recursive: true })
const probe = join(outDir, 'probe.mjs')
writeFileSync(
  probe,
  `import { parentPort } from 'node:worker_threads'
import { fitStatModel, forecastWindows, statModelName } from './stats.js'
const y = Float64Array.from({ length: 240 }, (_, t) => 100 + t + 10 * Math.sin((2 * Math.PI * t) / 12) + ((t * 7919) % 13) / 13)
const out = {}
for (const kind of ['ets', 'arima', 'theta', 'mstl']) {
  const fitted = fitStatModel(kind, y.subarray(0, 200), { seasons: [12] })
  const f = forecastWindows(fitted, y, Int32Array.of(199, 220), 1, 2)
  out[kind] = { name: statModelName(fitted), forecasts: Array.from(f) }
}
parentPort.postMessage(out)
`,
)
const result = await new Promise((resolveResult, reject) => {
  const worker = new Worker(probe)
  worker.once('message', resolveResult)
  worker.once('error', reject)
})
for (const [kind, { name, forecasts }] of Object.entries(result)) {
  if (!forecasts.every(Number.isFinite))
    throw new Error(`${kind}: non-finite forecasts from the built bundle`)
  console.log(
    `${kind.padEnd(6)} ${name.padEnd(32)} ${forecasts.map((v) => v.toFixed(2)).join(' ')}`,
  )
}
console.log(`stats bundle: all models fitted inside a worker thread from ${outDir}`)

/**
 * The statistical models as the built main-process code loads them: scripts/check-stats-bundle.mjs
 * builds src/core/stats with the main config of electron.vite.config.ts and fits every model in a
 * worker_threads Worker that imports the built file (the `arima` WebAssembly comes from
 * node_modules at run time).
 */
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'

describe('statistical models in the built output', () => {
  it('fit and forecast inside a worker thread', () => {
    const r = spawnSync(process.execPath, ['scripts/check-stats-bundle.mjs'], { encoding: 'utf8' })
    expect(r.stderr).not.toMatch(/Error/)
    expect(r.status).toBe(0)
    for (const name of [
      /^ets\s+ETS\(/m,
      /^arima\s+ARIMA\(/m,
      /^theta\s+Theta/m,
      /^mstl\s+MSTL\[12\]/m,
    ]) {
      expect(r.stdout).toMatch(name)
    }
    expect(r.stdout).toMatch(/all models fitted inside a worker thread/)
  })
})

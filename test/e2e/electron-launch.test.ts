/**
 * Launches the real desktop app where an Electron binary is present. These machines cannot
 * download one, so here the test reports itself skipped; on a developer's machine
 * (`npm start` fetches one) it runs.
 */
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { findElectron } from '../../scripts/find-tools.mjs'

const root = resolve(__dirname, '../..')

const binary = findElectron()
if (!binary) {
  console.warn(
    'electron-launch: skipped — no Electron binary here (`npm start` fetches it where it can).',
  )
}

describe.skipIf(!binary)('desktop app (Electron)', () => {
  it('opens one secure window with the typed bridge and no Node in the page', async () => {
    const { _electron } = await import('playwright-core')
    const app = await _electron.launch({
      executablePath: binary!,
      args: [join(root, 'out/main/index.js')],
      cwd: root,
    })
    try {
      const page = await app.firstWindow()
      await page.waitForLoadState('domcontentloaded')
      expect(await page.title()).toBe('Seqcast')
      const probe = await page.evaluate(async () => {
        const w = window as unknown as {
          seqcast?: {
            invoke: (
              c: string,
              p: unknown,
            ) => Promise<{ ok: boolean; value?: { transport: string } }>
          }
        }
        const info = await w.seqcast?.invoke('app:info', {})
        return {
          bridge: typeof w.seqcast?.invoke,
          require: typeof (window as unknown as { require?: unknown }).require,
          process: typeof (window as unknown as { process?: unknown }).process,
          transport: info?.value?.transport,
          keys: Object.keys(w.seqcast ?? {}).sort(),
        }
      })
      expect(probe).toEqual({
        bridge: 'function',
        require: 'undefined',
        process: 'undefined',
        transport: 'electron',
        keys: ['grantDropped', 'invoke', 'on'],
      })
      // Navigation away and new windows are denied.
      await page.evaluate(() => window.open('https://example.com'))
      await page.evaluate(() => {
        location.href = 'https://example.com'
      })
      await page.waitForTimeout(500)
      expect(page.url()).toMatch(/^app:\/\/seqcast\//)
      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(
        1,
      )
    } finally {
      await app.close()
    }
  })
})

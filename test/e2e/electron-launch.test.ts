/**
 * Launches the real desktop app where an Electron binary is present. These machines cannot
 * download one, so here the test reports itself skipped; on a developer's machine
 * (`npx install-electron` or a normal `npm install` with internet) it runs.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = resolve(__dirname, '../..')

function electronBinary(): string | null {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = join(
      process.env.ELECTRON_OVERRIDE_DIST_PATH,
      process.platform === 'win32' ? 'electron.exe' : 'electron',
    )
    return existsSync(p) ? p : null
  }
  const pathFile = join(root, 'node_modules/electron/path.txt')
  if (!existsSync(pathFile)) return null // reading it via require('electron') would start a download
  const binary = join(root, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(binary) ? binary : null
}

const binary = electronBinary()
if (!binary) {
  console.warn(
    'electron-launch: skipped — no Electron binary here (node_modules/electron/path.txt is missing).',
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
        keys: ['invoke', 'on', 'pathForFile'],
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

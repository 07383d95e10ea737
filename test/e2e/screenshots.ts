/**
 * The README's screenshots, taken from the real app in Chromium (not a test):
 *
 *   npm run build && node --import tsx test/e2e/screenshots.ts
 *
 * Writes docs/screenshots/{data,explore,experiment,train,results,library}.png. Uses the
 * 420,451-row Jena-like file for Explore (/tmp/jena/jena_like.csv or generated) and smaller
 * generated files for the rest, so training takes seconds.
 */
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { launchBrowser, makeJenaLike, removeDir, ROOT, startServer } from './helpers/app'
import { tapEvents } from './helpers/events'
import { openWithPicker, setNumber } from './helpers/flows'

const OUT = join(ROOT, 'docs/screenshots')
const make = makeJenaLike

async function shot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(400)
  await page.screenshot({ path: join(OUT, `${name}.png`) })
  console.log('wrote', join('docs/screenshots', `${name}.png`))
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true })
  const dir = mkdtempSync(join(tmpdir(), 'seqcast-shots-'))
  const big = existsSync('/tmp/jena/jena_like.csv')
    ? '/tmp/jena/jena_like.csv'
    : join(dir, 'jena_like.csv')
  if (!existsSync(big)) make(big, ['--rows', '420451', '--seed', '1'])
  const station = join(dir, 'station_2009.csv')
  make(station, ['--rows', '30000', '--seed', '3', '--quirks'])
  const server = await startServer()
  const tap = await tapEvents(server.url)
  const browser = await launchBrowser()
  const { page } = browser
  await page.setViewportSize({ width: 1440, height: 960 })
  try {
    await page.goto(server.url)
    // Explore: the whole Jena-like file.
    await openWithPicker(page, big)
    await page.getByTestId('row-count').waitFor({ timeout: 300_000 })
    await page.getByTestId('nav-explore').click()
    await page.getByTestId('explore-chart').waitFor()
    await page.locator('[data-testid=explore-chart][data-rendered]').waitFor()
    const box = (await page.getByTestId('explore-chart').boundingBox())!
    await page.mouse.move(box.x + box.width * 0.62, box.y + box.height * 0.15)
    for (let i = 0; i < 9; i++) await page.mouse.wheel(0, -120)
    await page.mouse.move(box.x + 10, box.y + box.height - 100)
    await page.waitForTimeout(6000) // let the confirmation toast fade
    await shot(page, 'explore')

    // Data: a station file with the usual problems, and its repairs.
    await page.getByTestId('nav-data').click()
    await openWithPicker(page, station)
    await page.getByTestId('issues').waitFor()
    await page.waitForTimeout(6500) // let the confirmation toast fade
    await shot(page, 'data')
    await page.locator('li[data-code="duplicate-time"]').getByRole('button').first().click()
    await page
      .locator('li[data-code="gaps"]')
      .getByRole('button', { name: 'Fill gaps (insert rows, interpolate)' })
      .click()
    await page.waitForTimeout(500)
    for (const b of await page.locator('li[data-code="sentinel"]').getByRole('button').all())
      await b.click().catch(() => {})
    await page.waitForTimeout(500)
    for (let i = 0; i < 3; i++) {
      const fill = page
        .locator('li[data-code="missing-values"]')
        .getByRole('button', { name: 'Interpolate linearly' })
        .first()
      if ((await fill.count()) === 0) break
      await fill.click()
      await page.waitForTimeout(400)
    }

    // Experiment: T (degC) 24 h ahead from 2 days of hourly readings.
    await page.getByTestId('nav-experiment').click()
    await page.getByTestId('sequence-length').waitFor()
    await page.getByLabel('Target', { exact: true }).selectOption('T (degC)')
    await page.getByLabel('Preset').selectOption('lstm')
    await setNumber(page, 'Sequence length', 48)
    await setNumber(page, 'Sampling rate', 6)
    await setNumber(page, 'Delay', 6 * 47 + 144)
    await setNumber(page, 'Epochs', 4)
    await setNumber(page, 'Batch size', 128)
    await page.getByLabel('Sample number').fill('2000')
    await page.waitForTimeout(6500)
    await page.locator('main.content').evaluate((el) => el.scrollTo(0, 0))
    await shot(page, 'experiment')

    // Train, then Results.
    await page.getByTestId('start-training').click()
    await page.getByTestId('run-status').waitFor()
    const first = await tap.waitFor('run:progress')
    await tap.waitFor('run:epoch', (e) => e.runId === first.runId && e.record.epoch === 2, 600_000)
    await page.waitForTimeout(1500)
    await shot(page, 'train')
    await tap.waitFor('run:done', (d) => d.runId === first.runId, 600_000)
    await page.getByTestId('see-results').click()
    await page.locator('[data-testid=forecast-chart][data-rendered]').waitFor()
    const chart = (await page.getByTestId('forecast-chart').boundingBox())!
    await page.mouse.move(chart.x + chart.width * 0.7, chart.y + chart.height * 0.5)
    for (let i = 0; i < 4; i++) await page.mouse.wheel(0, -120)
    await page.waitForTimeout(6500)
    await page.mouse.move(chart.x + chart.width * 0.74, chart.y + chart.height * 0.5)
    await shot(page, 'results')
    await page.locator('main.content').evaluate((el) => el.scrollTo(0, el.scrollHeight))
    await shot(page, 'results-residuals')
    await page.getByTestId('nav-library').click()
    await page.getByTestId('library-runs').waitFor()
    await shot(page, 'library')
  } finally {
    tap.close()
    await browser.close()
    removeDir(browser.profile)
    removeDir(browser.downloads)
    await server.stop()
    removeDir(dir)
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})

/**
 * The README's screenshots, taken from the real app in Chromium (not a test):
 *
 *   npm run build && node --import tsx test/e2e/screenshots.ts
 *
 * Writes docs/screenshots/{data,explore,experiment,train,results,results-residuals,forecast,
 * library}.png. The 420,451-row Jena-like file (/tmp/jena/jena_like.csv, or generated) is used
 * for Explore and for training: Chollet's windows (120 rows, one every 6, 24 h ahead) with a
 * window starting every 6 rows, LSTM(16), 6 epochs, so the model matches or beats naive, as in
 * the book, in well under a minute on the fused kernels. (The 20,160-row sample covers 140 days
 * of one winter and spring: its validation and test months are warmer than any training
 * month, and no model beats naive there.) A generated station file with the usual problems
 * shows the Data view; a second Jena-format file (another seed) is forecast with the model.
 */
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import type { Page } from 'playwright-core'
import { launchBrowser, makeJenaLike, removeDir, ROOT, startServer } from './helpers/app'
import { tapEvents } from './helpers/events'
import { openWithPicker, setNumber } from './helpers/flows'

const OUT = join(ROOT, 'docs/screenshots')
const make = makeJenaLike

/** Closes the confirmations ("Imported", "Exported") instead of waiting for them to fade. */
async function clearNotices(page: Page): Promise<void> {
  const close = page.getByTestId('notice').getByRole('button', { name: /^Dismiss/ })
  while ((await close.count()) > 0)
    await close
      .first()
      .click({ timeout: 2000 })
      .catch(() => {})
}

async function shot(page: Page, name: string): Promise<void> {
  await clearNotices(page)
  await page.waitForTimeout(400)
  await page.screenshot({ path: join(OUT, `${name}.png`) })
  console.log('wrote', join('docs/screenshots', `${name}.png`))
}

async function main(): Promise<void> {
  const t0 = Date.now()
  mkdirSync(OUT, { recursive: true })
  const dir = mkdtempSync(join(tmpdir(), 'seqcast-shots-'))
  const big = existsSync('/tmp/jena/jena_like.csv')
    ? '/tmp/jena/jena_like.csv'
    : join(dir, 'jena_like.csv')
  if (!existsSync(big)) make(big, ['--rows', '420451', '--seed', '1'])
  const station = join(dir, 'station_2009.csv')
  make(station, ['--rows', '30000', '--seed', '3', '--quirks'])
  const other = join(dir, 'jena_2017.csv')
  make(other, ['--rows', '26000', '--seed', '11'])
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
    await shot(page, 'explore')

    // Data: a station file with the usual problems, and its repairs.
    await page.getByTestId('nav-data').click()
    await openWithPicker(page, station)
    await page.getByTestId('issues').waitFor()
    await page.getByTestId('import-jobs').waitFor({ state: 'detached' }) // "Imported" rows leave after 4 s
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
    // Each repair re-renders the list: a button can leave the page under the click; try again.
    for (let i = 0; i < 8; i++) {
      const fill = page
        .locator('li[data-code="missing-values"]')
        .getByRole('button', { name: 'Interpolate linearly' })
        .first()
      if ((await fill.count()) === 0) break
      await fill.click({ timeout: 10_000 }).catch(() => {})
      await page.waitForTimeout(800)
    }

    // Experiment on the whole Jena-like file: T (degC) 24 h after 5 days of hourly readings.
    await page.getByTestId('nav-library').click()
    await page
      .getByTestId('library-datasets')
      .locator(`tr[data-name="${basename(big)}"]`)
      .getByRole('button', { name: 'Open' })
      .click()
    await page.getByTestId('row-count').waitFor()
    await page.getByTestId('nav-experiment').click()
    await page.getByTestId('sequence-length').waitFor()
    await page.getByLabel('Target', { exact: true }).selectOption('T (degC)')
    await page.getByLabel('Preset').selectOption('lstm')
    await setNumber(page, 'Sequence length', 120)
    await setNumber(page, 'Sampling rate', 6)
    await setNumber(page, 'Delay', 858)
    await setNumber(page, 'Stride', 6)
    await setNumber(page, 'Epochs', 6)
    await setNumber(page, 'Batch size', 256)
    await page.getByLabel('Sample number').fill('20000')
    await page.locator('[data-testid=window-chart][data-rendered]').waitFor()
    await page.locator('main.content').evaluate((el) => el.scrollTo(0, 0))
    await shot(page, 'experiment')

    // Train, then Results.
    const known = new Set(tap.events.map((e) => (e.payload as { runId?: string }).runId))
    // Preparing 420,451 rows for the engine can hold the page's thread on a busy machine.
    await page.getByTestId('start-training').click({ timeout: 300_000, noWaitAfter: true })
    await page.getByTestId('run-status').waitFor({ timeout: 300_000 })
    const first = await tap.waitFor('run:progress', (p) => !known.has(p.runId), 300_000)
    await tap.waitFor('run:epoch', (e) => e.runId === first.runId && e.record.epoch === 3, 600_000)
    await page.locator('[data-testid=curves-chart][data-rendered]').waitFor()
    await page.getByTestId('why-backend').locator('summary').click()
    await shot(page, 'train')
    await tap.waitFor('run:done', (d) => d.runId === first.runId, 600_000)
    await page.getByTestId('see-results').click()
    await page.locator('[data-testid=forecast-chart][data-rendered]').waitFor()
    const chart = (await page.getByTestId('forecast-chart').boundingBox())!
    await page.mouse.move(chart.x + chart.width * 0.7, chart.y + chart.height * 0.5)
    for (let i = 0; i < 42; i++) await page.mouse.wheel(0, -120) // three weeks of the test split
    await page.mouse.move(chart.x + chart.width * 0.5, chart.y - 40) // no tooltip in the picture
    await shot(page, 'results')
    await page.locator('main.content').evaluate((el) => el.scrollTo(0, el.scrollHeight))
    await shot(page, 'results-residuals')

    // Forecast: the run's model on another year of Jena-format data.
    await page.locator('main.content').evaluate((el) => el.scrollTo(0, 0))
    await page.getByTestId('forecast-with-model').click()
    await page.getByTestId('forecast-form').waitFor()
    const chooser = page.waitForEvent('filechooser')
    await page.getByTestId('forecast-open-csv').click()
    await (await chooser).setFiles(other)
    await page
      .getByTestId('forecast-dataset')
      .locator('option:checked', { hasText: basename(other) })
      .waitFor({ state: 'attached', timeout: 120_000 })
    await page.getByTestId('run-forecast').click()
    await page
      .locator('[data-testid=prediction-chart][data-rendered]')
      .waitFor({ timeout: 300_000 })
    const pc = (await page.getByTestId('prediction-chart').boundingBox())!
    await page.mouse.move(pc.x + pc.width * 0.55, pc.y + pc.height * 0.5)
    for (let i = 0; i < 10; i++) await page.mouse.wheel(0, -120)
    await page.mouse.move(pc.x + pc.width * 0.5, pc.y - 40)
    await shot(page, 'forecast')

    await page.getByTestId('nav-library').click()
    await page.getByTestId('library-forecasts').locator('tbody tr').first().waitFor()
    await shot(page, 'library')
    console.log(`done in ${Math.round((Date.now() - t0) / 1000)} s`)
  } finally {
    tap.close()
    await browser.dispose()
    await server.stop()
    removeDir(dir)
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})

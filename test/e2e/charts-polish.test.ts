/**
 * Chart text on a decimal-year file (R's EuStockMarkets layout, time 1991.49615384615 + k/260)
 * and a multi-step run, read the way a person reads it (issue #12, polish of the charts):
 * - the x-axis tick labels of Explore, Results and Forecast share one precision and sit on round
 *   decimal years ("1992.0, 1992.5" or "1992, 1993"), read from the labels the chart draws
 *   (EChart.vue writes them on its element as data-x-labels);
 * - the Forecast view's tooltip of a multi-step forecast names each point's forecast origin, as
 *   Results' does and the CSV's `origin` column;
 * - the Train view's "naive val MAE" label lies wholly inside the chart at 1440 and 1280 px.
 * Screenshots of each chart go to test-artifacts/e2e/charts-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { screenshot, type Browser, type Server } from './helpers/app'
import { closeApp, openApp } from './helpers/session'
import { setNumber } from './helpers/flows'
import { heldBackFiles } from './helpers/held-back'
import { expectReadable } from './helpers/readable'

let server: Server
let browser: Browser
let dir: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'seqcast-e2e-charts-'))
  const files = heldBackFiles(dir, ['eustock'])
  ;({ server, browser } = await openApp({ file: files.eustock }))
})

afterAll(() => closeApp({ server, browser }, dir))

/** The x-axis labels a chart draws, once it has drawn some. */
async function axisLabels(chart: Locator): Promise<string[]> {
  await expect
    .poll(async () => (await chart.getAttribute('data-x-labels')) ?? '', { timeout: 60_000 })
    .toMatch(/\d/)
  return ((await chart.getAttribute('data-x-labels')) ?? '').split('|')
}

/**
 * Every label a decimal year with the same number of decimals, at least three of them, on one
 * step (consecutive labels differ by the same amount): no "1991.7" beside "1991.74".
 */
function expectOnePrecision(labels: string[], where: string): void {
  expect(labels.length, `${where}: ${labels.join(' ')}`).toBeGreaterThanOrEqual(3)
  for (const l of labels) expect(l, `${where}: ${labels.join(' ')}`).toMatch(/^\d{4}(\.\d+)?$/)
  const decimals = new Set(labels.map((l) => (l.split('.')[1] ?? '').length))
  expect([...decimals], `${where}: ${labels.join(' ')}`).toHaveLength(1)
  const scale = 10 ** [...decimals][0]
  const steps = new Set(
    labels.slice(1).map((l, i) => Math.round(Number(l) * scale - Number(labels[i]) * scale)),
  )
  expect([...steps], `${where}: ${labels.join(' ')}`).toHaveLength(1)
}

/** Wheel zoom at the middle of the chart's plot, a few steps, until `attr` says it moved. */
async function zoomIn(page: Page, chart: Locator, attr?: string): Promise<void> {
  await chart.scrollIntoViewIfNeeded()
  const box = (await chart.boundingBox())!
  await page.mouse.move(box.x + box.width / 2, box.y + box.height * 0.4)
  for (let i = 0; i < 12; i++) await page.mouse.wheel(0, -240)
  if (attr) await expect.poll(() => chart.getAttribute(attr)).toMatch(/\d/)
}

const chip = (page: Page) => page.getByTestId('run-status-chip').innerText()

/** Moves the pointer over the chart until its tooltip shows; returns the tooltip's text. */
async function hover(page: Page, chart: Locator, pattern: RegExp): Promise<string> {
  await chart.scrollIntoViewIfNeeded()
  const box = (await chart.boundingBox())!
  await expect
    .poll(async () => {
      await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.45)
      await page.mouse.move(box.x + box.width * 0.61, box.y + box.height * 0.5)
      return chart.innerText()
    })
    .toMatch(pattern)
  return chart.innerText()
}

describe('charts on a decimal-year file and a multi-step run', () => {
  it('Explore: the time axis reads round decimal years of one precision, zoomed or not', async () => {
    const { page } = browser
    await page.getByRole('button', { name: /^Dismiss: Imported/ }).click()
    await page.getByTestId('nav-explore').click()
    const chart = page.getByTestId('explore-chart')
    // 1991.5 … 1998.6 across ~1,050 px: whole years.
    await expect.poll(async () => (await axisLabels(chart)).join(' ')).toMatch(/^1992 1993 /)
    expectOnePrecision(await axisLabels(chart), 'Explore')
    expect(await chart.getAttribute('data-unreadable')).toBe('')
    await screenshot(page, 'charts-explore')
    // Wheel zoom (the view's own, not ECharts'): finer round steps, still one precision.
    await zoomIn(page, chart, 'data-range')
    await expect.poll(async () => (await axisLabels(chart))[0]).toMatch(/\./)
    expectOnePrecision(await axisLabels(chart), 'Explore zoomed')
    await screenshot(page, 'charts-explore-zoomed')
  })

  it('Train: the naive val MAE label is whole at 1440 and 1280 px', async () => {
    const { page } = browser
    await page.getByTestId('nav-experiment').click()
    await page.getByTestId('window-description').waitFor()
    await page.getByLabel('Preset').selectOption('lstm')
    await setNumber(page, 'Sequence length', 20)
    await setNumber(page, 'Delay', 20)
    await setNumber(page, 'Horizon', 3)
    await setNumber(page, 'Epochs', 2)
    await expect.poll(() => page.getByTestId('start-training').isDisabled()).toBe(false)
    await page.getByTestId('start-training').click()
    await page.getByTestId('run-status').waitFor()
    await expect.poll(() => chip(page), { timeout: 180_000 }).toBe('done')
    const curves = page.getByTestId('curves-chart')
    for (const width of [1440, 1280]) {
      if (page.viewportSize()?.width !== width) {
        // Read after the chart has redrawn at the new width.
        await curves.evaluate((el) => el.removeAttribute('data-unreadable'))
        await page.setViewportSize({ width, height: 900 })
      }
      // The chart has drawn at this width (its x labels follow the epochs), then nothing it
      // draws runs off the canvas or onto another label.
      await expect
        .poll(async () => (await curves.getAttribute('data-x-labels')) ?? '')
        .toMatch(/2$/)
      await expect
        .poll(async () => curves.getAttribute('data-unreadable'), { message: `at ${width} px` })
        .toBe('')
      await curves.scrollIntoViewIfNeeded()
      await screenshot(page, `charts-train-${width}`)
    }
    await page.setViewportSize({ width: 1440, height: 900 })
  })

  it('Results: decimal-year ticks, and the tooltip names the forecast origin', async () => {
    const { page } = browser
    await page.getByTestId('see-results').click()
    const chart = page.getByTestId('forecast-chart')
    await expect.poll(() => chart.getAttribute('data-rendered'), { timeout: 60_000 }).not.toBeNull()
    expectOnePrecision(await axisLabels(chart), 'Results')
    expect(await chart.getAttribute('data-unreadable')).toBe('')
    const tip = await hover(page, chart, /step 1 of the forecast made at \d{4}\.\d{4}\n/)
    expectReadable(tip, 'the Results tooltip')
    await screenshot(page, 'charts-results')
    // ECharts' own zoom (inside dataZoom): ticks follow the range drawn, one precision.
    const before = (await axisLabels(chart)).join(' ')
    await zoomIn(page, chart)
    await expect.poll(async () => (await axisLabels(chart)).join(' ')).not.toBe(before)
    expectOnePrecision(await axisLabels(chart), 'Results zoomed')
    await screenshot(page, 'charts-results-zoomed')
  })

  it('Forecast: decimal-year ticks, and the tooltip names the forecast origin', async () => {
    const { page } = browser
    await page.getByTestId('forecast-with-model').click()
    await page.getByTestId('run-forecast').click()
    const chart = page.getByTestId('prediction-chart')
    await expect.poll(() => chart.getAttribute('data-rendered'), { timeout: 60_000 }).not.toBeNull()
    expectOnePrecision(await axisLabels(chart), 'Forecast')
    expect(await chart.getAttribute('data-unreadable')).toBe('')
    // The target's time, then the window it was forecast from, both as decimal years: with
    // windows of 20 rows and delay 20 the origin of step 1 is the row before its target.
    const tip = await hover(
      page,
      chart,
      /^\d{4}\.\d{4}\nstep 1 of the forecast made at \d{4}\.\d{4}\n/,
    )
    const [target, made] = [...tip.matchAll(/\d{4}\.\d{4}/g)].map((m) => Number(m[0]))
    // One row is 1/260 year; each time is rounded to 4 decimals.
    expect(Math.abs(target - made - 1 / 260)).toBeLessThanOrEqual(1e-4 + 1e-9)
    expectReadable(tip, 'the Forecast tooltip')
    // The window's actual, prediction and band, all of them, whichever point ECharts snapped to
    // (with every window on screen it used to offer the predicted point alone).
    expect(tip).toMatch(/\nactual\s+[\d,.]+\n/)
    expect(tip).toMatch(/\npredicted: LSTM\(16\) → DAX\s+[\d,.]+\n/)
    expect(tip).toMatch(/\n90 % interval\s+[\d,.]+ … [\d,.]+$/)
    await screenshot(page, 'charts-forecast')
    const future = page.getByTestId('prediction-future-chart')
    const labels = await axisLabels(future)
    for (const l of labels) expect(l).toMatch(/^\d{4}(\.\d+)?$/)
    expect(new Set(labels.map((l) => (l.split('.')[1] ?? '').length)).size).toBe(1)
    await future.scrollIntoViewIfNeeded()
    await screenshot(page, 'charts-forecast-future')
    expect(browser.errors).toEqual([])
  })
})

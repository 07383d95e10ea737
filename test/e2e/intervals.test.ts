/**
 * Intervals and backtests in the app (Chromium against `npm run serve`), on 600 months of
 * sunspots: the Interval level set in the Experiment view reaches the run, Results states the
 * test coverage the engine's bands give (counted here from the run:done result), the exported
 * forecasts CSV carries lower,upper, the Backtest panel shows each fold against naive with
 * the naive MAE of a hand count, and that backtest is listed under its run in the Library after
 * a reload (IndexedDB), with the same rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseForecastCsv } from '../../src/shared/forecast-csv'
import type { RunResult } from '../../src/shared/run'
import { screenshot, type Browser, type Server } from './helpers/app'
import type { EventTap } from './helpers/events'
import { setNumber } from './helpers/flows'
import { closeApp, openApp } from './helpers/session'

let server: Server
let browser: Browser
let tap: EventTap
let dir: string
let csv: string
let y: number[]

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'seqcast-e2e-intervals-'))
  csv = join(dir, 'sunspots_600.csv')
  const lines = readFileSync(resolve('resources/data/sunspots_monthly.csv'), 'utf8').split('\n')
  writeFileSync(csv, lines.slice(0, 601).join('\n') + '\n')
  y = lines.slice(1, 601).map((l) => Number(l.split(',')[1]))
  ;({ server, browser, tap } = await openApp({ file: csv, tap: true }))
})

afterAll(() => closeApp({ server, browser, tap }, dir))

let result: RunResult
/** The Backtest panel's rows as Results showed them, for the Library after a reload. */
let foldTexts: string[][] = []

describe('intervals and backtests in the app', () => {
  it('the Interval level field reaches the run; Results states the coverage of its bands', async () => {
    const { page } = browser
    await page.getByTestId('nav-experiment').click()
    await page.getByTestId('sequence-length').waitFor()
    await page.getByLabel('Target', { exact: true }).selectOption('sunspots')
    await page.getByLabel('Preset').selectOption('linear')
    await setNumber(page, 'Sequence length', 12)
    await setNumber(page, 'Delay', 12)
    await setNumber(page, 'Epochs', 2)
    await setNumber(page, 'Batch size', 32)
    await setNumber(page, 'Interval level %', 80)
    await expect.poll(() => page.getByTestId('start-training').isDisabled()).toBe(false)
    await page.getByTestId('start-training').click()
    const done = await tap.waitFor('run:done', () => true)
    result = done.result
    // A new draft's intervals: the default method, adaptive conformal.
    expect(result.config.intervals).toEqual({ level: 0.8, method: 'aci' })
    await expect
      .poll(() => page.getByTestId('run-status-chip').innerText(), { timeout: 60_000 })
      .toBe('done')
    await page.getByTestId('see-results').click()
    const test = result.forecasts.test!
    let inside = 0
    for (let i = 0; i < test.actual.length; i++)
      if (test.actual[i] >= test.lower![i] && test.actual[i] <= test.upper![i]) inside++
    const share = ((100 * inside) / test.actual.length).toFixed(1)
    const text = await page.getByTestId('coverage-test').innerText()
    expect(text).toContain(
      `80 % interval (adaptive conformal): covers ${share} % of ${test.actual.length} targets`,
    )
    await screenshot(page, 'results-intervals')
  })

  it('the forecasts CSV carries each value’s interval', async () => {
    const { page } = browser
    const [d] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-forecasts').click(),
    ])
    const path = join(dir, 'forecasts.csv')
    await d.saveAs(path)
    const rows = parseForecastCsv(readFileSync(path, 'utf8')).filter((r) => r.split === 'test')
    const test = result.forecasts.test!
    expect(rows).toHaveLength(test.predicted.length)
    // forecasts.csv writes 15 significant digits: the engine's bounds at that precision
    const written = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(15)) : x)
    rows.forEach((r, i) => {
      expect(r.lower).toBe(written(test.lower![i]))
      expect(r.upper).toBe(written(test.upper![i]))
    })
  })

  it('the run report draws the band and lists coverage and mean width per split', async () => {
    const { page } = browser
    const [d] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-report').click(),
    ])
    const path = join(dir, 'report.html')
    await d.saveAs(path)
    const html = readFileSync(path, 'utf8')
    const test = result.forecasts.test!
    let inside = 0
    let width = 0
    for (let i = 0; i < test.actual.length; i++) {
      if (test.actual[i] >= test.lower![i] && test.actual[i] <= test.upper![i]) inside++
      width += test.upper![i] - test.lower![i]
    }
    const share = ((100 * inside) / test.actual.length).toFixed(1)
    expect(html).toContain('80 % intervals, adaptive conformal')
    expect(html).toMatch(
      new RegExp(
        `<tr><th>Test</th><td>${share} %</td><td>([\\d.,]+)</td><td>${test.actual.length}</td></tr>`,
      ),
    )
    const shown = html.match(/<tr><th>Test<\/th><td>[\d.]+ %<\/td><td>([\d.,]+)<\/td>/)![1]
    // 4 significant digits
    expect(
      Math.abs(Number(shown.replaceAll(',', '')) / (width / test.actual.length) - 1),
    ).toBeLessThan(1e-3)
    expect(html).toContain('<polygon class="band"')
    expect(html).toContain('■ 80 % adaptive conformal interval')
    const view = await browser.page.context().newPage()
    await view.goto(`file://${path}`)
    await view.locator('h2', { hasText: 'Forecast' }).scrollIntoViewIfNeeded()
    await screenshot(view, 'report-intervals')
    await view.close()
  })

  it('Backtest: per-fold table against naive (hand-counted naive MAE) and the error chart', async () => {
    const { page } = browser
    const panel = page.getByTestId('backtest')
    await panel.scrollIntoViewIfNeeded()
    await setNumber(page, 'Folds', 2)
    await page.getByTestId('backtest-start').click()
    await page.getByTestId('backtest-table').waitFor({ timeout: 120_000 })
    const rows = page.getByTestId('backtest-table').locator('tbody tr')
    expect(await rows.count()).toBe(3)
    // First targets after the 300 training rows: 300 … 588 (N − L − H + 1 = 589), cut at 444.
    const first = await rows.nth(0).locator('td').allInnerTexts()
    expect(first.slice(0, 4)).toEqual(['1', '0–299', '300–443', '144'])
    let sum = 0
    for (let r = 300; r < 444; r++) sum += Math.abs(y[r] - y[r - 1])
    expect(Number(first[5])).toBeCloseTo(sum / 144, 2)
    // Coverage is the last column (seasonal naive comes before it when the run has a season).
    expect(first[first.length - 1]).toMatch(/^\d+\.\d %$/)
    // The backtest draws the run's intervals: adaptive conformal along each fold's block.
    expect(
      await page.getByTestId('backtest-table').locator('thead th').last().getAttribute('title'),
    ).toBe('80 % adaptive conformal intervals')
    await expect
      .poll(() => page.getByTestId('backtest-chart').getAttribute('data-rendered'))
      .not.toBeNull()
    await screenshot(page, 'results-backtest')
    foldTexts = await Promise.all([0, 1, 2].map((i) => rows.nth(i).locator('td').allInnerTexts()))
  })

  it('the backtest is kept: listed under its run in the Library after a reload', async () => {
    const { page } = browser
    await page.reload()
    await page.getByTestId('nav-library').click()
    const saved = page.getByTestId('library-backtests')
    await saved.waitFor()
    const runName = await page
      .getByTestId('library-runs')
      .locator('tbody tr')
      .first()
      .getAttribute('data-name')
    expect(await saved.locator('h3').allInnerTexts()).toEqual([`Run ${runName}`])
    const item = saved.getByTestId('library-backtest')
    expect(await item.count()).toBe(1)
    const summary = await item.locator('summary').innerText()
    expect(summary).toMatch(/^2 folds, refit every, 80 % intervals · MAE [\d.]+ vs naive [\d.]+ · /)
    const rows = item.getByTestId('backtest-table').locator('tbody tr')
    const texts = await Promise.all([0, 1, 2].map((i) => rows.nth(i).locator('td').allInnerTexts()))
    expect(texts).toEqual(foldTexts)
    // The hand-counted naive MAE of fold 1 (rows 300…443), as in Results.
    let sum = 0
    for (let r = 300; r < 444; r++) sum += Math.abs(y[r] - y[r - 1])
    expect(Number(texts[0][5])).toBeCloseTo(sum / 144, 2)
    await expect
      .poll(() => item.getByTestId('backtest-chart').getAttribute('data-rendered'))
      .not.toBeNull()
    await saved.scrollIntoViewIfNeeded()
    await screenshot(page, 'library-backtest')
  })
})

/**
 * A new analyst's files, through the real app in Chromium (`npm run serve`), on what a person
 * reads: the traps a try-out on files the repo does not hold turned up (docs in the i18-tryout
 * report), each checked against an answer known without the code.
 *
 * - A `;`-separated 15-minute meter with decimal commas and 4 empty cells: its clear daily cycle
 *   is suggested (it read "seasonal strength 0, too weak" while a cell was empty), and the reason
 *   says the measurement interpolated the 2 missing values of the training rows.
 * - Three years of weekly sales: the year (52 rows) is named with the 156 training rows it needs
 *   against the 78 there are, not "no calendar season for this time axis".
 * - ETS on it: the Train view shows a fit, not "0 / 10 epoch" and empty curves, no notice titled
 *   "stopped early", and Results gives it no window-model advice or Transform line.
 * - An LSTM on it (transform auto → change, with the reason, not "(as set)"), backtested over 4 folds in Results: every fold's MAE
 *   stays within twice naive's on the same windows (folds trained on the levels whatever the
 *   transform said, at 4–8 × naive); the Backtest button sits level with the inputs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { screenshot, type Browser, type Server } from './helpers/app'
import { closeApp, openApp } from './helpers/session'
import { openWithPicker, setNumber, waitForRun } from './helpers/flows'

let server: Server
let browser: Browser
let dir: string

/** A fixed LCG in [0, 1): the files are the same on every run. */
function lcg(seed: number): () => number {
  let s = seed
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648
    return s / 2147483648
  }
}

/** 156 Sundays from 2021-01-03: trend + a yearly season + noise, whole units. */
function weeklyCsv(): string {
  const rand = lcg(7)
  let csv = 'week,units_sold\n'
  for (let t = 0; t < 156; t++) {
    const day = new Date(Date.UTC(2021, 0, 3 + 7 * t)).toISOString().slice(0, 10)
    const v = 1200 + 4.5 * t + 250 * Math.sin((2 * Math.PI * t) / 52.18) + 80 * (rand() - 0.5)
    csv += `${day},${Math.round(v)}\n`
  }
  return csv
}

/** 3,000 quarter hours, `;`-separated, decimal commas, empty cells at rows 101, 778, 1501, 2223. */
function meterCsv(): string {
  const rand = lcg(11)
  let csv = 'Zeitstempel;Leistung_kW;Temperatur\n'
  const start = Date.UTC(2024, 2, 1)
  for (let t = 0; t < 3000; t++) {
    const iso = new Date(start + t * 900_000).toISOString()
    const hour = (t % 96) / 4
    const kw = 42 + 18 * Math.sin((2 * Math.PI * (hour - 8)) / 24) + 6 * (rand() - 0.5)
    const temp = 8 + 5 * Math.sin((2 * Math.PI * (hour - 14)) / 24) + rand() - 0.5
    const kwText = [100, 777, 1500, 2222].includes(t) ? '' : kw.toFixed(2).replace('.', ',')
    const tempText = [400, 401, 2900].includes(t) ? '' : temp.toFixed(1).replace('.', ',')
    csv += `${iso.slice(0, 10)} ${iso.slice(11, 16)};${kwText};${tempText}\n`
  }
  return csv
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'seqcast-e2e-tryout-'))
  writeFileSync(join(dir, 'weekly_retail.csv'), weeklyCsv())
  writeFileSync(join(dir, 'meter_15min.csv'), meterCsv())
  ;({ server, browser } = await openApp({ file: join(dir, 'meter_15min.csv') }))
})

afterAll(() => closeApp({ server, browser }, dir))

describe('a new analyst’s files', () => {
  it('a meter with empty cells: the daily season is found, measured with the gaps interpolated', async () => {
    const { page } = browser
    // The file's format as read: the decimal comma too (only the CLI's inspect said so).
    expect(await page.locator('main').innerText()).toContain(
      'semicolon-separated, decimal comma, utf-8, LF',
    )
    await expect
      .poll(() => page.getByTestId('data-season-suggestion').innerText())
      .toBe('suggested from the training rows: 96 (day)')
    // The training rows (the first 1,500) hold 2 of the 4 empty cells: data rows 101 and 778.
    expect(await page.getByTestId('data-season-reason').innerText()).toMatch(
      /^96 rows \(day\): seasonal strength 0\.\d+ once the trend is removed, kept .* Measured with the 2 missing values interpolated; fill them in the data before training\.$/,
    )
    await page.getByTestId('data-season').scrollIntoViewIfNeeded()
    await screenshot(page, 'tryout-meter-season')
  })

  it('weekly sales: the year is named with the training rows it needs', async () => {
    const { page } = browser
    await openWithPicker(page, join(dir, 'weekly_retail.csv'))
    // Whole units sold: min and max are whole ("1,169"), only mean and std carry decimals.
    const cells = page.locator('[data-testid=column-table] tr[data-column=units_sold] td.num')
    await expect.poll(() => cells.count()).toBe(6)
    const [min, max, mean] = await Promise.all([2, 3, 4].map((i) => cells.nth(i).innerText()))
    expect(min).toMatch(/^\d{1,3}(,\d{3})*$/)
    expect(max).toMatch(/^\d{1,3}(,\d{3})*$/)
    expect(mean).toMatch(/^\d{1,3}(,\d{3})*\.\d+$/)
    await expect
      .poll(() => page.getByTestId('data-season-suggestion').innerText())
      .toBe('too few training rows to measure a season (52 (year) needs 156; there are 78)')
    expect(await page.getByTestId('data-season-reason').innerText()).toBe(
      '52 rows (year) needs three cycles, 156 training rows; there are 78. Add rows or raise the training fraction, or set the Season field in the Experiment view yourself.',
    )
  })

  it('ETS: a fit in the Train view, no epochs and no "stopped early"; no window-model advice', async () => {
    const { page } = browser
    await page.getByTestId('nav-experiment').click()
    await page.getByTestId('sequence-length').waitFor()
    // The transform select is as wide as the normalization's (two grid columns), so its
    // "auto (chosen from the training rows)" is read whole; it showed "auto (chosen from t".
    const [transform, normalization] = await Promise.all(
      ['Target transform', 'Normalization'].map((l) => page.getByLabel(l).boundingBox()),
    )
    expect(Math.abs(transform!.width - normalization!.width)).toBeLessThanOrEqual(2)
    // The window chart's ticks sit on weekly rows as dates; ECharts' own read "Feb 5 8".
    const chart = page.getByTestId('window-chart')
    await expect
      .poll(async () => (await chart.getAttribute('data-x-labels')) ?? '')
      .toMatch(/^\d{4}-\d\d-\d\d(\|\d{4}-\d\d-\d\d)+$/)
    expect(await chart.getAttribute('data-unreadable')).toBe('')
    await chart.scrollIntoViewIfNeeded()
    await screenshot(page, 'tryout-weekly-window')
    await page.getByLabel('Preset').selectOption('ets')
    await page.getByTestId('start-training').click()
    await waitForRun(page)
    const status = page.getByTestId('run-status')
    expect(await status.innerText()).toMatch(/ETS\(.*\) fitted on 78 training rows in /)
    expect(await page.getByTestId('epoch-count').count()).toBe(0)
    expect(await page.getByTestId('curves-chart').count()).toBe(0)
    expect(await page.getByTestId('statistical-fit').innerText()).toContain(
      'fitted in one pass on the training rows, with no epochs',
    )
    await screenshot(page, 'tryout-train-ets')
    await page.getByTestId('see-results').click()
    await page.getByTestId('metrics').waitFor()
    const main = await page.locator('main').innerText()
    expect(main).not.toContain('saturating layers')
    expect(main).not.toContain('Transform:')
    expect(await page.getByTestId('notice').filter({ hasText: 'stopped early' }).count()).toBe(0)
    // The Forecast view says what ETS reads: its own past, not "windows of 9 rows, one every 1".
    await page.getByTestId('forecast-with-model').click()
    expect(await page.getByTestId('model-reads').innerText()).toBe(
      "ETS forecasts “units_sold” from its own past, 1 row after each window's last row (windows of 9 rows, as in its run). Trained on weekly_retail.csv.",
    )
  })

  it('an LSTM learning the change: every backtest fold within twice naive’s MAE', async () => {
    const { page } = browser
    await page.getByTestId('nav-experiment').click()
    await page.getByTestId('sequence-length').waitFor()
    await page.getByLabel('Preset').selectOption('lstm')
    await setNumber(page, 'Epochs', 15)
    await page.getByTestId('start-training').click()
    await waitForRun(page)
    await page.getByTestId('see-results').click()
    await page.getByTestId('metrics').waitFor()
    // The engine resolved 'auto' and says why; it read "Transform: change (as set)" before.
    const settings = await page.locator('main').innerText()
    expect(settings).toMatch(
      /Change: [\d.]+ % of the validation values lie outside the training range/,
    )
    expect(settings).not.toContain('(as set)')
    const panel = page.getByTestId('backtest')
    await panel.scrollIntoViewIfNeeded()
    const folds = panel.getByLabel('Folds', { exact: true })
    await folds.fill('4')
    // The button is level with the inputs and as wide as its label, not one more field.
    const button = page.getByTestId('backtest-start')
    const [b, f] = [(await button.boundingBox())!, (await folds.boundingBox())!]
    expect(Math.abs(b.y + b.height - (f.y + f.height))).toBeLessThanOrEqual(2)
    expect(b.width).toBeLessThan(f.width)
    await button.click()
    const table = panel.getByTestId('backtest-table')
    await table.waitFor({ timeout: 120_000 })
    const headers = (await table.locator('thead th').allInnerTexts()).map((h) => h.trim())
    const mae = headers.indexOf('MAE')
    const naive = headers.indexOf('Naive MAE')
    const rows = await Promise.all(
      (await table.locator('tbody tr').all()).map((r) => r.locator('td').allInnerTexts()),
    )
    expect(rows.map((r) => r[0])).toEqual(['1', '2', '3', '4', 'all folds'])
    for (const r of rows) {
      const [m, n] = [Number(r[mae].replaceAll(',', '')), Number(r[naive].replaceAll(',', ''))]
      expect(m).toBeGreaterThan(0)
      expect(m).toBeLessThan(2 * n)
    }
    await page.locator('main.content').evaluate((el) => el.scrollTo(0, el.scrollHeight))
    await screenshot(page, 'tryout-backtest-lstm')
    // The Forecast view names the calendar inputs too, which come from the time column.
    await page.locator('main.content').evaluate((el) => el.scrollTo(0, 0))
    await page.getByTestId('forecast-with-model').click()
    expect(await page.getByTestId('model-reads').innerText()).toBe(
      "Reads 1 column (“units_sold”) plus the day of year of its time column and predicts “units_sold”: windows of 9 rows, one every 1, target 9 rows after the window's first row. Trained on weekly_retail.csv.",
    )
  })
})

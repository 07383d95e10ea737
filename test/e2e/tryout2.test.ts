/**
 * A second new analyst's files, through the real app in Chromium (`npm run serve`), on what a
 * person reads (docs in the i18-tryout2 report), each checked against an answer known without
 * the code.
 *
 * - Eight years of monthly finance with dd/mm/yyyy dates and amounts written "15,041.60" (quoted,
 *   thousands grouped): Amount is a number, the target a person picks, with its yearly season
 *   suggested; it read as text ("96 distinct values … an identifier or free text?"). The
 *   Forecasts CSV of an ETS run gives back every amount of the file as written, commas removed.
 * - A 40-row daily file: the batch line says one batch of all the training samples, not
 *   "1 batches of 32"; the window chart's ticks are dates, not bare day numbers ("2024 2 3");
 *   an ETS run worse than naive is not told to try the transform change or that saturating
 *   layers cannot extrapolate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseForecastCsv } from '../../src/shared/forecast-csv'
import { screenshot, type Browser, type Server } from './helpers/app'
import { closeApp, openApp } from './helpers/session'
import { download, openWithPicker, setNumber, waitForRun } from './helpers/flows'

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

/** 96 month ends from 28/01/2017: the date (yyyy-mm-dd) and the amount as written. */
const finance: { iso: string; written: string }[] = []
function financeCsv(): string {
  const rand = lcg(5)
  let csv = 'Date,Amount,Currency,Fees\n'
  for (let t = 0; t < 96; t++) {
    const [y, m] = [2017 + Math.floor(t / 12), String((t % 12) + 1).padStart(2, '0')]
    const v = 15000 + 120 * t + 2500 * Math.sin((2 * Math.PI * t) / 12) + 600 * (rand() - 0.5)
    const written = v.toLocaleString('en-US', {
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    })
    finance.push({ iso: `${y}-${m}-28`, written })
    csv += `28/${m}/${y},"${written}",EUR,"${(300 + 2 * t + 50 * rand()).toFixed(2)}"\n`
  }
  return csv
}

/**
 * 60 days of hours from 2021-03-01 00:00 Berlin time, written with their offset: +01:00, then
 * +02:00 from 2021-03-28 03:00 (01:00 UTC), so the local 02:00 never occurs; 6 meters.
 */
function electricityCsv(): string {
  const rand = lcg(9)
  let csv = 'timestamp,m1,m2,m3,m4,m5,m6\n'
  const start = Date.UTC(2021, 1, 28, 23)
  for (let t = 0; t < 1440; t++) {
    const utc = start + t * 3_600_000
    const offset = utc >= Date.UTC(2021, 2, 28, 1) ? 2 : 1
    const local = new Date(utc + offset * 3_600_000).toISOString().slice(0, 19)
    const meters = [1, 2, 3, 4, 5, 6].map((k) =>
      (10 * k + 5 * k * Math.sin((2 * Math.PI * ((t % 24) - 7)) / 24) + k * (rand() - 0.5)).toFixed(
        3,
      ),
    )
    csv += `${local}+0${offset}:00,${meters.join(',')}\n`
  }
  return csv
}

/** 40 days from 2024-01-01: a slow rise and a wiggle. */
function shortCsv(): string {
  let csv = 'day,value\n'
  for (let t = 0; t < 40; t++) {
    const day = new Date(Date.UTC(2024, 0, 1 + t)).toISOString().slice(0, 10)
    csv += `${day},${(50 + t * 0.5 + 5 * Math.sin(t)).toFixed(1)}\n`
  }
  return csv
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'seqcast-e2e-tryout2-'))
  writeFileSync(join(dir, 'finance_monthly.csv'), financeCsv())
  writeFileSync(join(dir, 'short40.csv'), shortCsv())
  writeFileSync(join(dir, 'electricity_hourly.csv'), electricityCsv())
  ;({ server, browser } = await openApp({ file: join(dir, 'finance_monthly.csv') }))
})

afterAll(() => closeApp({ server, browser }, dir))

describe('a second new analyst’s files', () => {
  it('amounts written "15,041.60" are numbers: a target, with its season, read back exactly', async () => {
    const { page } = browser
    const amount = page.getByTestId('column-table').locator('tr[data-column="Amount"]')
    expect((await amount.locator('td').allInnerTexts()).map((t) => t.trim())[1]).toBe('numeric')
    expect(await amount.innerText()).not.toContain('Text, not numbers')
    // The season is now measured on the amounts (8 yearly cycles), not on the fees.
    await expect
      .poll(() => page.getByTestId('data-season-suggestion').innerText())
      .toBe('suggested from the training rows: 12 (year)')
    await screenshot(page, 'tryout2-finance-columns')
    await page.getByTestId('nav-experiment').click()
    await page.getByTestId('sequence-length').waitFor()
    const target = page.getByLabel('Target', { exact: true })
    await target.selectOption('Amount')
    await page.getByLabel('Preset').selectOption('ets')
    await page.getByTestId('start-training').click()
    await waitForRun(page)
    await page.getByTestId('see-results').click()
    await page.getByTestId('metrics').waitFor()
    // The one-step forecast's label names its interval and stays on the canvas (centred on the
    // dot at the right edge, "90 % interval: 4.51…" ran off it).
    const future = page.getByTestId('future-chart')
    await future.scrollIntoViewIfNeeded()
    await expect.poll(() => future.getAttribute('data-x-labels')).toBeTruthy()
    expect(await future.getAttribute('data-unreadable')).toBe('')
    await screenshot(page, 'tryout2-finance-future')
    const { text } = await download(page, 'export-forecasts', dir)
    const rows = parseForecastCsv(text).filter((r) => r.actual !== null)
    expect(rows.length).toBeGreaterThan(20)
    const written = new Map(finance.map((f) => [f.iso, Number(f.written.replaceAll(',', ''))]))
    for (const r of rows) expect(r.actual, r.timestamp).toBe(written.get(r.timestamp))
  })

  it('hours with UTC offsets across the DST change: the range is said to be UTC, with no gap', async () => {
    const { page } = browser
    await openWithPicker(page, join(dir, 'electricity_hourly.csv'))
    await expect.poll(() => page.getByTestId('row-count').innerText()).toBe('1,440')
    // First line 2021-03-01T00:00:00+01:00 = 2021-02-28 23:00 UTC; the last, 1,439 hours on.
    // Local 02:00 on 2021-03-28 is skipped, but UTC hours run on: no gap, no duplicate.
    expect(await page.locator('#time-hint').innerText()).toBe(
      "2021-02-28 23:00 … 2021-04-29 22:00 in UTC (the file's offsets applied), sorted, 0 duplicated timestamps, 0 gaps",
    )
    await screenshot(page, 'tryout2-electricity-data')
  })

  it('40 daily rows: one batch of all the samples, dated ticks, ETS advice for ETS', async () => {
    const { page } = browser
    await openWithPicker(page, join(dir, 'short40.csv'))
    // Wait for this file, not the row count of the one open before it (the import is async).
    await expect
      .poll(() => page.getByTestId('header-dataset').innerText(), { timeout: 60_000 })
      .toContain('short40.csv')
    await expect.poll(() => page.getByTestId('row-count').innerText()).toBe('40')
    await page.getByTestId('nav-experiment').click()
    await page.getByTestId('sequence-length').waitFor()
    await page.getByLabel('Preset').selectOption('lstm')
    const samples = await page.getByTestId('samples-train').innerText()
    expect(Number(samples)).toBeLessThan(32)
    expect(await page.getByTestId('batches-per-epoch').innerText()).toBe(
      `1 batch of all ${samples} training samples per epoch (the batch size, 32, is more than there are).`,
    )
    const chart = page.getByTestId('window-chart')
    await expect
      .poll(async () => (await chart.getAttribute('data-x-labels')) ?? '')
      .toMatch(/^2024-\d\d-\d\d(\|2024-\d\d-\d\d)+$/)
    await chart.scrollIntoViewIfNeeded()
    await screenshot(page, 'tryout2-short-window')
    await setNumber(page, 'Sequence length', 5)
    await setNumber(page, 'Delay', 5)
    await page.getByLabel('Preset').selectOption('ets')
    await page.getByTestId('start-training').click()
    await waitForRun(page)
    const warnings = (await page.getByTestId('run-warning').allInnerTexts()).join('\n')
    expect(warnings).toMatch(/^Worse than naive on validation: /m)
    expect(warnings).toContain('Try the other statistical models')
    expect(warnings).not.toContain('saturating layers')
    expect(warnings).not.toContain('transform change')
    await screenshot(page, 'tryout2-short-ets')
  })
})

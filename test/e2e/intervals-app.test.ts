/**
 * Intervals and backtests as an analyst meets them (Chromium against `npm run serve`), on a
 * monthly series the repo does not design for: 240 months whose seasonal swing grows from 5 to
 * 41, with a trend from −40 (the series starts below zero, so residuals are ranked on the
 * absolute scale) and deterministic noise. ETS with a 12-month season, windows of 12 months,
 * 3 steps ahead, 60 / 20 / 20 % splits, split conformal at 80 %. Every figure the page shows is
 * checked against a hand computation from the raw file or from the numbers the page exports:
 *
 * - the Backtest action of the Experiment view (before any run): the per-fold naive and
 *   seasonal naive MAE from the raw series, kept in the Library under what it tested;
 * - Results: each split's coverage line counts the exported actuals inside their bands, and the
 *   test and future half-widths per step are the finite-sample quantile ⌈(n+1)·0.8⌉ of the
 *   validation |residuals| in the exported CSV;
 * - Results' Backtest cancelled after a fold: the finished folds are kept and it says so;
 * - the Forecast view at 50 %: its CSV's half-widths are the 50 % quantile of those residuals.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { parseForecastCsv, type ForecastCsvRow } from '../../src/shared/forecast-csv'
import { screenshot, type Browser, type Server } from './helpers/app'
import { closeApp, openApp } from './helpers/session'
import { setNumber } from './helpers/flows'

const N = 240
const L = 12
const H = 3
const SEASON = 12

let server: Server
let browser: Browser
let dir: string
let y: number[]

/** The series: trend, a seasonal swing that grows, noise from a fixed LCG (2 decimals, as written). */
function monthlyGrowing(): { csv: string; y: number[] } {
  let s = 3
  const rand = () => {
    s = (s * 1103515245 + 12345) % 2147483648
    return s / 2147483648
  }
  const values: number[] = []
  let csv = 'month,sales\n'
  for (let t = 0; t < N; t++) {
    let noise = 0
    for (let i = 0; i < 12; i++) noise += rand()
    const v =
      -40 +
      0.5 * t +
      (5 + 0.15 * t) * Math.sin((2 * Math.PI * ((t % 12) + 1)) / 12) +
      2 * (noise - 6)
    const text = v.toFixed(2)
    values.push(Number(text))
    csv += `${2000 + Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}-01,${text}\n`
  }
  return { csv, y: values }
}

/** The finite-sample conformal quantile by hand: the ⌈(n+1)·level⌉-th smallest score. */
function handQuantile(scores: number[], level: number): number {
  const sorted = [...scores].sort((a, b) => a - b)
  const k = Math.ceil((sorted.length + 1) * level - 1e-9)
  return sorted[k - 1]
}

/** |residual| per horizon step (1 … H) of the rows of one split. */
function absResidualsByStep(rows: ForecastCsvRow[], split: string): number[][] {
  const out: number[][] = Array.from({ length: H }, () => [])
  for (const r of rows) if (r.split === split) out[r.step - 1].push(Math.abs(r.residual!))
  return out
}

/** A table's cells by column header: `cell(row, 'Naive MAE')`. */
async function tableReader(table: Locator) {
  const headers = (await table.locator('thead th').allInnerTexts()).map((h) => h.trim())
  const rows = await Promise.all(
    (await table.locator('tbody tr').all()).map((r) => r.locator('td').allInnerTexts()),
  )
  return {
    rows,
    cell: (row: string[], header: string) => {
      const i = headers.findIndex((h) => h.startsWith(header))
      if (i < 0) throw new Error(`no column ${header} in ${headers.join(' | ')}`)
      return row[i].trim()
    },
  }
}

/** A shown number agrees with `expected` to the decimals it shows. */
function expectShown(text: string, expected: number): void {
  const decimals = text.includes('.') ? text.split('.')[1].length : 0
  expect(Math.abs(Number(text.replaceAll(',', '')) - expected)).toBeLessThanOrEqual(
    0.5 * 10 ** -decimals + 1e-12,
  )
}

/** Rows "144–163" → [144, 164). */
function rowRange(text: string): [number, number] {
  const [a, b] = text.replaceAll(',', '').split('–').map(Number)
  return [a, b + 1]
}

async function download(page: Page, testid: string, name: string): Promise<string> {
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()])
  const path = join(dir, name)
  await d.saveAs(path)
  return readFileSync(path, 'utf8')
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'seqcast-e2e-intervals-app-'))
  const data = monthlyGrowing()
  y = data.y
  writeFileSync(join(dir, 'monthly_growing.csv'), data.csv)
  ;({ server, browser } = await openApp({ file: join(dir, 'monthly_growing.csv') }))
})

afterAll(() => closeApp({ server, browser }, dir))

let csvRows: ForecastCsvRow[] = []

describe('intervals and backtests on a monthly series with a growing season', () => {
  it('Experiment: Backtest before any run, each fold against naive and seasonal naive by hand', async () => {
    const { page } = browser
    await page.getByTestId('nav-experiment').click()
    await page.getByTestId('sequence-length').waitFor()
    await page.getByLabel('Preset').selectOption('ets')
    await setNumber(page, 'Sequence length', L)
    await setNumber(page, 'Delay', L)
    await setNumber(page, 'Horizon', H)
    await setNumber(page, 'Training fraction', 0.6)
    await setNumber(page, 'Validation fraction', 0.2)
    await page.locator('#season-rows').fill(String(SEASON))
    await setNumber(page, 'Interval level %', 80)
    await page.getByLabel('Interval method').selectOption('split')
    const panel = page.getByTestId('backtest')
    await panel.scrollIntoViewIfNeeded()
    await panel.getByLabel('Folds', { exact: true }).fill('3')
    await page.getByTestId('backtest-start').click()
    const table = panel.getByTestId('backtest-table')
    await table.waitFor({ timeout: 120_000 })
    const { rows, cell } = await tableReader(table)
    expect(rows).toHaveLength(4)
    expect(rows.map((r) => r[0])).toEqual(['1', '2', '3', 'all folds'])
    // Blocks of first-target rows: consecutive from the 144 training rows on, each fold
    // training on every row before its block.
    let next = 144
    for (const r of rows.slice(0, 3)) {
      const [c0, c1] = rowRange(cell(r, 'Targets in rows'))
      expect(c0).toBe(next)
      expect(rowRange(cell(r, 'Trains on rows'))).toEqual([0, c0])
      expect(Number(cell(r, 'Windows'))).toBe(c1 - c0)
      // A window whose first target is row c read rows c−12 … c−1: naive repeats y[c−1] for
      // the 3 steps, seasonal naive takes y[c+j−12].
      let naive = 0
      let seasonal = 0
      for (let c = c0; c < c1; c++) {
        for (let j = 0; j < H; j++) {
          naive += Math.abs(y[c + j] - y[c - 1])
          seasonal += Math.abs(y[c + j] - y[c + j - SEASON])
        }
      }
      expectShown(cell(r, 'Naive MAE'), naive / ((c1 - c0) * H))
      expectShown(cell(r, 'Seasonal naive MAE'), seasonal / ((c1 - c0) * H))
      expect(cell(r, 'Coverage (80 %)')).toMatch(/^\d+\.\d %$/)
      next = c1
    }
    await expect
      .poll(() => panel.getByTestId('backtest-chart').getAttribute('data-rendered'))
      .not.toBeNull()
    await panel.getByTestId('backtest-chart').scrollIntoViewIfNeeded()
    await screenshot(page, 'experiment-backtest')
  })

  it('the Experiment backtest is kept in the Library under what it tested, after a reload', async () => {
    const { page } = browser
    await page.reload()
    await page.getByTestId('nav-library').click()
    const saved = page.getByTestId('library-backtests')
    await saved.waitFor()
    expect(await saved.locator('h3').allInnerTexts()).toEqual([
      'Experiment ETS → sales on monthly_growing.csv',
    ])
    const summary = await saved.getByTestId('library-backtest').locator('summary').innerText()
    expect(summary).toMatch(/^3 folds, refit every, 80 % intervals · MAE [\d.]+ vs naive [\d.]+ · /)
  })

  it('Results: each split’s coverage line counts the exported actuals inside their bands', async () => {
    const { page } = browser
    await page.getByTestId('nav-experiment').click()
    await page.getByTestId('start-training').click()
    await expect
      .poll(() => page.getByTestId('run-status-chip').innerText(), { timeout: 120_000 })
      .toBe('done')
    await page.getByTestId('see-results').click()
    await page.getByTestId('metrics').waitFor()
    csvRows = parseForecastCsv(await download(page, 'export-forecasts', 'forecasts.csv'))
    for (const split of ['val', 'test'] as const) {
      const rows = csvRows.filter((r) => r.split === split)
      const inside = rows.filter((r) => r.actual! >= r.lower! && r.actual! <= r.upper!).length
      const width = rows.reduce((sum, r) => sum + r.upper! - r.lower!, 0) / rows.length
      const text = await page.getByTestId(`coverage-${split}`).innerText()
      const share = ((100 * inside) / rows.length).toFixed(1)
      expect(text).toContain(
        `80 % interval (split conformal): covers ${share} % of ${rows.length} targets, mean width `,
      )
      expectShown(/mean width ([\d.,]+)/.exec(text)![1], width)
      // Only the validation band is calibrated on its own windows, and the line says so.
      expect(text.endsWith('(calibrated on these windows)')).toBe(split === 'val')
    }
    await page.getByTestId('forecast-chart').scrollIntoViewIfNeeded()
    await screenshot(page, 'results-intervals-monthly')
  })

  it('the test and future half-widths per step are the 80 % quantile of the validation |residuals|', () => {
    const scores = absResidualsByStep(csvRows, 'val')
    const radius = scores.map((s) => handQuantile(s, 0.8))
    for (const split of ['test', 'future']) {
      const rows = csvRows.filter((r) => r.split === split)
      expect(rows.length).toBeGreaterThan(0)
      for (const r of rows) {
        // The file holds 15 significant digits of each number.
        expect(r.upper! - r.predicted).toBeCloseTo(radius[r.step - 1], 9)
        expect(r.predicted - r.lower!).toBeCloseTo(radius[r.step - 1], 9)
      }
    }
  })

  it('Results: Backtest cancelled after a fold keeps the folds that finished, and says so', async () => {
    const { page } = browser
    const panel = page.getByTestId('backtest')
    await panel.scrollIntoViewIfNeeded()
    await panel.getByLabel('Folds', { exact: true }).fill('60')
    await page.getByTestId('backtest-start').click()
    // Cancel as soon as fold 1 has finished (the progress names fold 2 or later).
    const progress = panel.getByTestId('backtest-progress')
    await expect
      .poll(async () => ((await progress.count()) ? await progress.innerText() : ''), {
        timeout: 60_000,
        interval: 50,
      })
      .toMatch(/^Fold ([2-9]|\d\d) of 60/)
    await page.getByTestId('backtest-cancel').click()
    const note = panel.getByTestId('backtest-cancelled')
    await note.waitFor({ timeout: 60_000 }).catch(async (e: unknown) => {
      await screenshot(page, 'results-backtest-cancel-failed')
      throw e
    })
    const m =
      /^Cancelled during fold (\d+) of 60: the table holds the (\d+) folds? that finished before it\.$/.exec(
        await note.innerText(),
      )
    expect(m).not.toBeNull()
    const finished = Number(m![2])
    expect(finished).toBe(Number(m![1]) - 1)
    const { rows, cell } = await tableReader(panel.getByTestId('backtest-table'))
    expect(rows.map((r) => r[0])).toEqual([
      ...Array.from({ length: finished }, (_, i) => String(i + 1)),
      'all folds',
    ])
    // Fold 1's naive MAE is still the hand count over its block.
    const [c0, c1] = rowRange(cell(rows[0], 'Targets in rows'))
    let naive = 0
    for (let c = c0; c < c1; c++) for (let j = 0; j < H; j++) naive += Math.abs(y[c + j] - y[c - 1])
    expectShown(cell(rows[0], 'Naive MAE'), naive / ((c1 - c0) * H))
    await screenshot(page, 'results-backtest-cancelled')
    await page.getByTestId('nav-library').click()
    await expect
      .poll(() => page.getByTestId('library-backtest').locator('summary').allInnerTexts())
      .toContainEqual(
        expect.stringMatching(new RegExp(`^cancelled after ${finished} of 60 folds · 60 folds`)),
      )
  })

  it('Forecast view at 50 %: the band drawn and the CSV are the 50 % quantile of those residuals', async () => {
    const { page } = browser
    await page.getByTestId('nav-results').click()
    await page.getByTestId('forecast-with-model').click()
    const form = page.getByTestId('forecast-form-level')
    await form.waitFor()
    // The model's own level until another is chosen.
    expect(await form.inputValue()).toBe('0.8')
    await form.selectOption({ label: '50 % interval' })
    await page.getByTestId('run-forecast').click()
    await page.getByTestId('prediction-metrics').waitFor({ timeout: 120_000 })
    expect(await page.getByTestId('forecast-interval-level').inputValue()).toBe('0.5')
    const rows = parseForecastCsv(await download(page, 'export-prediction', 'forecast-50.csv'))
    const radius = absResidualsByStep(csvRows, 'val').map((s) => handQuantile(s, 0.5))
    const windows = rows.filter((r) => r.split !== 'future')
    expect(windows.length).toBeGreaterThan(0)
    for (const r of rows) expect(r.upper! - r.predicted).toBeCloseTo(radius[r.step - 1], 9)
    // The coverage line is of the band drawn: counted from the same CSV.
    const inside = windows.filter((r) => r.actual! >= r.lower! && r.actual! <= r.upper!).length
    expect(await page.getByTestId('prediction-coverage').innerText()).toContain(
      `50 % interval (split conformal): covers ${((100 * inside) / windows.length).toFixed(1)} % of ${windows.length} targets`,
    )
    await screenshot(page, 'forecast-view-50')
  })
})

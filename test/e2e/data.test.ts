/**
 * Data view in real Chromium against `npm run serve`: open CSV files by dropping a real file
 * and with the file picker, the column report, warnings with their repairs, the time column,
 * and the messages of files that cannot be read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { makeJenaLike, screenshot, type Browser, type Server } from './helpers/app'
import { dropFile, notice, numberIn, openWithPicker } from './helpers/flows'
import { closeApp, openApp } from './helpers/session'

let server: Server
let browser: Browser
let dir: string
const files: Record<string, string> = {}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'seqcast-e2e-data-'))
  const make = (name: string, args: string[]) => (files[name] = makeJenaLike(join(dir, name), args))
  make('jena_5k.csv', ['--rows', '5000', '--seed', '1'])
  make('station_quirks.csv', ['--rows', '5000', '--seed', '2', '--quirks'])
  files['empty.csv'] = join(dir, 'empty.csv')
  writeFileSync(files['empty.csv'], '')
  files['picture.csv'] = join(dir, 'picture.csv')
  writeFileSync(
    files['picture.csv'],
    Buffer.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 1,
      0, 0, 0, 0, 0, 0, 0, 0,
    ]),
  )
  ;({ server, browser } = await openApp())
})

afterAll(() => closeApp({ server, browser }, dir))

/** Min and max of a column read straight from the CSV text (independent of the importer). */
function columnRange(path: string, column: string): { rows: number; min: number; max: number } {
  const lines = readFileSync(path, 'utf8').trim().split(/\r?\n/)
  const index = lines[0].split(',').indexOf(column)
  let min = Infinity
  let max = -Infinity
  for (const line of lines.slice(1)) {
    const v = Number(line.split(',')[index])
    if (v < min) min = v
    if (v > max) max = v
  }
  return { rows: lines.length - 1, min, max }
}

describe('Data view', () => {
  it('imports a dropped file and shows the column report with its warnings', async () => {
    const { page } = browser
    await dropFile(page, files['station_quirks.csv'])
    await page.getByTestId('column-table').waitFor()
    await expect
      .poll(() => page.getByTestId('header-dataset').innerText())
      .toContain('station_quirks.csv')
    const expected = columnRange(files['station_quirks.csv'], 'T (degC)')
    expect(await numberIn(page.getByTestId('row-count'))).toBe(expected.rows) // 5,000 rows + 1 duplicated
    const rows = page.getByTestId('column-table').locator('tbody tr')
    expect(await rows.count()).toBe(15)
    const t = page.locator('tr[data-column="T (degC)"]')
    const cells = await t.locator('td').allInnerTexts()
    expect(cells[1]).toBe('numeric')
    expect(cells[2]).toBe(expected.rows.toLocaleString('en-US'))
    // Shown rounded to the decimals the cell has: within half a unit of its last digit.
    const near = (cell: string, value: number) => {
      const decimals = cell.includes('.') ? cell.length - cell.indexOf('.') - 1 : 0
      expect(Math.abs(Number(cell.replace(/,/g, '')) - value)).toBeLessThanOrEqual(
        0.5 * 10 ** -decimals + 1e-12,
      )
    }
    near(cells[4], expected.min)
    near(cells[5], expected.max)
    expect(await t.locator('canvas').count()).toBe(1) // the sparkline
    expect(await page.locator('tr[data-column="Date Time"] td').nth(1).innerText()).toBe('datetime')
    const issues = page.getByTestId('issues')
    await expect.poll(() => issues.locator('li[data-code="duplicate-time"]').count()).toBe(1)
    expect(await issues.locator('li[data-code="gaps"]').innerText()).toMatch(
      /station_quirks\.csv, column "Date Time": 1 gap in the 10 min cadence, 37 missing rows/,
    )
    await screenshot(page, 'data-view')
  })

  it('repairs a warning: dropping the duplicated row saves a new version of the dataset', async () => {
    const { page } = browser
    const before = await numberIn(page.getByTestId('row-count'))
    await page
      .locator('li[data-code="duplicate-time"]')
      .getByRole('button', { name: 'Drop exact duplicate rows' })
      .click()
    await expect.poll(() => numberIn(page.getByTestId('row-count'))).toBe(before - 1)
    await expect.poll(() => page.locator('li[data-code="duplicate-time"]').count()).toBe(0)
    expect(await page.locator('.repairs-done').innerText()).toBe(
      'Repairs applied: Dropped 1 row equal in every column to an earlier row.',
    )
    // The gap is still reported, with its repairs.
    expect(await page.locator('li[data-code="gaps"]').getByRole('button').allInnerTexts()).toEqual([
      'Fill gaps (insert rows, interpolate)',
      'Insert the missing rows only',
    ])
  })

  it('switches the time column off and back', async () => {
    const { page } = browser
    const select = page.getByLabel('Time column')
    await select.selectOption('')
    await expect.poll(() => page.locator('#time-hint').innerText()).toMatch(/Without a time column/)
    await select.selectOption('Date Time')
    await expect
      .poll(() => page.locator('#time-hint').innerText())
      .toMatch(/2009-01-01 00:10 … 2009-02-04/)
  })

  it('imports a file chosen with the file picker', async () => {
    const { page } = browser
    await openWithPicker(page, files['jena_5k.csv'])
    await expect.poll(() => page.getByTestId('header-dataset').innerText()).toContain('jena_5k.csv')
    expect(await numberIn(page.getByTestId('row-count'))).toBe(5000)
    await expect.poll(() => page.getByTestId('issues').count()).toBe(0)
  })

  it('shows why a file cannot be read, naming the file, and keeps the open dataset', async () => {
    const { page } = browser
    await openWithPicker(page, files['empty.csv'])
    // The notice is found by its title, so the title proves nothing: the reason and the fix must follow.
    expect(await notice(page, 'Could not import empty.csv')).toMatch(
      /empty\.csv is empty \(0 bytes\)\. Choose a CSV file with a header row and data rows\./,
    )
    await dropFile(page, files['picture.csv'])
    const text = await notice(page, 'Could not import picture.csv')
    expect(text).toMatch(/picture\.csv/)
    expect(text).toMatch(/picture\.csv is a PNG image, not CSV text/)
    expect(await page.getByTestId('header-dataset').innerText()).toContain('jena_5k.csv')
    await screenshot(page, 'data-view-errors')
    expect(browser.errors.filter((e) => /Content Security Policy|pageerror/i.test(e))).toEqual([])
  })
})

/**
 * Forecasting a new file with a saved or imported model: a model trained from the UI is exported
 * as a .zip, imported in the Library and used on a second Jena-format file (another seed). The
 * exported CSV must be exactly what the engine answers to the same `model:predict` sent on the
 * test's own connection (written by the CLI's writer); the naive baselines are recomputed here
 * from the raw file; the forecast survives a reload. Files that do not fit (a missing column, a
 * text column, too few rows) show a message that names the problem, and nothing crashes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import type { Page } from 'playwright-core'
import {
  forecastColumns,
  formatForecastCsv,
  futureColumns,
  parseForecastCsv,
} from '../../src/shared/forecast-csv'
import type { Dataset } from '../../src/shared/series/dataset'
import type { ForecastSet, ModelPackage } from '../../src/shared/run'
import { makeJenaLike, screenshot, type Browser, type Server } from './helpers/app'
import type { EventTap } from './helpers/events'
import { notice, setNumber } from './helpers/flows'
import { uploadFile } from './helpers/upload'
import { closeApp, openApp } from './helpers/session'

let server: Server
let browser: Browser
let tap: EventTap
let dir: string
let train: string
let other: string
let noColumn: string
let textColumn: string
let tooShort: string

// The experiment: T (degC) from all 14 columns, 12 rows one every 6, target 72 rows after the
// window's first row; 10-minute data, so the seasonal-naive season is 144 rows (one day).
const L = 12
const R = 6
const DELAY = 72
const SEASON = 144
const OTHER_ROWS = 3000

/** Drops one column from a Jena-format CSV (no quoted fields in these files). */
function withoutColumn(src: string, dst: string, name: string): void {
  const lines = readFileSync(src, 'utf8').trimEnd().split('\n')
  const i = lines[0].split(',').indexOf(name)
  expect(i).toBeGreaterThan(0)
  writeFileSync(
    dst,
    lines
      .map((l) =>
        l
          .split(',')
          .filter((_, j) => j !== i)
          .join(','),
      )
      .join('\n') + '\n',
  )
}

/** Replaces one column's values with words. */
function withTextColumn(src: string, dst: string, name: string): void {
  const lines = readFileSync(src, 'utf8').trimEnd().split('\n')
  const i = lines[0].split(',').indexOf(name)
  const words = ['N', 'NE', 'E', 'SE', 'S', 'SW', 'W', 'NW']
  writeFileSync(
    dst,
    lines
      .map((l, k) => {
        if (k === 0) return l
        const cells = l.split(',')
        cells[i] = words[k % words.length]
        return cells.join(',')
      })
      .join('\n') + '\n',
  )
}

function firstRows(src: string, dst: string, rows: number): void {
  const lines = readFileSync(src, 'utf8').trimEnd().split('\n')
  writeFileSync(dst, lines.slice(0, rows + 1).join('\n') + '\n')
}

/** A column of the raw file as numbers. */
function column(path: string, name: string): number[] {
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n')
  const i = lines[0].split(',').indexOf(name)
  return lines.slice(1).map((l) => Number(l.split(',')[i]))
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'seqcast-e2e-forecast-'))
  train = join(dir, 'jena_train.csv')
  other = join(dir, 'jena_other.csv')
  noColumn = join(dir, 'jena_no_rh.csv')
  textColumn = join(dir, 'jena_text_wd.csv')
  tooShort = join(dir, 'jena_short.csv')
  makeJenaLike(train, ['--rows', '5000', '--seed', '1'])
  makeJenaLike(other, ['--rows', String(OTHER_ROWS), '--seed', '7'])
  withoutColumn(other, noColumn, 'rh (%)')
  withTextColumn(other, textColumn, 'wd (deg)')
  firstRows(other, tooShort, 40)
  ;({ server, browser, tap } = await openApp({ file: train, tap: true }))
})

afterAll(() => closeApp({ server, browser, tap }, dir))

async function download(
  page: Page,
  action: () => Promise<unknown>,
): Promise<{ name: string; text: string; path: string }> {
  const [d] = await Promise.all([page.waitForEvent('download'), action()])
  const path = join(dir, `${Date.now()}-${d.suggestedFilename()}`)
  await d.saveAs(path)
  return { name: d.suggestedFilename(), text: readFileSync(path, 'utf8'), path }
}

/** A request on the test's own WebSocket connection; throws the engine's error message. */
async function ask<T>(channel: string, payload: unknown): Promise<T> {
  const r = (await tap.request(channel, payload)) as
    { ok: true; value: T } | { ok: false; error: { message: string } }
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}

/** Opens a CSV with the Forecast view's own Open button; waits until it is the picked dataset. */
async function openHere(page: Page, path: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser')
  await page.getByTestId('forecast-open-csv').click()
  await (await chooser).setFiles(path)
  const select = page.getByTestId('forecast-dataset')
  await expect
    .poll(() => select.locator('option:checked').innerText(), { timeout: 60_000 })
    .toContain(basename(path))
}

/** Dismisses every error banner with this title. */
async function dismiss(page: Page, title: string): Promise<void> {
  const button = page.getByRole('button', { name: `Dismiss: ${title}`, exact: true })
  while ((await button.count()) > 0) await button.first().click()
}

const metricCell = (page: Page, row: string, col: number) =>
  page
    .getByTestId('prediction-metrics')
    .locator(`tr[data-row="${row}"] td`)
    .nth(col)
    .innerText()
    .then((t) => Number(t.trim()))

let zipPath = ''
let modelName = ''
let answer: ForecastSet
let exported = ''

describe('Forecast a dataset with a saved or imported model', () => {
  it('trains a model and exports it as a .zip', async () => {
    const { page } = browser
    await page.getByTestId('nav-experiment').click()
    await page.getByTestId('sequence-length').waitFor()
    await page.getByLabel('Target', { exact: true }).selectOption('T (degC)')
    await page.getByLabel('Preset').selectOption('lstm')
    await setNumber(page, 'Sequence length', L)
    await setNumber(page, 'Sampling rate', R)
    await setNumber(page, 'Delay', DELAY)
    await setNumber(page, 'Epochs', 2)
    await setNumber(page, 'Batch size', 64)
    await expect.poll(() => page.getByTestId('start-training').isDisabled()).toBe(false)
    await page.getByTestId('start-training').click()
    await page.getByTestId('run-status').waitFor()
    const started = await tap.waitFor('run:progress')
    await tap.waitFor('run:done', (d) => d.runId === started.runId)
    await expect
      .poll(() => page.getByTestId('run-status-chip').innerText(), { timeout: 60_000 })
      .toBe('done')
    await page.getByTestId('see-results').click()
    await page.getByTestId('metrics').waitFor()
    const zip = await download(page, () => page.getByTestId('export-model').click())
    expect(zip.name).toMatch(/\.zip$/)
    zipPath = zip.path
  })

  it('imports the .zip in the Library and forecasts a second file with the same schema', async () => {
    const { page } = browser
    await page.getByTestId('nav-library').click()
    const models = page.getByTestId('library-models')
    await expect.poll(() => models.locator('tbody tr').count()).toBe(1)
    const chooser = page.waitForEvent('filechooser')
    await page.getByRole('button', { name: 'Import model (.zip)…' }).click()
    await (await chooser).setFiles(zipPath)
    const imported = models.locator('tbody tr').filter({ hasText: 'imported' })
    await expect.poll(() => imported.count()).toBe(1)
    modelName = (await imported.getAttribute('data-name')) ?? ''
    expect(modelName).not.toBe('')
    await imported.getByRole('button', { name: /^Forecast a dataset with/ }).click()
    await page.getByTestId('forecast-form').waitFor()
    expect(
      await page.getByTestId('forecast-model').locator('option:checked').innerText(),
    ).toContain('(imported)')
    expect(await page.getByTestId('model-reads').innerText()).toContain('“T (degC)”')

    // A new CSV opened right here.
    await openHere(page, other)
    await page.getByTestId('run-forecast').click()
    await page.getByTestId('prediction-metrics').waitFor({ timeout: 120_000 })
    await expect
      .poll(() => page.getByTestId('prediction-chart').getAttribute('data-rendered'))
      .not.toBeNull()
    await expect
      .poll(() => page.getByTestId('prediction-future-chart').getAttribute('data-rendered'))
      .not.toBeNull()

    // The engine's answer to the same request on the test's own connection.
    const pkg = await ask<ModelPackage>('model:read', {
      source: await uploadFile(server.url, zipPath),
    })
    const { dataset } = await ask<{ dataset: Dataset }>('dataset:import', {
      jobId: 'test-import',
      source: await uploadFile(server.url, other),
    })
    const names = [
      ...new Set([...pkg.manifest.experiment.features, pkg.manifest.experiment.target]),
    ]
    expect(names).toHaveLength(14)
    const time = dataset.columns.find((c) => c.name === dataset.timeColumn)
    answer = await ask<ForecastSet>('model:predict', {
      package: pkg,
      data: {
        datasetName: dataset.name,
        rowCount: dataset.rowCount,
        columns: names.map((name) => {
          const c = dataset.columns.find((x) => x.name === name)!
          return { name, values: (c as { values: Float64Array }).values }
        }),
        timeColumn: dataset.timeColumn,
        timestamps: time && time.kind === 'datetime' ? time.values : null,
        schema: dataset.columns.map((c) => ({ name: c.name, kind: c.kind })),
      },
    })

    // Keras' windows: data = rows[:-delay], a window needs (L − 1)·R + 1 rows of it.
    const windows = OTHER_ROWS - DELAY - (L - 1) * R
    expect(answer.forecast.predicted.length).toBe(windows)

    // Baselines recomputed from the raw file: naive = the window's last row, seasonal naive = one
    // day before the target; every window k starts at row k
    const T = column(other, 'T (degC)')
    // day before the target (windows whose target is in the first day have none and are skipped).
    let naive = 0
    let seasonal = 0
    let seasonalCount = 0
    for (let s = 0; s < windows; s++) {
      const target = s + DELAY
      naive += Math.abs(T[target] - T[s + (L - 1) * R])
      if (target >= SEASON) {
        seasonal += Math.abs(T[target] - T[target - SEASON])
        seasonalCount++
      }
    }
    expect(seasonalCount).toBe(windows - (SEASON - DELAY))
    expect(await metricCell(page, 'Naive', 1)).toBeCloseTo(naive / windows, 3)
    expect(await metricCell(page, 'Seasonal naive', 1)).toBeCloseTo(seasonal / seasonalCount, 3)
    expect(await metricCell(page, 'Model', 1)).toBeCloseTo(answer.metrics!.mae, 3)
    expect(await page.getByTestId('prediction-comparison').innerText()).toContain(
      answer.comparison.naive!.text,
    )
    await screenshot(page, 'forecast-view')
  })

  it("exports exactly the CSV the CLI's predict writes for the engine's answer", async () => {
    const { page } = browser
    const file = await download(page, () => page.getByTestId('export-prediction').click())
    expect(file.name).toMatch(/forecasts\.csv$/)
    const expected = formatForecastCsv([
      forecastColumns('all', answer.forecast),
      futureColumns(answer.future!),
    ])
    // Every column but the last, origin: the app knows the model's window and the file's time
    // (the CLI's predict writes them the same way, checked in test/cli/edges.test.ts).
    const upToOrigin = (text: string) =>
      text
        .split('\n')
        .map((l) => l.split(',').slice(0, 9).join(','))
        .join('\n')
    expect(upToOrigin(file.text)).toBe(upToOrigin(expected))
    exported = file.text
    // And by hand: one line per window, target rows from the delay on, then the future rows.
    const rows = parseForecastCsv(file.text)
    const windows = OTHER_ROWS - DELAY - (L - 1) * R
    expect(rows).toHaveLength(windows + 1)
    expect(rows[0]).toMatchObject({ split: 'all', row: DELAY, step: 1 })
    expect(rows[windows - 1].row).toBe(windows - 1 + DELAY)
    expect(rows[0].actual).toBe(column(other, 'T (degC)')[DELAY])
    expect(rows[windows]).toMatchObject({ split: 'future', actual: null, residual: null })
    expect(rows[windows].predicted).toBe(Number(answer.future!.predicted[0].toPrecision(15)))
  })

  it('Ctrl+E exports it too, but not while typing in a field; Ctrl+O opens a CSV', async () => {
    const { page } = browser
    await page.evaluate(`window.addEventListener('keydown', (e) => {
      window.__lastKey = { key: e.key, prevented: e.defaultPrevented }
    })`)
    const lastKey = () => page.evaluate('window.__lastKey') as Promise<{ prevented: boolean }>
    const file = await download(page, () => page.keyboard.press('Control+e'))
    expect(file.text).toBe(exported)
    expect(await lastKey()).toEqual({ key: 'e', prevented: true })
    // In a text field the keys are the field's: the app leaves them alone.
    await page.getByTestId('nav-experiment').click()
    await page.getByTestId('sequence-length').focus()
    await page.keyboard.press('Control+e')
    expect(await lastKey()).toEqual({ key: 'e', prevented: false })
    await page.keyboard.press('Control+o')
    expect(await lastKey()).toEqual({ key: 'o', prevented: false })
    await page.getByTestId('sequence-length').blur()
    const chooser = page.waitForEvent('filechooser')
    await page.keyboard.press('Control+o')
    expect(await lastKey()).toEqual({ key: 'o', prevented: true })
    await (await chooser).setFiles([])
    await page.getByTestId('nav-forecast').click()
  })

  it('keeps the forecast after a reload: in the Library and in the Forecast view', async () => {
    const { page } = browser
    await page.reload()
    await page.getByTestId('prediction-metrics').waitFor()
    expect(await metricCell(page, 'Model', 1)).toBeCloseTo(answer.metrics!.mae, 3)
    await page.getByTestId('nav-library').click()
    const list = page.getByTestId('library-forecasts')
    await expect.poll(() => list.locator('tbody tr').count()).toBe(1)
    const row = list.locator('tbody tr').first()
    expect(await row.innerText()).toContain(modelName)
    await row.getByRole('button', { name: 'Open' }).click()
    await expect
      .poll(() => page.getByTestId('prediction-chart').getAttribute('data-rendered'))
      .not.toBeNull()
    const again = await download(page, () => page.getByTestId('export-prediction').click())
    expect(again.text).toBe(exported)
  })

  it('a file that lacks a column gets a message naming it, and nothing else changes', async () => {
    const { page } = browser
    await openHere(page, noColumn)
    await page.getByTestId('run-forecast').click()
    const text = await notice(page, 'The model does not fit this dataset')
    expect(text).toContain('jena_no_rh.csv lacks the column "rh (%)"')
    expect(text).toContain('Rename the columns or use a file with the same schema')
    expect(await page.getByTestId('run-forecast').isEnabled()).toBe(true)
    // The forecast shown and the saved ones are untouched.
    expect(await metricCell(page, 'Model', 1)).toBeCloseTo(answer.metrics!.mae, 3)
    await page.getByTestId('nav-library').click()
    await expect
      .poll(() => page.getByTestId('library-forecasts').locator('tbody tr').count())
      .toBe(1)
    await page.getByTestId('nav-forecast').click()
  })

  it('a text column where the model reads numbers, and a file too short for one window', async () => {
    const { page } = browser
    await dismiss(page, 'The model does not fit this dataset')
    await openHere(page, textColumn)
    await page.getByTestId('run-forecast').click()
    const text = await notice(page, 'The model does not fit this dataset')
    expect(text).toContain('Column "wd (deg)" of jena_text_wd.csv holds text')
    await dismiss(page, 'The model does not fit this dataset')
    await openHere(page, tooShort)
    await page.getByTestId('run-forecast').click()
    const short = await notice(page, 'Window settings do not fit the data')
    expect(short).toContain('jena_short.csv has 40 rows')
    expect(short).toContain(`${(L - 1) * R + 1} rows`)
    expect(browser.errors.filter((e) => /pageerror|Content Security Policy/i.test(e))).toEqual([])
  })
})

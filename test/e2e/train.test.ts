/**
 * Training from the UI against the real engine: curves that update per epoch, cancel, the
 * forecast chart, everything still there after a reload (real IndexedDB), exports compared
 * with the numbers the engine broadcast, and a run cut off by quitting the app coming back as
 * interrupted with its checkpoint usable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { unzipSync } from 'fflate'
import type { Page } from 'playwright-core'
import { parseForecastCsv } from '../../src/shared/forecast-csv'
import type { BackendReport, RunResult } from '../../src/shared/run'
import {
  launchBrowser,
  makeJenaLike,
  removeDir,
  screenshot,
  startServer,
  type Browser,
  type Server,
} from './helpers/app'
import { tapEvents, type EventTap } from './helpers/events'
import { openWithPicker, runAction, setNumber } from './helpers/flows'

let server: Server
let browser: Browser
let tap: EventTap
let dir: string
let csv: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'seqcast-e2e-train-'))
  csv = join(dir, 'jena_5k.csv')
  makeJenaLike(csv, ['--rows', '5000', '--seed', '1'])
  server = await startServer()
  tap = await tapEvents(server.url)
  browser = await launchBrowser()
  await browser.page.goto(server.url)
  await openWithPicker(browser.page, csv)
  await browser.page.getByTestId('row-count').waitFor()
})

afterAll(async () => {
  tap?.close()
  await browser?.dispose()
  await server?.stop()
  removeDir(dir)
})

/** A small experiment: T (degC) from all 14 columns, 12 rows one every 6, target 1 h after the window. */
async function setUpExperiment(page: Page, epochs: number): Promise<void> {
  await page.getByTestId('nav-experiment').click()
  await page.getByTestId('sequence-length').waitFor()
  await page.getByLabel('Target', { exact: true }).selectOption('T (degC)')
  await page.getByLabel('Preset').selectOption('lstm')
  await setNumber(page, 'Sequence length', 12)
  await setNumber(page, 'Sampling rate', 6)
  await setNumber(page, 'Delay', 72)
  await setNumber(page, 'Epochs', epochs)
  await setNumber(page, 'Batch size', 64)
  await expect.poll(() => page.getByTestId('start-training').isDisabled()).toBe(false)
}

async function startRun(page: Page): Promise<string> {
  const known = new Set(tap.events.map((e) => (e.payload as { runId?: string }).runId))
  await page.getByTestId('start-training').click()
  await page.getByTestId('run-status').waitFor()
  await expect.poll(() => page.getByTestId('header-run').innerText()).toMatch(/running/)
  const started = await tap.waitFor('run:progress', (p) => !known.has(p.runId))
  return started.runId
}

const epochRows = (page: Page) => page.getByTestId('epoch-table').locator('tbody tr').count()
const curvesDrawn = (page: Page) => page.getByTestId('curves-chart').getAttribute('data-rendered')

async function download(
  page: Page,
  testId: string,
): Promise<{ name: string; text: string; bytes: Buffer; path: string }> {
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()])
  const path = join(dir, `${Date.now()}-${d.suggestedFilename()}`)
  await d.saveAs(path)
  const bytes = readFileSync(path)
  return { name: d.suggestedFilename(), text: bytes.toString('utf8'), bytes, path }
}

let doneRunId = ''
let exportedZip = ''
let doneResult: RunResult

describe('Train and Results', () => {
  it('trains a small model; the curves and the epoch table update as epochs finish', async () => {
    const { page } = browser
    await setUpExperiment(page, 2)
    const runId = await startRun(page)
    doneRunId = runId
    await tap.waitFor('run:epoch', (e) => e.runId === runId && e.record.epoch === 1)
    await expect.poll(() => epochRows(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(1)
    const afterFirst = await curvesDrawn(page)
    expect(afterFirst).not.toBeNull()
    await screenshot(page, 'train-view-running')
    const done = await tap.waitFor('run:done', (d) => d.runId === runId)
    doneResult = done.result
    await expect
      .poll(() => page.getByTestId('run-status-chip').innerText(), { timeout: 60_000 })
      .toBe('done')
    expect(await epochRows(page)).toBe(2)
    await expect.poll(() => curvesDrawn(page)).not.toBe(afterFirst)
    // The table shows the engine's numbers for each epoch.
    const cells = await page
      .getByTestId('epoch-table')
      .locator('tbody tr')
      .nth(1)
      .locator('td')
      .allInnerTexts()
    expect(cells[0]).toMatch(/^2/)
    expect(Number(cells[1])).toBeCloseTo(doneResult.history[1].loss, 3)
    expect(await page.getByTestId('backend').innerText()).toBe(doneResult.backend.used)
    await screenshot(page, 'train-view')
  })

  it('shows actual vs predicted, metrics against the baselines and the future forecast', async () => {
    const { page } = browser
    await page.getByTestId('see-results').click()
    await page.getByTestId('forecast-chart').waitFor()
    await expect
      .poll(() => page.getByTestId('forecast-chart').getAttribute('data-rendered'))
      .not.toBeNull()
    const model = page.getByTestId('metrics').locator('tr[data-row="Model"]').first()
    const mae = Number((await model.locator('td').nth(1).innerText()).trim())
    expect(mae).toBeCloseTo(doneResult.metrics.val!.mae, 3)
    const naive = page.getByTestId('metrics').locator('tr[data-row="Naive"]').first()
    expect(Number((await naive.locator('td').nth(1).innerText()).trim())).toBeCloseTo(
      doneResult.baselines.naive.val!.mae,
      3,
    )
    expect(doneResult.future).not.toBeNull()
    await expect
      .poll(() => page.getByTestId('future-chart').getAttribute('data-rendered'))
      .not.toBeNull()
    await screenshot(page, 'results-view')
  })

  it("exports the forecasts CSV with the engine's numbers (15 digits), the model and a report", async () => {
    const { page } = browser
    const file = await download(page, 'export-forecasts')
    expect(file.name).toMatch(/forecasts\.csv$/)
    const rows = parseForecastCsv(file.text)
    const expected: {
      split: string
      timestamp: string
      row: number | null
      actual: number | null
      predicted: number
    }[] = []
    for (const split of ['val', 'test'] as const) {
      const f = doneResult.forecasts[split]!
      for (let i = 0; i < f.predicted.length; i++) {
        expected.push({
          split,
          timestamp: new Date(f.timestamps![i]).toISOString(),
          row:
            f.rowIndex.length === f.predicted.length
              ? f.rowIndex[i]
              : f.rowIndex[Math.floor(i / f.horizon)],
          actual: f.actual[i],
          predicted: Number(f.predicted[i].toPrecision(15)), // 15 digits: no float noise
        })
      }
    }
    const future = doneResult.future!
    for (let i = 0; i < future.predicted.length; i++) {
      expected.push({
        split: 'future',
        timestamp: future.timestamps ? new Date(future.timestamps[i]).toISOString() : '',
        row: future.rowIndex[i],
        actual: null,
        predicted: Number(future.predicted[i].toPrecision(15)),
      })
    }
    expect(rows.length).toBe(expected.length)
    expect(rows.length).toBeGreaterThan(1000)
    rows.forEach((r, i) => {
      const e = expected[i]
      expect({
        split: r.split,
        timestamp: r.timestamp,
        row: r.row,
        actual: r.actual,
        predicted: r.predicted,
      }).toEqual(e)
      if (e.actual !== null)
        expect(r.residual).toBe(Number((e.actual - e.predicted).toPrecision(15)))
    })
    const zip = await download(page, 'export-model')
    exportedZip = zip.path
    expect(zip.name).toMatch(/\.zip$/)
    const entries = unzipSync(new Uint8Array(zip.bytes))
    expect(Object.keys(entries).sort()).toEqual(
      expect.arrayContaining(['model.json', 'seqcast.json', 'weights.bin']),
    )
    const manifest = JSON.parse(new TextDecoder().decode(entries['seqcast.json']))
    expect(manifest.experiment.target).toBe('T (degC)')
    expect(entries['weights.bin'].byteLength).toBe(doneResult.artifacts!.weights.byteLength)
    const png = await download(page, 'export-png')
    expect(png.name).toMatch(/actual vs predicted\.png$/)
    expect([...png.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    expect(png.bytes.readUInt32BE(16)).toBeGreaterThan(1000) // width at pixel ratio 2
    // A title band (the run, its target and dataset) of 48 px above the chart, at ratio 2.
    const box = (await page.getByTestId('forecast-chart').boundingBox())!
    expect(png.bytes.readUInt32BE(20)).toBe(2 * Math.round(box.height) + 2 * 48)
    const report = await download(page, 'export-report')
    expect(report.name).toMatch(/report\.html$/)
    expect(report.text).toContain('<h1>LSTM(16) → T (degC)</h1>')
    expect(report.text).toContain('Metrics against the baselines')
  })

  it("Help → Backend report shows the engine's report", async () => {
    const { page } = browser
    await setUpExperiment(page, 2)
    const answer = (await tap.request('engine:backends', {})) as {
      ok: true
      value: BackendReport
    }
    expect(answer.ok).toBe(true)
    await page.getByTestId('show-backend-report').click()
    const dialog = page.getByTestId('backend-report-dialog')
    await dialog.waitFor()
    expect(await dialog.getByTestId('backend-used').innerText()).toBe(answer.value.used)
    for (const [name, why] of Object.entries(answer.value.skipped))
      expect(await dialog.locator(`li[data-backend="${name}"]`).innerText()).toBe(`${name}: ${why}`)
    await dialog.getByRole('button', { name: 'Close' }).click()
    await dialog.waitFor({ state: 'hidden' })
  })

  it('names the backend while the run trains, with why; queues a second run and cancels it from the queue; cancels the first, keeping its best checkpoint', async () => {
    const { page } = browser
    await setUpExperiment(page, 5000)
    const runId = await startRun(page)
    // The worker's report (run:backend) is shown while the run is still training: the status
    // is read in the same moment as the backend (5,000 epochs do not finish before the cancel).
    const { report } = await tap.waitFor('run:backend', (b) => b.runId === runId)
    const shown = () =>
      page.evaluate(`(() => ({
        status: document.querySelector('[data-testid=run-status]').dataset.status,
        backend: document.querySelector('[data-testid=backend]').innerText,
        label: document.querySelector('[data-testid=backend-label]').innerText,
      }))()`)
    await expect.poll(shown).toEqual({ status: 'running', backend: report.used, label: 'backend' })
    await page.getByTestId('why-backend').locator('summary').click()
    const details = page.getByTestId('why-backend').getByTestId('backend-details')
    expect(await details.getByTestId('backend-used').innerText()).toBe(report.used)
    for (const [name, why] of Object.entries(report.skipped))
      expect(await details.locator(`li[data-backend="${name}"]`).innerText()).toBe(
        `${name}: ${why}`,
      )
    expect(await page.getByTestId('run-status').getAttribute('data-status')).toBe('running')
    await screenshot(page, 'train-view-backend')
    await tap.waitFor('run:checkpoint', (c) => c.runId === runId, 120_000)

    // Live: the chart and the epoch table keep up with the epoch counter (they used to show
    // only what had been saved to IndexedDB, one transaction per epoch, and fell dozens of
    // epochs behind). The counter names the epoch in progress, so every finished one before it
    // is drawn: each sample reads the three in one moment.
    const liveView = () =>
      page.evaluate(`(() => {
        const counter = parseInt(document.querySelector('[data-testid=epoch-count]').innerText, 10)
        const last = document.querySelector('[data-testid=epoch-table] tbody tr:last-child td')
        const chart = document.querySelector('[data-testid=curves-chart]')
        return {
          counter,
          table: last ? parseInt(last.innerText, 10) : 0,
          chart: Number(chart.dataset.lastEpoch),
        }
      })()`) as Promise<{ counter: number; table: number; chart: number }>
    let sample = await liveView()
    const samples: (typeof sample)[] = []
    while (sample.counter < 40) {
      samples.push(sample)
      await page.waitForTimeout(25)
      sample = await liveView()
    }
    expect(samples.length).toBeGreaterThan(5)
    for (const s of samples) {
      expect(s.table).toBeGreaterThanOrEqual(s.counter - 1)
      expect(s.chart).toBe(s.table)
    }

    // A second run while this one trains: Start says it queues, the new run shows as queued
    // (#1), and cancelling it removes it from the queue while this one trains on.
    await page.getByTestId('nav-experiment').click()
    await expect.poll(() => page.getByTestId('start-training').innerText()).toBe('Queue run')
    expect(await page.getByTestId('queue-note').innerText()).toMatch(
      /^A run is training: this one waits in the queue \(#1\)/,
    )
    const known = new Set(tap.events.map((e) => (e.payload as { runId?: string }).runId))
    await page.getByTestId('start-training').click()
    const queued = await tap.waitFor('run:state', (s) => !known.has(s.runId))
    expect(queued).toMatchObject({ status: 'queued', position: 1 })
    await expect.poll(() => page.getByTestId('run-status-chip').innerText()).toBe('queued (#1)')
    expect(await page.getByTestId('run-stage').innerText()).toMatch(/^Queued \(#1\): it starts/)
    await screenshot(page, 'train-view-queued')
    const epochsSeen = () =>
      tap.events.filter(
        (e) => e.event === 'run:epoch' && (e.payload as { runId: string }).runId === runId,
      ).length
    await page.getByTestId('cancel-run').click()
    const failed = await tap.waitFor('run:failed', (f) => f.runId === queued.runId)
    expect(failed.error).toMatchObject({
      kind: 'cancelled',
      message: expect.stringMatching(/while queued \(#1\)/),
    })
    await expect.poll(() => page.getByTestId('run-status-chip').innerText()).toBe('cancelled')
    const before = epochsSeen()
    await tap.waitFor('run:epoch', (e) => e.runId === runId && e.record.epoch > before, 120_000)
    expect(
      tap.events.some(
        (e) =>
          e.event !== 'run:epoch' &&
          (e.payload as { runId?: string }).runId === runId &&
          /run:(failed|done)/.test(e.event),
      ),
    ).toBe(false)

    // The Library lists the newest first: delete the run that never started (the later tests
    // count the runs of this file), then open the first one again and cancel it.
    await page.getByTestId('nav-library').click()
    const rows = page.getByTestId('library-runs').locator('tbody tr')
    await expect.poll(() => rows.count()).toBe(3) // the queued one, the first, the small one
    expect(await rows.first().getByTestId('run-status-cell').innerText()).toBe('cancelled')
    expect(await rows.nth(1).getByTestId('run-status-cell').innerText()).toBe('running')
    await runAction(page, rows.first(), /^Delete run/)
    await page
      .getByRole('dialog', { name: 'Delete run?' })
      .getByRole('button', { name: 'Delete' })
      .click()
    await expect.poll(() => rows.count()).toBe(2)
    await rows.first().getByRole('button', { name: 'Open', exact: true }).click()
    await expect.poll(() => page.getByTestId('run-status-chip').innerText()).toBe('running')
    await page.getByTestId('cancel-run').click()
    await expect
      .poll(() => page.getByTestId('run-status-chip').innerText(), { timeout: 60_000 })
      .toBe('cancelled')
    const done = await tap.waitFor('run:done', (d) => d.runId === runId)
    expect(done.result.stopReason).toBe('cancelled')
    await page.getByTestId('nav-library').click()
    const row = page.getByTestId('library-runs').locator('tbody tr').first()
    expect(await row.getByTestId('run-status-cell').innerText()).toBe('cancelled')
    await expect.poll(() => page.getByTestId('library-models').locator('tbody tr').count()).toBe(2)
  })

  it('finds dataset, runs and models again after a reload (IndexedDB)', async () => {
    const { page } = browser
    await page.reload()
    await page.getByTestId('library-runs').waitFor()
    await expect
      .poll(() => page.getByTestId('library-datasets').locator('tbody tr').count())
      .toBe(1)
    await expect
      .poll(() => page.getByTestId('library-runs').getByTestId('run-status-cell').allInnerTexts())
      .toEqual(['cancelled', 'done'])
    await expect.poll(() => page.getByTestId('library-models').locator('tbody tr').count()).toBe(2)
    await screenshot(page, 'library-view')
    await page
      .getByTestId('library-runs')
      .locator(`tr[data-name="LSTM(16) → T (degC)"]`)
      .getByRole('button', { name: 'Open' })
      .click()
    await expect
      .poll(() => page.getByTestId('forecast-chart').getAttribute('data-rendered'))
      .not.toBeNull()
    expect(doneRunId).not.toBe('')
  })

  it('a run cut off by quitting the app comes back as interrupted, and its checkpoint forecasts', async () => {
    const { page } = browser
    await setUpExperiment(page, 200)
    const runId = await startRun(page)
    await tap.waitFor('run:checkpoint', (c) => c.runId === runId, 120_000)
    // The window has saved it too (the same event reaches the page a moment later).
    await expect.poll(() => page.getByTestId('checkpoint-epoch').innerText()).not.toBe('—')
    // Quit: the window closes first, then the server (which stops the training).
    const profile = browser.profile
    await browser.context.close()
    removeDir(browser.downloads)
    tap.close()
    const port = server.port
    await server.stop()
    server = await startServer({ port })
    tap = await tapEvents(server.url)
    browser = await launchBrowser(profile)
    const again = browser.page
    await again.goto(`${server.url}#/library`)
    const row = again.getByTestId('library-runs').locator('tbody tr').first()
    // Reconciling with the restarted server takes a moment under load (2 cores, 4 suites).
    await expect
      .poll(() => row.getByTestId('run-status-cell').innerText(), { timeout: 30_000 })
      .toBe('interrupted')
    // Its model is its best checkpoint (other runs' models may be best checkpoints too).
    const interrupted = (await row.getAttribute('data-name'))!
    await expect
      .poll(
        () =>
          again
            .getByTestId('library-models')
            .locator('tbody tr', { hasText: interrupted })
            .getByText('best checkpoint')
            .count(),
        { timeout: 30_000 },
      )
      .toBeGreaterThanOrEqual(1)
    await row.getByRole('button', { name: 'Open' }).click()
    // Its Results forecast with the checkpoint on opening: no button to find first.
    await expect
      .poll(() => again.getByTestId('forecast-chart').getAttribute('data-rendered'), {
        timeout: 60_000,
      })
      .not.toBeNull()
    await screenshot(again, 'results-interrupted')
  })

  it('renames and deletes from the Library, after a confirmation', async () => {
    const { page } = browser
    await page.getByTestId('nav-library').click()
    const datasets = page.getByTestId('library-datasets')
    await datasets.getByRole('button', { name: 'Rename' }).click()
    const field = datasets.getByRole('textbox', { name: 'New name for jena_5k.csv' })
    await field.fill('Jena, first 5,000 rows')
    await field.press('Enter')
    await expect
      .poll(() => page.getByTestId('header-dataset').innerText())
      .toContain('Jena, first 5,000 rows')
    const runs = page.getByTestId('library-runs')
    const cancelled = runs
      .locator('tbody tr')
      .filter({ has: page.getByText('cancelled', { exact: true }) })
    await runAction(page, cancelled, /^Delete run/)
    const dialog = page.getByRole('dialog', { name: 'Delete run?' })
    expect(await dialog.innerText()).toMatch(
      /its forecasts and its model\? This cannot be undone\./,
    )
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    expect(await runs.locator('tbody tr').count()).toBe(3)
    await runAction(page, cancelled, /^Delete run/)
    await dialog.getByRole('button', { name: 'Delete' }).click()
    await expect
      .poll(() => runs.getByTestId('run-status-cell').allInnerTexts())
      .toEqual(['interrupted', 'done'])
    await expect.poll(() => page.getByTestId('library-models').locator('tbody tr').count()).toBe(2)
    // The model exported earlier comes back in through the Library's import.
    const chooser = page.waitForEvent('filechooser')
    await page.getByRole('button', { name: 'Import model (.zip)…' }).click()
    await (await chooser).setFiles(exportedZip)
    await expect.poll(() => page.getByTestId('library-models').locator('tbody tr').count()).toBe(3)
    expect(
      await page.getByTestId('library-models').getByText('imported', { exact: true }).count(),
    ).toBe(1)

    // Renaming a run renames its model; the model's kind names the epoch it holds, as the
    // engine reported it (the best epoch is the last one: "final"; else a best checkpoint).
    const doneRow = runs
      .locator('tbody tr')
      .filter({ has: page.getByText('done', { exact: true }) })
    await runAction(page, doneRow, 'Rename')
    const runField = doneRow.getByRole('textbox')
    await runField.fill('T in 1 h, first try')
    await runField.press('Enter')
    const modelRow = page
      .getByTestId('library-models')
      .locator('tr[data-name="T in 1 h, first try"]')
    await expect.poll(() => modelRow.count()).toBe(1)
    const best = doneResult.bestEpoch!
    const last = doneResult.history[doneResult.history.length - 1].epoch
    expect(await modelRow.getByTestId('model-kind').innerText()).toBe(
      best === last ? `final (epoch ${best})` : `best checkpoint (epoch ${best})`,
    )
    expect(browser.errors.filter((e) => /Content Security Policy|pageerror/i.test(e))).toEqual([])
  })
})

describe('A statistical model in the app', () => {
  it('ETS trains from the Experiment view, shows its metrics next to naive and exports seqcast.json + stats.json', async () => {
    const { page } = browser
    await setUpExperiment(page, 1)
    await page.getByLabel('Preset').selectOption('ets')
    await page.getByTestId('statistical-note').waitFor()
    const known = new Set(tap.events.map((e) => (e.payload as { runId?: string }).runId))
    await page.getByTestId('start-training').click()
    const done = await tap.waitFor('run:done', (d) => !known.has(d.runId), 120_000)
    const result = done.result as RunResult
    expect(result.history).toEqual([])
    expect(result.artifacts!.stats).toBeDefined()
    await expect
      .poll(() => page.getByTestId('run-status-chip').innerText(), { timeout: 60_000 })
      .toBe('done')
    await page.getByTestId('see-results').click()
    await page.getByTestId('forecast-chart').waitFor()
    const model = page.getByTestId('metrics').locator('tr[data-row="Model"]').first()
    expect(Number((await model.locator('td').nth(1).innerText()).trim())).toBeCloseTo(
      result.metrics.val!.mae,
      3,
    )
    const zip = await download(page, 'export-model')
    const entries = unzipSync(new Uint8Array(zip.bytes))
    expect(Object.keys(entries).sort()).toEqual(['seqcast.json', 'stats.json'])
    const manifest = JSON.parse(new TextDecoder().decode(entries['seqcast.json']))
    expect(manifest.model.statistical.kind).toBe('ets')
    expect(browser.errors.filter((e) => /pageerror/i.test(e))).toEqual([])
  })
})

/**
 * Nothing is lost when the analyst reloads (or quits) in the middle of an action (Chromium
 * against `npm run serve`, on the first 600 months of the sunspots series):
 * - a comparison of ETS, Theta and a linear model trained for thousands of epochs is reloaded
 *   once the first two finished: the Library shows it "interrupted after 2 of 3 models" with
 *   those two on its board, never as running, and its best model opens in Results with its
 *   model exportable;
 * - a run reloaded while it trains is found again still training (the server trains on): the
 *   page goes on saving its checkpoints, and once cancelled the run keeps the latest;
 * - a backtest of many slow folds is reloaded once its first fold finished: the Library lists
 *   it under its run as interrupted after the folds that finished, with their per-fold table.
 * Which models and folds finished is read from the engine's own events (on the test's own
 * connection), not from the UI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import type { ArenaProgress } from '../../src/shared/arena-run'
import type { Events } from '../../src/shared/ipc/contract'
import { screenshot, type Browser, type Server } from './helpers/app'
import type { EventTap } from './helpers/events'
import { formatNumber } from '../../src/shared/format/number'
import { setNumber } from './helpers/flows'
import { closeApp, openApp } from './helpers/session'

let server: Server
let browser: Browser
let tap: EventTap
let dir: string
/** The sunspots column of the file the test opens, row by row. */
let sunspots: number[]

beforeAll(async () => {
  // 600 rows: enough for each backtest fold of a window model to fit on the rows before it.
  dir = mkdtempSync(join(tmpdir(), 'seqcast-e2e-persist-'))
  const CSV = join(dir, 'sunspots_600.csv')
  const lines = readFileSync(resolve('resources/data/sunspots_monthly.csv'), 'utf8').split('\n')
  writeFileSync(CSV, lines.slice(0, 601).join('\n') + '\n')
  sunspots = lines.slice(1, 601).map((l) => Number(l.split(',').pop()))
  ;({ server, browser, tap } = await openApp({ file: CSV, tap: true }))
})

afterAll(() => closeApp({ server, browser, tap }, dir))

const arenaEvent = (model: string, phase: ArenaProgress['phase']) =>
  tap.waitFor(
    'arena:progress',
    (p) => (p as ArenaProgress).model === model && (p as ArenaProgress).phase === phase,
    120_000,
  )

/** A run as IndexedDB holds it (read with the browser's own API, not the app's). */
function storedRun(
  page: Page,
  runId: string,
): Promise<{ status: string; checkpointEpoch: number | null; modelId: string | null } | null> {
  return page.evaluate(
    (id) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('seqcast')
        open.onerror = () => reject(open.error)
        open.onsuccess = () => {
          const get = open.result.transaction('runs', 'readonly').objectStore('runs').get(id)
          get.onsuccess = () => {
            open.result.close()
            const r = get.result as
              { status: string; checkpointEpoch: number | null; modelId: string | null } | undefined
            resolve(
              r
                ? { status: r.status, checkpointEpoch: r.checkpointEpoch, modelId: r.modelId }
                : null,
            )
          }
          get.onerror = () => reject(get.error)
        }
      }),
    runId,
  )
}

describe('reloading in the middle of an action', () => {
  it('a comparison reloaded after 2 of its 3 models is kept as interrupted with its baselines, the 2 openable', async () => {
    const { page } = browser
    await page.getByTestId('nav-experiment').click()
    await page.getByTestId('sequence-length').waitFor()
    await page.getByLabel('Target', { exact: true }).selectOption('sunspots')
    await setNumber(page, 'Sequence length', 12)
    await setNumber(page, 'Delay', 12)
    await page.getByTestId('compare-panel').scrollIntoViewIfNeeded()
    await page.getByTestId('compare-set-custom').check()
    for (const id of ['ets', 'arima', 'theta', 'mstl', 'linear', 'dense']) {
      const box = page.getByTestId(`compare-pick-${id}`)
      if (['ets', 'theta', 'linear'].includes(id)) await box.check()
      else await box.uncheck()
    }
    // The linear model trains for far longer than the test lasts: the reload cuts it off.
    await page.getByTestId('compare-epochs').fill('100000')
    await page.getByTestId('compare-patience').fill('10000')
    await expect.poll(() => page.getByTestId('compare-start').innerText()).toBe('Compare 3 models')
    await page.getByTestId('compare-start').click()
    await arenaEvent('ets', 'done')
    await arenaEvent('theta', 'done')
    await arenaEvent('linear', 'epoch')
    // Each finished model is saved as it finishes: the Library lists the comparison as running.
    await page.getByTestId('nav-library').click()
    const row = page.getByTestId('arenas-table').locator('tr[data-arena="Compare #1 → sunspots"]')
    await expect
      .poll(() => row.getByTestId('arena-status').innerText(), { timeout: 30_000 })
      .toBe('running: 2 of 3 models finished')

    await page.reload()
    await page.getByTestId('nav-library').click()
    await expect
      .poll(() => row.getByTestId('arena-status').innerText(), { timeout: 30_000 })
      .toBe('interrupted after 2 of 3 models')
    expect(await row.innerText()).toMatch(/2 of 3\s+interrupted after 2 of 3 models/)
    await row.getByTestId('arena-board').click()
    const board = page.getByTestId('library-arenas').getByTestId('leaderboard')
    await board.waitFor()
    expect(await board.locator('.card-head').innerText()).toContain(
      'interrupted after 2 of 3 models: the models that finished',
    )
    const models = await board
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-model')))
    // The baselines need no training: saved before any model trained, they are on the board too.
    expect([...models].sort()).toEqual(['ets', 'naive', 'seasonal-naive', 'theta'])
    // Naive's validation MAE, counted by hand from the file: 600 rows split 0.5 / 0.25, so the
    // validation windows read rows 300…449; L = 12 and delay 12 put the target one row after
    // the window's last row, starts 300…438 (139 windows), targets rows 312…450.
    let sum = 0
    for (let r = 312; r <= 450; r++) sum += Math.abs(sunspots[r] - sunspots[r - 1])
    const naive = await board.locator('tr[data-model="naive"] td').allInnerTexts()
    expect(naive[1]).toBe('naive\nNaive')
    // rank, name, kind, then the validation MAE (4 significant digits, as the board writes it).
    expect(naive[3]).toBe(formatNumber(sum / 139))
    await board.scrollIntoViewIfNeeded()
    await screenshot(page, 'persist-interrupted-board')
    // The best of the two opens in Results as a run: its forecasts, and its model to export.
    await row.getByTestId('arena-open').click()
    const results = page.getByTestId('leaderboard')
    await results.waitFor()
    expect(await results.innerText()).toContain('interrupted after 2 of 3 models')
    await expect.poll(() => page.getByTestId('export-model').isDisabled()).toBe(false)
    // Main's job, whose answer would go nowhere, was cancelled at start-up: the linear model's
    // epochs stop coming (they came every few milliseconds), and the row stays as it was.
    const linearEpochs = () =>
      tap.events.filter(
        (e) =>
          e.event === 'arena:progress' &&
          (e.payload as ArenaProgress).model === 'linear' &&
          (e.payload as ArenaProgress).phase === 'epoch',
      ).length
    await expect
      .poll(
        async () => {
          const before = linearEpochs()
          await new Promise((r) => setTimeout(r, 2000))
          return linearEpochs() === before
        },
        { timeout: 60_000 },
      )
      .toBe(true)
    await page.getByTestId('nav-library').click()
    expect(await row.getByTestId('arena-status').innerText()).toBe(
      'interrupted after 2 of 3 models',
    )
  }, 300_000)

  it('a run reloaded mid-training trains on; a backtest reloaded after its first fold keeps the folds that finished', async () => {
    const { page } = browser
    // A run whose settings train for long: 5,000 epochs without early stopping, cancelled after
    // the reload (its settings are what the backtest refits on every fold).
    await page.getByTestId('nav-experiment').click()
    await page.getByTestId('sequence-length').waitFor()
    await page.getByLabel('Preset').selectOption('linear')
    await setNumber(page, 'Epochs', 5000)
    const early = page.getByLabel('Early stopping')
    if (await early.isChecked()) await early.uncheck()
    await page.getByTestId('start-training').click()
    const first = (await tap.waitFor('run:epoch', () => true, 60_000)) as Events['run:epoch']
    // Training survives a reload: the server trains on, and the reloaded page finds the run
    // (not interrupted) and goes on saving its checkpoints. Read from IndexedDB itself: what is
    // kept is what counts here.
    await tap.waitFor('run:checkpoint', (c) => c.runId === first.runId, 60_000)
    const stored = () => storedRun(page, first.runId)
    await expect.poll(async () => (await stored())?.checkpointEpoch ?? null).not.toBeNull()
    const before = (await stored())!.checkpointEpoch!
    await page.reload()
    await expect
      .poll(async () => (await stored())?.checkpointEpoch ?? 0, { timeout: 60_000 })
      .toBeGreaterThan(before)
    // Trained on after the reload: still running, or (on a fast machine) through its last
    // epoch; never interrupted.
    const status = (await stored())!.status
    expect(['running', 'done']).toContain(status)
    if (status === 'running') {
      await page.getByTestId('cancel-run').click()
      await tap.waitFor('run:done', (d) => (d as Events['run:done']).runId === first.runId, 60_000)
    }
    await expect
      .poll(async () => (await stored())?.status, { timeout: 60_000 })
      .toBe(status === 'running' ? 'cancelled' : 'done')
    const trained = (await stored())!
    expect(trained.checkpointEpoch).toBeGreaterThan(before)
    expect(trained.modelId).not.toBeNull()
    await expect.poll(() => page.getByTestId('run-status-chip').innerText()).toBe(trained.status)
    await page.getByTestId('see-results').click()
    await page.getByTestId('backtest').scrollIntoViewIfNeeded()
    await setNumber(page, 'Folds', 4)
    await page.getByTestId('backtest-start').click()
    const fold = (await tap.waitFor(
      'job:progress',
      (p) => (p as Events['job:progress']).report !== undefined,
      300_000,
    )) as Events['job:progress']
    expect(fold.report!.folds.map((f) => f.fold)).toEqual([1])
    // The fold is saved before the reload cuts the backtest off (its save follows the event).
    await page.getByTestId('nav-library').click()
    const saved = page.getByTestId('library-backtest')
    await expect
      .poll(() => saved.locator('summary').innerText(), { timeout: 30_000 })
      .toMatch(/^running: 1 of 4 folds done · 4 folds, refit every/)

    await page.reload()
    await page.getByTestId('nav-library').click()
    await expect
      .poll(() => saved.locator('summary').innerText(), { timeout: 30_000 })
      .toMatch(/^interrupted after [123] of 4 folds · 4 folds, refit every/)
    const summary = await saved.locator('summary').innerText()
    const kept = Number(/after (\d) of 4/.exec(summary)![1])
    // Its table: one row per fold that finished, then the pooled row; fold 1 as the engine sent it.
    const rows = saved.getByTestId('backtest-table').locator('tbody tr')
    expect(await rows.count()).toBe(kept + 1)
    const cells = await rows.nth(0).locator('td').allInnerTexts()
    const f1 = fold.report!.folds[0]
    expect(cells[0]).toBe('1')
    expect(cells[3]).toBe(String(f1.samples))
  }, 600_000)
})

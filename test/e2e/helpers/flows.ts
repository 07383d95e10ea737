/** Steps the e2e tests share: opening files the two ways a person does, reading numbers off the UI. */
import { readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { expect } from 'vitest'

/** Opens a file with the header's Open CSV… button and the browser's file chooser. */
export async function openWithPicker(page: Page, path: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser')
  await page.getByTestId('header-open-csv').click()
  await (await chooser).setFiles(path)
}

/** Drops a real file on the drop zone: a DataTransfer holding a File with the file's bytes. */
export async function dropFile(
  page: Page,
  path: string,
  target = page.getByTestId('drop-zone'),
): Promise<void> {
  const b64 = readFileSync(path).toString('base64')
  const name = basename(path)
  const transfer = await page.evaluateHandle(`(() => {
    const bin = atob(${JSON.stringify(b64)})
    const bytes = new Uint8Array(bin.length)
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i)
    const dt = new DataTransfer()
    dt.items.add(new File([bytes], ${JSON.stringify(name)}, { type: 'text/csv' }))
    return dt
  })()`)
  for (const type of ['dragenter', 'dragover', 'drop'])
    await target.dispatchEvent(type, { dataTransfer: transfer })
  await transfer.dispose()
}

/** "2,441" → 2441 */
export async function numberIn(locator: Locator): Promise<number> {
  const text = (await locator.innerText()).trim()
  return Number(text.replace(/,/g, ''))
}

export async function setNumber(page: Page, label: string, value: number | string): Promise<void> {
  const input = page.getByLabel(label, { exact: true })
  await input.fill(String(value))
}

/** Waits until a notice with this title is shown; returns its text. */
export async function notice(page: Page, title: string | RegExp): Promise<string> {
  const n = page.getByTestId('notice').filter({ hasText: title }).first()
  await n.waitFor()
  return n.innerText()
}

/**
 * Clicks one of a Library run's rarer actions (Duplicate settings, Rename, Delete), which sit
 * behind the row's "⋯" button so the table fits 1280 px without a sideways scroll.
 */
export async function runAction(
  page: Page,
  row: Locator,
  name: string | RegExp,
  exact = typeof name === 'string',
): Promise<void> {
  await row.getByRole('button', { name: /^More actions for run/ }).click()
  await page
    .getByRole('group', { name: /^More actions for run/ })
    .getByRole('button', { name, exact })
    .click()
}

/** Clicks the button `testId` and saves what it downloads into `dir`: its name and text. */
export async function download(
  page: Page,
  testId: string,
  dir: string,
): Promise<{ name: string; text: string }> {
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()])
  const path = join(dir, `${Date.now()}-download`)
  await d.saveAs(path)
  return { name: d.suggestedFilename(), text: readFileSync(path, 'utf8') }
}

/** Waits for the run shown in the Train view to finish ('done'), up to two minutes. */
export async function waitForRun(page: Page): Promise<void> {
  await page.getByTestId('run-status').waitFor()
  await expect
    .poll(() => page.getByTestId('run-status-chip').innerText(), { timeout: 120_000 })
    .toBe('done')
}

/**
 * One-hot encoding in the app (Chromium against the real server and engine): a daily file with a
 * `weather` text column and an `id` column of too many labels. The Data view says what each text
 * column can be; the Experiment view offers "weather (one-hot, 4 categories)", greys `id` with its
 * reason, and lists the 0/1 inputs; a 2-epoch run's Results list `weather=rain` … among its inputs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { screenshot, type Browser, type Server } from './helpers/app'
import { closeApp, openApp } from './helpers/session'
import { dropFile, setNumber } from './helpers/flows'

let server: Server
let browser: Browser
let dir: string

const LABELS = ['sun', 'rain', 'fog', 'snow']

/** 400 days from 2020-01-01: the weather cycles with a stride of 3 (not a week), temp follows it. */
function writeDaily(path: string): void {
  const lines = ['date,weather,id,temp']
  for (let r = 0; r < 400; r++) {
    const day = new Date(Date.UTC(2020, 0, 1 + r)).toISOString().slice(0, 10)
    const weather = LABELS[(r * 3 + Math.floor(r / 7)) % 4]
    const temp = 10 + 5 * Math.sin((2 * Math.PI * r) / 365) + (weather === 'sun' ? 3 : 0)
    lines.push(`${day},${weather},id-${r % 20},${temp.toFixed(2)}`)
  }
  writeFileSync(path, lines.join('\n') + '\n')
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'seqcast-e2e-one-hot-'))
  const csv = join(dir, 'weather.csv')
  writeDaily(csv)
  ;({ server, browser } = await openApp({ file: csv }))
})

afterAll(() => closeApp({ server, browser }, dir))

describe('one-hot encoding of a text column', () => {
  it('the Data view says which text column can be one-hot encoded, and why the other cannot', async () => {
    const { page } = browser
    const weather = await page.locator('tr[data-column="weather"] td').allInnerTexts()
    expect(weather[9]).toBe(
      'Text, not numbers: not a target or a feature as it is. 4 distinct values: can be one-hot encoded as 4 features in Experiment (Text columns).',
    )
    const id = await page.locator('tr[data-column="id"] td').allInnerTexts()
    expect(id[9]).toBe(
      'Text, not numbers: not a target or a feature, and not one-hot: 20 distinct values, more than 12: too many to one-hot encode (an identifier or free text?).',
    )
  })

  it('Experiment offers weather (one-hot, 4 categories), greys id with its reason, and lists the inputs', async () => {
    const { page } = browser
    await page.getByTestId('nav-experiment').click()
    await page.getByTestId('sequence-length').waitFor()
    const group = page.getByTestId('one-hot')
    const weather = group.getByLabel('weather (one-hot, 4 categories)')
    expect(await weather.isEnabled()).toBe(true)
    expect(await weather.isChecked()).toBe(false)
    const id = group.getByLabel(
      'id: not one-hot, 20 distinct values, more than 12: too many to one-hot encode (an identifier or free text?)',
    )
    expect(await id.isDisabled()).toBe(true)

    await page.getByLabel('Target', { exact: true }).selectOption('temp')
    await page.getByLabel('Preset').selectOption('dense')
    await setNumber(page, 'Sequence length', 7)
    await setNumber(page, 'Delay', 7)
    await setNumber(page, 'Epochs', 2)
    await page.getByLabel('Calendar features').selectOption('none')
    await weather.check()
    await expect
      .poll(() => page.getByTestId('window-one-hot').innerText())
      .toBe(
        'One-hot inputs (labels of the training rows): weather=fog, weather=rain, weather=snow, weather=sun.',
      )
    await expect.poll(() => page.getByTestId('start-training').isDisabled()).toBe(false)
    await screenshot(page, 'one-hot-experiment')
  })

  it('a 2-epoch run lists weather=fog … weather=sun among its inputs in Results', async () => {
    const { page } = browser
    await page.getByTestId('start-training').click()
    const status = page.getByTestId('run-status')
    await status.waitFor()
    await expect.poll(() => status.getAttribute('data-status'), { timeout: 120_000 }).toBe('done')
    await page.getByTestId('nav-results').click()
    const inputs = page.getByTestId('run-inputs')
    await inputs.waitFor()
    expect(await inputs.innerText()).toBe(
      'Inputs per window row (5): temp, weather=fog, weather=rain, weather=snow, weather=sun',
    )
    expect(await page.getByTestId('run-notes').innerText()).toContain(
      'One-hot: "weather" as 4 inputs (weather=fog, weather=rain, weather=snow, weather=sun), from the labels of the training rows; a label outside them is encoded as all zeros.',
    )
    await screenshot(page, 'one-hot-results')
  })

  it('the ticked text column is kept with the saved draft after a reload', async () => {
    const { page } = browser
    await page.reload()
    await page.getByTestId('nav-experiment').click()
    await page.getByTestId('sequence-length').waitFor()
    const weather = page.getByTestId('one-hot').getByLabel('weather (one-hot, 4 categories)')
    await expect.poll(() => weather.isChecked()).toBe(true)
  })

  it('a file that already has a column named weather=rain: ticking weather names both and Start stays off', async () => {
    const { page } = browser
    // The same days with a numeric column literally named "weather=rain" (a rain gauge, say).
    const lines = ['date,weather,weather=rain,temp']
    for (let r = 0; r < 200; r++) {
      const day = new Date(Date.UTC(2020, 0, 1 + r)).toISOString().slice(0, 10)
      lines.push(`${day},${LABELS[r % 4]},${(r % 9) / 2},${(10 + Math.sin(r / 9)).toFixed(2)}`)
    }
    const clash = join(dir, 'clash.csv')
    writeFileSync(clash, lines.join('\n') + '\n')
    await page.getByTestId('nav-data').click()
    await dropFile(page, clash)
    await expect.poll(() => page.getByTestId('header-dataset').innerText()).toContain('clash.csv')
    await page.getByTestId('nav-experiment').click()
    await page.getByTestId('sequence-length').waitFor()
    await page.getByTestId('one-hot').getByLabel('weather (one-hot, 4 categories)').check()
    const error = page.getByTestId('experiment-error')
    await expect
      .poll(() => error.innerText())
      .toBe(
        'One-hot: column "weather" would add an input named "weather=rain", and clash.csv already has a column named "weather=rain", so two inputs would share one name. Rename the column "weather=rain" in the file (for example to "weather_rain"), or untick "weather" under Text columns in the Experiment view (or leave it out of --one-hot).',
      )
    expect(await page.getByTestId('start-training').isDisabled()).toBe(true)
    await screenshot(page, 'one-hot-name-clash')
  })
})

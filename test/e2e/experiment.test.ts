/**
 * Experiment view: the numbers a person types change the sample counts (Keras' counts, computed
 * here from Keras' own formula, not by Seqcast's code) and the chart of one sample; bad settings
 * show their message and block training.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { makeJenaLike, screenshot, type Browser, type Server } from './helpers/app'
import { numberIn, setNumber } from './helpers/flows'
import { closeApp, openApp } from './helpers/session'

let server: Server
let browser: Browser
let dir: string
let csv: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'seqcast-e2e-exp-'))
  csv = join(dir, 'jena_5k.csv')
  makeJenaLike(csv, ['--rows', '5000', '--seed', '1'])
  ;({ server, browser } = await openApp({ file: csv }))
  await browser.page.getByTestId('nav-experiment').click()
  await browser.page.getByTestId('sequence-length').waitFor()
})

afterAll(() => closeApp({ server, browser }, dir))

async function counts() {
  const { page } = browser
  return {
    train: await numberIn(page.getByTestId('samples-train')),
    val: await numberIn(page.getByTestId('samples-val')),
    test: await numberIn(page.getByTestId('samples-test')),
  }
}

/**
 * Samples per split as Keras counts them (Chollet ch. 10): `timeseries_dataset_from_array(
 * raw[:-delay], targets=raw[delay:], sequence_length=L, sampling_rate=R, start_index=a,
 * end_index=b)` yields `b − a − (L − 1)·R` sequences (Keras' `num_seqs`, stride 1), where `b` is at
 * most `len(raw[:-delay]) = N − delay`; splits by rows `int(0.5 N)`, `int(0.25 N)`, the test split
 * runs to the end. Hand check for the book's settings on 5,000 rows (L 120, R 6, delay 858):
 * train 2,500 − 714 = 1,786; val 1,250 − 714 = 536; test min(5,000, 4,142) − 3,750 − 714 < 0 → 0.
 */
function keras(rows: number, sequenceLength: number, samplingRate: number, delay: number) {
  const numTrain = Math.trunc(0.5 * rows)
  const numVal = Math.trunc(0.25 * rows)
  const dataLength = rows - delay
  const numSeqs = (a: number, b: number) =>
    Math.max(0, Math.min(b, dataLength) - a - (sequenceLength - 1) * samplingRate)
  return {
    train: numSeqs(0, numTrain),
    val: numSeqs(numTrain, numTrain + numVal),
    test: numSeqs(numTrain + numVal, rows),
    // the first test sample starts at start_index
    firstTest: numTrain + numVal,
  }
}

async function windowChartDrawn(): Promise<string | null> {
  return browser.page.getByTestId('window-chart').getAttribute('data-rendered')
}

/** The fields of a saved Experiment draft that these tests read. */
interface Draft {
  experiment: { seasonRows: number | null; window: { sequenceLength: number } }
  training: { fusedKernels: boolean }
}

/** The Experiment draft as saved in IndexedDB (saved shortly after the last edit), or null. */
function savedDraft(): Promise<Draft | null> {
  return browser.page.evaluate<Draft | null>(`new Promise((resolve, reject) => {
    const open = indexedDB.open('seqcast')
    open.onerror = () => reject(open.error)
    open.onsuccess = () => {
      const idb = open.result
      const req = idb.transaction('settings').objectStore('settings').getAll()
      req.onsuccess = () => {
        idb.close()
        const d = req.result.find((r) => r.key.startsWith('draft:'))
        resolve(d ? d.value : null)
      }
    }
  })`)
}

describe('Experiment view', () => {
  it("shows Keras' sample counts for the book's settings and one sample on the time axis", async () => {
    const { page } = browser
    await page.getByLabel('Target', { exact: true }).selectOption('T (degC)')
    await setNumber(page, 'Training fraction', 0.5)
    await setNumber(page, 'Validation fraction', 0.25)
    await setNumber(page, 'Sequence length', 120)
    await setNumber(page, 'Sampling rate', 6)
    await setNumber(page, 'Delay', 858)
    const expected = keras(5000, 120, 6, 858)
    expect(expected).toEqual({ train: 1786, val: 536, test: 0, firstTest: 3750 })
    await expect
      .poll(counts)
      .toEqual({ train: expected.train, val: expected.val, test: expected.test })
    // No test window fits in 5,000 rows with these settings: the counts say so, and so does the message.
    expect(await page.getByTestId('experiment-error').innerText()).toMatch(
      /^Test split: no window fits\. It holds rows 3,750–4,999 \(1,250 rows\), but windows read only rows before 4,142: the data's last 858 rows are left to targets \(the delay\), as Keras' data = rows\[:-delay\] does\. That leaves it 392 rows \(3,750–4,141\) to read, and one window reads 715 rows \(sequence length 120 at sampling rate 6\): 323 rows short\./,
    )
    expect(await page.getByTestId('start-training').isDisabled()).toBe(true)
    // The chart draws sample 1: rows 0, 6, …, 714 and its target row 858 (24 h after the last row).
    await expect
      .poll(() => page.getByTestId('sample-label').innerText())
      .toBe('Sample 1 of 1,786: window rows 0–714, target row 858')
    expect(await page.getByTestId('window-description').innerText()).toBe(
      'Each window reads 120 rows, one every 6 rows, spanning 715 rows (4 d 23 h); the target is 858 rows after the window starts (5 d 23 h), 144 rows (1 day) after its last row.',
    )
    await expect.poll(windowChartDrawn).not.toBeNull()
    await screenshot(page, 'experiment-view')
  })

  it('updates the counts and redraws the sample as the numbers change', async () => {
    const { page } = browser
    const drawn = await windowChartDrawn()
    await setNumber(page, 'Sequence length', 24)
    await setNumber(page, 'Delay', 144 + 138)
    const expected = keras(5000, 24, 6, 282)
    await expect
      .poll(counts)
      .toEqual({ train: expected.train, val: expected.val, test: expected.test })
    expect(expected.test).toBeGreaterThan(0)
    await expect
      .poll(() => page.getByTestId('sample-label').innerText())
      .toBe(
        `Sample 1 of ${expected.train.toLocaleString('en-US')}: window rows 0–138, target row 282`,
      )
    await expect.poll(windowChartDrawn).not.toBe(drawn)
    // Another sample of another split.
    await page.getByLabel('Split of the sample').selectOption('test')
    const firstTest = expected.firstTest
    await expect
      .poll(() => page.getByTestId('sample-label').innerText())
      .toMatch(
        new RegExp(
          `^Sample 1 of ${expected.test.toLocaleString('en-US')}: window rows ${firstTest.toLocaleString('en-US')}–`,
        ),
      )
    await setNumber(page, 'Sampling rate', 1)
    const r1 = keras(5000, 24, 1, 282)
    await expect.poll(counts).toEqual({ train: r1.train, val: r1.val, test: r1.test })
  })

  it('names a bad setting, marks its field and blocks training until it is fixed', async () => {
    const { page } = browser
    await setNumber(page, 'Sampling rate', 6)
    await setNumber(page, 'Delay', 100)
    const error = page.getByTestId('experiment-error')
    await expect
      .poll(() => error.innerText())
      .toBe(
        "Delay of 100 rows: the target must come after the window's last row, so the delay must be at least (sequence length − 1) × sampling rate + 1 = 139 rows; a smaller delay puts the target inside the window, where the model can read it. Raise the delay to 139 rows, or shorten the window to a sequence length of at most 17.",
      )
    expect(await page.getByLabel('Delay', { exact: true }).getAttribute('aria-invalid')).toBe(
      'true',
    )
    expect(await page.getByTestId('start-training').isDisabled()).toBe(true)
    expect(await page.getByTestId('start-error').innerText()).toMatch(/^Delay of 100 rows: /)
    await setNumber(page, 'Sequence length', '')
    await expect
      .poll(() => error.innerText())
      .toBe('sequence length: expected a whole number ≥ 1, received NaN.')
    await setNumber(page, 'Sequence length', 24)
    await setNumber(page, 'Delay', 3000)
    // 5,000 rows − 3,000 delay leave 2,000 rows to read windows from: none in the validation rows 2,500…3,749.
    await expect
      .poll(() => error.innerText())
      .toBe(
        "Validation split: no window fits. It holds rows 2,500–3,749 (1,250 rows), but windows read only rows before 2,000: the data's last 3,000 rows are left to targets (the delay), as Keras' data = rows[:-delay] does. That leaves it no row to read, and one window reads 139 rows (sequence length 24 at sampling rate 6): 139 rows short. Let the validation split start by row 1,861 (it starts at 2,500): lower the training fraction; or lower the sequence length, sampling rate or delay.",
      )
    // Every field the message offers as a fix is marked; the horizon is not.
    for (const label of ['Sequence length', 'Sampling rate', 'Delay', 'Validation fraction'])
      expect(await page.getByLabel(label, { exact: true }).getAttribute('aria-invalid')).toBe(
        'true',
      )
    expect(
      await page.getByLabel('Horizon', { exact: true }).getAttribute('aria-invalid'),
    ).toBeNull()
    await screenshot(page, 'experiment-error')
    await setNumber(page, 'Delay', 282)
    await expect.poll(() => error.count()).toBe(0)
    expect(await page.getByTestId('start-training').isDisabled()).toBe(false)
  })

  it('counts parameters per layer with the course formula', async () => {
    const { page } = browser
    await page.getByLabel('Preset').selectOption('lstm')
    // Calendar features auto on 10-minute data spanning 34 days: hour of day and day of week, as
    // sin/cos of the rows' and the target's time, 8 inputs more than the 14 columns:
    // LSTM(16) 4·(16·(16+22)+16) = 2,496; Dense(1): 17.
    await expect.poll(() => page.getByTestId('total-params').innerText()).toBe('2,513')
    expect(await page.getByTestId('calendar-reason').innerText()).toMatch(
      /^Calendar features: hour of day, day of week, as sin\/cos .*not day of year \(the training rows span less than a year\)/,
    )
    expect(await page.getByTestId('window-calendar').innerText()).toMatch(
      /reads cal:hour_sin, cal:hour_cos, cal:dow_sin, cal:dow_cos, cal:target_hour_sin, .*cal:target_dow_cos \(UTC/,
    )
    expect(await page.getByTestId('transform-reason').innerText()).toMatch(/^(None|Change): /)
    await page.getByLabel('Calendar features').selectOption('none')
    await expect
      .poll(() => page.getByTestId('window-calendar').innerText())
      .toBe('No calendar features.')
    // LSTM(16) on 14 features: 4·(16·(16+14)+16) = 1,984; Dense(1): 17.
    await expect.poll(() => page.getByTestId('total-params').innerText()).toBe('2,001')
    expect(await page.getByTestId('model-summary').innerText()).toContain(
      '4·(16·(16+14)+16) = 1,984',
    )
    await page.getByLabel('Add a layer').selectOption('dense')
    // A Dense after a vector: 16·16 + 16 = 272 more.
    await expect.poll(() => page.getByTestId('total-params').innerText()).toBe('2,273')
    await page.getByRole('button', { name: 'Remove layer 2' }).click()
    await expect.poll(() => page.getByTestId('total-params').innerText()).toBe('2,001')
  })

  it('a statistical preset says it forecasts the target from its own past, without layers; the season suggestion shows', async () => {
    const { page } = browser
    await page.getByLabel('Preset').selectOption('ets')
    await expect
      .poll(() => page.getByTestId('statistical-note').innerText())
      .toContain('ETS forecasts the target from its own past')
    expect(await page.getByLabel('Add a layer').count()).toBe(0)
    expect(await page.getByTestId('season-suggestion').innerText()).toMatch(
      /suggested from the training rows: 144 \(day\)|no clear season in the training rows/,
    )
    expect(await page.getByTestId('start-training').isDisabled()).toBe(false)
    await page.getByLabel('Preset').selectOption('lstm')
    await expect.poll(() => page.getByTestId('total-params').innerText()).toBe('2,001')
  })

  it('takes a typed season, keeps it and clears it to none', async () => {
    const { page } = browser
    const season = page.getByLabel('Season (rows)', { exact: true })
    await season.fill('24')
    expect(await season.inputValue()).toBe('24')
    await season.fill('')
    expect(await season.inputValue()).toBe('')
    await season.fill('72')
    // The draft (saved to IndexedDB shortly after an edit) holds the typed season.
    await expect.poll(async () => (await savedDraft())?.experiment.seasonRows).toBe(72)
    expect(browser.errors.filter((e) => /trim is not a function|pageerror/i.test(e))).toEqual([])
  })

  it('keeps the settings after a reload (saved with the dataset)', async () => {
    const { page } = browser
    const fused = page.getByLabel('Fast recurrent kernels (WebAssembly)')
    expect(await fused.isChecked()).toBe(true) // on by default
    expect(await page.locator('#fused-kernels-hint').innerText()).toMatch(/WebAssembly call/)
    await fused.uncheck()
    // The draft is saved shortly after the last edit: read it from IndexedDB itself.
    const saved = async () => {
      const d = await savedDraft()
      return d ? { L: d.experiment.window.sequenceLength, fused: d.training.fusedKernels } : null
    }
    await expect.poll(saved).toEqual({ L: 24, fused: false })
    await page.reload()
    await page.getByTestId('sequence-length').waitFor()
    await expect
      .poll(() => page.getByLabel('Sequence length', { exact: true }).inputValue())
      .toBe('24')
    expect(await page.getByLabel('Delay', { exact: true }).inputValue()).toBe('282')
    expect(await page.getByLabel('Target', { exact: true }).inputValue()).toBe('T (degC)')
    expect(await fused.isChecked()).toBe(false)
    await fused.check()
    await expect.poll(saved).toEqual({ L: 24, fused: true })
    expect(browser.errors.filter((e) => /Content Security Policy|pageerror/i.test(e))).toEqual([])
  })

  it('refuses a recursive or stateful setting the engine cannot train before Start, in its words', async () => {
    const { page } = browser
    // From the settings above: 14 features, windows of 24 rows one every 6, delay 282, LSTM(16).
    const start = page.getByTestId('start-training')
    const reason = page.getByTestId('start-error')
    const head = page.getByLabel('Output head', { exact: true })
    expect(await start.isDisabled()).toBe(false)
    // Training rows 0–2,499 hold 2,500 − 23·6 = 2,362 windows: ⌈2,362 / 32⌉ = 74 batches.
    expect(await page.getByTestId('batches-per-epoch').innerText()).toBe(
      '74 batches of 32 per epoch.',
    )
    await head.selectOption('recursive')
    await expect
      .poll(() => reason.innerText())
      .toMatch(
        /^Model "LSTM\(16\)" rolls a one-step forecast out 1 step by feeding each prediction back as the newest input: the target "T \(degC\)" must be the only feature \(features: .+\); the sampling rate must be 1 \(it is 6\); the delay must equal the sequence length, 24 \(it is 282\), so the target is the row right after the window\. Change these settings or use a direct head \(Dense\(H\)\)\.$/,
      )
    expect(await start.isDisabled()).toBe(true)
    expect(await head.getAttribute('aria-invalid')).toBe('true')

    await page.getByTestId('stateful').check()
    await expect
      .poll(() => reason.innerText())
      .toBe(
        'Model "LSTM(16)": a recursive roll-out cannot be stateful (every roll-out step would advance the carried state). Use a direct head or turn "stateful" off.',
      )
    expect(await start.isDisabled()).toBe(true)

    await head.selectOption('direct')
    await expect.poll(() => reason.count()).toBe(0)
    expect(await start.isDisabled()).toBe(false)
    // Stateful batches are whole ones only: ⌊2,362 / 32⌋ = 73.
    expect(await page.getByTestId('batches-per-epoch').innerText()).toBe(
      '73 batches of 32 per epoch.',
    )
    await page.getByTestId('stateful').uncheck()
    await expect
      .poll(() => page.getByTestId('batches-per-epoch').innerText())
      .toBe('74 batches of 32 per epoch.')
  })
})

/**
 * Explore view in real Chromium against `npm run serve`: wheel zoom around the cursor, drag pan,
 * and the level of detail drawn. The window the chart shows and the points of its first panel
 * are read from the chart's data-range / data-points attributes; the rows expected in a window
 * are counted from the CSV text itself (timestamps parsed here), independently of the importer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { makeJenaLike, screenshot, type Browser, type Server } from './helpers/app'
import { notice, openWithPicker } from './helpers/flows'
import { closeApp, openApp } from './helpers/session'

let server: Server
let browser: Browser
let dir: string
let file: string
let times: number[]

/** "01.01.2009 00:10:00" → epoch ms (UTC), as the file's times are read. */
function jenaTime(text: string): number {
  const [, d, m, y, hh, mm, ss] = /^(\d\d)\.(\d\d)\.(\d{4}) (\d\d):(\d\d):(\d\d)$/.exec(text)!
  return Date.UTC(+y, +m - 1, +d, +hh, +mm, +ss)
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'seqcast-e2e-explore-'))
  file = makeJenaLike(join(dir, 'jena_5k.csv'), ['--rows', '5000', '--seed', '3'])
  times = readFileSync(file, 'utf8')
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((line) => jenaTime(line.split(',')[0]))
  ;({ server, browser } = await openApp())
  await openWithPicker(browser.page, file)
  await notice(browser.page, 'Imported')
  await browser.page.getByTestId('nav-explore').click()
  await browser.page.locator('[data-testid=explore-chart][data-rendered]').waitFor()
})

afterAll(() => closeApp({ server, browser }, dir))

const chart = () => browser.page.getByTestId('explore-chart')

async function shown(): Promise<{ range: [number, number] | null; points: number }> {
  const [range, points] = await chart().evaluate((el) => [
    (el as HTMLElement).dataset.range ?? null,
    Number((el as HTMLElement).dataset.points ?? NaN),
  ])
  return {
    range: range === null ? null : (range.split(',').map(Number) as [number, number]),
    points,
  }
}

/** Rows whose time lies in the window, plus the one beyond each end the slice keeps. */
function pointsFor([start, end]: [number, number]): number {
  const lo = times[0]
  const hi = times[times.length - 1]
  const from = lo + ((hi - lo) * start) / 100
  const to = lo + ((hi - lo) * end) / 100
  const inside = times.filter((t) => t >= from && t <= to).length
  const before = times.some((t) => t < from) ? 1 : 0
  const after = times.some((t) => t > to) ? 1 : 0
  return inside + before + after
}

describe('Explore view', () => {
  it('zooms around the cursor with the wheel and draws the rows of the window in full', async () => {
    const { page } = browser
    expect((await shown()).range).toBeNull()
    const box = (await chart().boundingBox())!
    // A point in the first panel, at about 70 % of the plot's width.
    const x = box.x + 64 + (box.width - 88) * 0.7
    const y = box.y + box.height * 0.15
    await page.mouse.move(x, y)
    for (let i = 0; i < 6; i++) await page.mouse.wheel(0, -120)
    await expect.poll(async () => (await shown()).range?.[1] ?? 100).toBeLessThan(100)
    await page.waitForTimeout(200)
    const { range, points } = await shown()
    const [start, end] = range!
    expect(end - start).toBeLessThan(70)
    // The point under the cursor stays put: it is as far into the window as into the plot.
    expect(start).toBeGreaterThan(0)
    expect((70 - start) / (end - start)).toBeCloseTo(0.7, 1)
    // Zoomed in, the slice is the full-resolution rows of the window.
    expect(points).toBe(pointsFor([start, end]))
    await screenshot(page, 'explore-zoomed')
  })

  it('pans to earlier rows when dragged right, keeping the span', async () => {
    const { page } = browser
    const before = (await shown()).range!
    const box = (await chart().boundingBox())!
    const x = box.x + box.width / 2
    const y = box.y + box.height * 0.15
    await page.mouse.move(x, y)
    await page.mouse.down()
    for (let i = 1; i <= 10; i++) await page.mouse.move(x + i * 20, y)
    await page.mouse.up()
    await expect.poll(async () => (await shown()).range![0]).toBeLessThan(before[0])
    await page.waitForTimeout(200)
    const { range, points } = await shown()
    expect(range![1] - range![0]).toBeCloseTo(before[1] - before[0], 6)
    expect(points).toBe(pointsFor(range!))
  })

  it('shows the values under the pointer after zooming', async () => {
    const { page } = browser
    const box = (await chart().boundingBox())!
    await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.15)
    await page.mouse.move(box.x + box.width * 0.41, box.y + box.height * 0.15)
    const tip = chart().locator('div').filter({ hasText: 'p (mbar)' }).last()
    await expect.poll(() => tip.isVisible()).toBe(true)
    expect(await tip.innerText()).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d/)
  })

  it('leaves the window alone for a wheel outside the plots', async () => {
    const { page } = browser
    const before = (await shown()).range
    const picker = (await page.getByTestId('explore-columns').boundingBox())!
    await page.mouse.move(picker.x + 10, picker.y + 10)
    await page.mouse.wheel(0, -120)
    await page.waitForTimeout(200)
    expect((await shown()).range).toEqual(before)
  })
})

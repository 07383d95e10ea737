/**
 * The goal check of issue 12 on what a person reads: no NaN / undefined / Infinity, no raw ISO
 * timestamps or "27.692.1875" times, no raw millisecond durations, no seven or more decimals.
 */
import { expect } from 'vitest'
import type { Page } from 'playwright-core'

/** What must never be shown, each with the reason a test failure names. */
export const UNREADABLE: [RegExp, string][] = [
  [/\bNaN\b|\bundefined\b|Infinity|\binf\b/, 'NaN / undefined / Infinity'],
  [/\d{4}-\d\d-\d\dT\d\d:\d\d/, 'a raw ISO timestamp'],
  [/\d\.\d+\.\d/, 'a number with two decimal points'],
  [/\d+(\.\d+)? ms\b/, 'a raw millisecond duration'],
  [/\d\.\d{7,}/, 'seven or more decimals'],
]

/** Asserts `text` has none of the unreadable shapes; returns it. */
export function expectReadable(text: string, where = 'the view'): string {
  for (const [pattern, what] of UNREADABLE) {
    const hit = pattern.exec(text)
    expect(hit?.[0], `${where} shows ${what}`).toBeUndefined()
  }
  return text
}

/** The text of the view on screen, checked for what must never be shown. */
export async function readableText(page: Page, where?: string): Promise<string> {
  const text = await page.locator('main, .view').first().innerText()
  return expectReadable(text, where)
}

/**
 * Calendar features: hour of day, day of week, day of year and month as sin/cos pairs, for the
 * window rows and for the target's time, ready to append to the feature columns.
 *
 * Time zone policy: timestamps are epoch milliseconds in UTC, and every calendar part here is
 * the UTC one. Local times without a zone are read as UTC by the CSV import (series/calendar.ts),
 * so a file written in local time keeps its local hours; a file with explicit offsets is
 * converted to UTC, so its hour of day is the UTC hour, and daylight-saving shifts are not
 * modelled. A time zone setting would change only `calendarParts`.
 *
 * Phases in [0, 1), then sin(2π·phase) and cos(2π·phase) so that the last hour of a day sits next
 * to the first:
 * - hour:  (hour + minute/60 + second/3600 + ms/3 600 000) / 24
 * - dow:   day of week / 7, Monday = 0 … Sunday = 6 (ISO order)
 * - doy:   (day of year − 1 + hour of day / 24) / days in that year (365 or 366)
 * - month: (month − 1) / 12
 *
 * Target time: the column `cal:target_<f>_…` at row r holds the calendar of row r + gap with
 * gap = delay − (L − 1)·R, so at a window's last row it is its (first) target's time. That time is
 * known in advance (DESIGN.md), and a window reads it at rows ≤ t like any other feature. Rows
 * r + gap past the data's end get times extrapolated with the cadence (series/time-after.ts).
 */
import { SeqcastError } from '../errors'
import type { NamedValues } from '../prepare'
import { MS_PER_DAY, MS_PER_HOUR, civilFromMs, daysFromCivil, isLeapYear } from '../series/calendar'
import { timeAfter } from '../series/time-after'
import type { TimeCadence } from '../series/time-axis'
import { gapAfterWindow, type WindowConfig } from '../windows/config'

export type CalendarFeature = 'hour' | 'dow' | 'doy' | 'month'
/** Canonical order: columns always come in this order, whatever order the setting lists. */
export const CALENDAR_FEATURES: readonly CalendarFeature[] = ['hour', 'dow', 'doy', 'month']

/** `auto` chooses by cadence and span (`chooseCalendarFeatures`); `none`; or an explicit list. */
export type CalendarSetting = 'auto' | 'none' | CalendarFeature[]

type Cadence = Pick<TimeCadence, 'ms' | 'months' | 'monthEnd' | 'label' | 'perYear' | 'yearless'>

const YEAR_DAYS = 365
const PERIOD_MS: Record<CalendarFeature, number> = {
  hour: MS_PER_DAY,
  dow: 7 * MS_PER_DAY,
  doy: YEAR_DAYS * MS_PER_DAY,
  month: YEAR_DAYS * MS_PER_DAY,
}
const CYCLE: Record<CalendarFeature, string> = {
  hour: 'day',
  dow: 'week',
  doy: 'year',
  month: 'year',
}
/** How a person names each feature: "hour of day". */
export const CALENDAR_LABEL: Record<CalendarFeature, string> = {
  hour: 'hour of day',
  dow: 'day of week',
  doy: 'day of year',
  month: 'month',
}

export interface CalendarParts {
  /** Hour of day with its fraction: 00:15 → 0.25. */
  hour: number
  /** 0 = Monday … 6 = Sunday. */
  dow: number
  /** 1 = January 1st. */
  doy: number
  daysInYear: number
  /** 1 … 12. */
  month: number
}

/** The UTC calendar parts of epoch milliseconds. */
export function calendarParts(t: number): CalendarParts {
  const c = civilFromMs(t)
  const days = Math.floor(t / MS_PER_DAY)
  return {
    hour: (t - days * MS_PER_DAY) / MS_PER_HOUR,
    // 1970-01-01 (day 0) was a Thursday, 3 in Monday-based numbering.
    dow: (((days + 3) % 7) + 7) % 7,
    doy: days - daysFromCivil(c.year, 1, 1) + 1,
    daysInYear: isLeapYear(c.year) ? 366 : 365,
    month: c.month,
  }
}

/** Where in its cycle a time lies, 0 ≤ phase < 1. */
export function calendarPhase(t: number, feature: CalendarFeature): number {
  return phaseOf(calendarParts(t), feature)
}

function phaseOf(p: CalendarParts, feature: CalendarFeature): number {
  switch (feature) {
    case 'hour':
      return p.hour / 24
    case 'dow':
      return p.dow / 7
    case 'doy':
      return (p.doy - 1 + p.hour / 24) / p.daysInYear
    case 'month':
      return (p.month - 1) / 12
  }
}

/** Reads `auto`, `none` or a comma list of hour, dow, doy, month (CLI `--calendar`). */
export function parseCalendarSetting(text: string): CalendarSetting {
  const value = text.trim().toLowerCase()
  if (value === 'auto' || value === 'none') return value
  const names = value
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')
  const unknown = names.filter((n) => !CALENDAR_FEATURES.includes(n as CalendarFeature))
  if (names.length === 0 || unknown.length > 0) {
    throw new SeqcastError(
      'config',
      `Calendar features: expected auto, none or a list of ${CALENDAR_FEATURES.join(', ')}, received "${text}". ` +
        `Use e.g. --calendar hour,dow.`,
      { setting: 'calendar', received: text, unknown },
    )
  }
  return CALENDAR_FEATURES.filter((f) => names.includes(f))
}

export interface CalendarChoice {
  features: CalendarFeature[]
  /** One sentence for the Experiment view and the CLI. */
  reason: string
}

/**
 * The features of a setting for data with this cadence, whose training rows span `spanMs`.
 * `auto` takes a feature when the cadence is shorter than its cycle (no hour of day for daily or
 * slower data, no day of week for weekly or slower) and the training rows span one whole cycle
 * (a day, a week, 365 days: a cycle seen in part is only a stand-in for a trend). Of day of year
 * and month it takes one: day of year for fixed cadences, month for calendar ones (monthly,
 * quarterly). An explicit list is refused when a feature's cycle is not longer than the cadence.
 */
export function chooseCalendarFeatures(
  setting: CalendarSetting,
  cadence: Cadence | null,
  spanMs: number,
): CalendarChoice {
  if (setting === 'none') return { features: [], reason: 'Calendar features: none (set to none).' }
  if (setting === 'auto') {
    if (!cadence) {
      return {
        features: [],
        reason: 'Calendar features: none, because the data has no time column with a cadence.',
      }
    }
    const features: CalendarFeature[] = []
    const skipped: string[] = []
    for (const f of CALENDAR_FEATURES) {
      if (f === (cadence.months > 0 ? 'doy' : 'month')) {
        skipped.push(
          `${CALENDAR_LABEL[f]} (${CALENDAR_LABEL[cadence.months > 0 ? 'month' : 'doy']} covers it)`,
        )
      } else if (!cycleLongerThanCadence(f, cadence)) {
        skipped.push(`${CALENDAR_LABEL[f]} (${cadence.label} data)`)
      } else if (cadence.perYear !== undefined && (f === 'hour' || f === 'dow')) {
        // R's 260-a-year "trading days" sit 1.4 days apart on the clock: their weekday and
        // hour say nothing about the trading day
        skipped.push(
          `${CALENDAR_LABEL[f]} (time in decimal years: rows fall at fractions of a year)`,
        )
      } else if (cadence.yearless && f === 'dow') {
        // The stand-in year the times were read in would invent the weekday.
        skipped.push(`${CALENDAR_LABEL[f]} (the times have no year, so no weekday)`)
      } else if (!(spanMs >= PERIOD_MS[f])) {
        skipped.push(`${CALENDAR_LABEL[f]} (the training rows span less than a ${CYCLE[f]})`)
      } else {
        features.push(f)
      }
    }
    const chosen =
      features.length === 0
        ? 'none'
        : `${features.map((f) => CALENDAR_LABEL[f]).join(', ')}, as sin/cos of the window rows' and the target's time`
    return {
      features,
      reason: `Calendar features: ${chosen}; not ${skipped.join(', ')}.`,
    }
  }
  if (!cadence) {
    throw new SeqcastError(
      'config',
      `Calendar features: expected a time column with a regular cadence, received none. ` +
        `Choose the time column in the Data view, or use --calendar none.`,
      { setting: 'calendar' },
    )
  }
  if (cadence.yearless && setting.includes('dow')) {
    const others = setting.filter((g) => g !== 'dow')
    throw new SeqcastError(
      'config',
      `Calendar features: "dow" (${CALENDAR_LABEL.dow}) needs dates with a year, and the time column has month, day and hour only (no weekday). Remove it (--calendar ${others.length > 0 ? others.join(',') : 'none'}) or use --calendar auto.`,
      { setting: 'calendar', feature: 'dow' },
    )
  }
  for (const f of setting) {
    if (cycleLongerThanCadence(f, cadence)) continue
    const others = setting.filter((g) => g !== f)
    throw new SeqcastError(
      'config',
      `Calendar features: expected features whose cycle is longer than the data's cadence, received "${f}" (${CALENDAR_LABEL[f]}) ` +
        `for ${cadence.label} data, where it cannot vary within a cycle. ` +
        `Remove it (--calendar ${others.length > 0 ? others.join(',') : 'none'}) or use --calendar auto.`,
      { setting: 'calendar', feature: f, cadence: cadence.label },
    )
  }
  return {
    features: setting.slice(),
    reason: `Calendar features: ${setting.map((f) => CALENDAR_LABEL[f]).join(', ') || 'none'} (as set).`,
  }
}

/** Column names, in the order `calendarColumns` returns them. */
export function calendarColumnNames(features: readonly CalendarFeature[]): string[] {
  const ordered = CALENDAR_FEATURES.filter((f) => features.includes(f))
  const pair = (prefix: string) =>
    ordered.flatMap((f) => [`${prefix}${f}_sin`, `${prefix}${f}_cos`])
  return [...pair('cal:'), ...pair('cal:target_')]
}

/**
 * sin/cos columns of the rows' times, then of the target's time (row r + gap, extrapolated past
 * the data's end with the cadence), one value per row of `times`.
 */
export function calendarColumns(
  times: ArrayLike<number>,
  features: readonly CalendarFeature[],
  window: WindowConfig,
  cadence: Pick<TimeCadence, 'ms' | 'months' | 'monthEnd'>,
): NamedValues[] {
  const n = times.length
  const ordered = CALENDAR_FEATURES.filter((f) => features.includes(f))
  if (ordered.length === 0) return []
  for (let r = 0; r < n; r++) {
    if (Number.isFinite(times[r])) continue
    throw new SeqcastError(
      'column',
      `Calendar features: expected a timestamp in every row, received none in data row ${(r + 1).toLocaleString('en-US')}. ` +
        `Fill or drop the rows without a time in the Data view, or use --calendar none.`,
      { setting: 'calendar', row: r + 1 },
    )
  }
  const gap = gapAfterWindow(window)
  const targetTime = (r: number) =>
    r + gap < n ? times[r + gap] : timeAfter(times[n - 1], cadence, r + gap - (n - 1))
  const names = calendarColumnNames(ordered)
  const columns = names.map((name) => ({ name, values: new Float64Array(n) }))
  const F = ordered.length
  for (let r = 0; r < n; r++) {
    const own = calendarParts(times[r])
    const target = calendarParts(targetTime(r))
    ordered.forEach((f, i) => {
      const a = 2 * Math.PI * phaseOf(own, f)
      const b = 2 * Math.PI * phaseOf(target, f)
      columns[2 * i].values[r] = Math.sin(a)
      columns[2 * i + 1].values[r] = Math.cos(a)
      columns[2 * (F + i)].values[r] = Math.sin(b)
      columns[2 * (F + i) + 1].values[r] = Math.cos(b)
    })
  }
  return columns
}

function cycleLongerThanCadence(f: CalendarFeature, cadence: Pick<TimeCadence, 'ms' | 'months'>) {
  if (cadence.months > 0) return PERIOD_MS[f] === PERIOD_MS.doy && cadence.months < 12
  return cadence.ms < PERIOD_MS[f]
}

/**
 * The views' names for the shared formatting module (src/shared/format): every number, duration
 * and timestamp a person reads is written there, once.
 */
import {
  formatBytes,
  formatCount,
  formatNumber,
  formatPercent,
  formatSeconds,
  formatStyled,
  numberStyle,
} from '@shared/format'

export { formatBytes, formatNumber, formatStyled, numberStyle }
export {
  formatDuration,
  formatSteps,
  formatTimestamp,
  formatTimeRange,
  exportTimestamp,
  timeStyleOf,
  type TimeStyle,
  type NumberStyle,
} from '@shared/format'

/** Whole numbers with thousands separators. */
export const count = formatCount

/** A metric on its own (4 significant digits). */
export function metric(x: number | null | undefined, digits = 4): string {
  return formatNumber(x, digits)
}

/** A percentage already in percent units (12.3 → "12.3 %"). */
export function percent(x: number | null | undefined, digits = 1): string {
  return formatPercent(x === null || x === undefined ? x : x / 100, digits)
}

/** "3 min 20 s", "1 h 05 min", "12 s", "< 0.1 s". */
export const seconds = formatSeconds

/** When something was saved or run: the local date and minute. */
export function when(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—'
  const d = new Date(ms)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/** Text for HTML (chart tooltips, the run report). */
export function escapeHtml(s: unknown): string {
  return String(s).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  )
}

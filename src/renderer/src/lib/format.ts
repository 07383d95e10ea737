/** Number and time formatting shared by the views. */
import { formatNumber, groupDigits } from '@shared/csv/bytes'

export { formatNumber, groupDigits }

export function count(n: number): string {
  return Number.isFinite(n) ? groupDigits(n) : '—'
}

/** Fixed significant digits for metrics tables. */
export function metric(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '—'
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '-∞'
  const a = Math.abs(x)
  if (a !== 0 && (a < 1e-3 || a >= 1e7)) return x.toExponential(2)
  return String(Number(x.toPrecision(digits)))
}

export function percent(x: number, digits = 1): string {
  return Number.isFinite(x) ? `${x.toFixed(digits)} %` : '—'
}

/** "3 min 20 s", "1 h 05 min", "12 s" */
export function seconds(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s) || s < 0) return '—'
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m} min ${String(Math.round(s % 60)).padStart(2, '0')} s`
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`
}

export function when(ms: number): string {
  if (!Number.isFinite(ms)) return '—'
  const d = new Date(ms)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}

export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return '—'
  if (n < 1024) return `${n} B`
  const units = ['KB', 'MB', 'GB', 'TB']
  let v = n / 1024
  let u = 0
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024
    u++
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`
}

/** Text for HTML (chart tooltips, the run report). */
export function escapeHtml(s: unknown): string {
  return String(s).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  )
}

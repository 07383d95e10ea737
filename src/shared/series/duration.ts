/**
 * Durations as people read them ("10 min", "24 h", "5 d 23 h", "3 months"), for showing what a
 * delay in rows means on the time axis.
 */
const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—'
  const sign = ms < 0 ? '-' : ''
  let rest = Math.abs(ms)
  if (rest < MINUTE) return `${sign}${+(rest / 1000).toFixed(3)} s`
  const parts: string[] = []
  const days = Math.floor(rest / DAY)
  rest -= days * DAY
  const hours = Math.floor(rest / HOUR)
  rest -= hours * HOUR
  const minutes = Math.round(rest / MINUTE)
  if (days) parts.push(`${days.toLocaleString('en-US')} d`)
  if (hours) parts.push(`${hours} h`)
  if (minutes && days < 7) parts.push(`${minutes} min`)
  return sign + (parts.join(' ') || '0 min')
}

/** Calendar steps: monthly data is not a fixed number of ms. */
export function formatSteps(
  steps: number,
  cadence: { ms: number; months?: number } | null,
): string | null {
  if (!cadence) return null
  if (cadence.months) {
    const months = steps * cadence.months
    if (months % 12 === 0) return `${months / 12} year${months === 12 ? '' : 's'}`
    return `${months} month${months === 1 ? '' : 's'}`
  }
  return formatDuration(steps * cadence.ms)
}

import { formatSteps } from '../series/duration'
import { gapAfterWindow, type WindowConfig } from './config'
import { windowSpan } from './keras'

export interface WindowDescription {
  /** Rows from the window's first to its last sampled row, inclusive. */
  spanRows: number
  /** Rows from the window's start to its (first) target: the delay. */
  delayRows: number
  /** Rows from the window's last sampled row to its (first) target. */
  gapRows: number
  /** The same in time units from the time axis, or null without one. */
  span: string | null
  delay: string | null
  gap: string | null
  /** One sentence for the UI and the CLI. */
  text: string
}

/**
 * What the numbers mean on the time axis, e.g. for Chollet's settings on 10-minute data:
 * "Each window reads 120 rows, one every 6 rows, spanning 715 rows (4 d 23 h); the target is
 * 858 rows after the window starts, 144 rows (1 d) after its last row."
 */
export function describeWindow(
  w: WindowConfig,
  cadence: { ms: number; months?: number } | null,
): WindowDescription {
  const spanRows = windowSpan(w.sequenceLength, w.samplingRate)
  const gapRows = gapAfterWindow(w)
  // A window spanning k rows covers k − 1 steps of the time axis.
  const span = formatSteps(spanRows - 1, cadence)
  const delay = formatSteps(w.delay, cadence)
  const gap = gapRows >= 1 ? formatSteps(gapRows, cadence) : null
  const t = (text: string | null) => (text ? ` (${text})` : '')
  const n = (x: number) => x.toLocaleString('en-US')
  const rows = (x: number) => `${n(x)} row${x === 1 ? '' : 's'}`
  const horizon = w.horizon > 1 ? `; it predicts ${n(w.horizon)} consecutive rows from there` : ''
  // "reads 120 rows, one every 6, spanning 715 rows"; consecutive rows span themselves.
  const reads =
    w.samplingRate === 1
      ? `Each window reads ${n(w.sequenceLength)} consecutive rows${t(span)}`
      : `Each window reads ${rows(w.sequenceLength)}, one every ${n(w.samplingRate)} rows, spanning ${rows(spanRows)}${t(span)}`
  const inside = gapRows === 0 ? 'its last row itself' : `${rows(-gapRows)} before its last row`
  const where =
    gapRows >= 1
      ? `${rows(gapRows)}${t(gap)} after its last row`
      : `which puts it inside the window, ${inside}: the delay must be at least ${n(spanRows)}`
  const text = `${reads}; the target is ${rows(w.delay)} after the window starts${t(delay)}, ${where}${horizon}.`
  return { spanRows, delayRows: w.delay, gapRows, span, delay, gap, text }
}

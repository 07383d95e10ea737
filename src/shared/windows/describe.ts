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
  const gap = formatSteps(gapRows, cadence)
  const t = (text: string | null) => (text ? ` (${text})` : '')
  const every = w.samplingRate === 1 ? 'consecutive rows' : `one every ${w.samplingRate} rows`
  const horizon = w.horizon > 1 ? `; it predicts ${w.horizon} consecutive rows from there` : ''
  const text =
    `Each window reads ${w.sequenceLength} rows, ${every}, spanning ${spanRows.toLocaleString('en-US')} rows${t(span)}; ` +
    `the target is ${w.delay.toLocaleString('en-US')} rows after the window starts${t(delay)}, ` +
    `${gapRows.toLocaleString('en-US')} row${gapRows === 1 ? '' : 's'}${t(gap)} after its last row${horizon}.`
  return { spanRows, delayRows: w.delay, gapRows, span, delay, gap, text }
}

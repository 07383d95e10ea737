/**
 * Windowing settings of an experiment, in rows.
 *
 * A window starting at row s holds rows s, s + R, …, s + (L - 1)·R (L = sequenceLength,
 * R = samplingRate). Its target is row s + delay (Keras: `data = rows[:-delay]`,
 * `targets = target[delay:]`); with horizon H > 1 the targets are the H consecutive rows
 * s + delay, …, s + delay + H - 1 (direct multi-step forecasting).
 */
export interface WindowConfig {
  sequenceLength: number
  samplingRate: number
  sequenceStride: number
  delay: number
  horizon: number
}

export const DEFAULT_WINDOW: WindowConfig = {
  sequenceLength: 120,
  samplingRate: 6,
  sequenceStride: 1,
  delay: 6 * (120 + 24 - 1),
  horizon: 1,
}

/** Rows from the window's last sampled row to its (first) target: delay - (L - 1)·R. */
export function gapAfterWindow(w: WindowConfig): number {
  return w.delay - (w.sequenceLength - 1) * w.samplingRate
}

/** Rows at the end of the data that no window may read: every target must exist. */
export function rowsReservedForTargets(w: WindowConfig): number {
  return w.delay + w.horizon - 1
}

/**
 * Target transforms of window models: what a window learns instead of the target's level.
 *
 * For a window starting at row s with last row t = s + (L − 1)·R, step j of its horizon targets
 * row r = s + delay + j. With z = y (or ln y with `log`) the window learns
 * - `none`:     z[r]
 * - `change`:   z[r] − z[t]        (the change since the window's last value)
 * - `seasonal`: z[r] − z[r − m]    (the change since the same time one season earlier)
 * and forecasts are turned back into data units with rows ≤ t only (see target.ts).
 *
 * Plain data, stored with the run and the exported model.
 */
import { SeqcastError } from '../errors'
import { formatNumber } from '../format'
import { gapAfterWindow, type WindowConfig } from '../windows/config'

export type TransformKind = 'none' | 'change' | 'seasonal'
export const TRANSFORM_KINDS: readonly TransformKind[] = ['none', 'change', 'seasonal']

export interface TargetTransform {
  kind: TransformKind
  /** Learn in natural-log units; the target must be positive in every row. */
  log: boolean
  /** Season m in rows for `seasonal`; null for the other kinds. */
  seasonRows: number | null
}

export const NO_TRANSFORM: TargetTransform = { kind: 'none', log: false, seasonRows: null }

const SYNTAX = 'none, change or seasonal, optionally with ",log" (e.g. "change,log")'

/**
 * Reads the CLI / settings text `none|change|seasonal[,log]` ("log" alone means "none,log").
 * `seasonRows` is the experiment's season, required by `seasonal`.
 */
export function parseTargetTransform(text: string, seasonRows: number | null): TargetTransform {
  const parts = text
    .split(',')
    .map((p) => p.trim().toLowerCase())
    .filter((p) => p !== '')
  const kinds = parts.filter((p) => p !== 'log')
  const logs = parts.length - kinds.length
  const kind = kinds[0] ?? (logs > 0 ? 'none' : undefined)
  if (
    kind === undefined ||
    kinds.length > 1 ||
    logs > 1 ||
    !TRANSFORM_KINDS.includes(kind as TransformKind)
  ) {
    throw new SeqcastError(
      'config',
      `Transform: expected ${SYNTAX}, received "${text}". Pick one kind, e.g. --transform change.`,
      { setting: 'transform', received: text },
    )
  }
  if (kind === 'seasonal') requireSeason(seasonRows)
  return {
    kind: kind as TransformKind,
    log: logs === 1,
    seasonRows: kind === 'seasonal' ? seasonRows : null,
  }
}

/** The settings text of a transform: 'none', 'change,log', 'seasonal' … */
export function formatTargetTransform(t: TargetTransform): string {
  return t.log ? `${t.kind},log` : t.kind
}

/**
 * The name the learned target's normalization is stored under: the target's own name for `none`
 * (today's runs and exported models keep their statistics), `"<target>|change,log"` otherwise,
 * so it never collides with the target read as an input feature in data units.
 */
export function learnedTargetName(target: string, t: TargetTransform): string {
  return t.kind === 'none' && !t.log ? target : `${target}|${formatTargetTransform(t)}`
}

/**
 * Refuses a transform that would read rows after a window's last row or take the log of a
 * non-positive value. `target` is the target column in data units (every row the run touches).
 */
export function validateTargetTransform(
  t: TargetTransform,
  window: WindowConfig,
  target: { name: string; values: ArrayLike<number> },
): void {
  if (t.kind === 'seasonal') checkSeasonReach(t, window)
  if (t.log) checkPositive(target.name, target.values)
}

/**
 * `seasonal` reads z[r − m] for target rows r up to t + h + H − 1 (h = delay − (L − 1)·R rows after
 * the window's last row t); all of them are ≤ t only when m ≥ h + H − 1.
 */
export function checkSeasonReach(t: TargetTransform, window: WindowConfig): void {
  const m = requireSeason(t.seasonRows)
  const gap = gapAfterWindow(window)
  const needed = gap + window.horizon - 1
  if (m >= needed) return
  const lastOffset = (window.sequenceLength - 1) * window.samplingRate
  throw new SeqcastError(
    'config',
    `Transform "seasonal": expected a season of at least ${needed} rows ` +
      `(delay ${window.delay} − (sequence length − 1) × sampling rate ${lastOffset} + horizon ${window.horizon} − 1), ` +
      `received ${m}: y[target − ${m}] would lie after the window's last row. ` +
      `Use --transform change, or lower the delay or the horizon until delay − ${lastOffset} + horizon − 1 ≤ ${m}.`,
    {
      setting: 'transform',
      settings: ['transform', 'delay', 'horizon', 'seasonRows'],
      season: m,
      delay: window.delay,
      horizon: window.horizon,
      needed,
    },
  )
}

function requireSeason(seasonRows: number | null): number {
  if (seasonRows !== null && Number.isInteger(seasonRows) && seasonRows >= 1) return seasonRows
  throw new SeqcastError(
    'config',
    `Transform "seasonal": expected a season of a whole number of rows ≥ 1, received ${seasonRows === null ? 'none' : seasonRows}. ` +
      `Set the season (--season, or the Season field of the Experiment view) or use --transform change.`,
    { setting: 'transform', settings: ['transform', 'seasonRows'], season: seasonRows },
  )
}

function checkPositive(name: string, values: ArrayLike<number>): void {
  for (let r = 0; r < values.length; r++) {
    const v = values[r]
    if (v > 0 || Number.isNaN(v)) continue // missing values are refused by the experiment's checks
    throw new SeqcastError(
      'config',
      `Transform "log": expected positive values in column "${name}", received ${formatNumber(v)} in data row ${(r + 1).toLocaleString('en-US')}. ` +
        `Use the transform without ",log", or pick a column whose values are all above 0.`,
      { setting: 'transform', column: name, row: r + 1, value: v },
    )
  }
}

/**
 * The arena's rules, for the CLI's `compare` and the app alike: which presets a model set names,
 * how the board is ranked (validation MAE, lower first; entries without one last), and the
 * ensemble (the mean of the k best models by validation, ranked like any model).
 */
import { SeqcastError } from './errors'
import type { Metrics } from './metrics'
import { NEURAL_PRESET_IDS, STATISTICAL_PRESET_IDS } from './models/presets'

export type ArenaFamily = 'statistical' | 'neural' | 'baseline' | 'ensemble'

/** Models in the ensemble by default: the three best by validation MAE. */
export const ENSEMBLE_SIZE = 3

export interface BoardEntry {
  /** Preset id, baseline name ("naive", "seasonal-naive") or "ensemble". */
  model: string
  family: ArenaFamily
  val: Metrics | null
  test: Metrics | null
  seconds: number
}

/**
 * Window presets the default set leaves out, so that it finishes on a 10,000-row file within a
 * few minutes on 2 cores. SimpleRNN, the deep RNN and Conv1D + GRU train on stock tfjs layers:
 * on 10,000 electricity rows (L = 20, `npm run bench:arena -- --models all`) they took 64, 555
 * and 680 s of a 1,383 s run, against 4–24 s for each fused LSTM / GRU preset, and none of them
 * was the best model. Conv1D's kernels of 24 cost more than 20 minutes alone on the Jena sample's
 * 120-row windows. `--models neural` and `--models all` still run them.
 */
export const SLOW_PRESET_IDS: readonly string[] = ['simplernn', 'deep-rnn', 'conv-gru', 'conv1d']

/** The set `compare` runs without `--models`. */
export const DEFAULT_MODEL_SET = 'default'

/**
 * `--models default|all|statistical|neural|a,b,…` → preset ids, in the order they run. `default`
 * is every statistical model and every window preset except SLOW_PRESET_IDS; `all` is every
 * preset; `neural` every window preset.
 */
export function arenaModels(value: string): string[] {
  const known = [...STATISTICAL_PRESET_IDS, ...NEURAL_PRESET_IDS]
  const sets: Record<string, readonly string[]> = {
    [DEFAULT_MODEL_SET]: known.filter((id) => !SLOW_PRESET_IDS.includes(id)),
    all: known,
    statistical: STATISTICAL_PRESET_IDS,
    neural: NEURAL_PRESET_IDS,
  }
  if (sets[value]) return [...sets[value]]
  const ids = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  const unknown = ids.filter((id) => !known.includes(id))
  if (ids.length === 0 || unknown.length > 0) {
    throw new SeqcastError(
      'config',
      `--models: expected default, all, statistical, neural or a list of presets (${known.join(', ')}), received "${value}"${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}.`,
      { setting: 'models', received: value },
    )
  }
  return [...new Set(ids)]
}

/** Validation MAE as a sort key: missing or not finite sorts last. */
function key(e: BoardEntry): number {
  const mae = e.val?.mae
  return mae !== undefined && Number.isFinite(mae) ? mae : Infinity
}

/** The board ranked by validation MAE (stable: ties keep the order the models ran in). */
export function rankBoard<T extends BoardEntry>(entries: readonly T[]): T[] {
  return entries
    .map((e, i) => ({ e, i }))
    .sort((a, b) => key(a.e) - key(b.e) || a.i - b.i)
    .map(({ e }) => e)
}

/**
 * The members of the ensemble: the `k` best fitted models by validation MAE (baselines and
 * models without a finite validation MAE never join); none when fewer than two qualify.
 */
export function ensembleMembers<T extends BoardEntry>(
  entries: readonly T[],
  k = ENSEMBLE_SIZE,
): T[] {
  const models = rankBoard(
    entries.filter((e) => e.family === 'statistical' || e.family === 'neural'),
  ).filter((e) => Number.isFinite(key(e)))
  return models.length >= 2 ? models.slice(0, k) : []
}

/** Element-wise mean of equally long forecasts (window-major, data units). */
export function meanForecast(forecasts: readonly Float64Array[]): Float64Array {
  if (forecasts.length === 0) return new Float64Array(0)
  const n = forecasts[0].length
  for (const f of forecasts) {
    if (f.length !== n)
      throw new SeqcastError('internal', `Ensemble: forecasts of ${n} and ${f.length} values.`)
  }
  const out = new Float64Array(n)
  for (const f of forecasts) for (let i = 0; i < n; i++) out[i] += f[i]
  for (let i = 0; i < n; i++) out[i] /= forecasts.length
  return out
}

/** Percent by which `model` beats (positive) or trails (negative) `reference` on MAE. */
export function percentBetter(model: number, reference: number): number | null {
  return Number.isFinite(model) && Number.isFinite(reference) && reference > 0
    ? (100 * (reference - model)) / reference
    : null
}

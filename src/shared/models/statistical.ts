/**
 * Which seasons a statistical model uses: one rule for the app and the CLI. A season the user set
 * (`--season m`, the Season field) wins, and 1 means none; otherwise the seasons suggested from
 * the data (`suggestSeasons`); a spec that already names its seasons keeps them.
 */
import type { ExperimentConfig } from '../experiment'
import { suggestSeasons, type SeasonSuggestion } from '../seasonality/suggest'
import type { Dataset } from '../series/dataset'
import { splitRows } from '../series/split'
import type { ModelSpec } from './spec'
import { formatCount } from '../format/number'

/** Seasons of a fitted or about-to-fit statistical model, shortest first; [] for none. */
export function statisticalSeasons(spec: ModelSpec, seasonRows: number | null): number[] {
  if (spec.statistical?.seasons) return spec.statistical.seasons
  return seasonRows !== null && seasonRows > 1 ? [seasonRows] : []
}

/**
 * The spec with its seasons fixed for a run: the user's season when set (1 → none), else the
 * suggestion from the data. Window models come back unchanged.
 */
export function withSeasons(
  spec: ModelSpec,
  userSeason: number | null,
  suggested: readonly number[],
): ModelSpec {
  if (!spec.statistical || spec.statistical.seasons) return spec
  const seasons =
    userSeason !== null ? (userSeason > 1 ? [userSeason] : []) : suggested.filter((m) => m > 1)
  return { ...spec, statistical: { ...spec.statistical, seasons: [...seasons] } }
}

/**
 * The spec of a run with its seasons fixed from the data: the seasons `suggestSeasons` finds in
 * the training rows of the target (never the validation or test rows), unless the user set one.
 */
export function statisticalSpecForRun(
  spec: ModelSpec,
  dataset: Dataset,
  experiment: Pick<ExperimentConfig, 'target' | 'split'>,
  cadence: { ms: number; months?: number } | null,
  userSeason: number | null,
): ModelSpec {
  if (!spec.statistical || spec.statistical.seasons) return spec
  if (userSeason !== null) return withSeasons(spec, userSeason, [])
  const column = dataset.columns.find((c) => c.name === experiment.target)
  if (!column || column.kind !== 'numeric') return withSeasons(spec, null, [])
  const trainEnd = splitRows(dataset.rowCount, experiment.split).train.end
  const suggestion = suggestSeasons(column.values.subarray(0, trainEnd), cadence)
  return withSeasons(spec, null, suggestion.seasons)
}

/** What the app says next to the Season field: "suggested from the training rows: 96 (day), 672 (week)". */
export function seasonSuggestionText(suggestion: SeasonSuggestion): string {
  const kept = suggestion.candidates.filter((c) => c.kept)
  if (kept.length > 0)
    return `suggested from the training rows: ${kept.map((c) => `${c.period} (${c.label})`).join(', ')}`
  if (suggestion.candidates.length > 0)
    return `no clear season in the training rows (tried ${suggestion.candidates.map((c) => `${c.period} (${c.label})`).join(', ')})`
  const short = suggestion.tooShort ?? []
  return short.length > 0
    ? `too few training rows to measure a season (${short.map((c) => `${c.period} (${c.label}) needs ${formatCount(3 * c.period)}`).join(', ')}; there are ${formatCount(short[0].rows)})`
    : 'no calendar season to suggest for this time axis'
}

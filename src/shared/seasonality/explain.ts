/**
 * Why a season is suggested or not, in a sentence a person reads next to the suggestion (the
 * Data view): each calendar season of the cadence with its seasonal strength once the trend is
 * removed, against the threshold that keeps it.
 */
import { formatCount, formatNumber } from '../format/number'
import { SEASON_STRENGTH, type SeasonSuggestion } from './suggest'

export function seasonReason(suggestion: SeasonSuggestion): string {
  const filled = suggestion.filled
    ? ` Measured with the ${formatCount(suggestion.filled)} missing value${suggestion.filled === 1 ? '' : 's'} interpolated; fill them in the data before training.`
    : ''
  const short = (suggestion.tooShort ?? []).map(
    (s) =>
      `${s.period} rows (${s.label}) needs three cycles, ${formatCount(3 * s.period)} training rows; there are ${formatCount(s.rows)}`,
  )
  const shortText = short.length
    ? `${short.join('; ')}. Add rows or raise the training fraction, or set the Season field in the Experiment view yourself.`
    : ''
  if (suggestion.candidates.length === 0) {
    if (shortText) return shortText
    return 'Only calendar seasons of the cadence are tried (a day and a week of sub-daily rows, a week of daily rows, a year of weekly, monthly or quarterly rows), each on at least three cycles of training rows: none applies here.'
  }
  const parts = suggestion.candidates.map(
    (c) =>
      `${c.period} rows (${c.label}): seasonal strength ${formatNumber(c.strength, 2)} once the trend is removed, ${c.kept ? 'kept' : 'too weak'}`,
  )
  return `${parts.join('; ')} (a season is kept from a strength of ${SEASON_STRENGTH}).${shortText ? ` ${shortText}` : ''}${filled}`
}

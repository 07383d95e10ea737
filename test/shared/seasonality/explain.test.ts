/** The reason shown next to the season suggestion in the Data view. */
import { describe, expect, it } from 'vitest'
import { seasonReason } from '../../../src/shared/seasonality/explain'
import { suggestSeasons } from '../../../src/shared/seasonality/suggest'

describe('seasonReason', () => {
  it('names each calendar season tried, its strength and whether it is kept', () => {
    expect(
      seasonReason({
        seasons: [96],
        candidates: [
          { period: 96, label: 'day', strength: 0.8734, kept: true },
          { period: 672, label: 'week', strength: 0.05, kept: false },
        ],
      }),
    ).toBe(
      '96 rows (day): seasonal strength 0.87 once the trend is removed, kept; 672 rows (week): seasonal strength 0.05 once the trend is removed, too weak (a season is kept from a strength of 0.3).',
    )
  })

  it('a monthly series with a trend and a yearly cycle: the year is kept; noise-free trend alone: too weak', () => {
    const month = { ms: 30 * 86_400_000, months: 1 }
    const seasonal = Array.from(
      { length: 72 },
      (_, t) => 100 + 2 * t + 10 * Math.sin((2 * Math.PI * t) / 12),
    )
    expect(seasonReason(suggestSeasons(seasonal, month))).toMatch(
      /^12 rows \(year\): seasonal strength (0\.9\d|1) once the trend is removed, kept/,
    )
    const trend = Array.from({ length: 72 }, (_, t) => 100 + 2 * t + ((t * 7919) % 13) / 13)
    expect(seasonReason(suggestSeasons(trend, month))).toMatch(/^12 rows \(year\): .*, too weak/)
  })

  it('weekly rows with fewer than three years of training rows: says how many the year needs', () => {
    const week = { ms: 7 * 86_400_000 }
    const y = Array.from({ length: 78 }, (_, t) => 1200 + 4.5 * t + 250 * Math.sin(t / 8.3))
    expect(seasonReason(suggestSeasons(y, week))).toBe(
      '52 rows (year) needs three cycles, 156 training rows; there are 78. Add rows or raise the training fraction, or set the Season field in the Experiment view yourself.',
    )
  })

  it('says which missing values the measurement interpolated', () => {
    const month = { ms: 30 * 86_400_000, months: 1 }
    const y = Array.from({ length: 72 }, (_, t) => 100 + 10 * Math.sin((2 * Math.PI * t) / 12))
    y[5] = NaN
    expect(seasonReason(suggestSeasons(y, month))).toMatch(
      /, kept \(a season is kept from a strength of 0\.3\)\. Measured with the 1 missing value interpolated; fill them in the data before training\.$/,
    )
  })

  it('says why nothing is tried without a calendar cadence', () => {
    expect(seasonReason(suggestSeasons([1, 2, 3, 4, 5, 6], null))).toMatch(/none applies here\.$/)
  })
})

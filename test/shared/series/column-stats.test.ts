/**
 * Column statistics by hand: population std (ddof 0), NaN skipped; whole-number columns told
 * apart so the Data view writes their min and max without decimals.
 */
import { describe, expect, it } from 'vitest'
import { numericStats, wholeNumbers } from '../../../src/shared/series/column-stats'

describe('numericStats', () => {
  it('count, missing, min, max, mean and population std, skipping NaN', () => {
    // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squared deviations sum 32, std √(32 / 8) = 2
    expect(numericStats([2, 4, NaN, 4, 4, 5, 5, 7, 9])).toEqual({
      count: 8,
      missing: 1,
      min: 2,
      max: 9,
      mean: 5,
      std: 2,
    })
  })
})

describe('wholeNumbers', () => {
  it('whole numbers only, missing cells skipped; an empty column is not one', () => {
    expect(wholeNumbers([1050, NaN, 2310, -4])).toBe(true)
    expect(wholeNumbers([1050, 1050.5])).toBe(false)
    expect(wholeNumbers([NaN, NaN])).toBe(false)
    expect(wholeNumbers(Float64Array.of(1e6, 3))).toBe(true)
  })
})

import { describe, expect, it } from 'vitest'
import { finiteExtent } from '../../../src/shared/series/extent'

describe('finiteExtent', () => {
  it('the smallest and largest finite value; null without one', () => {
    expect(finiteExtent([3, NaN, -2, Infinity, 7, -Infinity])).toEqual({ min: -2, max: 7 })
    expect(finiteExtent([NaN, Infinity])).toBeNull()
    expect(finiteExtent([])).toBeNull()
  })

  it('a million values (more than Math.min(...values) can take)', () => {
    const v = Float64Array.from({ length: 1_000_000 }, (_, i) => Math.sin(i))
    v[123_456] = -5
    v[987_654] = 9
    expect(finiteExtent(v)).toEqual({ min: -5, max: 9 })
  })
})

/** The sentence comparing a model's MAE with a baseline's, as Results, the report and the CLI print it. */
import { describe, expect, it } from 'vitest'
import { compareWith } from '../../src/shared/run'

const m = (mae: number) => ({ mae, rmse: mae, mape: NaN, smape: NaN, mase: NaN, n: 10 })

describe('compareWith', () => {
  it('the change in % of the baseline’s MAE, by hand, with thousands grouped', () => {
    // |6.02 − 99.57| / 6.02 = 15.5399 → 1,554.0 %
    expect(compareWith('naive', m(99.57), m(6.02)).text).toBe('worse than naive by 1,554.0 %')
    expect(compareWith('seasonal-naive', m(3), m(4)).text).toBe(
      'better than seasonal naive by 25.0 %',
    )
    expect(compareWith('naive', m(2), m(2)).text).toBe('as good as naive')
    expect(compareWith('naive', m(2), m(0)).text).toBe('no comparison with naive (its MAE is 0)')
  })
})

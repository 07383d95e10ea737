import { describe, expect, it } from 'vitest'
import { naiveAtOrigins, perStepMetrics } from '../../src/shared/metrics/per-step'

describe('perStepMetrics', () => {
  it('MAE, RMSE and the naive MAE per step, by hand', () => {
    // Series y = 0, 1, 2, …, 9; lead 1: a window whose first target is row r has origin r − 1.
    const y = Float64Array.from({ length: 10 }, (_, i) => i)
    // Two windows, H = 2: first targets rows 4 and 6 → actuals (4, 5) and (6, 7).
    const actual = [4, 5, 6, 7]
    const predicted = [4.5, 6, 5, 7]
    const naive = naiveAtOrigins([4, 6], 1, y)
    expect(Array.from(naive)).toEqual([3, 5])
    const steps = perStepMetrics({ horizon: 2, actual, predicted }, naive)
    // step 1: errors 0.5, 1 → MAE 0.75, RMSE √((0.25+1)/2) = √0.625; naive errors 1, 1 → 1
    // step 2: errors 1, 0 → MAE 0.5, RMSE √0.5; naive errors 2, 2 → 2
    expect(steps[0]).toMatchObject({ step: 1, n: 2, mae: 0.75, naiveMae: 1 })
    expect(steps[0].rmse).toBeCloseTo(Math.sqrt(0.625), 12)
    expect(steps[0].vsNaive).toBeCloseTo(-0.25, 12)
    expect(steps[1]).toMatchObject({ step: 2, n: 2, mae: 0.5, naiveMae: 2 })
    expect(steps[1].rmse).toBeCloseTo(Math.sqrt(0.5), 12)
    expect(steps[1].vsNaive).toBeCloseTo(-0.75, 12)
  })

  it('skips missing actuals, and has no naive figures without the data', () => {
    const steps = perStepMetrics({ horizon: 1, actual: [1, NaN, 3], predicted: [2, 2, 2] }, null)
    expect(steps).toEqual([{ step: 1, n: 2, mae: 1, rmse: 1, naiveMae: null, vsNaive: null }])
  })
})

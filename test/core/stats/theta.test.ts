import { describe, expect, it } from 'vitest'
import { fitTheta, seasonIsSignificant } from '../../../src/core/stats/theta'
import { forecastWindows } from '../../../src/core/stats'
import { expectNoLookAhead, gaussian, shippedColumn } from './helpers'

describe('Theta', () => {
  it('on a straight line forecasts the last value plus half the slope per step (α → 1)', () => {
    const y = Float64Array.from({ length: 80 }, (_, t) => 5 + 2 * t)
    const fit = fitTheta(y.subarray(0, 60))
    expect(fit.season).toBeNull()
    expect(fit.drift).toBeCloseTo(1, 12) // half of the slope 2
    const t = 69
    const f = forecastWindows(fit, y, Int32Array.of(t), 1, 5)
    // ŷ(k) = ℓ_t + b·(k − 1 + (1 − (1 − α)^n)/α) with ℓ_t ≈ y_t and α ≈ 1: y_t + k.
    for (let k = 1; k <= 5; k++) expect(f[k - 1]).toBeCloseTo(y[t] + k, 2)
  })

  it('adjusts a significant season multiplicatively and keeps the indices fixed', () => {
    const y = shippedColumn('airpassengers_monthly.csv')
    expect(seasonIsSignificant(y.subarray(0, 120), 12)).toBe(true)
    const fit = fitTheta(y.subarray(0, 120), 12)
    expect(fit.season?.kind).toBe('multiplicative')
    const index = fit.season!.index
    expect(index.reduce((a, b) => a + b) / 12).toBeCloseTo(1, 12)
    // July (row 6 mod 12) is the peak month of AirPassengers, November (10) the trough.
    expect(Math.max(...index)).toBe(index[6])
    expect(Math.min(...index)).toBe(index[10])
  })

  it('finds no season in white noise', () => {
    const noise = gaussian(5)
    const y = Float64Array.from({ length: 240 }, () => 10 + noise())
    expect(seasonIsSignificant(y, 12)).toBe(false)
  })

  it('uses no row after a window’s last row, and the training rows only for its parameters', () => {
    expectNoLookAhead('theta', shippedColumn('airpassengers_monthly.csv'), 96, { seasons: [12] })
  })
})

import { describe, expect, it } from 'vitest'
import { fitArima, kpss, rootsOutsideUnitCircle } from '../../../src/core/stats/arima-fit'
import { ArimaFilter, arimaVariance } from '../../../src/core/stats/arima-model'
import { fitWithPackage } from '../../../src/core/stats/arima-package'
import { forecastWindows } from '../../../src/core/stats'
import { expectNoLookAhead, gaussian, nextYearMae, shippedColumn } from './helpers'

function ar1(n: number, phi: number, mu: number, seed: number): Float64Array {
  const noise = gaussian(seed)
  const y = new Float64Array(n)
  let x = 0
  for (let t = 0; t < n; t++) {
    x = phi * x + noise()
    y[t] = mu + x
  }
  return y
}

describe('ARIMA', () => {
  it('recovers φ of a simulated AR(1) and forecasts μ + φ^h·(y_t − μ) with the fitted values', () => {
    const y = ar1(600, 0.7, 10, 3)
    const fit = fitArima(y.subarray(0, 500), { order: { p: 1, d: 0, q: 0 } })
    expect(fit.ar).toHaveLength(1)
    const [phi] = fit.ar
    // Standard error √((1 − φ²)/n) ≈ 0.032: three of them.
    expect(Math.abs(phi - 0.7)).toBeLessThan(0.1)
    expect(Math.abs(fit.mean - 10)).toBeLessThan(0.5)
    const lastRows = Int32Array.of(499, 530, 598)
    const f = forecastWindows(fit, y, lastRows, 1, 4)
    lastRows.forEach((t, w) => {
      for (let k = 0; k < 4; k++) {
        const h = k + 1
        expect(f[w * 4 + k]).toBeCloseTo(fit.mean + phi ** h * (y[t] - fit.mean), 9)
      }
    })
  })

  it('the fixed-coefficient filter matches the package’s own forecasts and MSEs at the end of training', () => {
    const y = shippedColumn('airpassengers_monthly.csv').subarray(0, 120)
    for (const order of [
      { p: 1, d: 1, q: 1, P: 0, D: 1, Q: 1, s: 12 },
      { p: 2, d: 0, q: 1, P: 0, D: 0, Q: 0, s: 0 },
    ]) {
      const pkg = fitWithPackage(y, order, 6)
      expect(pkg.converged).toBe(true)
      const model = { kind: 'arima' as const, order, ...pkg, trainRows: 120, fitRows: 120 }
      const filter = new ArimaFilter(model)
      for (const v of y) filter.update(v)
      const ours = new Float64Array(6)
      filter.forecast(1, 6, ours, 0)
      // Coefficients are printed with 6 significant digits, hence 1e-3 of a level of ~400.
      ours.forEach((v, k) => expect(Math.abs(v - pkg.forecast[k])).toBeLessThan(0.05))
      const variance = arimaVariance(model, 6)
      variance.forEach((v, k) => expect(Math.abs(v / pkg.mse[k] - 1)).toBeLessThan(0.01))
    }
  })

  it('chooses seasonal differencing for AirPassengers and beats the seasonal naive on the next year', () => {
    const y = shippedColumn('airpassengers_monthly.csv')
    const fit = fitArima(y.subarray(0, 132), { period: 12 })
    expect(fit.order.D).toBe(1)
    const mae = nextYearMae(forecastWindows(fit, y, Int32Array.of(131), 1, 12), y, 132)
    expect(mae.model).toBeLessThan(mae.seasonalNaive)
  })

  it('KPSS: a random walk is not level-stationary, white noise is (5 % critical value 0.463)', () => {
    const noise = gaussian(11)
    const white = Float64Array.from({ length: 500 }, () => noise())
    let s = 0
    const walk = Float64Array.from({ length: 500 }, () => (s += noise()))
    expect(kpss(white)).toBeLessThan(0.463)
    expect(kpss(walk)).toBeGreaterThan(0.463)
  })

  it('stationarity: 1 − 1.5B + 0.56B² = (1 − 0.7B)(1 − 0.8B) is, 1 − 1.5B + 0.5B² = (1 − B)(1 − 0.5B) is not', () => {
    expect(rootsOutsideUnitCircle([1.5, -0.56])).toBe(true)
    expect(rootsOutsideUnitCircle([1.5, -0.5])).toBe(false)
    expect(rootsOutsideUnitCircle([])).toBe(true)
  })

  it('uses no row after a window’s last row, and the training rows only for its parameters', () => {
    expectNoLookAhead('arima', ar1(300, 0.6, 5, 9), 200, {})
  })
})

import { describe, expect, it } from 'vitest'
import { fitMstl } from '../../../src/core/stats/mstl'
import { stl } from '../../../src/core/stats/stl'
import { expectNoLookAhead, gaussian } from './helpers'

const DAY = 24
const WEEK = 168
/** Hourly rows: slow trend + a daily and a weekly sine + noise. */
function hourly(
  weeks: number,
  seed: number,
): { y: Float64Array; daily: (t: number) => number; weekly: (t: number) => number } {
  const noise = gaussian(seed)
  const daily = (t: number): number => 3 * Math.sin((2 * Math.PI * t) / DAY)
  const weekly = (t: number): number => 2 * Math.cos((2 * Math.PI * t) / WEEK)
  const y = Float64Array.from(
    { length: weeks * WEEK },
    (_, t) => 50 + 0.01 * t + daily(t) + weekly(t) + 0.3 * noise(),
  )
  return { y, daily, weekly }
}

function rms(values: number[]): number {
  return Math.sqrt(values.reduce((a, v) => a + v * v, 0) / values.length)
}

describe('MSTL', () => {
  it('STL recovers a single sine season under a trend', () => {
    const noise = gaussian(1)
    const y = Float64Array.from(
      { length: 240 },
      (_, t) => 0.5 * t + 4 * Math.sin((2 * Math.PI * t) / 12) + 0.2 * noise(),
    )
    const { seasonal } = stl(y, 12, 7)
    const err = Array.from(
      seasonal.subarray(24, 216),
      (s, i) => s - 4 * Math.sin((2 * Math.PI * (i + 24)) / 12),
    )
    expect(rms(err)).toBeLessThan(0.3)
  })

  it('recovers a daily and a weekly season as the profiles of its last training cycle', () => {
    const { y, daily, weekly } = hourly(10, 2)
    const fit = fitMstl(y, [WEEK, DAY])
    expect(fit.periods).toEqual([DAY, WEEK])
    const dailyErr = fit.profiles[0].map((s, j) => s - daily(j))
    const weeklyErr = fit.profiles[1].map((s, j) => s - weekly(j))
    // Amplitudes 3 and 2 (rms 2.1 and 1.4), noise 0.3.
    expect(rms(dailyErr)).toBeLessThan(0.3)
    expect(rms(weeklyErr)).toBeLessThan(0.3)
  })

  it('drops seasons longer than half the training rows', () => {
    const { y } = hourly(3, 4)
    expect(fitMstl(y, [DAY, WEEK, 2 * WEEK]).periods).toEqual([DAY, WEEK])
  })

  it('uses no row after a window’s last row, and the training rows only for its parameters', () => {
    const { y } = hourly(6, 3)
    expectNoLookAhead('mstl', y, 4 * WEEK, { seasons: [DAY, WEEK] })
  })
})

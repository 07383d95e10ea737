import { SeqcastError } from '../../shared/errors'
import { fitEts } from './ets-fit'
import { EtsFilter, type FittedEts } from './ets-model'
import type { StatFilter } from './filter'
import type { FitMonitor } from './monitor'
import { stl } from './stl'

/**
 * MSTL (Bandara, Hyndman & Bergmeir 2021): STL applied to each season in turn, shortest first,
 * twice, with seasonal windows 7 + 4i; then ETS without season on the seasonally adjusted series
 * (as StatsForecast's MSTL). For forecasting without look-ahead each seasonal component is frozen
 * as its last cycle in the training rows and repeated: the filter runs ETS over
 * y − Σ profile_i(row) and adds the profiles back, so no row after t enters a forecast from t.
 */
export interface FittedMstl {
  kind: 'mstl'
  periods: number[]
  /** One cycle per season: `profiles[i][r mod periods[i]]` is season i's value at row r. */
  profiles: number[][]
  /** ETS on the adjusted series. */
  trend: FittedEts
  trainRows: number
}

export function fitMstl(
  train: Float64Array,
  periods: number[],
  iterations = 2,
  monitor?: FitMonitor,
): FittedMstl {
  const n = train.length
  const kept = [...new Set(periods)].filter((m) => m >= 2 && 2 * m < n).sort((a, b) => a - b)
  if (!train.every(Number.isFinite)) {
    throw new SeqcastError(
      'config',
      'MSTL: the training rows of the target hold missing values. Repair the target column first.',
      { setting: 'target' },
    )
  }
  const components: Float64Array[] = kept.map(() => new Float64Array(n))
  const adjusted = Float64Array.from(train)
  const passes = kept.length ? iterations : 0
  for (let iter = 0; iter < passes; iter++) {
    kept.forEach((m, i) => {
      monitor?.step(
        `STL season ${m} (pass ${iter + 1})`,
        iter * kept.length + i,
        passes * kept.length,
      )
      for (let t = 0; t < n; t++) adjusted[t] += components[i][t]
      components[i] = stl(adjusted, m, 7 + 4 * i).seasonal
      for (let t = 0; t < n; t++) adjusted[t] -= components[i][t]
    })
  }
  const profiles = kept.map((m, i) => {
    const profile = new Array<number>(m)
    for (let t = n - m; t < n; t++) profile[t % m] = components[i][t]
    return profile
  })
  const model = { periods: kept, profiles }
  const frozen = Float64Array.from(train, (v, t) => v - profileAt(model, t))
  return { kind: 'mstl', ...model, trend: fitEts(frozen, { model: 'ZZN', monitor }), trainRows: n }
}

function profileAt(model: Pick<FittedMstl, 'periods' | 'profiles'>, row: number): number {
  let s = 0
  for (let i = 0; i < model.periods.length; i++) s += model.profiles[i][row % model.periods[i]]
  return s
}

export class MstlFilter implements StatFilter {
  private readonly inner: EtsFilter
  private rows = 0

  constructor(private readonly model: FittedMstl) {
    this.inner = new EtsFilter(model.trend)
  }

  update(y: number): void {
    this.inner.update(y - profileAt(this.model, this.rows))
    this.rows++
  }

  forecast(h: number, H: number, out: Float64Array, offset: number): void {
    this.inner.forecast(h, H, out, offset)
    for (let k = 0; k < H; k++) out[offset + k] += profileAt(this.model, this.rows - 1 + h + k)
  }
}

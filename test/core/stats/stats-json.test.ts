import { describe, expect, it } from 'vitest'
import { fitStatModel, forecastWindows, type StatKind } from '../../../src/core/stats'
import { statsFromJson, statsToJson } from '../../../src/core/stats/stats-json'
import { shippedColumn } from './helpers'

describe('stats.json', () => {
  const y = shippedColumn('airpassengers_monthly.csv')
  const lastRows = Int32Array.from({ length: 40 }, (_, i) => 100 + i)

  it.each<[StatKind, number[]]>([
    ['ets', [12]],
    ['arima', [12]],
    ['theta', [12]],
    ['mstl', [12]],
  ])('%s: serialize → load gives identical forecasts', (kind, seasons) => {
    const fitted = fitStatModel(kind, y.subarray(0, 100), { seasons })
    const loaded = statsFromJson(statsToJson(fitted))
    expect(loaded).toEqual(fitted)
    expect(forecastWindows(loaded, y, lastRows, 1, 3)).toEqual(
      forecastWindows(fitted, y, lastRows, 1, 3),
    )
  })

  it('names the file and the field when the content is not a statistical model', () => {
    expect(() => statsFromJson('{nope', 'model/stats.json')).toThrow(
      /model\/stats.json: expected JSON/,
    )
    const fitted = fitStatModel('ets', y.subarray(0, 100), { seasons: [12], etsModel: 'AAA' })
    const broken = JSON.parse(statsToJson(fitted)) as { model: { params: { alpha: unknown } } }
    broken.model.params.alpha = 'high'
    expect(() => statsFromJson(JSON.stringify(broken))).toThrow(/stats.json: .*model.params.alpha/)
    const short = JSON.parse(statsToJson(fitted)) as { model: { init: { season: number[] } } }
    short.model.init.season.pop()
    expect(() => statsFromJson(JSON.stringify(short))).toThrow(/do not match the season length/)
  })
})

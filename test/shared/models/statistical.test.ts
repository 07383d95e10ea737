/** Which seasons a statistical preset gets: the user's season (1 = none), else the suggestion. */
import { describe, expect, it } from 'vitest'
import { parseCsv } from '../../../src/shared/csv'
import { presetSpec, STATISTICAL_PRESET_IDS } from '../../../src/shared/models/presets'
import {
  seasonSuggestionText,
  statisticalSeasons,
  statisticalSpecForRun,
} from '../../../src/shared/models/statistical'
import { suggestSeasons } from '../../../src/shared/seasonality/suggest'
import { parseModelSpec } from '../../../src/shared/models/validate'

const ets = () => presetSpec('ets')!
// 10 years of months with a strong yearly season in the first half (the training rows) only.
const rows = Array.from({ length: 120 }, (_, t) => {
  const v = t < 60 ? 50 + 20 * Math.sin((2 * Math.PI * t) / 12) : 50 + ((t * 7919) % 13)
  return `${new Date(Date.UTC(2000, t, 1)).toISOString().slice(0, 7)},${v}`
})
const { dataset } = parseCsv(`month,y\n${rows.join('\n')}\n`, { fileName: 'm.csv' })
const experiment = { target: 'y', split: { train: 0.5, val: 0.25 } }
const monthly = { ms: 30 * 86_400_000, months: 1 }

describe('statistical presets', () => {
  it('are ets, arima, theta and mstl, with no layers, and validate as model specs', () => {
    expect(STATISTICAL_PRESET_IDS).toEqual(['ets', 'arima', 'theta', 'mstl'])
    for (const id of STATISTICAL_PRESET_IDS) {
      const spec = presetSpec(id)!
      expect(spec.layers).toEqual([])
      expect(parseModelSpec(spec)).toEqual(spec)
    }
    expect(() => parseModelSpec({ ...ets(), statistical: { kind: 'prophet' } })).toThrow(
      /model\.statistical\.kind/,
    )
  })

  it('a season the user sets wins, and 1 means none', () => {
    expect(statisticalSpecForRun(ets(), dataset, experiment, monthly, 4).statistical).toEqual({
      kind: 'ets',
      seasons: [4],
    })
    expect(
      statisticalSpecForRun(ets(), dataset, experiment, monthly, 1).statistical!.seasons,
    ).toEqual([])
  })

  it('otherwise the season suggested from the training rows (12 for these months)', () => {
    expect(
      statisticalSpecForRun(ets(), dataset, experiment, monthly, null).statistical!.seasons,
    ).toEqual([12])
    // No cadence, no calendar season to suggest.
    expect(
      statisticalSpecForRun(ets(), dataset, experiment, null, null).statistical!.seasons,
    ).toEqual([])
  })

  it('a spec without seasons falls back to the experiment season above 1', () => {
    expect(statisticalSeasons(ets(), 7)).toEqual([7])
    expect(statisticalSeasons(ets(), 1)).toEqual([])
    expect(statisticalSeasons(ets(), null)).toEqual([])
  })

  it('says which season it suggests, or that none is clear, in words', () => {
    const column = (dataset.columns.find((c) => c.name === 'y') as { values: Float64Array }).values
    expect(seasonSuggestionText(suggestSeasons(column.subarray(0, 60), monthly))).toBe(
      'suggested from the training rows: 12 (year)',
    )
    const flat = Float64Array.from({ length: 60 }, (_, t) => (t * 7919) % 13)
    expect(seasonSuggestionText(suggestSeasons(flat, monthly))).toBe(
      'no clear season in the training rows (tried 12 (year))',
    )
    expect(seasonSuggestionText(suggestSeasons(flat, null))).toBe(
      'no calendar season to suggest for this time axis',
    )
    // Weekly rows: the year is a season of the axis, there are just too few rows to measure it.
    expect(seasonSuggestionText(suggestSeasons(flat.subarray(0, 40), { ms: 604_800_000 }))).toBe(
      'too few training rows to measure a season (52 (year) needs 156; there are 40)',
    )
  })
})

import { describe, expect, it } from 'vitest'
import type { TextColumn } from '../../src/shared/series/dataset'
import {
  MAX_CATEGORIES,
  oneHotEligibility,
  oneHotEncode,
  oneHotSetting,
} from '../../src/shared/features/one-hot'

function text(name: string, values: (string | null)[]): TextColumn {
  const categories: string[] = []
  const codes = Int32Array.from(values, (v) => {
    if (v === null) return -1
    let i = categories.indexOf(v)
    if (i < 0) i = categories.push(v) - 1
    return i
  })
  return { name, kind: 'text', codes, categories }
}

describe('one-hot encoding', () => {
  const weather = text('weather', ['sun', 'rain', null, 'sun', 'fog'])

  it('one 0/1 column per category, sorted, missing values all zeros (by hand)', () => {
    const setting = oneHotSetting(weather)
    expect(setting).toEqual({ column: 'weather', categories: ['fog', 'rain', 'sun'] })
    const r = oneHotEncode(weather, setting)
    expect(r.names).toEqual(['weather=fog', 'weather=rain', 'weather=sun'])
    expect(r.values.map((v) => Array.from(v))).toEqual([
      [0, 0, 0, 0, 1], // fog
      [0, 1, 0, 0, 0], // rain
      [1, 0, 0, 1, 0], // sun
    ])
    expect(r.warning).toBeNull()
  })

  it('encodes another file with the trained categories; an unseen value is all zeros with a warning', () => {
    const setting = oneHotSetting(weather)
    const later = text('weather', ['snow', 'sun', 'snow'])
    const r = oneHotEncode(later, setting)
    expect(r.values.map((v) => Array.from(v))).toEqual([
      [0, 0, 0],
      [0, 0, 0],
      [0, 1, 0],
    ])
    expect(r.unknown).toEqual([{ value: 'snow', rows: [0, 2] }])
    expect(r.warning).toBe(
      'Column "weather": "snow" (2 rows: data rows 1, 3) was not among the categories the model was trained with (fog, rain, sun): encoded as all zeros.',
    )
  })

  it(`offers columns of 2 to ${MAX_CATEGORIES} distinct values, and says why not otherwise`, () => {
    expect(oneHotEligibility(weather)).toEqual({
      ok: true,
      reason: '3 distinct values: can be one-hot encoded as 3 features',
    })
    const ids = text(
      'id',
      Array.from({ length: 13 }, (_, i) => `id${i}`),
    )
    expect(oneHotEligibility(ids)).toEqual({
      ok: false,
      reason:
        '13 distinct values, more than 12: too many to one-hot encode (an identifier or free text?)',
    })
    expect(oneHotEligibility(text('one', ['a', 'a'])).ok).toBe(false)
  })
})

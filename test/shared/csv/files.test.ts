import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { formatReport, lineOfRow, parseCsv } from '../../../src/shared/csv'
import { col, nums, texts } from './helpers'

const fixture = (name: string) =>
  fileURLToPath(new URL(`../../fixtures/csv/${name}`, import.meta.url))
const SHARED = fileURLToPath(new URL('../../../resources/data', import.meta.url))
const read = (path: string) => new Uint8Array(readFileSync(path))

/** A naive reader for simple files (no quoted delimiters): the independent oracle. */
function naive(path: string, delimiter = ',', decimal = '.'): string[][] {
  return readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.length > 0)
    .map((l) => l.split(delimiter).map((f) => f.replace(/^"|"$/g, '').replace(decimal, '.')))
}

describe('the real sunspots file', () => {
  const path = `${SHARED}/sunspots_monthly.csv`
  const r = parseCsv(read(path), { fileName: 'sunspots_monthly.csv' })

  it('has 3,177 rows, first value 58 at 1749-01, monthly cadence', () => {
    expect(r.dataset.rowCount).toBe(3177)
    expect(r.dataset.timeColumn).toBe('date')
    expect(col(r, 'date').kind).toBe('datetime')
    expect(nums(r, 'date')[0]).toBe(Date.UTC(1749, 0, 1))
    expect(nums(r, 'sunspots')[0]).toBe(58)
    const axis = r.report.timeAxis!
    expect(axis.format).toBe('yyyy-mm')
    expect(axis.cadence).toMatchObject({ months: 1, label: '1 month', share: 1 })
    expect(axis.sorted).toBe(true)
    expect(axis.gaps.count).toBe(0)
    expect(axis.duplicates.count).toBe(0)
  })

  it('matches a naive reading of every value', () => {
    const rows = naive(path).slice(1)
    expect(nums(r, 'sunspots')).toEqual(rows.map((f) => Number(f[1])))
    const dates = rows.map((f) => {
      const [y, m] = f[0].split('-').map(Number)
      return Date.UTC(y, m - 1, 1)
    })
    expect(nums(r, 'date')).toEqual(dates)
    const s = r.report.columns.find((c) => c.name === 'sunspots')!
    const values = rows.map((f) => Number(f[1]))
    expect(s.min).toBe(Math.min(...values))
    expect(s.max).toBe(Math.max(...values))
    expect(s.mean).toBeCloseTo(values.reduce((a, b) => a + b) / values.length, 9)
  })
})

describe('the real air passengers file', () => {
  it('has 144 monthly rows from 1949-01 (112 passengers)', () => {
    const r = parseCsv(read(`${SHARED}/airpassengers_monthly.csv`), { fileName: 'air.csv' })
    expect(r.dataset.rowCount).toBe(144)
    expect(nums(r, 'passengers')[0]).toBe(112)
    expect(nums(r, 'date')[143]).toBe(Date.UTC(1960, 11, 1))
    expect(r.report.timeAxis?.cadence?.label).toBe('1 month')
    expect(r.report.issues.filter((i) => i.severity !== 'info')).toEqual([])
  })
})

describe('a Jena-format file with quirks (make-jena-like.mjs --rows 1000 --quirks)', () => {
  const path = fixture('jena_quirks_1000.csv')
  const r = parseCsv(read(path), { fileName: 'jena_quirks_1000.csv' })

  it('reads 1,001 rows of 15 columns with CRLF line ends', () => {
    expect(r.dataset.rowCount).toBe(1001)
    expect(r.dataset.columns).toHaveLength(15)
    expect(r.report.file.lineEnding).toBe('crlf')
    expect(col(r, 'Date Time').kind).toBe('datetime')
    expect(r.report.timeAxis?.format).toBe('dd.mm.yyyy HH:MM:SS')
    const rows = naive(path).slice(1)
    for (const name of ['p (mbar)', 'T (degC)', 'wv (m/s)', 'wd (deg)']) {
      const k = r.dataset.columns.findIndex((c) => c.name === name)
      expect(nums(r, name)).toEqual(rows.map((f) => Number(f[k])))
    }
  })

  it('flags the -9999 sentinels on line 352 in both wind columns', () => {
    const sentinels = r.report.issues.filter((i) => i.code === 'sentinel')
    expect(sentinels.map((i) => [i.column, i.row, i.count])).toEqual([
      ['wv (m/s)', 352, 1],
      ['max. wv (m/s)', 352, 1],
    ])
    expect(r.report.columns.find((c) => c.name === 'wv (m/s)')?.sentinels).toEqual([
      { value: -9999, count: 1 },
    ])
  })

  it('finds the duplicated row, the 37-row gap and the 10 min cadence', () => {
    const axis = r.report.timeAxis!
    expect(axis.cadence?.label).toBe('10 min')
    expect(axis.cadence?.ms).toBe(600_000)
    expect(axis.duplicates.count).toBe(1)
    const dup = r.report.issues.find((i) => i.code === 'duplicate-time')
    expect(dup?.row).toBe(303)
    expect(dup?.message).toContain('repeats line 302')
    expect(axis.gaps.count).toBe(1)
    expect(axis.gaps.missingRows).toBe(37)
    const gap = r.report.issues.find((i) => i.code === 'gaps')
    expect(gap?.row).toBe(603)
    expect(lineOfRow(r.rowLines, axis.gaps.largest!.beforeRow)).toBe(603)
  })

  it('prints a readable report', () => {
    const text = formatReport(r.report)
    expect(text).toContain('jena_quirks_1000.csv: 1,001 rows × 15 columns')
    expect(text).toContain('CRLF line ends')
    expect(text).toMatch(/wv \(m\/s\)\s+numeric\s+1,001\s+0\s+-9,999/) // the minimum, written as every report number is (shared/format)
    expect(text).toContain('1 × -9999 (sentinel?)')
    expect(text).toContain('cadence 10 min')
    expect(text).toContain('1 duplicated timestamps, 1 gaps (37 missing rows)')
    expect(text).toMatch(/warning jena_quirks_1000\.csv, line 352, column "wv \(m\/s\)"/)
  })
})

describe('the UCI electricity layout', () => {
  it('reads the fixture with ; and decimal commas into exact values', () => {
    const path = fixture('uci_electricity_head.csv')
    const r = parseCsv(read(path), { fileName: 'LD2011_2014.txt' })
    expect(r.dataset.columns.map((c) => c.name)).toEqual([
      'column 1',
      'MT_001',
      'MT_002',
      'MT_003',
      'MT_004',
    ])
    const rows = naive(path, ';', ',').slice(1)
    expect(nums(r, 'MT_004')).toEqual(rows.map((f) => Number(f[4])))
    expect(nums(r, 'MT_002')[3]).toBe(1.26903553299492)
    expect(r.dataset.timeColumn).toBe('column 1')
    expect(r.report.timeAxis?.cadence?.label).toBe('15 min')
    expect(r.report.columns[4].sentinels).toEqual([{ value: -9999, count: 1 }])
  })
})

describe('round trip', () => {
  it('writes random tables in every dialect and reads back the same values', () => {
    let seed = 7
    const rand = () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0
      return seed / 2 ** 32
    }
    const words = [
      'plain',
      'with, comma',
      'with; semi',
      'tab\there',
      'quote "q"',
      'new\nline',
      'ünïcødé',
      '東京',
    ]
    for (const [delimiter, decimal, eol] of [
      [',', '.', '\n'],
      [';', ',', '\r\n'],
      ['\t', '.', '\r'],
    ] as const) {
      const n = 300
      const a = Array.from({ length: n }, () => Math.round((rand() - 0.5) * 1e6) / 1000)
      const b = Array.from({ length: n }, () => (rand() - 0.5) * 10 ** Math.floor(rand() * 20 - 10))
      const w = Array.from({ length: n }, () => words[Math.floor(rand() * words.length)])
      const t = Array.from({ length: n }, (_, i) => Date.UTC(2020, 0, 1) + i * 3_600_000)
      const cell = (s: string) =>
        /["\r\n]/.test(s) || s.includes(delimiter) ? `"${s.replaceAll('"', '""')}"` : s
      const num = (x: number) => String(x).replace('.', decimal)
      const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19)
      const lines = [['when', 'a', 'b', 'label'].join(delimiter)]
      for (let i = 0; i < n; i++) {
        lines.push([iso(t[i]), cell(num(a[i])), cell(num(b[i])), cell(w[i])].join(delimiter))
      }
      const r = parseCsv(lines.join(eol) + eol, { fileName: 'rt.csv' })
      expect(r.report.file.delimiter).toBe(delimiter)
      expect(r.report.file.decimal).toBe(decimal)
      expect(nums(r, 'a')).toEqual(a)
      expect(nums(r, 'b')).toEqual(b)
      expect(texts(r, 'label')).toEqual(w)
      expect(nums(r, 'when')).toEqual(t)
      expect(r.report.timeAxis?.cadence?.label).toBe('1 h')
    }
  })
})

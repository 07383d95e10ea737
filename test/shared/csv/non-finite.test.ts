/**
 * ±Infinity in a numeric column (`Inf`, `-inf`, `Infinity`, `1e999`) is reported like a missing
 * value: the cell is read as missing and one 'non-finite' issue per column names the first line,
 * the text and the count. Expected values are counted by hand from the inputs below.
 */
import { describe, expect, it } from 'vitest'
import { formatReport } from '../../../src/shared/csv'
import { col, nums, parse, parseInChunks } from './helpers'

const FILE = ['t,a,b', '1,1,Inf', '2,-inf,Inf', '3,1e999,Infinity', '4,4,-Infinity', '5,5,'].join(
  '\n',
)

describe('non-finite cells', () => {
  it('reads ±Infinity as missing and reports line, column, text and count', () => {
    const r = parse(FILE + '\n')
    // a: line 3 holds -inf, line 4 1e999 (beyond the largest double)
    expect(nums(r, 'a')).toEqual([1, NaN, NaN, 4, 5])
    expect(nums(r, 'b')).toEqual([NaN, NaN, NaN, NaN, NaN])
    const issues = r.report.issues.filter((i) => i.code === 'non-finite')
    expect(issues.map((i) => [i.column, i.row, i.count, i.severity])).toEqual([
      ['a', 3, 2, 'warning'],
      ['b', 2, 4, 'warning'],
    ])
    expect(issues[0].message).toMatch(
      /^test\.csv, line 3, column "a": expected a finite number, received "-inf" \(and 1 more infinite cell in this column\); Seqcast reads them as missing values\./,
    )
    expect(issues[0].fix).toMatch(/--fill/)
    const a = r.report.columns.find((c) => c.name === 'a')!
    expect([a.count, a.missing, a.min, a.max]).toEqual([3, 2, 1, 5])
    expect([a.nonFinite, a.firstNonFinite, a.firstNonFiniteRow]).toEqual([2, '-inf', 3])
    expect(formatReport(r.report)).toMatch(/2 non-finite cells, first "-inf" on line 3/)
  })

  it('does not call a column of infinities constant: it is empty, with the cells named', () => {
    const r = parse('x,y\n1,inf\n2,inf\n3,inf\n')
    expect(col(r, 'y').kind).toBe('numeric')
    const y = r.report.columns.find((c) => c.name === 'y')!
    expect([y.count, y.missing, y.std]).toEqual([0, 3, NaN])
    const codes = r.report.issues.filter((i) => i.column === 'y').map((i) => i.code)
    expect(codes.sort()).toEqual(['empty-column', 'non-finite'])
  })

  it('gives the same result whatever the chunk boundaries, and skips cells of ragged rows', () => {
    const input = FILE + '\n6,Inf\n7,7,7\n'
    const whole = parse(input)
    for (const size of [1, 2, 3, 7, 16]) {
      const r = parseInChunks(input, size, { sniffBytes: 8 })
      expect(nums(r, 'a'), `chunks of ${size}`).toEqual(nums(whole, 'a'))
      expect(
        r.report.issues.filter((i) => i.code === 'non-finite').map((i) => [i.row, i.count]),
      ).toEqual([
        [3, 2],
        [2, 4],
      ])
    }
  })

  it('keeps large but finite numbers and the missing tokens apart', () => {
    const r = parse('a\n1e308\n-1.5e300\nNaN\n\n2\n')
    expect(nums(r, 'a')).toEqual([1e308, -1.5e300, NaN, 2])
    expect(r.report.issues.some((i) => i.code === 'non-finite')).toBe(false)
  })
})

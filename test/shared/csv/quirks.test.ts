import { describe, expect, it } from 'vitest'
import { col, codes, nums, parse, texts } from './helpers'

const utc = Date.UTC

describe('delimiter sniffing', () => {
  it('reads comma-, semicolon- and tab-separated files with the same values', () => {
    for (const [d, name] of [
      [',', 'comma'],
      [';', 'semicolon'],
      ['\t', 'tab'],
    ]) {
      const r = parse(
        ['a', 'b', 'c'].join(d) +
          '\n' +
          ['1', '2.5', 'x'].join(d) +
          '\n' +
          ['3', '-4', 'y'].join(d) +
          '\n',
      )
      expect(r.report.file.delimiter, name).toBe(d)
      expect(nums(r, 'a')).toEqual([1, 3])
      expect(nums(r, 'b')).toEqual([2.5, -4])
      expect(texts(r, 'c')).toEqual(['x', 'y'])
    }
  })

  it('prefers the delimiter that gives the same field count on every line', () => {
    // commas inside quotes must not win over the semicolons
    const r = parse('name;value\n"a,b,c";1\n"d,e";2\n')
    expect(r.report.file.delimiter).toBe(';')
    expect(texts(r, 'name')).toEqual(['a,b,c', 'd,e'])
  })

  it('uses the delimiter given in the options', () => {
    const r = parse('a;b,c\n1;2,3\n', { delimiter: ',' })
    expect(r.dataset.columns.map((c) => c.name)).toEqual(['a;b', 'c'])
  })
})

describe('quoted fields', () => {
  it('keeps embedded delimiters, doubled quotes and newlines', () => {
    const csv = 'id,text,v\n1,"a, b",10\n2,"say ""hi""",20\n3,"line one\nline two",30\n4,"",40\n'
    const r = parse(csv)
    expect(texts(r, 'text')).toEqual(['a, b', 'say "hi"', 'line one\nline two', null])
    expect(nums(r, 'v')).toEqual([10, 20, 30, 40])
    expect(r.report.file.rows).toBe(4)
  })

  it('counts lines inside quoted fields for later messages', () => {
    const csv = 'id,text,v\n1,"two\nlines",10\n2,x,oops\n3,y,30\n'
    const r = parse(csv)
    const issue = r.report.issues.find((i) => i.code === 'text-in-numeric')
    // header line 1, row 1 on lines 2-3, the bad row on line 4
    expect(issue?.row).toBe(4)
    expect(issue?.column).toBe('v')
  })

  it('reads quoted numbers and datetimes as numbers and datetimes', () => {
    const r = parse('"t","v"\n"2020-01-01","1.5"\n"2020-01-02"," 2 "\n')
    expect(col(r, 't').kind).toBe('datetime')
    expect(nums(r, 't')).toEqual([utc(2020, 0, 1), utc(2020, 0, 2)])
    expect(nums(r, 'v')).toEqual([1.5, 2])
  })
})

describe('line ends, BOM and the last line', () => {
  const body = 'a,b\n1,2\n3,4\n'
  it('strips a UTF-8 BOM from the first header name', () => {
    const r = parse('\uFEFF' + body)
    expect(r.report.file.bom).toBe(true)
    expect(r.dataset.columns.map((c) => c.name)).toEqual(['a', 'b'])
  })

  it('reads CRLF, CR and mixed line ends alike and reports them', () => {
    for (const [eol, label] of [
      ['\n', 'lf'],
      ['\r\n', 'crlf'],
      ['\r', 'cr'],
    ] as const) {
      const r = parse(body.replaceAll('\n', eol))
      expect(r.report.file.lineEnding).toBe(label)
      expect(nums(r, 'a')).toEqual([1, 3])
      expect(nums(r, 'b')).toEqual([2, 4])
    }
    const mixed = parse('a,b\r\n1,2\n3,4\r\n')
    expect(mixed.report.file.lineEnding).toBe('mixed')
    expect(nums(mixed, 'b')).toEqual([2, 4])
  })

  it('reads a last line without a line end', () => {
    const r = parse('a,b\n1,2\n3,4')
    expect(nums(r, 'b')).toEqual([2, 4])
    const q = parse('a,b\n1,p\n3,"x"')
    expect(texts(q, 'b')).toEqual(['p', 'x'])
  })

  it('skips blank lines and keeps counting them', () => {
    const r = parse('a,b\n\n1,2\n\n\n3,x\n4,5\n')
    expect(nums(r, 'a')).toEqual([1, 3, 4])
    expect(r.report.issues.find((i) => i.code === 'text-in-numeric')?.row).toBe(6)
    expect(r.rowLines.firstLine).toBe(2)
  })
})

describe('decimal commas in semicolon-separated files (UCI electricity layout)', () => {
  const uci =
    '"";"MT_001";"MT_002";"MT_003"\n' +
    '"2011-01-01 00:15:00";0;2,53807106598985;0\n' +
    '"2011-01-01 00:30:00";0;2,53807106598985;1,5\n' +
    '"2011-01-01 00:45:00";-1,25;3;0\n'

  it('sniffs ; and the decimal comma and reads exact values', () => {
    const r = parse(uci)
    expect(r.report.file.delimiter).toBe(';')
    expect(r.report.file.decimal).toBe(',')
    expect(nums(r, 'MT_002')).toEqual([2.53807106598985, 2.53807106598985, 3])
    expect(nums(r, 'MT_001')).toEqual([0, 0, -1.25])
    expect(nums(r, 'MT_003')).toEqual([0, 1.5, 0])
  })

  it('names the empty first header "column 1", reports it, and uses it as the time column', () => {
    const r = parse(uci)
    expect(r.dataset.columns[0].name).toBe('column 1')
    expect(r.dataset.timeColumn).toBe('column 1')
    expect(nums(r, 'column 1')).toEqual([
      utc(2011, 0, 1, 0, 15),
      utc(2011, 0, 1, 0, 30),
      utc(2011, 0, 1, 0, 45),
    ])
    const issue = r.report.issues.find((i) => i.code === 'empty-header-name')
    expect(issue?.severity).toBe('info')
    expect(issue?.row).toBe(1)
    expect(issue?.message).toContain('"column 1"')
    expect(r.report.timeAxis?.cadence?.label).toBe('15 min')
  })

  it('keeps a decimal point in semicolon files when the data uses points', () => {
    const r = parse('a;b\n1.5;2\n3.25;4\n')
    expect(r.report.file.decimal).toBe('.')
    expect(nums(r, 'a')).toEqual([1.5, 3.25])
  })

  it('honours decimal "," given in the options for a tab file', () => {
    const r = parse('a\tb\n1,5\t2\n', { decimal: ',' })
    expect(nums(r, 'a')).toEqual([1.5])
  })
})

describe('column typing', () => {
  it('types numeric, datetime and text columns and dictionary-encodes text', () => {
    const r = parse(
      'when,city,temp\n2020-01-01,Oslo,-3.5\n2020-01-02,Rome,12\n2020-01-03,Oslo,1e1\n',
    )
    expect(r.dataset.columns.map((c) => c.kind)).toEqual(['datetime', 'text', 'numeric'])
    const city = col(r, 'city')
    expect(city.kind === 'text' && city.categories).toEqual(['Oslo', 'Rome'])
    expect(city.kind === 'text' && Array.from(city.codes)).toEqual([0, 1, 0])
    expect(nums(r, 'temp')).toEqual([-3.5, 12, 10])
    expect(r.dataset.timeColumn).toBe('when')
  })

  it('reads the missing tokens empty, NA, NaN, null, ? as missing', () => {
    const r = parse('a,b\n1,x\n,y\nNA,z\nNaN,x\nnull,y\n?,z\n7,\n')
    expect(nums(r, 'a').map((v) => (Number.isNaN(v) ? null : v))).toEqual([
      1,
      null,
      null,
      null,
      null,
      null,
      7,
    ])
    const a = r.report.columns.find((c) => c.name === 'a')
    expect(a?.count).toBe(2)
    expect(a?.missing).toBe(5)
    expect(texts(r, 'b')[6]).toBeNull()
    expect(codes(r)).not.toContain('text-in-numeric')
  })

  it('keeps a mostly numeric column numeric and reports its text cells by line and column', () => {
    const rows = Array.from({ length: 20 }, (_, i) => `${i},${i === 12 ? 'n/a!' : i * 2}`)
    const r = parse('t,y\n' + rows.join('\n') + '\n')
    expect(col(r, 'y').kind).toBe('numeric')
    expect(Number.isNaN(nums(r, 'y')[12])).toBe(true)
    const report = r.report.columns.find((c) => c.name === 'y')
    expect(report?.textCells).toBe(1)
    expect(report?.firstTextRow).toBe(14)
    expect(report?.firstText).toBe('n/a!')
    const issue = r.report.issues.find((i) => i.code === 'text-in-numeric')
    expect(issue?.message).toMatch(
      /test\.csv, line 14, column "y": expected a number, received "n\/a!"/,
    )
  })

  it('turns a column whose text outnumbers its numbers into text (promotion after the sample)', () => {
    // the first 1,000 rows look numeric, the rest is text
    const rows = Array.from({ length: 3000 }, (_, i) => `${i},${i < 1000 ? i : 'L' + i}`)
    const r = parse('i,code\n' + rows.join('\n') + '\n')
    const c = col(r, 'code')
    expect(c.kind).toBe('text')
    expect(texts(r, 'code')[5]).toBe('5')
    expect(texts(r, 'code')[2999]).toBe('L2999')
    expect(codes(r)).toContain('numeric-to-text')
  })

  it('detects a header row, or its absence', () => {
    const none = parse('1,2.5\n2,3.5\n3,4.5\n')
    expect(none.report.file.header).toBe(false)
    expect(none.dataset.columns.map((c) => c.name)).toEqual(['column 1', 'column 2'])
    expect(nums(none, 'column 2')).toEqual([2.5, 3.5, 4.5])
    expect(codes(none)).toContain('no-header')
    const numericNames = parse('2019,2020\n1,2\n3,4\n', { header: true })
    expect(numericNames.dataset.columns.map((c) => c.name)).toEqual(['2019', '2020'])
  })

  it('parses numbers exactly like Number() for many forms', () => {
    const values = [
      '0',
      '-0.5',
      '+3',
      '.25',
      '5.',
      '1e3',
      '-1.5E-7',
      '123456789012345678',
      '0.1',
      '1.7976931348623157e308',
      '4.9e-324',
      '3.14159265358979323846',
    ]
    const r = parse('x\n' + values.join('\n') + '\n')
    expect(nums(r, 'x')).toEqual(values.map(Number))
  })

  it('reads spaces around numbers', () => {
    const r = parse('a,b\n 1 , 2\n3,4 \n')
    expect(nums(r, 'a')).toEqual([1, 3])
    expect(nums(r, 'b')).toEqual([2, 4])
  })
})

describe('sentinels and statistics', () => {
  it('reports count, missing, min, max, mean, population std, and -9999 sentinels with their line', () => {
    const r = parse('t,v\n1,2\n2,4\n3,-9999\n4,\n5,6\n')
    const v = r.report.columns.find((c) => c.name === 'v')!
    expect(v.count).toBe(4)
    expect(v.missing).toBe(1)
    expect(v.min).toBe(-9999)
    expect(v.max).toBe(6)
    const vals = [2, 4, -9999, 6]
    const mean = vals.reduce((a, b) => a + b) / 4
    expect(v.mean).toBeCloseTo(mean, 10)
    expect(v.std).toBeCloseTo(Math.sqrt(vals.reduce((a, b) => a + (b - mean) ** 2, 0) / 4), 8)
    expect(v.sentinels).toEqual([{ value: -9999, count: 1 }])
    const issue = r.report.issues.find((i) => i.code === 'sentinel')
    expect(issue?.row).toBe(4)
    expect(issue?.column).toBe('v')
  })

  it('does not flag -999 inside the range of the other values', () => {
    const r = parse('v\n-2000\n-999\n500\n2000\n')
    expect(r.report.columns[0].sentinels).toEqual([])
  })

  it('counts exactly the user-given sentinels', () => {
    const r = parse('v\n1\n0\n2\n0\n', { sentinels: [0] })
    expect(r.report.columns[0].sentinels).toEqual([{ value: 0, count: 2 }])
  })
})

describe('duplicate column names', () => {
  it('renames x to x (2) with a warning naming both', () => {
    const r = parse('x,x,y,x\n1,2,3,4\n')
    expect(r.dataset.columns.map((c) => c.name)).toEqual(['x', 'x (2)', 'y', 'x (3)'])
    expect(nums(r, 'x (2)')).toEqual([2])
    const issue = r.report.issues.find((i) => i.code === 'duplicate-column')
    expect(issue?.severity).toBe('warning')
    expect(issue?.message).toContain('"x" → "x (2)"')
    expect(issue?.row).toBe(1)
  })
})

describe('time column', () => {
  it('picks the time-like datetime column and accepts another choice', () => {
    const csv =
      'created,Date Time,v\n2020-01-05,2021-03-01 10:00,1\n2020-01-01,2021-03-01 11:00,2\n'
    const auto = parse(csv)
    expect(auto.dataset.timeColumn).toBe('Date Time') // a time-like name wins over the first
    expect(auto.report.timeAxis?.cadence?.label).toBe('1 h')
    const chosen = parse(csv, { timeColumn: 'created' })
    expect(chosen.dataset.timeColumn).toBe('created')
    expect(chosen.report.timeAxis?.sorted).toBe(false)
    expect(chosen.report.issues.find((i) => i.code === 'unsorted-time')?.row).toBe(3)
  })

  it("prefers times that never repeat: NOAA's decimal date over its year, -99.99 a sentinel", () => {
    const csv =
      'year,month,decimal date,average\n1958,3,1958.2083,315.70\n1958,4,1958.2917,317.45\n' +
      '1958,5,1958.3750,317.51\n1958,6,1958.4583,-99.99\n1958,7,1958.5417,315.86\n'
    const r = parse(csv)
    expect(col(r, 'year').kind).toBe('datetime')
    expect(r.dataset.timeColumn).toBe('decimal date')
    expect(r.report.issues.map((i) => i.code)).not.toContain('duplicate-time')
    const average = r.report.columns.find((c) => c.name === 'average')
    expect(average?.sentinels).toEqual([{ value: -99.99, count: 1 }])
    expect(r.report.issues.find((i) => i.code === 'sentinel')?.row).toBe(5) // line 5 of the file
  })

  it('reads unix seconds and decimal years in time-named columns', () => {
    const unix = parse('timestamp,v\n1600000000,1\n1600000060,2\n1600000120,3\n')
    expect(col(unix, 'timestamp').kind).toBe('datetime')
    expect(nums(unix, 'timestamp')[1]).toBe(1600000060 * 1000)
    expect(unix.report.timeAxis?.cadence?.label).toBe('1 min')
    // R's ts export of a monthly series
    const r = parse('"time","value"\n1749,58\n1749.083,62.6\n1749.167,70\n')
    expect(col(r, 'time').kind).toBe('datetime')
    expect(nums(r, 'time')).toEqual([utc(1749, 0, 1), utc(1749, 1, 1), utc(1749, 2, 1)])
    expect(r.report.timeAxis?.cadence?.label).toBe('1 month')
  })

  it("reads NOAA's mid-month decimal dates as months: a 1 month cadence, no ms, no irregular steps", () => {
    // NOAA writes the middle of the month from its days (1958.2027 for March 15, 1958) or as
    // (month − 0.5) / 12 (1958.2083); both are March 1958, then April, May, June.
    for (const dates of [
      ['1958.2027', '1958.2877', '1958.3699', '1958.4548'],
      ['1958.2083', '1958.2917', '1958.3750', '1958.4583'],
    ]) {
      const r = parse(
        `decimal date,average\n${dates.map((d, i) => `${d},${315 + i}`).join('\n')}\n`,
      )
      expect(nums(r, 'decimal date')).toEqual([
        utc(1958, 2, 1),
        utc(1958, 3, 1),
        utc(1958, 4, 1),
        utc(1958, 5, 1),
      ])
      expect(r.report.timeAxis?.cadence?.label).toBe('1 month')
      expect(r.report.timeAxis?.irregularSteps).toBe(0)
    }
    // Quarter-of-a-month offsets are neither month starts nor middles: read as exact times.
    const odd = parse('decimal date,v\n1958.0208,1\n1958.1042,2\n1958.1875,3\n')
    expect(nums(odd, 'decimal date')[0]).not.toBe(utc(1958, 0, 1))
  })

  it('throws a column error naming the columns when the chosen one does not exist', () => {
    expect(() => parse('a,b\n1,2\n', { timeColumn: 'when' })).toThrow(/no column "when".*"a", "b"/)
  })

  it('reports no time column when none holds datetimes', () => {
    const r = parse('a,b\n1,2\n')
    expect(r.dataset.timeColumn).toBeNull()
    expect(r.report.timeAxis).toBeNull()
    expect(codes(r)).toContain('no-time-column')
  })
})

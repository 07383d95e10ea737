import { describe, expect, it } from 'vitest'
import { SeqcastError } from '../../../src/shared/errors'
import { CsvStreamParser, requireNumericTarget, targetIssue } from '../../../src/shared/csv'
import { caught, codes, enc, nums, parse, parseInChunks, texts } from './helpers'

/** The SeqcastError thrown by parsing `input`, checked for the common shape. */
function csvFailure(input: string | Uint8Array, options = {}): SeqcastError {
  const error = caught(() => parse(input, options))
  expect(error).toBeInstanceOf(SeqcastError)
  const e = error as SeqcastError
  expect(e.kind).toBe('csv')
  expect(e.details.file).toBe('test.csv')
  expect(typeof e.details.fix).toBe('string')
  expect(e.message).toContain('test.csv')
  return e
}

describe('fatal inputs throw SeqcastError kind csv with file, code and fix', () => {
  it('a small PDF renamed .csv (no NUL byte, little binary) is refused as a PDF', () => {
    // A minimal PDF: plain text except the second comment line, which PDFs mark as binary.
    const pdf =
      '%PDF-1.4\n%\u00e2\u00e3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n' +
      'trailer\n<< /Root 1 0 R >>\n%%EOF\n'
    const e = csvFailure(enc.encode(pdf))
    expect(e.details.code).toBe('binary')
    expect(e.message).toBe(
      'test.csv is a PDF document, not CSV text. Export the table from the program that made the PDF as CSV, or copy it into a spreadsheet and save that as CSV.',
    )
  })

  it('an Excel workbook renamed .csv is refused as one', () => {
    const e = csvFailure(Uint8Array.of(0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x41, 0x0a))
    expect(e.message).toMatch(/^test\.csv is a zip archive \(or an Excel \.xlsx workbook\)/)
  })

  it('empty file', () => {
    const e = csvFailure('')
    expect(e.details.code).toBe('empty-file')
    expect(e.message).toMatch(/is empty \(0 bytes\)/)
  })

  it('a BOM only, or blank lines only, is empty too', () => {
    expect(csvFailure('\uFEFF').details.code).toBe('empty-file')
    const e = csvFailure('\n\r\n   \n')
    expect(e.details.code).toBe('empty-file')
    expect(e.message).toContain('only blank lines')
  })

  it('header only (with or without a final newline)', () => {
    for (const input of ['a,b,c\n', 'a,b,c', 'a,b,c\n\n\n']) {
      const e = csvFailure(input)
      expect(e.details.code).toBe('header-only')
      expect(e.details.row).toBe(1)
      expect(e.message).toContain('"a", "b", "c"')
    }
  })

  it('binary data: NUL bytes, UTF-16 and control bytes', () => {
    const png = new Uint8Array([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82,
    ])
    expect(csvFailure(png).details.code).toBe('binary')
    const utf16 = new Uint8Array([0xff, 0xfe, 97, 0, 44, 0, 98, 0, 10, 0])
    const e16 = csvFailure(utf16)
    expect(e16.details.code).toBe('binary')
    expect(e16.message).toContain('UTF-16')
    const control = new Uint8Array(200).map((_, i) => (i % 3 === 0 ? 1 + (i % 7) : 65))
    expect(csvFailure(control).details.code).toBe('binary')
  })

  it('binary data after the first chunk names the byte and line', () => {
    const text = 'a,b\n' + '1,2\n'.repeat(100_000)
    const bytes = new Uint8Array(text.length + 10).fill(0x35) // '5'
    bytes.set(enc.encode(text))
    bytes[text.length + 3] = 0
    const parser = new CsvStreamParser({ fileName: 'test.csv' })
    const error = caught(() => {
      for (let i = 0; i < bytes.length; i += 65536) parser.push(bytes.subarray(i, i + 65536))
      parser.finish()
    }) as SeqcastError
    expect(error.kind).toBe('csv')
    expect(error.details.code).toBe('binary')
    expect(error.details.byte).toBe(text.length + 3)
  })

  it('a row that never ends (unclosed quote in a huge input) stops at maxRowBytes', () => {
    const parser = new CsvStreamParser({ fileName: 'test.csv', maxRowBytes: 100_000 })
    parser.push(enc.encode('a,b\n1,2\n3,"never closed'))
    const filler = enc.encode('x'.repeat(10_000))
    const error = caught(() => {
      for (let i = 0; i < 40; i++) parser.push(filler)
    }) as SeqcastError
    expect(error.details.code).toBe('row-too-long')
    expect(error.details.row).toBe(3)
  })

  it('every row ragged: no-rows names the header line', () => {
    const e = csvFailure('a,b,c\n1,2\n3,4\n')
    expect(e.details.code).toBe('no-rows')
  })
})

describe('problems that become issues', () => {
  it('ragged rows are skipped, each listed with its line, then a capped summary', () => {
    const lines = ['a,b,c']
    for (let i = 0; i < 30; i++) lines.push(i % 2 === 0 ? `${i},1,2` : `${i},1`)
    lines.push('99,1,2,3')
    const r = parse(lines.join('\n') + '\n')
    expect(r.dataset.rowCount).toBe(15)
    expect(r.report.file.skippedRows).toBe(16)
    const ragged = r.report.issues.filter((i) => i.code === 'ragged-row')
    expect(ragged).toHaveLength(11)
    expect(ragged[0].row).toBe(3)
    expect(ragged[0].message).toBe(
      'test.csv, line 3: expected 3 fields like the header, received 2. Fix the row or remove it; Seqcast skipped it.',
    )
    expect(ragged[10].count).toBe(16)
    expect(nums(r, 'a')).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28])
  })

  it('keeps rows whose extra fields are empty (a trailing delimiter)', () => {
    const r = parse('a,b\n1,2,\n3,4,\n')
    expect(nums(r, 'b')).toEqual([2, 4])
    expect(codes(r)).not.toContain('ragged-row')
  })

  it('non-UTF-8 text is read as Windows-1252 with a warning', () => {
    // "café" and "€" in Windows-1252
    const bytes = new Uint8Array([
      ...enc.encode('name,v\ncaf'),
      0xe9,
      ...enc.encode(',1\nprice '),
      0x80,
      ...enc.encode(',2\n'),
    ])
    const r = parse(bytes)
    expect(r.report.file.encoding).toBe('windows-1252')
    expect(texts(r, 'name')).toEqual(['café', 'price €'])
    const issue = r.report.issues.find((i) => i.code === 'non-utf8')
    expect(issue?.severity).toBe('warning')
    expect(issue?.message).toContain('Windows-1252')
  })

  it('invalid UTF-8 after a valid start warns with the line', () => {
    const head = 'name,v\n' + 'abc,1\n'.repeat(60_000)
    const bytes = new Uint8Array([
      ...enc.encode(head),
      ...enc.encode('caf'),
      0xe9,
      ...enc.encode('-long-name-here-xyz,2\n'),
    ])
    const r = parseInChunks(bytes, 65536)
    expect(r.report.file.encoding).toBe('utf-8')
    const issue = r.report.issues.find((i) => i.code === 'non-utf8')
    expect(issue?.row).toBe(60_002)
  })

  it('multi-byte UTF-8 text survives', () => {
    const r = parse('城市,温度\n東京,1\nZürich,2\n')
    expect(r.dataset.columns.map((c) => c.name)).toEqual(['城市', '温度'])
    expect(texts(r, '城市')).toEqual(['東京', 'Zürich'])
  })

  it('an unclosed quote at the end is an error-severity issue naming the line', () => {
    const r = parse('a,b\n1,x\n2,"open\n3,y\n')
    const issue = r.report.issues.find((i) => i.code === 'unclosed-quote')
    expect(issue?.severity).toBe('error')
    expect(issue?.row).toBe(3)
    expect(texts(r, 'b')).toEqual(['x', 'open\n3,y\n'])
  })

  it('duplicate timestamps and unsorted time are reported with lines', () => {
    const r = parse('t,v\n2020-01-01,1\n2020-01-02,2\n2020-01-02,3\n2020-01-01,4\n')
    const dup = r.report.issues.find((i) => i.code === 'duplicate-time')
    expect(dup?.count).toBe(2)
    const unsorted = r.report.issues.find((i) => i.code === 'unsorted-time')
    expect(unsorted?.row).toBe(5)
  })
})

describe('a target with text in it', () => {
  const rows = Array.from(
    { length: 10 },
    (_, i) => `2020-01-${String(i + 1).padStart(2, '0')},${i === 6 ? 'broken' : i},c${i}`,
  )
  const r = parse('date,sales,label\n' + rows.join('\n') + '\n')

  it('is reportable by name, with line and value', () => {
    const issue = targetIssue(r.report, 'sales')
    expect(issue?.code).toBe('text-in-target')
    expect(issue?.column).toBe('sales')
    expect(issue?.row).toBe(8)
    expect(issue?.message).toContain('column "sales"')
    expect(issue?.message).toContain('"broken"')
    expect(targetIssue(r.report, 'date')?.code).toBe('target-not-numeric')
  })

  it('a text target is an error; a missing one names the columns', () => {
    expect(targetIssue(r.report, 'label')?.severity).toBe('error')
    const e = caught(() => requireNumericTarget(r.report, 'label')) as SeqcastError
    expect(e.kind).toBe('column')
    expect(e.details.column).toBe('label')
    expect(e.message).toContain('"label"')
    expect(targetIssue(r.report, 'nope')?.message).toContain('"date", "sales", "label"')
    expect(targetIssue(parse('x\n1\n2\n').report, 'x')).toBeNull()
  })
})

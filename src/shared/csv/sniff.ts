/**
 * Sniffing on the first bytes of a file: binary data, encoding, delimiter, decimal comma,
 * header row and the kind of each column. Works on a sample (the parser hands over its first
 * ~256 KB or the whole input when smaller); everything here may allocate strings.
 */
import type { ColumnKind } from '../series/dataset'
import { COMMA, CR, LF, QUOTE, SEMICOLON, TAB, isMissingToken, parseNumberText } from './bytes'
import { detectDateFormat, parseDateText, type DetectedDate } from './datetime'
import { csvError, type ImportIssue } from './report'

export type Delimiter = ',' | ';' | '\t'

/** The part of TextDecoder used here (typed structurally: the Node and DOM typings differ). */
export interface Decoder {
  decode(input?: Uint8Array, options?: { stream?: boolean }): string
}
export type LineEnd = 'lf' | 'crlf' | 'cr' | 'eof'

export interface RawRecord {
  fields: string[]
  /** Offset after the record's line end. */
  next: number
  /** Line breaks inside quoted fields. */
  newlines: number
  eol: LineEnd
  /** A quoted field ran to the end of the input without its closing quote. */
  unclosed: boolean
}

/**
 * Reads one record at `p` with quote handling (RFC 4180 plus lenient extras: text after a
 * closing quote is kept). Returns null when the record is not complete in `buf[p…end)` and more
 * input may follow (`final` false).
 */
export function readRecord(
  buf: Uint8Array,
  p: number,
  end: number,
  delim: number,
  final: boolean,
  decoder: Decoder,
): RawRecord | null {
  const fields: string[] = []
  let newlines = 0
  let unclosed = false
  const decode = (s: number, e: number): string => (e > s ? decoder.decode(buf.subarray(s, e)) : '')
  for (;;) {
    if (p >= end) {
      if (!final) return null
      fields.push('')
      return { fields, next: end, newlines, eol: 'eof', unclosed }
    }
    let q: number
    let value: string
    if (buf[p] === QUOTE) {
      let s = p + 1
      q = s
      let parts = ''
      let closed = false
      while (q < end) {
        const b = buf[q]
        if (b === QUOTE) {
          if (q + 1 < end && buf[q + 1] === QUOTE) {
            parts += decode(s, q + 1)
            q += 2
            s = q
            continue
          }
          if (q + 1 >= end && !final) return null
          closed = true
          break
        }
        if (b === LF || (b === CR && (q + 1 >= end || buf[q + 1] !== LF))) newlines++
        q++
      }
      if (!closed) {
        if (!final) return null
        unclosed = true
        value = parts + decode(s, end)
        q = end
      } else {
        value = parts + decode(s, q)
        q++
        let r = q
        while (r < end && buf[r] !== delim && buf[r] !== LF && buf[r] !== CR) r++
        if (r > q) value += decode(q, r)
        q = r
      }
    } else {
      q = p
      let b: number
      while (q < end && (b = buf[q]) !== delim && b !== LF && b !== CR) q++
      value = decode(p, q)
    }
    fields.push(value)
    if (q >= end) {
      if (!final) return null
      return { fields, next: end, newlines, eol: 'eof', unclosed }
    }
    const t = buf[q]
    if (t === delim) {
      p = q + 1
      continue
    }
    if (t === CR) {
      if (q + 1 < end) {
        if (buf[q + 1] === LF) return { fields, next: q + 2, newlines, eol: 'crlf', unclosed }
        return { fields, next: q + 1, newlines, eol: 'cr', unclosed }
      }
      if (!final) return null
      return { fields, next: q + 1, newlines, eol: 'cr', unclosed }
    }
    return { fields, next: q + 1, newlines, eol: 'lf', unclosed }
  }
}

const isBlank = (r: RawRecord): boolean => r.fields.length === 1 && r.fields[0].trim() === ''

/**
 * Files that are not text whatever their name, by their first bytes: a small PDF can hold no NUL
 * byte and few control bytes in its first kilobytes, and would import as a column "%PDF-1.4".
 */
const SIGNATURES: { bytes: number[]; what: string; fix: string }[] = [
  {
    bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], // %PDF-
    what: 'a PDF document',
    fix: 'Export the table from the program that made the PDF as CSV, or copy it into a spreadsheet and save that as CSV.',
  },
  {
    bytes: [0x50, 0x4b, 0x03, 0x04], // PK.. (zip, xlsx, docx)
    what: 'a zip archive (or an Excel .xlsx workbook)',
    fix: 'Unpack the archive, or in Excel save the sheet as "CSV UTF-8", and open the .csv file.',
  },
  {
    bytes: [0xd0, 0xcf, 0x11, 0xe0], // OLE2 (xls, doc)
    what: 'an Excel .xls workbook (or another Office file)',
    fix: 'In Excel, save the sheet as "CSV UTF-8" and open the .csv file.',
  },
  {
    bytes: [0x89, 0x50, 0x4e, 0x47], // .PNG
    what: 'a PNG image',
    fix: 'Choose the CSV file with the data.',
  },
  { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image', fix: 'Choose the CSV file with the data.' },
  {
    bytes: [0x1f, 0x8b],
    what: 'a gzip-compressed file',
    fix: 'Unpack it first (gunzip) and open the .csv file.',
  },
]

/**
 * Throws a 'binary' csv error for known binary formats (PDF, zip/xlsx, xls, images, gzip), NUL
 * bytes, UTF-16 text or mostly control bytes.
 */
export function checkBinary(buf: Uint8Array, start: number, end: number, file: string): void {
  for (const sig of SIGNATURES) {
    if (end - start < sig.bytes.length) continue
    if (sig.bytes.every((b, i) => buf[start + i] === b)) {
      throw csvError('binary', file, `${file} is ${sig.what}, not CSV text.`, sig.fix, {
        format: sig.what,
      })
    }
  }
  if (end - start >= 2) {
    const a = buf[start]
    const b = buf[start + 1]
    if ((a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff)) {
      throw csvError(
        'binary',
        file,
        `${file} is UTF-16 text, not UTF-8 or Windows-1252.`,
        'Save it as "CSV UTF-8" (in Excel: Save As → CSV UTF-8) and import it again.',
      )
    }
  }
  let control = 0
  const n = end - start
  for (let i = start; i < end; i++) {
    const c = buf[i]
    if (c === 0) {
      throw csvError(
        'binary',
        file,
        `${file} holds binary data (a NUL byte at byte ${i}), not CSV text.`,
        'Choose a .csv or .txt file with one row per line; for Excel workbooks, save the sheet as CSV first.',
        { byte: i },
      )
    }
    if ((c < 32 && c !== TAB && c !== LF && c !== CR && c !== 12) || c === 127) control++
  }
  if (n >= 16 && control > n * 0.1) {
    throw csvError(
      'binary',
      file,
      `${file} holds binary data (${Math.round((100 * control) / n)} % control bytes in the first ${n} bytes), not CSV text.`,
      'Choose a .csv or .txt file with one row per line; compressed files must be unpacked first.',
    )
  }
}

/** UTF-8 when the sample is valid UTF-8 (an incomplete last character is allowed). */
export function detectEncoding(
  buf: Uint8Array,
  start: number,
  end: number,
): 'utf-8' | 'windows-1252' {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(start, end), { stream: true })
    return 'utf-8'
  } catch {
    return 'windows-1252'
  }
}

/** Windows-1252 code points of bytes 0x80…0x9F (the rest equal their byte, as in Latin-1). */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152,
  0x8d, 0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122,
  0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
]

/**
 * Windows-1252 by table: some Node versions decode the 'windows-1252' label as Latin-1
 * (0x80 → U+0080 instead of €), so it is not left to TextDecoder.
 */
const windows1252: Decoder = {
  decode(input?: Uint8Array): string {
    if (!input) return ''
    let out = ''
    for (let i = 0; i < input.length; i += 4096) {
      const end = Math.min(input.length, i + 4096)
      const codes: number[] = []
      for (let k = i; k < end; k++) {
        const b = input[k]
        codes.push(b >= 0x80 && b < 0xa0 ? CP1252_HIGH[b - 0x80] : b)
      }
      out += String.fromCharCode(...codes)
    }
    return out
  },
}

export function makeDecoder(encoding: 'utf-8' | 'windows-1252'): Decoder {
  return encoding === 'utf-8' ? new TextDecoder('utf-8', { ignoreBOM: true }) : windows1252
}

function fieldCounts(
  buf: Uint8Array,
  start: number,
  end: number,
  final: boolean,
  delim: number,
  decoder: Decoder,
  max: number,
): number[] {
  const counts: number[] = []
  let p = start
  while (p < end && counts.length < max) {
    const r = readRecord(buf, p, end, delim, final, decoder)
    if (!r) break
    p = r.next
    if (!isBlank(r)) counts.push(r.fields.length)
  }
  return counts
}

/** The delimiter whose field count is most consistent with the first line (ties: more fields). */
export function sniffDelimiter(
  buf: Uint8Array,
  start: number,
  end: number,
  final: boolean,
  decoder: Decoder,
): Delimiter {
  let best: Delimiter = ','
  let bestScore = 0
  for (const [d, code] of [
    [',', COMMA],
    [';', SEMICOLON],
    ['\t', TAB],
  ] as [Delimiter, number][]) {
    const counts = fieldCounts(buf, start, end, final, code, decoder, 30)
    if (counts.length === 0 || counts[0] < 2) continue
    const same = counts.filter((c) => c === counts[0]).length / counts.length
    const score = same * 1000 + Math.min(counts[0], 999)
    if (score > bestScore) {
      best = d
      bestScore = score
    }
  }
  return best
}

const COMMA_DECIMAL = /^[+-]?\d+,\d+$/
const POINT_DECIMAL = /^[+-]?\d*\.\d+$/

export interface SniffOptions {
  fileName: string
  delimiter?: Delimiter
  decimal?: '.' | ','
  header?: boolean
}

export interface SniffResult {
  encoding: 'utf-8' | 'windows-1252'
  delimiter: Delimiter
  decimal: '.' | ','
  hasHeader: boolean
  names: string[]
  /** Offset where data rows begin (after the header record). */
  dataStart: number
  /** Lines taken by the header record (0 without a header). */
  headerLines: number
  headerEol: LineEnd | null
  kinds: ColumnKind[]
  dates: (DetectedDate | null)[]
  issues: ImportIssue[]
  /** Data records in the sample and their bytes, for row-count estimates. */
  sampleRows: number
  sampleBytes: number
}

const SAMPLE_ROWS = 1000

/**
 * Sniffs `buf[start…end)` (after any BOM and leading blank lines). Returns null when more input
 * is needed (not `final` and no complete data row yet). Throws 'header-only' when `final` and
 * there is no data row.
 */
export function sniff(
  buf: Uint8Array,
  start: number,
  end: number,
  final: boolean,
  options: SniffOptions,
  firstLine: number,
): SniffResult | null {
  const file = options.fileName
  const issues: ImportIssue[] = []
  const encoding = detectEncoding(buf, start, end)
  const decoder = makeDecoder(encoding)
  if (encoding === 'windows-1252') {
    const fix = 'Save the file as UTF-8 to be sure accented letters and symbols come through.'
    issues.push({
      code: 'non-utf8',
      severity: 'warning',
      message: `${file} is not valid UTF-8 text; Seqcast read it as Windows-1252 (Western European). ${fix}`,
      file,
      fix,
    })
  }
  const delimiter = options.delimiter ?? sniffDelimiter(buf, start, end, final, decoder)
  const delimCode = delimiter.charCodeAt(0)
  const records: RawRecord[] = []
  const offsets: number[] = []
  let p = start
  while (p < end && records.length <= SAMPLE_ROWS) {
    const r = readRecord(buf, p, end, delimCode, final, decoder)
    if (!r) break
    if (!isBlank(r) || records.length === 0) {
      records.push(r)
      offsets.push(p)
    }
    p = r.next
  }
  if (records.length === 0 || (!final && records.length < 2)) return null
  const width = records[0].fields.length
  const data = records.slice(1).filter((r) => r.fields.length === width)

  let decimal = options.decimal
  if (!decimal) {
    decimal = '.'
    if (delimiter !== ',') {
      let comma = 0
      let point = 0
      for (const r of data) {
        for (const f of r.fields) {
          const v = f.trim()
          if (COMMA_DECIMAL.test(v)) comma++
          else if (POINT_DECIMAL.test(v)) point++
        }
      }
      if (comma > 0 && comma >= point) decimal = ','
    }
  }

  const kinds: ColumnKind[] = []
  const dates: (DetectedDate | null)[] = []
  const typeColumns = (rows: RawRecord[]): void => {
    kinds.length = 0
    dates.length = 0
    for (let c = 0; c < width; c++) {
      const cells = rows.map((r) => r.fields[c]).filter((v) => !isMissingToken(v))
      let numbers = 0
      for (const v of cells) if (!Number.isNaN(parseNumberText(v, decimal))) numbers++
      if (cells.length === 0 || numbers * 2 >= cells.length) {
        kinds.push('numeric')
        dates.push(null)
        continue
      }
      const detected = detectDateFormat(cells)
      kinds.push(detected ? 'datetime' : 'text')
      dates.push(detected)
    }
  }
  typeColumns(data)

  let hasHeader = options.header
  if (hasHeader === undefined) {
    hasHeader = true
    if (data.length > 0 && kinds.some((k) => k !== 'text')) {
      const first = records[0].fields
      hasHeader = !kinds.every((k, c) => {
        const v = first[c]
        if (k === 'text') return true
        if (isMissingToken(v)) return false
        if (k === 'numeric') return !Number.isNaN(parseNumberText(v, decimal))
        const spec = dates[c]
        return spec !== null && !Number.isNaN(parseDateText(v, spec.spec))
      })
    }
  }
  if (!hasHeader) typeColumns([records[0], ...data])

  const names: string[] = []
  if (hasHeader) {
    const used = new Set<string>()
    const raw = records[0].fields.map((f) => f.trim())
    const empty: number[] = []
    raw.forEach((n, i) => {
      if (n === '') empty.push(i)
    })
    const duplicates: string[] = []
    for (let i = 0; i < raw.length; i++) {
      let name = raw[i] === '' ? `column ${i + 1}` : raw[i]
      if (used.has(name)) {
        const base = name
        let k = 2
        while (used.has(`${base} (${k})`) || raw.includes(`${base} (${k})`)) k++
        name = `${base} (${k})`
        duplicates.push(`"${base}" → "${name}"`)
      }
      used.add(name)
      names.push(name)
    }
    if (empty.length > 0) {
      const list = empty.map((i) => `"${names[i]}"`).join(', ')
      const fix = 'Give the column a name in the header row if you want a different one.'
      issues.push({
        code: 'empty-header-name',
        severity: 'info',
        message: `${file}, line ${firstLine}: ${empty.length === 1 ? 'a column has' : `${empty.length} columns have`} no name in the header; Seqcast named ${empty.length === 1 ? 'it' : 'them'} ${list}. ${fix}`,
        file,
        row: firstLine,
        column: names[empty[0]],
        fix,
        count: empty.length,
      })
    }
    if (duplicates.length > 0) {
      const fix = 'Rename the columns in the header row so each name is unique.'
      issues.push({
        code: 'duplicate-column',
        severity: 'warning',
        message: `${file}, line ${firstLine}: column names must be unique, but the header repeats ${duplicates.length === 1 ? 'a name' : 'names'}; Seqcast renamed ${duplicates.join(', ')}. ${fix}`,
        file,
        row: firstLine,
        column: raw[raw.length - 1],
        fix,
        count: duplicates.length,
      })
    }
  } else {
    for (let i = 0; i < width; i++) names.push(`column ${i + 1}`)
    const fix = 'Add a header row with column names if the first line holds names.'
    issues.push({
      code: 'no-header',
      severity: 'info',
      message: `${file}, line ${firstLine}: the first line holds data, not column names; Seqcast named the columns "column 1" … "column ${width}". ${fix}`,
      file,
      row: firstLine,
      fix,
    })
  }
  for (let c = 0; c < width; c++) {
    const d = dates[c]
    if (d?.ambiguous) {
      const fix = 'If the dates are day-first (dd/mm/yyyy), choose that format for this column.'
      issues.push({
        code: 'ambiguous-date',
        severity: 'info',
        message: `${file}, column "${names[c]}": every date fits both month-first and day-first order; Seqcast read them as ${d.label}. ${fix}`,
        file,
        column: names[c],
        fix,
      })
    }
  }

  if (final && (hasHeader ? records.length < 2 : records.length < 1)) {
    throw csvError(
      'header-only',
      file,
      `${file} has a header row (${names.length} column${names.length === 1 ? '' : 's'}: ${names
        .slice(0, 5)
        .map((n) => `"${n}"`)
        .join(', ')}${names.length > 5 ? ', …' : ''}) but no data rows.`,
      'Export the file again with its data, or choose another file.',
      { row: firstLine },
    )
  }

  const dataStart = hasHeader ? records[0].next : start
  const sampleRecords = hasHeader ? records.length - 1 : records.length
  const sampleBytes =
    sampleRecords > 0 ? records[records.length - 1].next - (hasHeader ? records[0].next : start) : 0
  return {
    encoding,
    delimiter,
    decimal,
    hasHeader,
    names,
    dataStart,
    headerLines: hasHeader ? 1 + records[0].newlines : 0,
    headerEol: hasHeader ? records[0].eol : null,
    kinds,
    dates,
    issues,
    sampleRows: sampleRecords,
    sampleBytes,
  }
}

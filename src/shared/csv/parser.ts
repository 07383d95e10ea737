/**
 * The streaming CSV parser: bytes in (chunks of any size, split anywhere), typed columns out.
 *
 * - The first ~256 KB are sniffed (see sniff.ts) for encoding, delimiter, decimal comma, header
 *   and column kinds; then every row, including the sample, goes through one byte-level loop.
 * - Numbers and datetimes are parsed straight from the bytes into Float64Array blocks; text is
 *   dictionary-encoded. No string is made for a numeric or datetime cell on the fast path.
 * - A row is written in place at its slot and counted only when its line end is seen, so a chunk
 *   boundary anywhere (inside a quoted field, a CRLF, a UTF-8 character or a number) just makes
 *   the parser keep the unfinished row and read it again with the next chunk.
 * - Memory: the parsed columns, the unfinished row, and a ~256 KB sample at the start. With
 *   `totalBytes` known, each column is one allocation sized from the sample's bytes per row.
 *
 * Policies (also in the report's messages):
 * - Ragged rows (a field count other than the header's) are skipped with a warning; the first 10
 *   are listed with their lines, then one summary issue with the total. Extra fields that are all
 *   empty (a trailing delimiter) are ignored and the row is kept.
 * - Text in a numeric column: the cell is read as missing and reported (first line, value, count).
 *   When text cells outnumber numbers, the column becomes a text column instead (numbers are then
 *   kept as their shortest decimal form) and may still be read as datetimes.
 * - Blank lines are skipped. A quote left open at the end of the input takes the rest of the file
 *   as its field, with an error-severity issue naming the line where it opened.
 */
import { SeqcastError } from '../errors'
import { summarizeNumeric } from '../series/column-stats'
import type { Column, Dataset, TextColumn } from '../series/dataset'
import {
  analyzeTimes,
  datetimeFromText,
  setTimeColumn,
  type TimeAxisReport,
} from '../series/time-axis'
import { formatTime } from '../series/calendar'
import {
  CR,
  LF,
  POW10,
  QUOTE,
  SPACE,
  TAB,
  formatNumber,
  groupDigits,
  isMissingToken,
  numberOut,
  parseNumberAt,
  parseNumberText,
} from './bytes'
import {
  dateOut,
  detectNumericTime,
  isTimeLikeName,
  numericToTime,
  parseDateAt,
  type DateOrder,
} from './datetime'
import {
  csvError,
  displayPrecision,
  lineOfRow,
  where,
  type ColumnReport,
  type ImportIssue,
  type ImportReport,
  type ImportResult,
  type RowLineMap,
} from './report'
import {
  checkBinary,
  makeDecoder,
  sniff,
  type Decoder,
  type Delimiter,
  type SniffResult,
} from './sniff'

export interface ParseOptions {
  /** File name (not the full path) used in every message. */
  fileName: string
  delimiter?: Delimiter
  decimal?: '.' | ','
  /** Whether the first line holds column names; detected when absent. */
  header?: boolean
  /** Column to use as the time axis; chosen automatically when absent. */
  timeColumn?: string
  /**
   * Values to report as sentinels ("no reading" codes). Default: -9999, -999, 9999 and similar,
   * flagged only when outside the range of the column's other values.
   */
  sentinels?: number[]
  /** Size of the whole input when known: lets each column be allocated once. */
  totalBytes?: number
  /** Longest row accepted before the input is judged not to be CSV. Default 64 MB. */
  maxRowBytes?: number
  /**
   * Bytes sampled for sniffing before rows are parsed (default 256 KB; doubled while the sample
   * holds no complete data row). Tests use small values to move chunk boundaries past the sample.
   */
  sniffBytes?: number
}

const K_NUM = 0
const K_DATE = 1
const K_TEXT = 2
const SNIFF_BYTES = 256 * 1024
const MIN_BLOCK = 256
const BLOCK_BYTES = 4 * 1024 * 1024
const LISTED = 10
const DEFAULT_MAX_ROW = 64 * 1024 * 1024
/** Distinct texts per column (a JavaScript Map holds at most 2^24 entries). */
const MAX_CATEGORIES = 16_000_000

const EMPTY_F64 = new Float64Array(0)
const EMPTY_I32 = new Int32Array(0)

export class CsvStreamParser {
  private readonly options: ParseOptions
  private readonly file: string
  private readonly maxRowBytes: number

  private buf = new Uint8Array(64 * 1024)
  private pos = 0
  private len = 0
  private seen = 0
  private sniffed = false
  private sniffTarget: number
  private finished = false
  private bom = false
  private pendingCR = false

  // sniff results
  private sn: SniffResult | null = null
  private ncols = 0
  private delimCode = 44
  private decCode = 46
  private decimal: '.' | ',' = '.'
  private decoder: Decoder = makeDecoder('utf-8')
  private names: string[] = []
  private kinds = new Uint8Array(0)
  private dateOrder: DateOrder[] = []
  private dateSep: number[] = []
  private dateLabel: string[] = []

  // storage
  private numBlocks: Float64Array[][] = []
  private codeBlocks: Int32Array[][] = []
  private numCur: Float64Array[] = []
  private codeCur: Int32Array[] = []
  private blockSizes: number[] = []
  private blockLen = 0
  private bi = 0
  private n = 0
  private maxBlockRows = 65536
  private dicts: Map<string, number>[] = []
  private cats: string[][] = []
  // cells that did not fit their numeric / datetime column: row, dictionary code
  private oddRows: number[][] = []
  private oddCodes: number[][] = []
  private oddFirstLine: number[] = []
  private pendCol: number[] = []
  private pendText: string[] = []
  /** 1 when the pending cell is ±Infinity (read as missing), 0 when it is text. */
  private pendInfinite: number[] = []
  private pendN = 0
  // ±Infinity cells of numeric columns, read as missing: count, first line and text
  private infCount: number[] = []
  private infFirstLine: number[] = []
  private infFirstText: string[] = []

  // lines
  private line = 1
  private rowNewlines = 0
  private lineDelta = 0
  private firstLine = 2
  private breakRows: number[] = []
  private breakDeltas: number[] = []
  private eolLf = 0
  private eolCrlf = 0
  private eolCr = 0

  // issues
  private issues: ImportIssue[] = []
  private ragged = 0
  private raggedFirst = 0
  private unclosedLine = 0
  private badUtf8Line = 0
  private scratch = new Uint8Array(256)

  constructor(options: ParseOptions) {
    this.options = options
    this.file = options.fileName
    this.maxRowBytes = options.maxRowBytes ?? DEFAULT_MAX_ROW
    this.sniffTarget = Math.max(1, options.sniffBytes ?? SNIFF_BYTES)
  }

  /** Bytes pushed so far. */
  get bytesSeen(): number {
    return this.seen
  }

  /** Data rows read into columns so far. */
  get rowsSeen(): number {
    return this.n
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return
    this.reserve(chunk.length).set(chunk)
    this.commit(chunk.length)
  }

  /**
   * Zero-copy input: returns a view of at least `bytes` free bytes at the end of the parser's
   * buffer; write the next input there (e.g. `fileHandle.read(view)`), then call `commit` with
   * the count written. No other call may come in between.
   */
  reserve(bytes: number): Uint8Array {
    if (this.finished) throw new SeqcastError('internal', 'CsvStreamParser used after finish()')
    const keep = this.len - this.pos
    const need = keep + bytes + 1
    if (need > this.buf.length) {
      const next = new Uint8Array(Math.max(need, this.buf.length * 2))
      next.set(this.buf.subarray(this.pos, this.len), 0)
      this.buf = next
    } else if (this.pos > 0 && keep > 0) {
      this.buf.copyWithin(0, this.pos, this.len)
    }
    this.pos = 0
    this.len = keep
    return this.buf.subarray(keep, keep + bytes)
  }

  /** Parses the `bytes` written into the view from `reserve`. */
  commit(bytes: number): void {
    if (this.finished) throw new SeqcastError('internal', 'CsvStreamParser used after finish()')
    if (bytes <= 0) return
    if (this.len + bytes >= this.buf.length) {
      throw new SeqcastError('internal', 'CsvStreamParser.commit: more bytes than reserved')
    }
    this.seen += bytes
    this.len += bytes
    if (!this.sniffed) {
      if (this.len - this.pos < this.sniffTarget) return
      this.startup(false)
      if (!this.sniffed) {
        this.checkRowLength()
        return
      }
    }
    this.parseRows(false)
    this.checkRowLength()
  }

  finish(): ImportResult {
    if (this.finished) throw new SeqcastError('internal', 'CsvStreamParser.finish called twice')
    this.finished = true
    if (!this.sniffed) this.startup(true)
    this.parseRows(true)
    return this.build()
  }

  // ---------------------------------------------------------------- input buffer

  private checkRowLength(): void {
    if (this.len - this.pos > this.maxRowBytes) {
      const mb = Math.round(this.maxRowBytes / 1048576)
      throw csvError(
        'row-too-long',
        this.file,
        `${where(this.file, this.line)}: a single row runs for more than ${mb} MB without a line end, so this is not a CSV table or a quote (") is never closed.`,
        'Check the line for an opening quote without its closing quote, or choose a CSV file.',
        { row: this.line },
      )
    }
  }

  /** A NUL byte inside the data (the parser's own end sentinel is the NUL at `len`). */
  private nulAt(at: number): never {
    return this.nulError(this.seen - (this.len - at))
  }

  private nulError(offset: number): never {
    throw csvError(
      'binary',
      this.file,
      `${this.file} holds binary data (a NUL byte at byte ${groupDigits(offset)}, near line ${groupDigits(this.line)}), not CSV text.`,
      'The file may be damaged or not a CSV; export it again as CSV.',
      { row: this.line, byte: offset },
    )
  }

  // ---------------------------------------------------------------- startup

  private startup(final: boolean): void {
    const buf = this.buf
    let p = this.pos
    const end = this.len
    if (this.line === 1 && !this.bom && p === 0) {
      if (end >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
        this.bom = true
        p = 3
      } else if (!final && end < 3 && buf[0] === 0xef) return
    }
    // leading blank lines
    let lineStart = p
    while (p < end) {
      const c = buf[p]
      if (c === LF || c === CR) {
        if (c === CR && p + 1 >= end && !final) break // maybe half of a CRLF
        if (c === CR && p + 1 < end && buf[p + 1] === LF) p++
        this.line++
        lineStart = p + 1
      } else if (c !== SPACE && c !== TAB) break
      p++
    }
    this.pos = lineStart
    if (p >= end) {
      if (!final) return
      throw csvError(
        'empty-file',
        this.file,
        this.seen === 0 || (this.bom && this.seen === 3)
          ? `${this.file} is empty (${this.seen} bytes).`
          : `${this.file} holds only blank lines.`,
        'Choose a CSV file with a header row and data rows.',
      )
    }
    // The sample is the first `sniffTarget` bytes whatever the chunk sizes, so the result does
    // not depend on them; it doubles while a header and a data row do not fit in it.
    let s: SniffResult | null
    for (;;) {
      const sampleEnd = Math.min(end, lineStart + this.sniffTarget)
      if (sampleEnd < lineStart + this.sniffTarget && !final) return
      checkBinary(buf, lineStart, sampleEnd, this.file)
      const sampleFinal = final && sampleEnd === end
      s = sniff(buf, lineStart, sampleEnd, sampleFinal, this.options, this.line)
      if (s || sampleFinal) break
      this.sniffTarget *= 2
    }
    if (!s) return
    this.setup(s)
    if (s.headerEol === 'lf') this.eolLf++
    else if (s.headerEol === 'crlf') this.eolCrlf++
    else if (s.headerEol === 'cr') this.eolCr++
    this.line += s.headerLines
    this.firstLine = this.line
    this.lineDelta = this.line
    this.pos = s.dataStart
    this.sniffed = true
  }

  private setup(s: SniffResult): void {
    this.sn = s
    this.issues.push(...s.issues)
    const ncols = s.names.length
    this.ncols = ncols
    this.names = s.names
    this.delimCode = s.delimiter.charCodeAt(0)
    this.decimal = s.decimal
    this.decCode = s.decimal.charCodeAt(0)
    this.decoder = makeDecoder(s.encoding)
    this.kinds = new Uint8Array(ncols)
    for (let c = 0; c < ncols; c++) {
      const k = s.kinds[c]
      this.kinds[c] = k === 'numeric' ? K_NUM : k === 'datetime' ? K_DATE : K_TEXT
      const d = s.dates[c]
      this.dateOrder.push(d ? d.spec.order : 'ymd')
      this.dateSep.push(d ? d.spec.sep : 45)
      this.dateLabel.push(d ? d.label : '')
      this.numBlocks.push([])
      this.codeBlocks.push([])
      this.numCur.push(EMPTY_F64)
      this.codeCur.push(EMPTY_I32)
      this.dicts.push(new Map())
      this.cats.push([])
      this.oddRows.push([])
      this.oddCodes.push([])
      this.oddFirstLine.push(0)
      this.infCount.push(0)
      this.infFirstLine.push(0)
      this.infFirstText.push('')
    }
    this.maxBlockRows = Math.max(1024, Math.floor(BLOCK_BYTES / (8 * Math.max(1, ncols))))
    // size the first block from the sample when the total size is known
    const total = this.options.totalBytes
    let first = MIN_BLOCK
    if (total && s.sampleRows > 0 && s.sampleBytes > 0) {
      const perRow = s.sampleBytes / s.sampleRows
      const estimate = Math.ceil(((total - s.dataStart) / perRow) * 1.06) + 64
      first = Math.max(MIN_BLOCK, Math.min(estimate, 1 << 26))
    }
    this.newBlock(first)
  }

  private newBlock(size: number): void {
    const ncols = this.ncols
    let rows = size
    for (let attempt = 0; ; attempt++) {
      try {
        for (let c = 0; c < ncols; c++) {
          if (this.kinds[c] === K_TEXT) {
            const b = new Int32Array(rows)
            this.codeBlocks[c].push(b)
            this.codeCur[c] = b
            this.numCur[c] = EMPTY_F64
          } else {
            const b = new Float64Array(rows)
            this.numBlocks[c].push(b)
            this.numCur[c] = b
            this.codeCur[c] = EMPTY_I32
          }
        }
        break
      } catch (error) {
        // an over-large estimate: fall back to small blocks
        for (let c = 0; c < ncols; c++) {
          const list = this.kinds[c] === K_TEXT ? this.codeBlocks[c] : this.numBlocks[c]
          if (list.length > this.blockSizes.length) list.pop()
        }
        if (attempt > 0 || rows <= this.maxBlockRows) throw error
        rows = this.maxBlockRows
      }
    }
    this.blockSizes.push(rows)
    this.blockLen = rows
    this.bi = 0
  }

  private nextBlock(): void {
    const last = this.blockLen
    this.newBlock(Math.min(this.maxBlockRows, Math.max(MIN_BLOCK, last * 2)))
  }

  // ---------------------------------------------------------------- the row loop

  private parseRows(final: boolean): void {
    const buf = this.buf
    const end = this.len
    buf[end] = 0 // sentinel: never a digit, delimiter, quote or line end
    const D = this.delimCode
    const DEC = this.decCode
    const ncols = this.ncols
    const kinds = this.kinds
    const numCur = this.numCur
    const codeCur = this.codeCur
    const dateOrder = this.dateOrder
    const dateSep = this.dateSep
    let p = this.pos

    if (this.pendingCR && p < end) {
      this.pendingCR = false
      if (buf[p] === LF) {
        p++
        this.eolCr--
        this.eolCrlf++
      }
    }

    rows: while (p < end) {
      let c = buf[p]
      if (c === LF || c === CR) {
        // blank line
        if (c === CR) {
          if (p + 1 < end) {
            if (buf[p + 1] === LF) {
              p++
              this.eolCrlf++
            } else this.eolCr++
          } else if (!final) {
            this.eolCr++
            this.pendingCR = true
          } else this.eolCr++
        } else this.eolLf++
        p++
        this.line++
        continue
      }
      if (this.bi === this.blockLen) this.nextBlock()
      const bi = this.bi
      const rowStart = p
      let col = 0
      let extra = false
      this.rowNewlines = 0
      this.pendN = 0
      for (;;) {
        let t: number
        c = buf[p]
        if (c === QUOTE) {
          t = this.quotedField(p, end, final, col, bi)
          if (t < 0) {
            p = rowStart
            break rows
          }
          if (col >= ncols && t > p + 2) extra = true
        } else if (col >= ncols) {
          t = p
          while ((c = buf[t]) !== D && c !== LF && c !== CR && c !== 0) t++
          if (c === 0 && t < end) this.nulAt(t)
          if (t > p) extra = true
        } else {
          const k = kinds[col]
          if (k === K_NUM) {
            // inline fast path: [-]digits[.digits] (at most 15 digits) then a terminator
            let q = p
            let neg = false
            if (c === 45) {
              neg = true
              c = buf[++q]
            }
            let m = 0
            let digits = 0
            while (c >= 48 && c <= 57) {
              m = m * 10 + (c - 48)
              digits++
              c = buf[++q]
            }
            let scale = 0
            if (c === DEC) {
              c = buf[++q]
              while (c >= 48 && c <= 57) {
                m = m * 10 + (c - 48)
                scale++
                c = buf[++q]
              }
              digits += scale
            }
            if (
              digits > 0 &&
              digits <= 15 &&
              q <= end &&
              (c === D || c === LF || c === CR || q === end)
            ) {
              const v = scale === 0 ? m : m / POW10[scale]
              numCur[col][bi] = neg ? -v : v
              t = q
            } else if (
              (q = parseNumberAt(buf, p, end, DEC)) > p &&
              ((c = buf[q]) === D || c === LF || c === CR || q === end)
            ) {
              numCur[col][bi] = numberOut[0]
              t = q
            } else {
              t = p
              while ((c = buf[t]) !== D && c !== LF && c !== CR && c !== 0) t++
              if (c === 0 && t < end) this.nulAt(t)
              if (t < end || final) this.storeSlow(col, bi, buf, p, t)
            }
          } else if (k === K_DATE) {
            const q = parseDateAt(buf, p, end, dateOrder[col], dateSep[col])
            if (q > p && ((c = buf[q]) === D || c === LF || c === CR || q === end)) {
              numCur[col][bi] = dateOut.value
              t = q
            } else {
              t = p
              while ((c = buf[t]) !== D && c !== LF && c !== CR && c !== 0) t++
              if (c === 0 && t < end) this.nulAt(t)
              if (t < end || final) this.storeSlow(col, bi, buf, p, t)
            }
          } else {
            t = p
            while ((c = buf[t]) !== D && c !== LF && c !== CR && c !== 0) t++
            if (c === 0 && t < end) this.nulAt(t)
            if (t < end || final) codeCur[col][bi] = this.textCode(col, buf, p, t)
          }
        }
        if (t >= end) {
          if (!final) {
            p = rowStart
            break rows
          }
          this.endRow(col, extra, rowStart, t)
          p = end
          continue rows
        }
        c = buf[t]
        if (c === D) {
          col++
          p = t + 1
          continue
        }
        // line end
        if (c === CR) {
          if (t + 1 < end) {
            if (buf[t + 1] === LF) {
              this.eolCrlf++
              t++
            } else this.eolCr++
          } else if (!final) {
            this.eolCr++
            this.pendingCR = true
          } else this.eolCr++
        } else this.eolLf++
        this.endRow(col, extra, rowStart, t)
        p = t + 1
        continue rows
      }
    }
    this.pos = p
  }

  /** Counts the row when its field count fits, else records a ragged row. */
  private endRow(lastCol: number, extra: boolean, rowStart: number, rowEnd: number): void {
    const fields = lastCol + 1
    const line = this.line
    this.line += 1 + this.rowNewlines
    if (fields === this.ncols || (fields > this.ncols && !extra)) {
      const row = this.n
      if (line - row !== this.lineDelta) {
        this.lineDelta = line - row
        this.breakRows.push(row)
        this.breakDeltas.push(this.lineDelta)
      }
      for (let i = 0; i < this.pendN; i++) {
        const col = this.pendCol[i]
        const text = this.pendText[i]
        if (this.pendInfinite[i] === 1) {
          if (this.infCount[col]++ === 0) {
            this.infFirstLine[col] = line
            this.infFirstText[col] = text
          }
          continue
        }
        if (this.oddRows[col].length === 0) this.oddFirstLine[col] = line
        this.oddRows[col].push(row)
        this.oddCodes[col].push(this.codeOf(col, text))
      }
      this.n++
      this.bi++
      return
    }
    if (fields === 1) {
      // a line of spaces only counts as blank
      let blank = true
      for (let i = rowStart; i < rowEnd && blank; i++) {
        const b = this.buf[i]
        if (b !== SPACE && b !== TAB && b !== CR && b !== LF) blank = false
      }
      if (blank) return
    }
    this.ragged++
    if (this.ragged === 1) this.raggedFirst = line
    if (this.ragged <= LISTED) {
      const fix = 'Fix the row or remove it; Seqcast skipped it.'
      this.issues.push({
        code: 'ragged-row',
        severity: 'warning',
        message: `${where(this.file, line)}: expected ${this.ncols} field${this.ncols === 1 ? '' : 's'} like the header, received ${fields}. ${fix}`,
        file: this.file,
        row: line,
        fix,
      })
    }
  }

  /** A quoted field at `p`; returns the position of its terminator or -1 when incomplete. */
  private quotedField(p: number, end: number, final: boolean, col: number, bi: number): number {
    const buf = this.buf
    let q = p + 1
    let escapes = false
    let newlines = 0
    let closed = false
    while (q < end) {
      const b = buf[q]
      if (b === QUOTE) {
        if (buf[q + 1] === QUOTE && q + 1 < end) {
          escapes = true
          q += 2
          continue
        }
        if (q + 1 >= end && !final) return -1
        closed = true
        break
      }
      if (b === LF || (b === CR && buf[q + 1] !== LF)) newlines++
      else if (b === 0) this.nulAt(q)
      q++
    }
    if (!closed && !final) return -1
    const contentEnd = q
    let t = closed ? q + 1 : end
    const D = this.delimCode
    let c: number
    while ((c = buf[t]) !== D && c !== LF && c !== CR && c !== 0) t++
    if (c === 0 && t < end) this.nulAt(t)
    if (t >= end && !final) return -1
    this.rowNewlines += newlines
    if (!closed && this.unclosedLine === 0) {
      this.unclosedLine = this.line
      const fix = 'Close the quote (") in that line, or remove the stray quote.'
      this.issues.push({
        code: 'unclosed-quote',
        severity: 'error',
        message: `${where(this.file, this.line, this.names[col])}: a quoted field opens here and is never closed, so the rest of the file was read as one field. ${fix}`,
        file: this.file,
        row: this.line,
        column: this.names[col],
        fix,
      })
    }
    if (col >= this.ncols) return t
    let src = buf
    let s = p + 1
    let e = contentEnd
    const stray = closed && t > q + 1
    if (escapes || stray) {
      // unescape "" and append any text after the closing quote
      const need = e - s + (t - (q + 1)) + 1
      if (this.scratch.length < need) this.scratch = new Uint8Array(need * 2)
      const out = this.scratch
      let k = 0
      for (let i = s; i < e; i++) {
        const b = buf[i]
        out[k++] = b
        if (b === QUOTE && buf[i + 1] === QUOTE) i++
      }
      if (stray) for (let i = q + 1; i < t; i++) out[k++] = buf[i]
      out[k] = 0
      src = out
      s = 0
      e = k
    }
    const k = this.kinds[col]
    if (k === K_TEXT) this.codeCur[col][bi] = this.textCode(col, src, s, e)
    else this.storeSlow(col, bi, src, s, e)
    return t
  }

  /** Any cell of a numeric or datetime column off the fast path (spaces, quotes, NA, text). */
  private storeSlow(col: number, bi: number, src: Uint8Array, s: number, e: number): void {
    while (s < e && (src[s] === SPACE || src[s] === TAB)) s++
    while (e > s && (src[e - 1] === SPACE || src[e - 1] === TAB)) e--
    const target = this.numCur[col]
    if (s === e) {
      target[bi] = NaN
      return
    }
    if (this.kinds[col] === K_NUM) {
      const q = parseNumberAt(src, s, e, this.decCode)
      if (q === e) {
        target[bi] = numberOut[0]
        return
      }
    } else {
      const q = parseDateAt(src, s, e, this.dateOrder[col], this.dateSep[col])
      if (q === e) {
        target[bi] = dateOut.value
        return
      }
    }
    const text = this.decode(src, s, e)
    target[bi] = NaN
    if (isMissingToken(text)) return
    let infinite = 0
    if (this.kinds[col] === K_NUM) {
      const v = parseNumberText(text, this.decimal)
      if (Number.isFinite(v)) {
        target[bi] = v
        return
      }
      // Inf, -inf, Infinity, 1e999: no model or statistic can use them, so they count as missing
      if (!Number.isNaN(v)) infinite = 1
    }
    const i = this.pendN++
    this.pendCol[i] = col
    this.pendText[i] = text
    this.pendInfinite[i] = infinite
  }

  private decode(src: Uint8Array, s: number, e: number): string {
    let ascii = e - s <= 24
    for (let i = s; i < e && ascii; i++) if (src[i] >= 128) ascii = false
    if (ascii) {
      let out = ''
      for (let i = s; i < e; i++) out += String.fromCharCode(src[i])
      return out
    }
    const text = this.decoder.decode(src.subarray(s, e))
    if (this.badUtf8Line === 0 && text.includes('\uFFFD') && this.sn?.encoding === 'utf-8') {
      this.badUtf8Line = this.line
      const fix = 'Save the file as UTF-8; the damaged characters show as �.'
      this.issues.push({
        code: 'non-utf8',
        severity: 'warning',
        message: `${where(this.file, this.line)}: the text is not valid UTF-8 from here on (the start of the file was). ${fix}`,
        file: this.file,
        row: this.line,
        fix,
      })
    }
    return text
  }

  private codeOf(col: number, text: string): number {
    const dict = this.dicts[col]
    let code = dict.get(text)
    if (code === undefined) {
      if (dict.size >= MAX_CATEGORIES) {
        throw csvError(
          'too-many-categories',
          this.file,
          `${where(this.file, this.line, this.names[col])}: the column holds more than ${groupDigits(MAX_CATEGORIES)} different texts, more than Seqcast keeps for one column; it looks like an ID or free-text column.`,
          'Remove the column from the file (or fix the delimiter if the columns are mixed up) and import it again.',
          { row: this.line, column: this.names[col] },
        )
      }
      code = this.cats[col].length
      this.cats[col].push(text)
      dict.set(text, code)
    }
    return code
  }

  private textCode(col: number, src: Uint8Array, s: number, e: number): number {
    const text = this.decode(src, s, e)
    if (isMissingToken(text)) return -1
    return this.codeOf(col, text)
  }

  // ---------------------------------------------------------------- result

  private column(c: number): Float64Array | Int32Array {
    const n = this.n
    const text = this.kinds[c] === K_TEXT
    const blocks: (Float64Array | Int32Array)[] = text ? this.codeBlocks[c] : this.numBlocks[c]
    let out: Float64Array | Int32Array
    if (blocks.length === 1) {
      const only = blocks[0]
      // keep one allocation when little is unused, else copy to release the rest
      out = only.length - n <= only.length / 8 ? only.subarray(0, n) : only.slice(0, n)
    } else {
      out = text ? new Int32Array(n) : new Float64Array(n)
      let at = 0
      for (let b = 0; b < blocks.length && at < n; b++) {
        const block = blocks[b]
        const take = Math.min(block.length, n - at)
        out.set(take === block.length ? block : block.subarray(0, take), at)
        at += take
        ;(blocks as unknown[])[b] = null
      }
    }
    blocks.length = 0
    return out
  }

  private build(): ImportResult {
    const s = this.sn as SniffResult
    const file = this.file
    const n = this.n
    if (this.ragged > LISTED) {
      const fix = 'Fix those rows or remove them; Seqcast skipped them.'
      this.issues.push({
        code: 'ragged-row',
        severity: 'warning',
        message: `${file}: ${groupDigits(this.ragged)} rows in all (first on line ${groupDigits(this.raggedFirst)}) do not have ${this.ncols} fields like the header; the first ${LISTED} are listed above. ${fix}`,
        file,
        row: this.raggedFirst,
        fix,
        count: this.ragged,
      })
    }
    if (n === 0) {
      throw csvError(
        'no-rows',
        file,
        `${file}: none of the ${groupDigits(this.ragged)} data rows has ${this.ncols} fields like the header (line ${groupDigits(this.firstLine - 1)}), so there is nothing to import.`,
        'Check the delimiter and the header row, or choose the delimiter yourself.',
        { row: this.raggedFirst },
      )
    }
    const rowLines: RowLineMap = {
      firstLine: this.firstLine,
      breakRows: this.breakRows,
      breakDeltas: this.breakDeltas,
    }
    const lineOf = (row: number): number => lineOfRow(rowLines, row)

    const columns: Column[] = []
    const reports: ColumnReport[] = []
    const hasDatetime = Array.from(this.kinds).some((k) => k === K_DATE)
    for (let c = 0; c < this.ncols; c++) {
      const name = this.names[c]
      const kind = this.kinds[c]
      const data = this.column(c)
      const odd = this.oddRows[c]
      const oddCodes = this.oddCodes[c]
      let column: Column
      let textCells = 0
      let firstText: string | undefined
      let firstTextRow: number | undefined
      if (kind === K_TEXT) {
        column = this.textColumn(name, data as Int32Array, this.cats[c])
      } else if (kind === K_NUM) {
        const values = data as Float64Array
        let numbers = 0
        if (odd.length > 0) for (let i = 0; i < n; i++) if (values[i] === values[i]) numbers++
        if (odd.length > numbers) {
          // mostly text: a text column (and maybe datetimes written as text)
          const codes = new Int32Array(n)
          const cats = this.cats[c]
          for (let i = 0; i < n; i++) {
            const v = values[i]
            codes[i] = v === v ? this.codeOf(c, String(v)) : -1
          }
          for (let i = 0; i < odd.length; i++) codes[odd[i]] = oddCodes[i]
          const asText = this.textColumn(name, codes, cats)
          const asDate = datetimeFromText(name, asText.codes, asText.categories)
          column = asDate ?? asText
          const fix = 'If the column should hold numbers, correct the text cells in the file.'
          this.issues.push({
            code: 'numeric-to-text',
            severity: 'info',
            message: `${where(file, this.oddFirstLine[c], name)}: the first rows looked like numbers, but ${groupDigits(odd.length)} cells hold ${asDate ? 'dates' : 'text'} (first "${this.cats[c][oddCodes[0]]}"); the column is read as ${asDate ? `datetimes (${asDate.format})` : 'text'}. ${fix}`,
            file,
            row: this.oddFirstLine[c],
            column: name,
            fix,
            count: odd.length,
          })
        } else {
          const fmt =
            odd.length === 0 ? detectNumericTime(name, values, n, c === 0 && !hasDatetime) : null
          if (fmt) {
            numericToTime(values, n, fmt)
            column = { name, kind: 'datetime', values, format: fmt }
          } else {
            column = { name, kind: 'numeric', values }
          }
          if (odd.length > 0) {
            textCells = odd.length
            firstText = this.cats[c][oddCodes[0]]
            firstTextRow = this.oddFirstLine[c]
            const more = odd.length - 1
            const fix =
              'Correct those cells in the file, or keep them as missing values and fill them in Repairs.'
            this.issues.push({
              code: 'text-in-numeric',
              severity: 'warning',
              message: `${where(file, firstTextRow, name)}: expected a number, received "${firstText}"${more > 0 ? ` (and ${groupDigits(more)} more text cell${more === 1 ? '' : 's'} in this column)` : ''}; Seqcast reads ${odd.length === 1 ? 'it as a missing value' : 'them as missing values'}. ${fix}`,
              file,
              row: firstTextRow,
              column: name,
              fix,
              count: odd.length,
            })
          }
        }
      } else {
        column = { name, kind: 'datetime', values: data as Float64Array, format: this.dateLabel[c] }
        if (odd.length > 0) {
          const first = this.cats[c][oddCodes[0]]
          const fix = `Correct those cells to the ${this.dateLabel[c]} format, or remove the rows.`
          this.issues.push({
            code: 'bad-datetime',
            severity: 'warning',
            message: `${where(file, this.oddFirstLine[c], name)}: expected a datetime like the rest of the column (${this.dateLabel[c]}), received "${first}"${odd.length > 1 ? ` (and ${groupDigits(odd.length - 1)} more)` : ''}; Seqcast reads ${odd.length === 1 ? 'it' : 'them'} as missing. ${fix}`,
            file,
            row: this.oddFirstLine[c],
            column: name,
            fix,
            count: odd.length,
          })
        }
      }
      const infinite = column.kind === 'numeric' ? this.infCount[c] : 0
      if (infinite > 0) this.nonFiniteIssue(c)
      columns.push(column)
      const report = this.columnReport(column, n, lineOf)
      if (textCells > 0) {
        report.textCells = textCells
        report.firstText = firstText
        report.firstTextRow = firstTextRow
      }
      if (infinite > 0) {
        report.nonFinite = infinite
        report.firstNonFinite = this.infFirstText[c]
        report.firstNonFiniteRow = this.infFirstLine[c]
      }
      reports.push(report)
    }

    let dataset: Dataset = { name: file, rowCount: n, columns, timeColumn: null }
    const requested = this.options.timeColumn
    if (requested !== undefined) {
      dataset = setTimeColumn(dataset, requested)
      const converted = dataset.columns.find((c) => c.name === requested)
      const i = reports.findIndex((r) => r.name === requested)
      if (converted && i >= 0 && converted.kind !== reports[i].kind) {
        reports[i] = { ...this.columnReport(converted, n, lineOf), textCells: undefined }
      }
    } else {
      const dated = columns.filter((c) => c.kind === 'datetime')
      const chosen = dated.find((c) => isTimeLikeName(c.name)) ?? dated[0]
      if (chosen) dataset = { ...dataset, timeColumn: chosen.name }
      else {
        const fix = 'Choose a time column if one holds times in a format Seqcast did not recognise.'
        this.issues.push({
          code: 'no-time-column',
          severity: 'info',
          message: `${file}: no column holds datetimes, so the row order is the time axis. ${fix}`,
          file,
          fix,
        })
      }
    }

    let timeAxis: TimeAxisReport | null = null
    const tcol = dataset.columns.find((c) => c.name === dataset.timeColumn)
    if (tcol && tcol.kind === 'datetime') {
      timeAxis = analyzeTimes(tcol.values, tcol.name, tcol.format, n)
      this.timeIssues(timeAxis, tcol.values, lineOf)
    }

    const lineEnds = [this.eolLf, this.eolCrlf, this.eolCr].filter((x) => x > 0).length
    const lineEnding: ImportReport['file']['lineEnding'] =
      lineEnds > 1 ? 'mixed' : this.eolCrlf > 0 ? 'crlf' : this.eolCr > 0 ? 'cr' : 'lf'
    const report: ImportReport = {
      file: {
        name: file,
        bytes: this.seen,
        rows: n,
        delimiter: s.delimiter,
        decimal: s.decimal,
        encoding: s.encoding,
        bom: this.bom,
        lineEnding,
        header: s.hasHeader,
        skippedRows: this.ragged,
      },
      columns: reports,
      timeAxis,
      issues: this.issues,
    }
    return { dataset, report, rowLines }
  }

  /** ±Infinity cells in a numeric column: reported like missing values, with line and count. */
  private nonFiniteIssue(c: number): void {
    const file = this.file
    const name = this.names[c]
    const count = this.infCount[c]
    const line = this.infFirstLine[c]
    const more = count - 1
    const fix =
      'Correct those cells in the file, or fill them like missing values (linear interpolation or forward fill in Repairs, --fill on the command line).'
    this.issues.push({
      code: 'non-finite',
      severity: 'warning',
      message: `${where(file, line, name)}: expected a finite number, received "${this.infFirstText[c]}"${more > 0 ? ` (and ${groupDigits(more)} more infinite cell${more === 1 ? '' : 's'} in this column)` : ''}; Seqcast reads ${count === 1 ? 'it as a missing value' : 'them as missing values'}. ${fix}`,
      file,
      row: line,
      column: name,
      fix,
      count,
    })
  }

  private textColumn(name: string, codes: Int32Array, categories: string[]): TextColumn {
    // drop categories only seen in rows that were not kept
    const used = new Uint8Array(categories.length)
    for (let i = 0; i < codes.length; i++) if (codes[i] >= 0) used[codes[i]] = 1
    if (used.every((u) => u === 1)) return { name, kind: 'text', codes, categories }
    const remap = new Int32Array(categories.length)
    const kept: string[] = []
    for (let i = 0; i < categories.length; i++) {
      remap[i] = used[i] ? kept.length : -1
      if (used[i]) kept.push(categories[i])
    }
    for (let i = 0; i < codes.length; i++) if (codes[i] >= 0) codes[i] = remap[codes[i]]
    return { name, kind: 'text', codes, categories: kept }
  }

  private columnReport(column: Column, n: number, lineOf: (row: number) => number): ColumnReport {
    const file = this.file
    if (column.kind === 'text') {
      let missing = 0
      for (let i = 0; i < n; i++) if (column.codes[i] < 0) missing++
      if (missing === n) this.emptyColumn(column.name)
      return {
        name: column.name,
        kind: 'text',
        count: n - missing,
        missing,
        min: NaN,
        max: NaN,
        mean: NaN,
        std: NaN,
        sentinels: [],
        distinct: column.categories.length,
      }
    }
    const stats = summarizeNumeric(
      column.values,
      n,
      column.kind === 'datetime' ? [] : this.options.sentinels,
    )
    if (stats.count === 0) this.emptyColumn(column.name)
    if (column.kind === 'datetime') {
      return {
        name: column.name,
        kind: 'datetime',
        count: stats.count,
        missing: stats.missing,
        min: stats.min,
        max: stats.max,
        mean: NaN,
        std: NaN,
        sentinels: [],
        format: column.format,
      }
    }
    const sentinels = stats.sentinels
    const lo = stats.restMin
    const hi = stats.restMax
    for (const s of sentinels) {
      let firstRow = 0
      while (firstRow < n && column.values[firstRow] !== s.value) firstRow++
      const line = lineOf(firstRow)
      const range =
        lo <= hi ? ` (the other values lie in ${formatNumber(lo)} … ${formatNumber(hi)})` : ''
      const fix = 'Treat sentinels as missing in Repairs, then fill them or leave them out.'
      this.issues.push({
        code: 'sentinel',
        severity: 'warning',
        message: `${where(file, line, column.name)}: ${groupDigits(s.count)} cell${s.count === 1 ? ' holds' : 's hold'} ${s.value}, which looks like a "no reading" code, not a measurement${range}. ${fix}`,
        file,
        row: line,
        column: column.name,
        fix,
        count: s.count,
      })
    }
    return {
      name: column.name,
      kind: 'numeric',
      count: stats.count,
      missing: stats.missing,
      min: stats.min,
      max: stats.max,
      mean: stats.mean,
      std: stats.std,
      sentinels,
    }
  }

  private emptyColumn(name: string): void {
    const fix = 'Leave the column out of the experiment, or check the delimiter.'
    this.issues.push({
      code: 'empty-column',
      severity: 'info',
      message: `${where(this.file, undefined, name)}: every cell is empty or missing. ${fix}`,
      file: this.file,
      column: name,
      fix,
    })
  }

  private timeIssues(
    t: TimeAxisReport,
    times: Float64Array,
    lineOf: (row: number) => number,
  ): void {
    const file = this.file
    const name = t.column
    const step = t.cadence && t.cadence.months === 0 ? t.cadence.ms : undefined
    const precision = displayPrecision(t.format, [t.start, t.end], step)
    const show = (x: number): string => formatTime(x, precision)
    if (t.missing > 0) {
      let first = 0
      while (first < times.length && times[first] === times[first]) first++
      const line = lineOf(first)
      const fix = 'Fill in the times or remove those rows.'
      this.issues.push({
        code: 'missing-time',
        severity: 'warning',
        message: `${where(file, line, name)}: ${groupDigits(t.missing)} row${t.missing === 1 ? ' has' : 's have'} no time. ${fix}`,
        file,
        row: line,
        column: name,
        fix,
        count: t.missing,
      })
    }
    if (!t.sorted && t.firstUnsortedRow !== null) {
      const r = t.firstUnsortedRow
      const line = lineOf(r)
      const fix = 'Apply "sort by time" in Repairs (a stable sort keeps equal times in file order).'
      this.issues.push({
        code: 'unsorted-time',
        severity: 'warning',
        message: `${where(file, line, name)}: the times are not sorted; ${show(times[r])} comes after a later time, and ${groupDigits(t.unsortedSteps)} step${t.unsortedSteps === 1 ? ' goes' : 's go'} back in time. ${fix}`,
        file,
        row: line,
        column: name,
        fix,
        count: t.unsortedSteps,
      })
    }
    if (t.duplicates.count > 0) {
      const d = t.duplicates.examples[0]
      const line = lineOf(d.row)
      const fix = 'Apply "drop exact duplicate rows" in Repairs, or remove the extra rows.'
      this.issues.push({
        code: 'duplicate-time',
        severity: 'warning',
        message: `${where(file, line, name)}: the time ${show(d.time)} repeats line ${groupDigits(lineOf(d.firstRow))}; ${groupDigits(t.duplicates.count)} row${t.duplicates.count === 1 ? ' repeats' : 's repeat'} an earlier time. ${fix}`,
        file,
        row: line,
        column: name,
        fix,
        count: t.duplicates.count,
      })
    }
    if (t.gaps.count > 0 && t.cadence && t.gaps.largest) {
      const g = t.gaps.largest
      const line = lineOf(g.beforeRow)
      const fix = 'Apply "fill gaps" in Repairs to insert the missing rows, then fill their values.'
      this.issues.push({
        code: 'gaps',
        severity: 'warning',
        message: `${where(file, undefined, name)}: ${groupDigits(t.gaps.count)} gap${t.gaps.count === 1 ? '' : 's'} in the ${t.cadence.label} cadence, ${groupDigits(t.gaps.missingRows)} missing row${t.gaps.missingRows === 1 ? '' : 's'} in all; the largest is ${show(g.from)} → ${show(g.to)} before line ${groupDigits(line)} (${groupDigits(g.missingRows)} rows). ${fix}`,
        file,
        row: line,
        column: name,
        fix,
        count: t.gaps.count,
      })
    }
    if (t.irregularSteps > 0 && t.cadence && t.firstIrregular) {
      const g = t.firstIrregular
      const line = lineOf(g.beforeRow)
      const fix = 'Resample the series to a regular cadence if the model needs one.'
      this.issues.push({
        code: 'irregular-time',
        severity: 'info',
        message: `${where(file, line, name)}: ${groupDigits(t.irregularSteps)} step${t.irregularSteps === 1 ? ' is' : 's are'} not a whole multiple of the ${t.cadence.label} cadence, first ${show(g.from)} → ${show(g.to)}. ${fix}`,
        file,
        row: line,
        column: name,
        fix,
        count: t.irregularSteps,
      })
    }
  }
}

/**
 * The tokenizer of the streaming CSV parser: bytes in (chunks of any size, split anywhere), cells
 * written into a ColumnStore. It owns the input buffer, the sniffing of the first ~256 KB (see
 * sniff.ts: encoding, delimiter, decimal comma, header, column kinds), the byte-level row loop,
 * line counting (which file line each dataset row came from) and the row-level issues (ragged
 * rows, an unclosed quote, invalid UTF-8).
 *
 * - Numbers and datetimes are parsed straight from the bytes; text is dictionary-encoded. No
 *   string is made for a numeric or datetime cell on the fast path.
 * - A row is written in place at its slot and kept only when its line end is seen, so a chunk
 *   boundary anywhere (inside a quoted field, a CRLF, a UTF-8 character or a number) just makes
 *   the tokenizer keep the unfinished row and read it again with the next chunk.
 * - Ragged rows (a field count other than the header's) are skipped; the first 10 are listed with
 *   their lines (the summary of the rest is part of the report). Extra fields that are all empty
 *   (a trailing delimiter) are ignored and the row is kept.
 * - Blank lines are skipped. A quote left open at the end of the input takes the rest of the file
 *   as its field, with an error-severity issue naming the line where it opened.
 */
import { SeqcastError } from '../errors'
import {
  CR,
  LF,
  POW10,
  QUOTE,
  SPACE,
  TAB,
  groupDigits,
  isMissingToken,
  numberOut,
  parseNumberAt,
  parseNumberText,
} from './bytes'
import { ColumnStore, K_DATE, K_NUM, K_TEXT } from './column-store'
import { dateOut, parseDateAt, type DateOrder } from './datetime'
import type { ParseOptions } from './parser'
import { csvError, where, type ImportIssue, type RowLineMap } from './report'
import { checkBinary, makeDecoder, sniff, type Decoder, type SniffResult } from './sniff'

const SNIFF_BYTES = 256 * 1024
/** Ragged rows listed one by one; the report sums up the rest. */
export const LISTED_RAGGED = 10
const DEFAULT_MAX_ROW = 64 * 1024 * 1024

export class CsvTokenizer {
  readonly file: string
  private readonly options: ParseOptions
  private readonly maxRowBytes: number

  private buf = new Uint8Array(64 * 1024)
  private pos = 0
  private len = 0
  private seen = 0
  private sniffed = false
  private sniffTarget: number
  private finished = false
  private pendingCR = false
  /** Whether the input began with a UTF-8 byte order mark. */
  bom = false

  // the dialect, from sniffing
  /** The sniffed dialect, header and column kinds (null until the sample was read). */
  sniffResult: SniffResult | null = null
  /** Cells of the kept rows (null until the sample was read). */
  store: ColumnStore | null = null
  private ncols = 0
  private delimCode = 44
  private decCode = 46
  private decimal: '.' | ',' = '.'
  private decoder: Decoder = makeDecoder('utf-8')
  private names: string[] = []
  private kinds = new Uint8Array(0)
  private dateOrder: DateOrder[] = []
  private dateSep: number[] = []

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

  /** Issues found while reading rows (the sniffer's first). */
  readonly issues: ImportIssue[] = []
  /** Rows skipped for their field count, and the line of the first. */
  ragged = 0
  raggedFirst = 0
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
    return this.store?.rows ?? 0
  }

  /** Where dataset rows came from in the file. */
  get rowLines(): RowLineMap {
    return { firstLine: this.firstLine, breakRows: this.breakRows, breakDeltas: this.breakDeltas }
  }

  /** Line ends seen, by kind. */
  get lineEnds(): { lf: number; crlf: number; cr: number } {
    return { lf: this.eolLf, crlf: this.eolCrlf, cr: this.eolCr }
  }

  /** The line the tokenizer is on (after the last row read). */
  get currentLine(): number {
    return this.line
  }

  /** The header line (the line before the first data line). */
  get headerLine(): number {
    return this.firstLine - 1
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

  /** Reads what is left (an unfinished last row included); then `store` holds every kept row. */
  finish(): void {
    if (this.finished) throw new SeqcastError('internal', 'CsvStreamParser.finish called twice')
    this.finished = true
    if (!this.sniffed) this.startup(true)
    this.parseRows(true)
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
    this.sniffResult = s
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
    }
    this.store = new ColumnStore(
      this.file,
      this.names,
      this.kinds,
      ColumnStore.firstBlockRows(this.options.totalBytes, s.dataStart, s.sampleRows, s.sampleBytes),
    )
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
    const store = this.store
    if (!store) return // nothing sniffed: finish() reports it
    const numCur = store.numCur
    const codeCur = store.codeCur
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
      if (store.slot === store.blockLen) store.nextBlock()
      const bi = store.slot
      const rowStart = p
      let col = 0
      let extra = false
      this.rowNewlines = 0
      store.pendingCount = 0
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
      const store = this.store as ColumnStore
      const row = store.rows
      if (line - row !== this.lineDelta) {
        this.lineDelta = line - row
        this.breakRows.push(row)
        this.breakDeltas.push(this.lineDelta)
      }
      if (store.pendingCount === 0) {
        // the common row: every cell was read where it stands
        store.rows++
        store.slot++
      } else store.keepRow(line, this.line)
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
    if (this.ragged <= LISTED_RAGGED) {
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
    if (k === K_TEXT) (this.store as ColumnStore).codeCur[col][bi] = this.textCode(col, src, s, e)
    else this.storeSlow(col, bi, src, s, e)
    return t
  }

  /** Any cell of a numeric or datetime column off the fast path (spaces, quotes, NA, text). */
  private storeSlow(col: number, bi: number, src: Uint8Array, s: number, e: number): void {
    while (s < e && (src[s] === SPACE || src[s] === TAB)) s++
    while (e > s && (src[e - 1] === SPACE || src[e - 1] === TAB)) e--
    const target = (this.store as ColumnStore).numCur[col]
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
    ;(this.store as ColumnStore).addPending(col, text, infinite === 1)
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
    if (
      this.badUtf8Line === 0 &&
      text.includes('\uFFFD') &&
      this.sniffResult?.encoding === 'utf-8'
    ) {
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

  private textCode(col: number, src: Uint8Array, s: number, e: number): number {
    const text = this.decode(src, s, e)
    if (isMissingToken(text)) return -1
    return (this.store as ColumnStore).codeOf(col, text, this.line)
  }
}

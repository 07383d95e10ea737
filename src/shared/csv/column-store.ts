/**
 * Where the tokenizer writes cells: per column, blocks of Float64Array (numbers, datetimes) or
 * Int32Array (dictionary codes of text), one slot per row. A row's cells are written in place at
 * its slot; the row is kept (and its slot used up) only when the tokenizer sees a whole row with
 * the header's field count. Cells that a numeric or datetime column could not read — text, or
 * ±Infinity — wait as pending cells until then, so a skipped (ragged) row leaves no trace.
 *
 * With the input's total size known the first block is sized from the sniffed sample, so a
 * column is usually one allocation; otherwise blocks double up to ~4 MB per column.
 */
import { groupDigits } from './bytes'
import { csvError, where } from './report'

/** Column kinds as the row loop tests them (a number compare, not a string one). */
export const K_NUM = 0
export const K_DATE = 1
export const K_TEXT = 2

const MIN_BLOCK = 256
const BLOCK_BYTES = 4 * 1024 * 1024
/** Distinct texts per column (a JavaScript Map holds at most 2^24 entries). */
const MAX_CATEGORIES = 16_000_000

const EMPTY_F64 = new Float64Array(0)
const EMPTY_I32 = new Int32Array(0)

export class ColumnStore {
  readonly columns: number
  /** K_NUM, K_DATE or K_TEXT per column. */
  readonly kinds: Uint8Array
  /** The current block of each numeric / datetime column (empty for text columns). */
  readonly numCur: Float64Array[] = []
  /** The current block of each text column (empty for the others). */
  readonly codeCur: Int32Array[] = []
  /** Slot of the row being written in the current blocks. */
  slot = 0
  /** Rows in the current blocks. */
  blockLen = 0
  /** Rows kept so far. */
  rows = 0

  // text in numeric / datetime columns: dataset row, dictionary code, first line
  readonly textRows: number[][] = []
  readonly textCodes: number[][] = []
  readonly textFirstLine: number[] = []
  // ±Infinity in numeric columns (read as missing): count, first line and text
  readonly nonFiniteCount: number[] = []
  readonly nonFiniteFirstLine: number[] = []
  readonly nonFiniteFirstText: string[] = []
  /** Distinct texts of each column, in order of first appearance (index = code). */
  readonly categories: string[][] = []

  // cells of the current row waiting for the row to be kept
  private pendingColumn: number[] = []
  private pendingText: string[] = []
  /** 1 when the pending cell is ±Infinity, 0 when it is text. */
  private pendingNonFinite: number[] = []
  /** Pending cells of the current row; the tokenizer sets it to 0 at each row start. */
  pendingCount = 0

  private readonly file: string
  private readonly names: string[]
  private readonly numBlocks: Float64Array[][] = []
  private readonly codeBlocks: Int32Array[][] = []
  private readonly blockSizes: number[] = []
  private readonly maxBlockRows: number
  private readonly dicts: Map<string, number>[] = []

  constructor(file: string, names: string[], kinds: Uint8Array, firstBlockRows: number) {
    this.file = file
    this.names = names
    this.kinds = kinds
    this.columns = kinds.length
    for (let c = 0; c < this.columns; c++) {
      this.numBlocks.push([])
      this.codeBlocks.push([])
      this.numCur.push(EMPTY_F64)
      this.codeCur.push(EMPTY_I32)
      this.dicts.push(new Map())
      this.categories.push([])
      this.textRows.push([])
      this.textCodes.push([])
      this.textFirstLine.push(0)
      this.nonFiniteCount.push(0)
      this.nonFiniteFirstLine.push(0)
      this.nonFiniteFirstText.push('')
    }
    this.maxBlockRows = Math.max(1024, Math.floor(BLOCK_BYTES / (8 * Math.max(1, this.columns))))
    this.newBlock(Math.max(MIN_BLOCK, firstBlockRows))
  }

  /** The first block's rows for `totalBytes` of input, from the sample's bytes per row. */
  static firstBlockRows(
    totalBytes: number | undefined,
    dataStart: number,
    sampleRows: number,
    sampleBytes: number,
  ): number {
    if (!totalBytes || sampleRows <= 0 || sampleBytes <= 0) return MIN_BLOCK
    const perRow = sampleBytes / sampleRows
    const estimate = Math.ceil(((totalBytes - dataStart) / perRow) * 1.06) + 64
    return Math.max(MIN_BLOCK, Math.min(estimate, 1 << 26))
  }

  private newBlock(size: number): void {
    const ncols = this.columns
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
    this.slot = 0
  }

  /** Starts a new block when the current one is full (the row loop checks `slot === blockLen`). */
  nextBlock(): void {
    const last = this.blockLen
    this.newBlock(Math.min(this.maxBlockRows, Math.max(MIN_BLOCK, last * 2)))
  }

  /** A cell of the current row that its numeric / datetime column could not read. */
  addPending(col: number, text: string, nonFinite: boolean): void {
    const i = this.pendingCount++
    this.pendingColumn[i] = col
    this.pendingText[i] = text
    this.pendingNonFinite[i] = nonFinite ? 1 : 0
  }

  /**
   * Keeps the current row, found on file line `line`: its pending cells are recorded (`atLine`
   * is where the tokenizer is now, for the too-many-categories message), its slot is used up.
   */
  keepRow(line: number, atLine: number): void {
    const row = this.rows
    for (let i = 0; i < this.pendingCount; i++) {
      const col = this.pendingColumn[i]
      const text = this.pendingText[i]
      if (this.pendingNonFinite[i] === 1) {
        if (this.nonFiniteCount[col]++ === 0) {
          this.nonFiniteFirstLine[col] = line
          this.nonFiniteFirstText[col] = text
        }
        continue
      }
      if (this.textRows[col].length === 0) this.textFirstLine[col] = line
      this.textRows[col].push(row)
      this.textCodes[col].push(this.codeOf(col, text, atLine))
    }
    this.rows++
    this.slot++
  }

  /** The dictionary code of `text` in column `col`, adding it when new. */
  codeOf(col: number, text: string, line: number): number {
    const dict = this.dicts[col]
    let code = dict.get(text)
    if (code === undefined) {
      if (dict.size >= MAX_CATEGORIES) {
        throw csvError(
          'too-many-categories',
          this.file,
          `${where(this.file, line, this.names[col])}: the column holds more than ${groupDigits(MAX_CATEGORIES)} different texts, more than Seqcast keeps for one column; it looks like an ID or free-text column.`,
          'Remove the column from the file (or fix the delimiter if the columns are mixed up) and import it again.',
          { row: line, column: this.names[col] },
        )
      }
      code = this.categories[col].length
      this.categories[col].push(text)
      dict.set(text, code)
    }
    return code
  }

  /** The kept rows of column `c` as one array; its blocks are released. Call once per column. */
  column(c: number): Float64Array | Int32Array {
    const n = this.rows
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
}

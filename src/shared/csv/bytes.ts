/** Byte constants and number parsing straight from UTF-8 bytes (no string per field). */

export const LF = 10
export const CR = 13
export const QUOTE = 34
export const COMMA = 44
export const SEMICOLON = 59
export const TAB = 9
export const SPACE = 32
export const DOT = 46
export const MINUS = 45
export const PLUS = 43
export const ZERO = 48
export const NINE = 57

/** 10^0 … 10^22 are exact doubles: the range of Clinger's fast path. */
export const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`))
const TWO53 = 2 ** 53

/**
 * Cells read as missing in any column (case-sensitive, after trimming spaces): empty, `NA`,
 * `N/A`, `#N/A`, `NaN`, `nan`, `null`, `NULL`, `None`, `?`.
 */
export const MISSING_TOKENS: ReadonlySet<string> = new Set([
  '',
  'NA',
  'N/A',
  '#N/A',
  'NaN',
  'nan',
  'null',
  'NULL',
  'None',
  '?',
])

export function isMissingToken(text: string): boolean {
  return MISSING_TOKENS.has(text.trim())
}

/**
 * Parses a plain decimal number at `buf[p…]` and returns the position after it, or -1 when the
 * bytes there do not start a number this fast path can read exactly. The value is in
 * `numberOut[0]`. Reads at most up to `end`; the byte at `end` must be a non-digit sentinel or
 * beyond the data (the parser keeps a 0 there). Exact per Clinger: an integer mantissa below 2^53
 * scaled by an exact power of ten ≤ 10^22 is one correctly rounded operation.
 */
export const numberOut = new Float64Array(1)

export function parseNumberAt(buf: Uint8Array, p: number, end: number, decimal: number): number {
  let q = p
  let c = buf[q]
  let negative = false
  if (c === MINUS) {
    negative = true
    c = buf[++q]
  } else if (c === PLUS) {
    c = buf[++q]
  }
  let m = 0
  let digits = 0
  while (c >= ZERO && c <= NINE && q < end) {
    m = m * 10 + (c - ZERO)
    digits++
    c = buf[++q]
  }
  let scale = 0
  if (c === decimal && q < end) {
    c = buf[++q]
    while (c >= ZERO && c <= NINE && q < end) {
      m = m * 10 + (c - ZERO)
      digits++
      scale++
      c = buf[++q]
    }
  }
  if (digits === 0) return -1
  let exp = 0
  if ((c === 101 || c === 69) && q < end) {
    // e / E
    let r = q + 1
    let e = buf[r]
    let expNegative = false
    if (e === MINUS) {
      expNegative = true
      e = buf[++r]
    } else if (e === PLUS) {
      e = buf[++r]
    }
    let expDigits = 0
    while (e >= ZERO && e <= NINE && r < end) {
      exp = exp * 10 + (e - ZERO)
      expDigits++
      if (exp > 100000) return -1
      e = buf[++r]
    }
    if (expDigits === 0) return -1
    if (expNegative) exp = -exp
    q = r
  }
  if (m >= TWO53) return -1
  const e10 = exp - scale
  let v: number
  if (e10 === 0) v = m
  else if (e10 < 0 && e10 >= -22) v = m / POW10[-e10]
  else if (e10 > 0 && e10 <= 22) v = m * POW10[e10]
  else if (m === 0) v = 0
  else return -1
  numberOut[0] = negative ? -v : v
  return q
}

const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/
const GROUPED_COMMA_RE = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$/
const GROUPED_POINT_RE = /^[+-]?\d{1,3}(?:\.\d{3})+(?:,\d*)?$/
const INF_RE = /^([+-]?)(?:inf|Inf|INF|infinity|Infinity|INFINITY)$/

/**
 * Reads a whole cell as a number (slow path, on text): NaN when it is not one. Spaces around
 * are ignored; with `decimal` ',' a decimal comma is accepted (and a decimal point is not, but
 * as a thousands mark: "1.234,5"); with '.', thousands may be grouped with commas ("1,234.5").
 */
export function parseNumberText(text: string, decimal: '.' | ','): number {
  let s = text.trim()
  // Amounts written with thousands grouped ("1,234.50", quoted in a comma-separated file, or
  // 1.234,50 with a decimal comma): the group mark is the one that is not the decimal mark, in
  // groups of exactly three digits, so "1,5" or "12,34" stay text rather than being guessed.
  const grouped = decimal === ',' ? GROUPED_POINT_RE : GROUPED_COMMA_RE
  if (grouped.test(s)) s = s.replaceAll(decimal === ',' ? '.' : ',', '')
  if (decimal === ',') {
    if (s.includes('.')) return NaN
    s = s.replace(',', '.')
  }
  if (NUMBER_RE.test(s)) return Number(s)
  const inf = INF_RE.exec(s)
  if (inf) return inf[1] === '-' ? -Infinity : Infinity
  return NaN
}

/** `1,204` style grouping for line numbers and counts in messages. */
export function groupDigits(n: number): string {
  const s = String(Math.trunc(Math.abs(n)))
  let out = ''
  for (let i = 0; i < s.length; i++) {
    if (i > 0 && (s.length - i) % 3 === 0) out += ','
    out += s[i]
  }
  return (n < 0 ? '-' : '') + out
}

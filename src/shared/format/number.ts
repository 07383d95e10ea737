/**
 * Numbers as a person reads them: significant digits chosen by magnitude, thousands separators,
 * no float noise, and never the words NaN, undefined or Infinity. Exports keep every digit that
 * carries information (see `exportNumber`).
 */

/** Shown for a value that does not exist (missing, NaN, undefined). */
export const NO_VALUE = '—'

/** Never more decimals than this on screen: beyond it a number switches to e-notation. */
export const MAX_DECIMALS = 6

/** `1,204,000` style grouping of the integer part of a plain decimal string. */
function group(text: string): string {
  const negative = text.startsWith('-')
  const body = negative ? text.slice(1) : text
  const dot = body.indexOf('.')
  const int = dot < 0 ? body : body.slice(0, dot)
  const frac = dot < 0 ? '' : body.slice(dot)
  let out = ''
  for (let i = 0; i < int.length; i++) {
    if (i > 0 && (int.length - i) % 3 === 0) out += ','
    out += int[i]
  }
  return (negative ? '-' : '') + out + frac
}

/** Whole numbers with thousands separators ("1,447"); NO_VALUE when not finite. */
export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return NO_VALUE
  return group(String(Math.round(n)))
}

function notFinite(x: number | null | undefined): string | null {
  if (x === null || x === undefined || Number.isNaN(x)) return NO_VALUE
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞'
  return null
}

/** How a set of numbers shown together is written: the same decimals for all of them. */
export interface NumberStyle {
  /** Digits after the point (0…MAX_DECIMALS) when not in e-notation. */
  decimals: number
  /** Write as `1.23e-5` (values too small or too large for plain decimals). */
  exponent: boolean
  /** Significant digits in e-notation. */
  digits: number
}

function magnitude(a: number): number {
  // log10 can land just below an integer for exact powers of ten (log10(1000) = 2.9999…).
  let e = Math.floor(Math.log10(a))
  if (10 ** (e + 1) <= a) e++
  return e
}

/**
 * One style for numbers shown side by side (a table column, a chart axis, min/max/mean/std of a
 * column): `digits` significant digits for the largest of them, so "16.30" sits next to "19.82"
 * and "0.000400" next to "0.001247" rather than "16.3" and "4.00e-4".
 */
export function numberStyle(values: Iterable<number | null | undefined>, digits = 4): NumberStyle {
  let max = 0
  let integers = true
  for (const v of values) {
    if (v === null || v === undefined || !Number.isFinite(v)) continue
    const a = Math.abs(v)
    if (a > max) max = a
    if (!Number.isInteger(v)) integers = false
  }
  if (max === 0) return { decimals: 0, exponent: false, digits }
  if (max >= 1e15 || max < 1e-4) return { decimals: 0, exponent: true, digits }
  if (integers) return { decimals: 0, exponent: false, digits }
  const decimals = Math.min(MAX_DECIMALS, Math.max(0, digits - 1 - magnitude(max)))
  return { decimals, exponent: false, digits }
}

/** A number in a style from `numberStyle`. */
export function formatStyled(x: number | null | undefined, style: NumberStyle): string {
  const bad = notFinite(x)
  if (bad !== null) return bad
  const v = x as number
  if (style.exponent && v !== 0) return exponent(v, style.digits)
  let text = v.toFixed(style.decimals)
  if (/^-0(\.0*)?$/.test(text)) text = text.slice(1) // no "-0.00"
  return group(text)
}

function exponent(v: number, digits: number): string {
  const [mantissa, exp] = v.toExponential(Math.max(0, digits - 1)).split('e')
  const m = mantissa.includes('.') ? mantissa.replace(/\.?0+$/, '') : mantissa
  return `${m}e${exp.replace('+', '')}`
}

/**
 * One number on its own: `digits` significant digits (never fewer than its integer part),
 * trailing zeros dropped, thousands separators: 3.02943 → "3.029", 1234567.8 → "1,234,568",
 * 0.1 + 0.2 → "0.3", 4e-5 → "4e-5".
 */
export function formatNumber(x: number | null | undefined, digits = 4): string {
  const bad = notFinite(x)
  if (bad !== null) return bad
  const v = x as number
  const style = numberStyle([v], digits)
  if (style.exponent) return formatStyled(v, style)
  const text = formatStyled(v, style)
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text
}

/** A fraction as a percentage: 0.1234 → "12.3 %". */
export function formatPercent(fraction: number | null | undefined, decimals = 1): string {
  const bad = notFinite(fraction)
  if (bad !== null) return NO_VALUE
  return `${formatStyled((fraction as number) * 100, { decimals, exponent: false, digits: 4 })} %`
}

/** "12.3 % better" / "4.0 % worse": the change of `value` against `reference` (lower is better). */
export function formatChange(value: number, reference: number): string {
  if (!Number.isFinite(value) || !Number.isFinite(reference) || reference === 0) return NO_VALUE
  const change = (value - reference) / Math.abs(reference)
  return `${formatPercent(Math.abs(change))} ${change <= 0 ? 'better' : 'worse'}`
}

/**
 * A number for a file another program reads: every digit that carries information, no float
 * noise: at most 15 significant digits, trailing zeros dropped (0.1 + 0.2 → "0.3"; the 16th and
 * 17th digit of a computed double are rounding noise, and every decimal with 15 digits reads
 * back to itself). Values read from a file (23.1) come back as written. Empty for a missing
 * value.
 */
export function exportNumber(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return ''
  return String(Number(x.toPrecision(15)))
}

/** `a − b` as written from the exported forms of a and b, without float noise (15 digits). */
export function exportDifference(
  a: number | null | undefined,
  b: number | null | undefined,
): string {
  const ta = exportNumber(a)
  const tb = exportNumber(b)
  if (ta === '' || tb === '') return ''
  return String(Number((Number(ta) - Number(tb)).toPrecision(15)))
}

/** Bytes as "629 KB", "1.2 MB". */
export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return NO_VALUE
  if (n < 1024) return `${Math.round(n)} B`
  const units = ['KB', 'MB', 'GB', 'TB']
  let v = n / 1024
  let u = 0
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024
    u++
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`
}

import {
  CsvStreamParser,
  parseCsv,
  type ImportResult,
  type ParseOptions,
} from '../../../src/shared/csv'
import type { Column } from '../../../src/shared/series/dataset'

export const enc = new TextEncoder()

/** Parses `input` handed over in chunks of `size` bytes. */
export function parseInChunks(
  input: string | Uint8Array,
  size: number,
  options: Partial<ParseOptions> = {},
): ImportResult {
  const bytes = typeof input === 'string' ? enc.encode(input) : input
  const parser = new CsvStreamParser({ fileName: 'test.csv', ...options })
  for (let i = 0; i < bytes.length; i += size) parser.push(bytes.slice(i, i + size))
  return parser.finish()
}

export function parse(
  input: string | Uint8Array,
  options: Partial<ParseOptions> = {},
): ImportResult {
  return parseCsv(input, { fileName: 'test.csv', ...options })
}

export function col(result: ImportResult, name: string): Column {
  const c = result.dataset.columns.find((x) => x.name === name)
  if (!c) throw new Error(`no column ${name}; have ${result.dataset.columns.map((x) => x.name)}`)
  return c
}

export function nums(result: ImportResult, name: string): number[] {
  const c = col(result, name)
  if (c.kind === 'text') throw new Error(`${name} is text`)
  return Array.from(c.values)
}

export function texts(result: ImportResult, name: string): (string | null)[] {
  const c = col(result, name)
  if (c.kind !== 'text') throw new Error(`${name} is ${c.kind}`)
  return Array.from(c.codes, (k) => (k < 0 ? null : c.categories[k]))
}

export function codes(result: ImportResult): string[] {
  return result.report.issues.map((i) => i.code)
}

/** Catches a thrown error and returns it (fails the test when nothing is thrown). */
export function caught(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  throw new Error('expected an error, nothing was thrown')
}

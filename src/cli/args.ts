/**
 * A small argument parser for the headless CLI: `--name value`, `--name=value`, boolean
 * `--flag`, and positionals. Unknown options are errors that say which options exist.
 */
import { SeqcastError } from '../shared/errors'

export interface OptionSpec {
  /** `string` takes a value; `boolean` is a bare flag. */
  type: 'string' | 'boolean'
  description: string
  /** Shown in the usage line, e.g. `<col>`. */
  value?: string
  required?: boolean
}

export type OptionSpecs = Record<string, OptionSpec>

export interface ParsedArgs {
  positionals: string[]
  options: Record<string, string | boolean | undefined>
}

export function parseArgs(argv: string[], specs: OptionSpecs, command: string): ParsedArgs {
  const positionals: string[] = []
  const options: Record<string, string | boolean | undefined> = {}
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1))
      break
    }
    if (!arg.startsWith('--')) {
      positionals.push(arg)
      continue
    }
    const eq = arg.indexOf('=')
    const name = arg.slice(2, eq < 0 ? undefined : eq)
    const spec = specs[name]
    if (!spec) {
      throw usageError(
        `${command}: unknown option --${name}. Options: ${Object.keys(specs)
          .map((k) => `--${k}`)
          .join(', ')}.`,
        { option: name },
      )
    }
    if (spec.type === 'boolean') {
      if (eq >= 0)
        throw usageError(`${command}: --${name} is a flag and takes no value.`, { option: name })
      options[name] = true
      continue
    }
    let value: string | undefined
    if (eq >= 0) value = arg.slice(eq + 1)
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) value = argv[++i]
    if (value === undefined || value === '') {
      throw usageError(
        `${command}: --${name} expects a value ${spec.value ?? ''}`.trimEnd() + '.',
        {
          option: name,
        },
      )
    }
    options[name] = value
  }
  for (const [name, spec] of Object.entries(specs)) {
    if (spec.required && options[name] === undefined) {
      throw usageError(
        `${command}: --${name} ${spec.value ?? ''} is required (${spec.description}).`,
        {
          option: name,
        },
      )
    }
  }
  return { positionals, options }
}

export function usageError(message: string, details: Record<string, unknown> = {}): SeqcastError {
  return new SeqcastError('invalid-argument', message, { ...details, usage: true })
}

/** A whole number option: "--sequence-length: expected a whole number ≥ 1, received "abc"." */
export function intOption(
  options: ParsedArgs['options'],
  name: string,
  min: number,
  fallback?: number,
): number {
  const raw = options[name]
  if (raw === undefined) {
    if (fallback === undefined) throw usageError(`--${name} is required.`, { option: name })
    return fallback
  }
  const n = Number(raw)
  if (typeof raw !== 'string' || !/^-?\d+$/.test(raw.trim()) || n < min) {
    throw usageError(`--${name}: expected a whole number ≥ ${min}, received "${String(raw)}".`, {
      option: name,
    })
  }
  return n
}

export function numberOption(
  options: ParsedArgs['options'],
  name: string,
  fallback: number,
  check: (n: number) => boolean = Number.isFinite,
  expected = 'a number',
): number {
  const raw = options[name]
  if (raw === undefined) return fallback
  const n = Number(raw)
  if (typeof raw !== 'string' || raw.trim() === '' || !check(n)) {
    throw usageError(`--${name}: expected ${expected}, received "${String(raw)}".`, {
      option: name,
    })
  }
  return n
}

/** `--split 0.5,0.25` → { train: 0.5, val: 0.25 } */
export function splitOption(
  options: ParsedArgs['options'],
  fallback: { train: number; val: number },
): { train: number; val: number } {
  const raw = options.split
  if (raw === undefined) return fallback
  const parts = String(raw).split(',').map(Number)
  if (parts.length !== 2 || parts.some((p) => !Number.isFinite(p))) {
    throw usageError(
      `--split: expected two fractions "train,val" such as 0.5,0.25 (the test split takes the rest), received "${String(raw)}".`,
      { option: 'split' },
    )
  }
  return { train: parts[0], val: parts[1] }
}

/** `--features "a,b,c"`; column names with commas can be given as a JSON array. */
export function listOption(options: ParsedArgs['options'], name: string): string[] | undefined {
  const raw = options[name]
  if (raw === undefined) return undefined
  const text = String(raw).trim()
  if (text.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text)
      if (Array.isArray(parsed) && parsed.every((p) => typeof p === 'string')) return parsed
    } catch {
      // fall through to the message below
    }
    throw usageError(`--${name}: expected a JSON array of column names, received ${text}.`, {
      option: name,
    })
  }
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
}

export function usage(
  command: string,
  summary: string,
  specs: OptionSpecs,
  positional = '',
  invocation = `npm run forecast -- ${command}`,
): string {
  const lines = [`${invocation} ${positional}`.trimEnd(), '', summary, '']
  const width = Math.max(
    ...Object.entries(specs).map(([k, s]) => k.length + (s.value?.length ?? 0) + 4),
  )
  for (const [name, spec] of Object.entries(specs)) {
    const left = `--${name}${spec.value ? ` ${spec.value}` : ''}`
    lines.push(`  ${left.padEnd(width)}  ${spec.description}${spec.required ? ' (required)' : ''}`)
  }
  return lines.join('\n')
}

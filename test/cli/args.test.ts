import { describe, expect, it } from 'vitest'
import { intOption, listOption, parseArgs, splitOption } from '../../src/cli/args'

const specs = {
  target: { type: 'string', description: 'target', required: true },
  json: { type: 'boolean', description: 'json' },
  'sequence-length': { type: 'string', description: 'L' },
} as const

describe('CLI arguments', () => {
  it('reads --name value, --name=value, flags and positionals', () => {
    const a = parseArgs(
      ['f.csv', '--target', 'T (degC)', '--sequence-length=120', '--json'],
      specs,
      'baseline',
    )
    expect(a).toEqual({
      positionals: ['f.csv'],
      options: { target: 'T (degC)', 'sequence-length': '120', json: true },
    })
  })
  it('names unknown and missing options', () => {
    expect(() => parseArgs(['--tagret', 'x'], specs, 'baseline')).toThrow(
      'baseline: unknown option --tagret. Options: --target, --json, --sequence-length.',
    )
    expect(() => parseArgs([], specs, 'baseline')).toThrow(
      'baseline: --target  is required (target).',
    )
    expect(() => parseArgs(['--target'], specs, 'baseline')).toThrow(
      'baseline: --target expects a value.',
    )
  })
  it('validates numbers with expected/received', () => {
    expect(intOption({ l: '12' }, 'l', 1)).toBe(12)
    expect(() => intOption({ l: '1.5' }, 'l', 1)).toThrow(
      '--l: expected a whole number ≥ 1, received "1.5".',
    )
    expect(() => intOption({ l: '0' }, 'l', 1)).toThrow(/received "0"/)
    expect(() => splitOption({ split: '0.5' }, { train: 0.5, val: 0.25 })).toThrow(
      /expected two fractions/,
    )
    expect(splitOption({ split: '0.7,0.15' }, { train: 0.5, val: 0.25 })).toEqual({
      train: 0.7,
      val: 0.15,
    })
  })
  it('lists columns, with a JSON array for names holding commas', () => {
    expect(listOption({ f: 'a, b,c' }, 'f')).toEqual(['a', 'b', 'c'])
    expect(listOption({ f: '["x, y", "z"]' }, 'f')).toEqual(['x, y', 'z'])
  })
})

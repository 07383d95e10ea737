/** --transform and --calendar as `train` and `baseline` read them. */
import { describe, expect, it } from 'vitest'
import { experimentFromArgs, experimentOptions } from '../../src/cli/experiment-args'
import { parseArgs } from '../../src/cli/args'
import { parseCsv } from '../../src/shared/csv'

const data = parseCsv('date,y\n2000-01,1\n2000-02,2\n2000-03,3\n', { fileName: 'm.csv' }).dataset

function read(...extra: string[]) {
  const args = parseArgs(
    ['--target', 'y', '--sequence-length', '2', '--delay', '2', ...extra],
    experimentOptions,
    'train',
  )
  return experimentFromArgs(args.options, data, null)
}

describe('--transform and --calendar', () => {
  it('default to auto (chosen when the experiment is prepared)', () => {
    const e = read()
    expect(e.transform).toBe('auto')
    expect(e.calendar).toBe('auto')
  })

  it('read a kind with ",log", a seasonal with the --season, and a calendar list in canonical order', () => {
    expect(read('--transform', 'change,log').transform).toEqual({
      kind: 'change',
      log: true,
      seasonRows: null,
    })
    expect(read('--transform', 'seasonal', '--season', '12').transform).toEqual({
      kind: 'seasonal',
      log: false,
      seasonRows: 12,
    })
    expect(read('--calendar', 'month,hour').calendar).toEqual(['hour', 'month'])
    expect(read('--calendar', 'none').calendar).toBe('none')
  })

  it('refuse unknown values, naming the option and the accepted ones', () => {
    expect(() => read('--transform', 'diff')).toThrow(
      /Transform: expected none, change or seasonal, optionally with ",log".*received "diff"/,
    )
    expect(() => read('--calendar', 'week')).toThrow(
      /Calendar features: expected auto, none or a list of hour, dow, doy, month, received "week"/,
    )
    expect(() => read('--transform', 'seasonal')).toThrow(/Set the season \(--season/)
  })
})

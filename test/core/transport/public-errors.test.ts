import { describe, expect, it } from 'vitest'
import { publicErrorInfo, stripPaths } from '../../../src/core/transport/public-errors'
import { toErrorInfo } from '../../../src/shared/errors'

describe('errors as a page sees them', () => {
  it('cut server paths to their last part', () => {
    expect(
      stripPaths("ENOENT: no such file, open '/tmp/seqcast-uploads-0/1-ab/cd/sales.csv'"),
    ).toBe("ENOENT: no such file, open 'sales.csv'")
    expect(stripPaths('Cannot write /srv/app/out/model: the disk is full.')).toBe(
      'Cannot write model: the disk is full.',
    )
    expect(stripPaths('C:\\Users\\me\\data\\x.csv is locked')).toBe('x.csv is locked')
    // not paths: fractions, ratios, a lone slash
    expect(stripPaths('rows 3/4 done, 1 / 2 of the columns')).toBe(
      'rows 3/4 done, 1 / 2 of the columns',
    )
  })

  it('never carry a stack trace or path details', () => {
    const error = new TypeError("Cannot read properties of undefined (reading 'x')")
    error.stack = `TypeError: boom\n    at f (/opt/seqcast/out/main/serve.js:10:5)`
    const info = publicErrorInfo(toErrorInfo(error))
    expect(info.kind).toBe('internal')
    expect(JSON.stringify(info)).not.toContain('/opt/seqcast')
    expect(info.details).toEqual({})
    const withPath = publicErrorInfo({
      kind: 'io',
      message: 'Cannot open /var/tmp/u/1/a.csv: it does not exist.\n    at open (node:fs)',
      details: { path: '/var/tmp/u/1/a.csv', file: '/var/tmp/u/1/a.csv', code: 'ENOENT' },
    })
    expect(withPath).toEqual({
      kind: 'io',
      message: 'Cannot open a.csv: it does not exist.',
      details: { file: 'a.csv', code: 'ENOENT' },
    })
  })
})

import { describe, expect, it } from 'vitest'
import { SeqcastError } from '../../../src/shared/errors'
import { FileGrants } from '../../../src/core/transport/grants'

function refusal(fn: () => unknown): SeqcastError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(SeqcastError)
    return error as SeqcastError
  }
  throw new Error('expected a refusal')
}

describe('FileGrants', () => {
  it('hands out opaque handles that reveal neither the path nor each other', () => {
    const grants = new FileGrants()
    const a = grants.grant({
      capability: 'read',
      path: '/home/u/data/sales.csv',
      name: 'sales.csv',
    })
    const b = grants.grant({
      capability: 'read',
      path: '/home/u/data/sales.csv',
      name: 'sales.csv',
    })
    expect(a.name).toBe('sales.csv')
    expect(a.handle).toMatch(/^[A-Za-z0-9_-]{24}$/)
    expect(a.handle).not.toBe(b.handle)
    expect(JSON.stringify(a)).not.toContain('/home')
    expect(grants.take(a.handle, 'read', 'Import').path).toBe('/home/u/data/sales.csv')
  })

  it('refuses unknown handles and handles of another capability', () => {
    const grants = new FileGrants()
    expect(refusal(() => grants.take('AAAAAAAAAAAAAAAAAAAAAAAA', 'read', 'Import')).message).toBe(
      'Import: the file is no longer available (its handle is unknown, was used already, or the app restarted). Choose the file again.',
    )
    const read = grants.grant({ capability: 'read', path: '/d/a.csv', name: 'a.csv' })
    const e = refusal(() => grants.take(read.handle, 'write-folder', 'Export model folder'))
    expect(e.message).toContain(
      'expected a folder chosen in the save dialog, received a file opened for reading (a.csv)',
    )
    // a refused take does not use up the grant
    expect(grants.take(read.handle, 'read', 'Import').name).toBe('a.csv')
  })

  it('uses up a write grant on its first use; a read grant lasts until released', () => {
    let released = 0
    const grants = new FileGrants()
    const write = grants.grant({ capability: 'write-file', path: '/d/out.csv', name: 'out.csv' })
    expect(grants.take(write.handle, 'write-file', 'Save').path).toBe('/d/out.csv')
    expect(refusal(() => grants.take(write.handle, 'write-file', 'Save')).kind).toBe('not-found')
    const read = grants.grant({
      capability: 'read',
      path: '/d/a.csv',
      name: 'a.csv',
      onRelease: () => released++,
    })
    grants.take(read.handle, 'read', 'Import')
    grants.take(read.handle, 'read', 'Import')
    grants.release(read.handle)
    grants.release(read.handle)
    expect(released).toBe(1)
    expect(refusal(() => grants.take(read.handle, 'read', 'Import')).kind).toBe('not-found')
  })

  it('keeps at most `limit` grants, releasing the oldest', () => {
    const released: string[] = []
    const grants = new FileGrants(2)
    const names = ['a', 'b', 'c'].map(
      (n) =>
        grants.grant({
          capability: 'read',
          path: `/d/${n}`,
          name: n,
          onRelease: () => released.push(n),
        }).handle,
    )
    expect(grants.size).toBe(2)
    expect(released).toEqual(['a'])
    expect(grants.take(names[2], 'read', 'x').name).toBe('c')
    grants.clear()
    expect(released).toEqual(['a', 'b', 'c'])
  })
})

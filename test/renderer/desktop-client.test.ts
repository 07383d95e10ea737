/**
 * The Electron client over a stand-in for the preload's bridge: the renderer sends handles and
 * never a path, whether the file came from main's open dialog, a drop, or a save dialog.
 */
import { describe, expect, it } from 'vitest'
import { ElectronClient } from '../../src/renderer/src/api/desktop'
import type { SeqcastBridge } from '../../src/shared/ipc/bridge'
import { SeqcastError } from '../../src/shared/errors'

function bridge(answers: Record<string, unknown>) {
  const sent: [string, unknown][] = []
  const dropped: string[] = []
  const b: SeqcastBridge = {
    invoke: (async (channel: string, request: unknown) => {
      sent.push([channel, request])
      return { ok: true, value: answers[channel] }
    }) as SeqcastBridge['invoke'],
    on: () => () => {},
    grantDropped: async (file: File) => {
      dropped.push(file.name)
      if (file.name === 'from-web.csv')
        return {
          ok: false,
          error: { kind: 'io', message: 'This item has no file on disk.', details: {} },
        }
      return { ok: true, value: { handle: `h-${file.name}-0123456789`, name: file.name } }
    },
  }
  return { b, sent, dropped }
}

describe('Electron client', () => {
  it('opens files through main’s dialog and imports them by handle', async () => {
    const { b, sent } = bridge({
      'dialog:open': { files: [{ handle: 'H1234567890123456', name: 'sales.csv' }] },
    })
    const client = new ElectronClient(b)
    const picked = await client.openFilePicker('csv', true)
    expect(picked).toEqual([{ handle: 'H1234567890123456', name: 'sales.csv' }])
    expect(await client.fileSource(picked![0])).toEqual({ handle: 'H1234567890123456' })
    expect(sent).toEqual([['dialog:open', { kind: 'csv', multiple: true }]])
  })

  it('turns dropped files into handles main granted, and reports a drop main refused', async () => {
    const { b, dropped } = bridge({})
    const client = new ElectronClient(b)
    const files = [{ name: 'a.csv' }, { name: 'b.csv' }] as File[]
    expect(await client.fromDropped(files)).toEqual([
      { name: 'a.csv', handle: 'h-a.csv-0123456789' },
      { name: 'b.csv', handle: 'h-b.csv-0123456789' },
    ])
    expect(dropped).toEqual(['a.csv', 'b.csv'])
    const error = await client.fromDropped([{ name: 'from-web.csv' } as File]).catch((e) => e)
    expect(error).toBeInstanceOf(SeqcastError)
    expect(error.message).toBe('This item has no file on disk.')
  })

  it('saves through main’s save dialog, then writes by the handle it granted', async () => {
    const { b, sent } = bridge({
      'dialog:save': { handle: 'W1234567890123456', name: 'f.csv', location: '/home/u/f.csv' },
      'file:write': { location: '/home/u/f.csv' },
    })
    const client = new ElectronClient(b)
    expect(await client.saveFile('f.csv', 'a\n1\n', 'csv')).toBe('/home/u/f.csv')
    expect(sent).toEqual([
      ['dialog:save', { suggestedName: 'f.csv', kind: 'csv' }],
      ['file:write', { handle: 'W1234567890123456', data: 'a\n1\n' }],
    ])
    // no request carried a path
    expect(JSON.stringify(sent)).not.toContain('/home')
  })

  it('writes nothing when the save dialog is cancelled', async () => {
    const { b, sent } = bridge({ 'dialog:save': null })
    const client = new ElectronClient(b)
    expect(await client.saveFile('f.csv', 'x', 'csv')).toBeNull()
    expect(sent.map(([c]) => c)).toEqual(['dialog:save'])
  })
})

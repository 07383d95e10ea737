import { describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SettingsFile } from '../../src/main/settings'

describe('desktop settings file', () => {
  it('remembers window bounds and the last folder across restarts', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'seqcast-settings-')), 'nested', 'settings.json')
    const a = new SettingsFile(path)
    a.update({ window: { x: 10, y: 20, width: 1200, height: 800, maximized: false } })
    a.update({ lastFolder: '/data' })
    expect(new SettingsFile(path).get()).toEqual({
      window: { x: 10, y: 20, width: 1200, height: 800, maximized: false },
      lastFolder: '/data',
    })
    expect(JSON.parse(readFileSync(path, 'utf8')).lastFolder).toBe('/data')
  })
  it('falls back to defaults on a corrupt or invalid file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'seqcast-settings-'))
    writeFileSync(join(dir, 'a.json'), '{not json')
    writeFileSync(
      join(dir, 'b.json'),
      JSON.stringify({ window: { width: 5, height: 5, maximized: 'yes' } }),
    )
    expect(new SettingsFile(join(dir, 'a.json')).get()).toEqual({})
    expect(new SettingsFile(join(dir, 'b.json')).get()).toEqual({})
  })
})

/**
 * Small persistent settings of the desktop shell (window bounds, last folder), kept as JSON in
 * the user-data folder. A corrupt or unreadable file falls back to defaults instead of failing.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { z } from 'zod'

const settingsSchema = z.object({
  window: z
    .object({
      x: z.number().int().optional(),
      y: z.number().int().optional(),
      width: z.number().int().min(400).max(20_000),
      height: z.number().int().min(300).max(20_000),
      maximized: z.boolean(),
    })
    .optional(),
  lastFolder: z.string().max(4096).optional(),
})

export type Settings = z.infer<typeof settingsSchema>

export class SettingsFile {
  private value: Settings

  constructor(private readonly path: string) {
    this.value = SettingsFile.read(path)
  }

  static read(path: string): Settings {
    try {
      const parsed = settingsSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')))
      return parsed.success ? parsed.data : {}
    } catch {
      return {}
    }
  }

  get(): Settings {
    return this.value
  }

  update(patch: Partial<Settings>): void {
    this.value = { ...this.value, ...patch }
    mkdirSync(dirname(this.path), { recursive: true })
    // Write then rename, so a crash mid-write never leaves half a file.
    const tmp = `${this.path}.tmp`
    writeFileSync(tmp, JSON.stringify(this.value, null, 2))
    renameSync(tmp, this.path)
  }
}

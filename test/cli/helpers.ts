/**
 * What the CLI tests share: a CliIO that keeps what a command writes, and the monthly series
 * with trend and yearly season several tests run on (values known to the test, not read back).
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CliIO } from '../../src/cli/io'
import { gaussian } from '../shared/gaussian'

export type CapturedIO = CliIO & { out: () => string; err: () => string }

/** A CliIO that keeps stdout and stderr as text. */
export function captureIO(): CapturedIO {
  let out = ''
  let err = ''
  return {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    out: () => out,
    err: () => err,
  }
}

/**
 * 240 months from 2001-01 of 200 + t + 15·sin(2πt/12) + 3·noise (noise seeded), written to
 * `dir/monthly.csv` as `month,y`. Returns the file and the values.
 */
export function writeMonthly(dir: string, seed: number): { csv: string; values: number[] } {
  const noise = gaussian(seed)
  const values = Array.from(
    { length: 240 },
    (_, t) => 200 + t + 15 * Math.sin((2 * Math.PI * t) / 12) + 3 * noise(),
  )
  const csv = join(dir, 'monthly.csv')
  writeFileSync(
    csv,
    'month,y\n' +
      values
        .map((v, t) => `${new Date(Date.UTC(2001, t, 1)).toISOString().slice(0, 7)},${v}`)
        .join('\n') +
      '\n',
  )
  return { csv, values }
}

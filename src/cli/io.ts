/** Where CLI commands write; tests pass in-memory sinks. */
export interface CliIO {
  stdout: { write(text: string): unknown; isTTY?: boolean }
  stderr: { write(text: string): unknown; isTTY?: boolean }
}

export type Command = (argv: string[], io: CliIO) => Promise<number>

/**
 * Exit codes: 0 success, 1 a problem with the input or the run, 2 a usage error, 64 an output
 * (`--out`) that cannot be written, found before any work (sysexits' EX_USAGE: the command line
 * is at fault), 70 a bug.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, output: 64, internal: 70 } as const

/** A one-line progress bar on a terminal; nothing when stderr is not a terminal. */
export function progressBar(
  io: CliIO,
  label: string,
): { update(done: number, total: number, extra?: string): void; end(): void } {
  const tty = io.stderr.isTTY === true
  let lastDraw = 0
  let drawn = false
  return {
    update(done, total, extra = '') {
      if (!tty) return
      const now = Date.now()
      if (now - lastDraw < 80 && done < total) return
      lastDraw = now
      const frac = total > 0 ? Math.min(1, done / total) : 0
      const width = 28
      const fill = Math.round(frac * width)
      io.stderr.write(
        `\r${label} [${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${(frac * 100).toFixed(0).padStart(3)}% ${extra}\x1b[K`,
      )
      drawn = true
    },
    end() {
      if (tty && drawn) io.stderr.write('\r\x1b[K')
    },
  }
}

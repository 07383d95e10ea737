/**
 * Writes that arrive faster than storage takes them, coalesced: one write at a time, and what
 * arrived meanwhile goes in the next write as one batch. Training sends an epoch record (and
 * often a checkpoint) every few milliseconds on small data; one IndexedDB transaction per event
 * that re-reads and re-writes the whole run fell further behind with every epoch (issue #12
 * item 13), so the saved history lagged the epoch counter by dozens of epochs.
 */
export interface Coalescer<T> {
  push(item: T): void
  /** Resolves when everything pushed so far is written (or its write failed). */
  idle(): Promise<void>
}

export function coalesce<T>(
  write: (items: T[]) => Promise<void>,
  onError: (error: unknown) => void,
): Coalescer<T> {
  let pending: T[] = []
  let running: Promise<void> | null = null

  async function drain(): Promise<void> {
    while (pending.length) {
      const batch = pending
      pending = []
      try {
        await write(batch)
      } catch (e) {
        onError(e)
      }
    }
    running = null
  }

  return {
    push(item) {
      pending.push(item)
      running ??= drain()
    },
    idle: () => running ?? Promise.resolve(),
  }
}

/** One coalescer per key (a run id), created on first use. */
export function coalesceByKey<T>(
  write: (key: string, items: T[]) => Promise<void>,
  onError: (error: unknown) => void,
): { push(key: string, item: T): void; idle(key: string): Promise<void> } {
  const byKey = new Map<string, Coalescer<T>>()
  return {
    push(key, item) {
      let c = byKey.get(key)
      if (!c) {
        c = coalesce((items) => write(key, items), onError)
        byKey.set(key, c)
      }
      c.push(item)
    },
    idle: (key) => byKey.get(key)?.idle() ?? Promise.resolve(),
  }
}

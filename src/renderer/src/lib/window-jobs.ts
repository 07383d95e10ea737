/**
 * Jobs a window runs on the engine and saves as they go (a comparison, a backtest): the window
 * holds a Web Lock named after the job for as long as it runs it. The browser releases the lock
 * when the window is reloaded or closed, so any window can tell a job saved as 'running' whose
 * window is gone (interrupted: nobody will save the rest) from one another tab still runs.
 * Without Web Locks (never in Chromium or Electron) every such job counts as interrupted.
 */
const lockName = (jobId: string) => `seqcast-job:${jobId}`

/** Takes the job's lock; resolves once held, with the function that releases it. */
export function holdJob(jobId: string): Promise<() => void> {
  const locks = globalThis.navigator?.locks
  if (!locks) return Promise.resolve(() => {})
  return new Promise((held) => {
    void locks.request(lockName(jobId), () => new Promise<void>((release) => held(release)))
  })
}

/** True when no window holds the job's lock any more (its window was reloaded or closed). */
export async function isOrphaned(jobId: string): Promise<boolean> {
  const locks = globalThis.navigator?.locks
  if (!locks) return true
  return locks.request(lockName(jobId), { ifAvailable: true }, (lock) => lock !== null)
}

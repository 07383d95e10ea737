/**
 * At start-up: comparisons and backtests saved as 'running' whose window is gone (reloaded,
 * closed, the app quit) become 'interrupted', keeping the models or folds that finished. They
 * are never shown as running again: nobody would save the rest. The engine may still be running
 * such a job for the window that is gone (a reload leaves main running); it is cancelled, as its
 * answer would go nowhere. A job another window still runs holds its lock and is left alone.
 */
import { getClient } from '../api'
import { db, write, type SeqcastDB } from '../db'
import { isOrphaned } from '../lib/window-jobs'

/** Marks orphaned running comparisons and backtests interrupted; returns their ids. */
export async function markInterruptedJobs(d: SeqcastDB = db()): Promise<string[]> {
  const arenas = (await d.arenas.toArray()).filter((a) => a.status === 'running')
  const backtests = (await d.backtests.toArray()).filter((b) => b.status === 'running')
  const marked: string[] = []
  for (const { id } of [...arenas, ...backtests]) {
    if (!(await isOrphaned(id))) continue
    await write('the interrupted job', () =>
      d.transaction('rw', d.arenas, d.backtests, async () => {
        const arena = await d.arenas.get(id)
        if (arena?.status === 'running')
          await d.arenas.put({ ...arena, status: 'interrupted', updatedAt: Date.now() })
        const backtest = await d.backtests.get(id)
        if (backtest?.status === 'running')
          await d.backtests.put({ ...backtest, status: 'interrupted' })
      }),
    )
    marked.push(id)
    // The job's id is its row's id: stop what main may still compute for the window that is gone.
    await getClient()
      .invoke('job:cancel', { jobId: id })
      .catch(() => undefined)
  }
  return marked
}

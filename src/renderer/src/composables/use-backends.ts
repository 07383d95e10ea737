/**
 * Which TensorFlow.js backend the engine uses for 'auto', asked once (`engine:backends`) when
 * the Experiment view opens, so the Train view can name it while a run trains (the run's own
 * report arrives with its result).
 */
import { shallowRef } from 'vue'
import type { BackendReport } from '@shared/run'
import { getClient } from '../api'

const report = shallowRef<BackendReport | null>(null)
let pending: Promise<void> | null = null

export function useBackends() {
  function refresh(): Promise<void> {
    if (report.value) return Promise.resolve()
    // Bounded: if the engine does not answer (busy starting), ask again next time.
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('timeout')), 15_000),
    )
    pending ??= Promise.race([getClient().invoke('engine:backends', {}), timeout])
      .then((r) => {
        report.value = r
      })
      .catch(() => {
        // Not known yet; the run's result names the backend it used.
      })
      .finally(() => {
        pending = null
      })
    return pending
  }
  return { report, refresh }
}

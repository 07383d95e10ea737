/**
 * Which TensorFlow.js backend the engine uses for 'auto' (`engine:backends`): asked once when the
 * Experiment view opens, so the Train view can name it until a run's own report arrives
 * (`run:backend`), and on demand for Help → Backend report, which shows it in a dialog.
 */
import { ref, shallowRef } from 'vue'
import type { BackendReport } from '@shared/run'
import { getClient } from '../api'
import { useNotices } from './use-notices'

const report = shallowRef<BackendReport | null>(null)
const dialogOpen = ref(false)
const asking = ref(false)
let pending: Promise<void> | null = null

function ask(): Promise<BackendReport> {
  // Bounded: if the engine does not answer (busy starting), say so instead of waiting forever.
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            'The engine did not answer within 15 s (it may be starting or busy training). Try again in a moment.',
          ),
        ),
      15_000,
    )
  })
  return Promise.race([getClient().invoke('engine:backends', {}), timeout]).finally(() =>
    clearTimeout(timer),
  )
}

export function useBackends() {
  const notices = useNotices()

  function refresh(): Promise<void> {
    if (report.value) return Promise.resolve()
    pending ??= ask()
      .then((r) => {
        report.value = r
      })
      .catch(() => {
        // Not known yet; the run's own report names the backend it uses.
      })
      .finally(() => {
        pending = null
      })
    return pending
  }

  /** Help → Backend report: asks the engine again and opens the dialog. */
  async function showReport(): Promise<void> {
    asking.value = true
    try {
      report.value = await ask()
      dialogOpen.value = true
    } catch (e) {
      notices.error(e, 'Could not ask the engine which backend it uses')
    } finally {
      asking.value = false
    }
  }

  return { report, refresh, showReport, dialogOpen, asking }
}

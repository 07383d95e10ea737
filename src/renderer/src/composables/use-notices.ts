/**
 * Error banners and short confirmations. Errors show their message as written (it names the
 * file / row / column / setting and the fix); nothing is swallowed: every caught failure of an
 * action lands here unless the view shows it inline.
 *
 * A notice belongs to what raised it (its scope): an import ('import'), or an action in a view
 * ('view:library', the view shown when it was raised). It goes away when that is over: a new
 * import clears the last import's notices, leaving a view clears the notices its actions raised,
 * and opening another dataset clears those of the views that show a dataset (App.vue).
 */
import { reactive } from 'vue'
import { toErrorInfo, type ErrorInfo } from '@shared/errors'
import { useRoute } from './use-route'

export interface Notice {
  id: number
  tone: 'error' | 'warning' | 'success' | 'info'
  title: string
  message: string
  kind?: ErrorInfo['kind']
  /** What raised it: 'import', or 'view:<name>' for an action in that view. */
  scope: string
}

const notices = reactive<Notice[]>([])
let nextId = 1

const TITLES: Partial<Record<ErrorInfo['kind'], string>> = {
  csv: 'The file could not be read',
  column: 'Column problem',
  window: 'Window settings do not fit the data',
  config: 'Invalid setting',
  backend: 'No training backend',
  training: 'Training failed',
  'nan-loss': 'Training diverged',
  cancelled: 'Cancelled',
  'model-mismatch': 'The model does not fit this dataset',
  io: 'Reading or writing failed',
  quota: 'Storage is full',
  'not-found': 'Not found',
  'invalid-payload': 'Invalid request',
  internal: 'Unexpected error',
}

export function titleFor(kind: ErrorInfo['kind']): string {
  return TITLES[kind] ?? 'Error'
}

export function useNotices() {
  const route = useRoute()
  function push(
    notice: Omit<Notice, 'id' | 'scope'> & { scope?: string },
    timeoutMs?: number,
  ): number {
    const id = nextId++
    notices.push({ ...notice, scope: notice.scope ?? `view:${route.view.value}`, id })
    while (notices.length > 8) {
      const oldest = notices.findIndex((n) => n.tone !== 'error')
      notices.splice(oldest >= 0 ? oldest : 0, 1)
    }
    if (timeoutMs) setTimeout(() => dismiss(id), timeoutMs)
    return id
  }
  function error(err: unknown, title?: string, scope?: string): number {
    const info = toErrorInfo(err)
    if (info.kind === 'internal') console.error(err)
    return push({
      tone: info.kind === 'cancelled' ? 'info' : 'error',
      title: title ?? titleFor(info.kind),
      message: info.message,
      kind: info.kind,
      scope,
    })
  }
  function success(message: string, title = 'Done', scope?: string): number {
    return push({ tone: 'success', title, message, scope }, 6000)
  }
  /** Removes the notices of these scopes (what raised them is over). */
  function clearScope(...scopes: string[]): void {
    for (let i = notices.length - 1; i >= 0; i--)
      if (scopes.includes(notices[i].scope)) notices.splice(i, 1)
  }
  function dismiss(id: number): void {
    const i = notices.findIndex((n) => n.id === id)
    if (i >= 0) notices.splice(i, 1)
  }
  /** Runs an action and reports its failure; returns undefined when it failed. */
  async function attempt<T>(action: () => Promise<T>, title?: string): Promise<T | undefined> {
    try {
      return await action()
    } catch (err) {
      error(err, title)
      return undefined
    }
  }
  return { notices, push, error, success, dismiss, attempt, clearScope }
}

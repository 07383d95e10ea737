/**
 * Dexie's liveQuery as a Vue ref: re-runs when the tables it read change (in this tab or any
 * other), re-subscribes when its reactive inputs change, unsubscribes with the component.
 */
import { getCurrentScope, onScopeDispose, shallowRef, watch, type Ref, type WatchSource } from 'vue'
import { liveQuery } from 'dexie'
import { useNotices } from './use-notices'

export function useLiveQuery<T, D = null>(
  query: (deps: D) => Promise<T>,
  initial: T,
  deps?: WatchSource<D>,
): { value: Ref<T>; loaded: Ref<boolean> } {
  const value = shallowRef(initial) as Ref<T>
  const loaded = shallowRef(false)
  const { error } = useNotices()
  let subscription: { unsubscribe(): void } | null = null
  const subscribe = (d: D) => {
    subscription?.unsubscribe()
    loaded.value = false
    subscription = liveQuery(() => query(d)).subscribe({
      next: (v) => {
        value.value = v
        loaded.value = true
      },
      error: (e) => error(e, 'Could not read the Library'),
    })
  }
  if (deps) watch(deps, (d) => subscribe(d), { immediate: true })
  else subscribe(null as D)
  if (getCurrentScope()) onScopeDispose(() => subscription?.unsubscribe())
  return { value, loaded }
}

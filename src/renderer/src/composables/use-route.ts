/**
 * A seven-view router on the URL hash (`#/data`, `#/explore`, …): reload keeps the view, the
 * browser's back button works, and the query string (the session token) is left alone.
 */
import { readonly, ref } from 'vue'

export const VIEWS = [
  'data',
  'explore',
  'experiment',
  'train',
  'results',
  'forecast',
  'library',
] as const
export type ViewName = (typeof VIEWS)[number]

export const VIEW_LABELS: Record<ViewName, string> = {
  data: 'Data',
  explore: 'Explore',
  experiment: 'Experiment',
  train: 'Train',
  results: 'Results',
  forecast: 'Forecast',
  library: 'Library',
}

export function parseHash(hash: string): ViewName {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0]
  return (VIEWS as readonly string[]).includes(name) ? (name as ViewName) : 'data'
}

const current = ref<ViewName>(typeof location === 'undefined' ? 'data' : parseHash(location.hash))
let listening = false

export function useRoute() {
  if (!listening && typeof window !== 'undefined') {
    listening = true
    window.addEventListener('hashchange', () => {
      current.value = parseHash(location.hash)
    })
  }
  function go(view: ViewName): void {
    if (typeof location !== 'undefined' && parseHash(location.hash) !== view)
      location.hash = `#/${view}`
    current.value = view
  }
  return { view: readonly(current), go }
}

/**
 * The desktop shell's `app://seqcast/…` scheme: which file of the built renderer a request
 * names, or null when it names none. Pure, so the shell's only path check is unit-tested.
 */
import { join } from 'node:path'
import { isInside } from './paths'

export const APP_ORIGIN = 'app://seqcast'

export function appFileFor(rendererDir: string, requestUrl: string): string | null {
  let url: URL
  try {
    url = new URL(requestUrl)
  } catch {
    return null
  }
  if (`${url.protocol}//${url.host}` !== APP_ORIGIN) return null
  let pathname: string
  try {
    pathname = decodeURIComponent(url.pathname)
  } catch {
    return null
  }
  if (pathname.includes('\0')) return null
  const file = join(rendererDir, pathname === '/' ? 'index.html' : pathname)
  // Separator-safe: `out/renderer-old/x` is not inside `out/renderer`.
  return isInside(rendererDir, file) && file !== rendererDir ? file : null
}

/**
 * Errors as a browser page may see them: the message and the kind, never a stack trace and never
 * a path on the server (an upload's temp path, the install folder). Paths in a message are cut
 * to their last part, which for an upload is the user's own file name.
 */
import type { ErrorInfo } from '../../shared/errors'

// An absolute POSIX or Windows path that starts a message or follows a space, quote or bracket.
const ABSOLUTE_PATH =
  /(^|[\s'"`(=:])((?:[A-Za-z]:\\|\/)(?:[^\s'"`()/\\:]+[/\\])+)([^\s'"`()/\\:,;]+)/g
const HIDDEN_DETAILS = new Set(['stack', 'path', 'dir', 'cause', 'name'])

export function stripPaths(text: string): string {
  return text.replace(ABSOLUTE_PATH, (_all, before: string, _dirs: string, last: string) => {
    return `${before}${last}`
  })
}

export function publicErrorInfo(info: ErrorInfo): ErrorInfo {
  const details: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(info.details ?? {})) {
    if (HIDDEN_DETAILS.has(key)) continue
    details[key] = typeof value === 'string' ? stripPaths(value) : value
  }
  // First line only: a message never needs more, and a stack printed into one must not leak.
  const message = stripPaths(info.message.split('\n')[0])
  return { kind: info.kind, message, details }
}

/**
 * Keyboard shortcuts of the window. In the desktop app the menu's accelerators send Ctrl/Cmd+O
 * and Ctrl/Cmd+E as `menu:command`; the browser build has no menu, so the same keys are handled
 * here, except while the person types in a text field (where Ctrl+E or Ctrl+O is theirs).
 * Alt+1…7 switch views in both. Pure (duck-typed targets): unit-tested in test/renderer.
 */
export type ShortcutAction = { command: 'open-csv' | 'export-forecasts' } | { view: number } | null

export interface KeyLike {
  key: string
  ctrlKey: boolean
  metaKey: boolean
  shiftKey: boolean
  altKey: boolean
  target: unknown
}

/** Inputs where keys do not type text (checkbox, range, button, …). */
const NON_TEXT_INPUTS = new Set([
  'button',
  'checkbox',
  'color',
  'file',
  'image',
  'radio',
  'range',
  'reset',
  'submit',
])

/** True when the key goes into a text field, a text area or an editable element. */
export function isTypingTarget(target: unknown): boolean {
  if (!target || typeof target !== 'object') return false
  const el = target as { tagName?: unknown; type?: unknown; isContentEditable?: unknown }
  if (el.isContentEditable === true) return true
  const tag = typeof el.tagName === 'string' ? el.tagName.toUpperCase() : ''
  if (tag === 'TEXTAREA') return true
  if (tag === 'INPUT') {
    const type = typeof el.type === 'string' ? el.type.toLowerCase() : 'text'
    return !NON_TEXT_INPUTS.has(type)
  }
  return false
}

export function shortcutFor(
  e: KeyLike,
  transport: 'electron' | 'browser',
  viewCount: number,
): ShortcutAction {
  const mod = e.ctrlKey || e.metaKey
  if (mod && !e.shiftKey && !e.altKey) {
    // Desktop: the menu's accelerators already send these as menu:command.
    if (transport === 'electron' || isTypingTarget(e.target)) return null
    const key = e.key.toLowerCase()
    if (key === 'o') return { command: 'open-csv' }
    if (key === 'e') return { command: 'export-forecasts' }
    return null
  }
  if (e.altKey && !e.ctrlKey && !e.metaKey && /^[1-9]$/.test(e.key)) {
    const n = Number(e.key)
    return n <= viewCount ? { view: n - 1 } : null
  }
  return null
}

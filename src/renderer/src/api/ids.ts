/** Ids that satisfy the contract's `[A-Za-z0-9_-]{1,64}`. */
export function newId(prefix = ''): string {
  const bytes = new Uint8Array(12)
  crypto.getRandomValues(bytes)
  let hex = ''
  for (const b of bytes) hex += b.toString(16).padStart(2, '0')
  return prefix ? `${prefix}-${hex}` : hex
}

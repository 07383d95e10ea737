/**
 * Content-Security-Policy shared by both bindings. No remote content, no eval, no inline
 * scripts; the browser binding additionally allows its own loopback WebSocket.
 */
export function contentSecurityPolicy(options: { websocket?: string } = {}): string {
  const connect = ["'self'", ...(options.websocket ? [options.websocket] : [])].join(' ')
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src ${connect}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}

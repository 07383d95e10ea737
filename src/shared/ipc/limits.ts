/**
 * Size limits of the browser transport, in one place: the server enforces them and the client
 * checks before sending, so a request that is too large gets a message instead of a closed socket.
 */
export const LIMITS = {
  /** Largest WebSocket frame (a run's columns, a model package). */
  frameBytes: 512 * 1024 ** 2,
  /** Largest CSV file imported (memory follows the parsed columns, not the file). */
  csvBytes: 16 * 1024 ** 3,
  /** Largest uploaded file. */
  uploadBytes: 4 * 1024 ** 3,
  /** Uploads kept at once in a session (each is deleted once imported). */
  uploads: 16,
  /** All uploads of a session together. */
  uploadTotalBytes: 8 * 1024 ** 3,
  /** What a model .zip may unpack to. */
  unzippedModelBytes: 1024 ** 3,
  /** Largest model .zip read. */
  modelZipBytes: 1024 ** 3,
} as const

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${+(bytes / 1024 ** 3).toFixed(1)} GiB`
  if (bytes >= 1024 ** 2) return `${+(bytes / 1024 ** 2).toFixed(1)} MiB`
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KiB`
  return `${bytes} bytes`
}

/**
 * Failures that leave the worker's runtime unusable: the WebAssembly backend's `Aborted()` (its
 * heap cannot grow), a trap such as "memory access out of bounds" (a failed allocation written
 * through), and the JavaScript allocation errors of a tensor too large to exist. After one of
 * them the host retires the worker and the next job gets a fresh one (issue 8: before, every
 * later run failed with "memory access out of bounds" until the app restarted).
 */
import { SeqcastError } from '../../shared/errors'
import { formatBytes, TRAINING_MEMORY_LIMIT_BYTES } from '../../shared/models/memory'

const FATAL = [
  /\bAborted\(/,
  /memory access out of bounds/i,
  /out of memory/i,
  /Cannot enlarge memory/i,
  /Array buffer allocation failed/i,
  /Invalid typed array length/i,
  /WebAssembly\.Memory\(\): could not allocate/i,
]

export function isRuntimeAbort(error: unknown): boolean {
  if (error instanceof SeqcastError) return error.details.runtimeAbort === true
  if (!(error instanceof Error)) return false
  if (error.name === 'RuntimeError') return true // WebAssembly.RuntimeError: every trap
  return FATAL.some((pattern) => pattern.test(error.message))
}

/** The message a person reads when a run took the runtime down. */
export function runtimeAbortError(error: unknown, backend: string | null): SeqcastError {
  if (error instanceof SeqcastError && error.details.runtimeAbort === true) return error
  const reason = error instanceof Error ? error.message.split('\n')[0] : String(error)
  return new SeqcastError(
    'training',
    `The model needs more memory than the training engine has${backend ? ` on ${backend}` : ''} (the runtime stopped with "${reason}"; about ${formatBytes(TRAINING_MEMORY_LIMIT_BYTES)} is safe): use fewer units or layers, a shorter sequence length or a smaller batch size. The engine restarts for the next run.`,
    { runtimeAbort: true, reason, backend },
  )
}

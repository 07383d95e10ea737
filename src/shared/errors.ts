/**
 * The one error model of Seqcast. Every failure that reaches a person crosses process, worker and
 * IPC boundaries as `{ kind, message, details }`. `message` is the sentence shown to the user: it
 * names the file / row / column / setting, says what was expected and received, and what to do.
 */
export type ErrorKind =
  | 'invalid-argument' // a programming or API misuse caught by up-front validation
  | 'invalid-payload' // an IPC / worker payload that failed its schema
  | 'csv' // a file that cannot be read as a table (empty, binary, header only, …)
  | 'column' // a column that is missing, duplicated or of the wrong type
  | 'window' // sequence length / sampling rate / delay that does not fit the data
  | 'config' // an experiment or model setting that is not valid
  | 'backend' // no TensorFlow.js backend could run the model
  | 'training' // training failed for a reason other than the ones below
  | 'nan-loss' // loss became NaN or infinite
  | 'cancelled' // the user cancelled
  | 'model-mismatch' // a model that does not fit a dataset
  | 'io' // reading or writing a file failed
  | 'quota' // storage is full
  | 'not-found' // an id that does not exist (dataset, run, model)
  | 'internal' // a bug: should never reach a user, but still crosses as a typed error

export interface ErrorInfo {
  kind: ErrorKind
  message: string
  details: Record<string, unknown>
}

export class SeqcastError extends Error {
  readonly kind: ErrorKind
  readonly details: Record<string, unknown>

  constructor(kind: ErrorKind, message: string, details: Record<string, unknown> = {}) {
    super(message)
    this.name = 'SeqcastError'
    this.kind = kind
    this.details = details
  }

  toInfo(): ErrorInfo {
    return { kind: this.kind, message: this.message, details: this.details }
  }
}

/** Turns anything thrown into an ErrorInfo; unknown errors become `internal` with their text. */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof SeqcastError) return error.toInfo()
  if (isErrorInfo(error)) return error
  if (error instanceof Error) {
    return {
      kind: 'internal',
      message: error.message,
      details: { name: error.name, stack: error.stack },
    }
  }
  return { kind: 'internal', message: String(error), details: {} }
}

export function isErrorInfo(value: unknown): value is ErrorInfo {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorInfo).kind === 'string' &&
    typeof (value as ErrorInfo).message === 'string' &&
    typeof (value as ErrorInfo).details === 'object'
  )
}

export function fromErrorInfo(info: ErrorInfo): SeqcastError {
  return new SeqcastError(info.kind, info.message, info.details)
}

/** Results that cross IPC and worker boundaries. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo }

export const ok = <T>(value: T): Result<T> => ({ ok: true, value })
export const fail = (error: unknown): Result<never> => ({ ok: false, error: toErrorInfo(error) })

/** "expected … received …" helper for up-front argument validation. */
export function expectArg(
  condition: boolean,
  setting: string,
  expected: string,
  received: unknown,
  kind: ErrorKind = 'invalid-argument',
  hint?: string,
): asserts condition {
  if (!condition) {
    // Strings are shown as given: callers quote user data themselves ("received \"abc\"").
    const shown = String(received)
    throw new SeqcastError(
      kind,
      `${setting}: expected ${expected}, received ${shown}.${hint ? ` ${hint}` : ''}`,
      { setting, expected, received },
    )
  }
}

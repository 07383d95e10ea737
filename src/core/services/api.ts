/**
 * The service layer behind every transport: validates each request against the contract, runs
 * the handler and returns a Result. Knows nothing of Electron; the Electron binding and the
 * browser binding only move bytes and supply what differs (native dialogs, the event sink).
 */
import { fail, ok, SeqcastError, type Result } from '../../shared/errors'
import {
  requestSchemas,
  isChannel,
  type Channel,
  type EventName,
  type Events,
  type RequestOf,
  type ResponseOf,
} from '../../shared/ipc/contract'
import { describeZodError } from '../../shared/models/validate'

export type Broadcast = <E extends EventName>(event: E, payload: Events[E]) => void

/** What only a desktop shell can do; absent in the browser binding. */
export interface Dialogs {
  open(kind: 'csv' | 'model' | 'folder', multiple: boolean): Promise<string[] | null>
  save(suggestedName: string, kind: string, data: string | Uint8Array): Promise<string | null>
}

export type Handlers = { [C in Channel]: (request: RequestOf<C>) => Promise<ResponseOf<C>> }

export interface Api {
  dispatch(channel: unknown, payload: unknown): Promise<Result<unknown>>
  handlers: Handlers
}

export function createApi(handlers: Handlers): Api {
  async function dispatch(channel: unknown, payload: unknown): Promise<Result<unknown>> {
    if (!isChannel(channel)) {
      return fail(
        new SeqcastError('invalid-payload', `Unknown channel ${JSON.stringify(channel)}.`, {
          channel,
        }),
      )
    }
    const parsed = requestSchemas[channel].safeParse(payload)
    if (!parsed.success) {
      return fail(
        new SeqcastError(
          'invalid-payload',
          `${channel}: ${describeZodError(parsed.error, 'request')}.`,
          {
            channel,
            issues: parsed.error.issues.map((i) => ({
              path: i.path.map(String),
              message: i.message,
            })),
          },
        ),
      )
    }
    try {
      const handler = handlers[channel] as (request: unknown) => Promise<unknown>
      return ok(await handler(parsed.data))
    } catch (error) {
      return fail(error)
    }
  }
  return { dispatch, handlers }
}

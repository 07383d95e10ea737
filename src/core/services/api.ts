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
import { DESKTOP_ONLY_CHANNELS } from '../../shared/ipc/names'
import { describeZodError } from '../../shared/models/validate'

export type Broadcast = <E extends EventName>(event: E, payload: Events[E]) => void

/**
 * What only a desktop shell can do; absent in the browser binding. Both return paths chosen by
 * the user in main's own dialogs; they stay in main (the services grant handles for them).
 */
export interface Dialogs {
  open(kind: 'csv' | 'model', multiple: boolean): Promise<string[] | null>
  /** Where to save: a file, or (kind `folder`) a folder to create or fill. */
  save(suggestedName: string, kind: string): Promise<string | null>
}

export type Handlers = { [C in Channel]: (request: RequestOf<C>) => Promise<ResponseOf<C>> }

export interface Api {
  dispatch(channel: unknown, payload: unknown): Promise<Result<unknown>>
  handlers: Handlers
}

export interface ApiOptions {
  /** Channels this transport does not offer (refused before their payload is even read). */
  refused?: Partial<Record<Channel, string>>
}

/** What the browser transport refuses, and why (it writes nothing on the server). */
export const BROWSER_REFUSED: Partial<Record<Channel, string>> = Object.fromEntries(
  DESKTOP_ONLY_CHANNELS.map((c) => [
    c,
    `${c} is not offered by the browser transport: it writes nothing on the server and has no native dialogs. Files are uploaded from the page, and exports (forecasts, the model as .zip) download to the browser.`,
  ]),
)

export function createApi(handlers: Handlers, options: ApiOptions = {}): Api {
  async function dispatch(channel: unknown, payload: unknown): Promise<Result<unknown>> {
    if (!isChannel(channel)) {
      return fail(
        new SeqcastError('invalid-payload', `Unknown channel ${JSON.stringify(channel)}.`, {
          channel,
        }),
      )
    }
    const refused = options.refused?.[channel]
    if (refused) return fail(new SeqcastError('invalid-argument', refused, { channel }))
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

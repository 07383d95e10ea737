/**
 * Channel and event names without their schemas, for the sandboxed preload (which can bundle
 * nothing heavy). contract.ts checks at compile time that these match its schemas.
 */
export const CHANNEL_NAMES = [
  'app:info',
  'engine:backends',
  'dialog:open',
  'dialog:save',
  'file:write',
  'dataset:import',
  'job:cancel',
  'run:start',
  'run:cancel',
  'run:active',
  'run:result',
  'run:forget',
  'model:read',
  'model:write-folder',
  'model:zip',
  'model:predict',
  'backtest:run',
  'arena:run',
] as const

export const EVENT_NAMES = [
  'job:progress',
  'run:progress',
  'run:state',
  'run:backend',
  'run:epoch',
  'run:checkpoint',
  'run:done',
  'run:failed',
  'arena:progress',
  'menu:command',
] as const

/**
 * Channels only the desktop shell offers: they open native dialogs or write where the user chose.
 * The browser transport writes nothing on the server and refuses them (downloads go to the
 * browser instead).
 */
export const DESKTOP_ONLY_CHANNELS = [
  'dialog:open',
  'dialog:save',
  'file:write',
  'model:write-folder',
] as const satisfies readonly (typeof CHANNEL_NAMES)[number][]

export type ChannelName = (typeof CHANNEL_NAMES)[number]
export type EventNameOf = (typeof EVENT_NAMES)[number]

export function isChannelName(value: unknown): value is ChannelName {
  return typeof value === 'string' && (CHANNEL_NAMES as readonly string[]).includes(value)
}

export function isEventName(value: unknown): value is EventNameOf {
  return typeof value === 'string' && (EVENT_NAMES as readonly string[]).includes(value)
}

import type { AppInfo } from '../shared/ipc/contract'

declare const __APP_VERSION__: string | undefined

/** Versions shown in About and written into exported manifests. */
export function appInfo(extra: Record<string, string> = {}): Omit<AppInfo, 'transport'> {
  return {
    name: 'Seqcast',
    version: typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : '0.0.0-dev',
    platform: `${process.platform}-${process.arch}`,
    versions: { node: process.versions.node, v8: process.versions.v8, ...extra },
  }
}

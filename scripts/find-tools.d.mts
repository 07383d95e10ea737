// Types of find-tools.mjs for the TypeScript tests that import it.
export declare const DEFAULT_CHROMIUM_CANDIDATES: string[]
export declare function resolveExecutable(name: string, env?: NodeJS.ProcessEnv): string | null
export declare function findChromium(env?: NodeJS.ProcessEnv): {
  found: { path: string; version: string } | null
  passedOver: string[]
}
export interface Toolchain {
  clang: string
  wasmLd: string
  version: string
  ldVersion: string
}
export declare function findToolchain(env?: NodeJS.ProcessEnv): Toolchain | null
export declare function electronDir(env?: NodeJS.ProcessEnv): string
export declare function findElectron(env?: NodeJS.ProcessEnv): string | null

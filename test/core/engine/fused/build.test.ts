/**
 * The committed resources/kernels/seqcast_rnn.wasm is what scripts/build-kernels.mjs builds from
 * src/kernels: rebuild and compare bytes when clang + wasm-ld (the recorded version) are present.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
// @ts-expect-error -- plain ESM build script without type declarations
import * as build from '../../../../scripts/build-kernels.mjs'

interface Toolchain {
  clang: string
  wasmLd: string
  version: string
  ldVersion: string
}
const kernels = build as {
  findToolchain(): Toolchain | null
  buildKernels(o: { outDir: string; toolchain?: Toolchain | null }): { bytes: Buffer }
  OUT_DIR: string
  WASM_NAME: string
  MANIFEST_NAME: string
}

describe('kernel build', () => {
  const committed = join(kernels.OUT_DIR, kernels.WASM_NAME)
  const manifest = JSON.parse(
    readFileSync(join(kernels.OUT_DIR, kernels.MANIFEST_NAME), 'utf8'),
  ) as {
    sha256: string
    toolchain: { clang: string }
  }

  it('ships the built kernels with a manifest', () => {
    expect(existsSync(committed)).toBe(true)
    expect(readFileSync(committed).length).toBeGreaterThan(1000)
    expect(manifest.sha256).toMatch(/^[0-9a-f]{64}$/)
  })

  const toolchain = kernels.findToolchain()
  const reason = !toolchain
    ? 'clang / wasm-ld not installed (apt-get install -y clang lld)'
    : toolchain.version !== manifest.toolchain.clang
      ? `clang is "${toolchain.version}", the committed build used "${manifest.toolchain.clang}"`
      : null
  it.skipIf(reason !== null)(
    `rebuilds to the same bytes${reason ? ` (skipped: ${reason})` : ''}`,
    () => {
      const out = mkdtempSync(join(tmpdir(), 'seqcast-kernels-test-'))
      try {
        const built = kernels.buildKernels({ outDir: out, toolchain })
        expect(Buffer.compare(built.bytes, readFileSync(committed))).toBe(0)
      } finally {
        rmSync(out, { recursive: true, force: true })
      }
    },
  )
})

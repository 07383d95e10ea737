/**
 * The committed resources/kernels/seqcast_rnn.wasm is what scripts/build-kernels.mjs builds from
 * src/kernels. On every machine: its bytes hash to the sha256 and size the manifest records, and
 * they are the module the runtime loads. Rebuild and compare bytes when clang + wasm-ld (the
 * recorded version) are present; otherwise that one check is skipped with the reason.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { resolveWasmPath } from '../../../../src/core/engine/fused/runtime'
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
    file: string
    sha256: string
    size: number
    toolchain: { clang: string }
  }

  it('ships the built kernels with a manifest whose sha256 and size are those of the committed bytes', () => {
    expect(existsSync(committed)).toBe(true)
    const bytes = readFileSync(committed)
    expect(manifest.file).toBe(kernels.WASM_NAME)
    expect(bytes.length).toBe(manifest.size)
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(manifest.sha256)
    // and it is a WebAssembly module ("\0asm", version 1) that compiles here
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0])
    const wasm = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } })
      .WebAssembly
    expect(wasm.validate(bytes)).toBe(true)
  })

  it('is the file the runtime loads when nothing overrides it', () => {
    const saved = process.env.SEQCAST_KERNELS_WASM
    delete process.env.SEQCAST_KERNELS_WASM
    try {
      expect(resolveWasmPath({})).toBe(committed)
    } finally {
      if (saved !== undefined) process.env.SEQCAST_KERNELS_WASM = saved
    }
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

#!/usr/bin/env node
// Builds src/kernels/*.c into resources/kernels/seqcast_rnn.wasm (WebAssembly + SIMD128 + threads)
// with Debian's clang and wasm-ld, and writes resources/kernels/seqcast_rnn.json (hash, toolchain).
//
//   node scripts/build-kernels.mjs            build into resources/kernels/
//   node scripts/build-kernels.mjs --check    rebuild in a temp folder, compare bytes, exit 1 on drift
//   node scripts/build-kernels.mjs --out DIR  build into DIR
//
// Environment: CLANG, WASM_LD override the tool names (default: clang / clang-14, wasm-ld / wasm-ld-14;
// see find-tools.mjs).
// The build is reproducible: same sources + same clang version => same bytes (no paths, no
// timestamps, names stripped).
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { findToolchain } from './find-tools.mjs'

// The tests and scripts/prereqs.mjs look for the toolchain the same way.
export { findToolchain }

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
export const SOURCES = ['lstm.c', 'gru.c', 'util.c']
export const SRC_DIR = join(root, 'src', 'kernels')
export const OUT_DIR = join(root, 'resources', 'kernels')
export const WASM_NAME = 'seqcast_rnn.wasm'
export const MANIFEST_NAME = 'seqcast_rnn.json'
// 2 GiB maximum: the memory is shared between threads, so it must declare a maximum.
export const MAX_MEMORY = 2147483648

export const CFLAGS = [
  '--target=wasm32',
  '-O3',
  '-msimd128',
  '-matomics',
  '-mbulk-memory',
  '-mmutable-globals',
  '-nostdlib',
  '-ffreestanding',
  '-fno-builtin',
  '-std=c11',
  '-Wall',
  '-Wextra',
  '-Werror',
]
export const LDFLAGS = [
  '--no-entry',
  '--import-memory',
  '--shared-memory',
  `--max-memory=${MAX_MEMORY}`,
  '-z',
  'stack-size=65536',
  '--stack-first',
  '--export=__stack_pointer',
  '--export=__heap_base',
  '--strip-all',
]

/** Compiles and links into outDir; returns { wasmPath, sha256, bytes }. */
export function buildKernels({ outDir = OUT_DIR, toolchain = findToolchain() } = {}) {
  if (!toolchain) {
    throw new Error(
      'clang and wasm-ld are required to build the kernels (Debian: apt-get install -y clang lld). ' +
        'Users do not need them: the built resources/kernels/seqcast_rnn.wasm is committed.',
    )
  }
  const tmp = mkdtempSync(join(tmpdir(), 'seqcast-kernels-'))
  try {
    const objects = []
    for (const src of SOURCES) {
      const obj = join(tmp, src.replace(/\.c$/, '.o'))
      // Compile from inside the source folder with a relative name: no absolute paths leak.
      execFileSync(toolchain.clang, [...CFLAGS, '-c', src, '-o', obj], {
        cwd: SRC_DIR,
        stdio: ['ignore', 'inherit', 'inherit'],
      })
      objects.push(obj)
    }
    mkdirSync(outDir, { recursive: true })
    const wasmPath = join(outDir, WASM_NAME)
    execFileSync(toolchain.wasmLd, [...LDFLAGS, '-o', wasmPath, ...objects], {
      stdio: ['ignore', 'inherit', 'inherit'],
    })
    const bytes = readFileSync(wasmPath)
    const sha256 = createHash('sha256').update(bytes).digest('hex')
    const manifest = {
      file: WASM_NAME,
      sha256,
      size: bytes.length,
      toolchain: { clang: toolchain.version, wasmLd: toolchain.ldVersion },
      sources: SOURCES.map((s) => `src/kernels/${s}`),
      cflags: CFLAGS,
      ldflags: LDFLAGS,
    }
    writeFileSync(join(outDir, MANIFEST_NAME), JSON.stringify(manifest, null, 2) + '\n')
    return { wasmPath, sha256, bytes }
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
}

function main(argv) {
  const check = argv.includes('--check')
  const outIdx = argv.indexOf('--out')
  if (check) {
    const tmpOut = mkdtempSync(join(tmpdir(), 'seqcast-kernels-check-'))
    try {
      const built = buildKernels({ outDir: tmpOut })
      const committedPath = join(OUT_DIR, WASM_NAME)
      if (!existsSync(committedPath)) {
        console.error(`missing ${committedPath}`)
        return 1
      }
      const committed = readFileSync(committedPath)
      if (Buffer.compare(committed, built.bytes) !== 0) {
        console.error(`rebuilt kernels differ from ${committedPath} (sha256 ${built.sha256})`)
        return 1
      }
      console.log(`kernels reproducible: sha256 ${built.sha256}`)
      return 0
    } finally {
      rmSync(tmpOut, { recursive: true, force: true })
    }
  }
  const outDir = outIdx >= 0 ? resolve(argv[outIdx + 1]) : OUT_DIR
  const built = buildKernels({ outDir })
  console.log(`${built.wasmPath}: ${built.bytes.length} bytes, sha256 ${built.sha256}`)
  return 0
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = main(process.argv.slice(2))
  } catch (err) {
    console.error(err instanceof Error ? err.message : err)
    process.exitCode = 1
  }
}

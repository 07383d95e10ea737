/**
 * Loads the fused recurrent kernels (resources/kernels/seqcast_rnn.wasm) into one shared
 * WebAssembly.Memory, hands out memory blocks, and runs kernel calls split across a helper
 * worker thread that shares the memory (the caller blocks with Atomics.wait).
 *
 * One runtime per JavaScript thread (it is created lazily by getRuntime()).
 */
import { existsSync, readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'

export const WASM_FILE = 'seqcast_rnn.wasm'

// Minimal WebAssembly typings (the node tsconfig has no DOM lib, and @types/node declares none).
export interface WasmMemory {
  readonly buffer: ArrayBuffer
  grow(pages: number): number
}
interface WasmGlobal {
  value: number
}
type WasmModule = object
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule
  Instance: new (module: WasmModule, imports: object) => { exports: Record<string, unknown> }
  Memory: new (d: { initial: number; maximum: number; shared: boolean }) => WasmMemory
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly
const PAGE = 65536
/** Must equal the maximum the module was linked with (scripts/build-kernels.mjs). */
const MAX_PAGES = 32768
const HELPER_STACK_BYTES = 1 << 17

export interface KernelExports {
  lstm_fwd(args: number): void
  lstm_bwd(args: number): void
  lstm_pack(args: number): void
  lstm_unpack(args: number): void
  lstm_scratch_size(args: number): number
  gru_fwd(args: number): void
  gru_bwd(args: number): void
  gru_pack(args: number): void
  gru_unpack(args: number): void
  gru_scratch_size(args: number): number
  copy_2d(
    src: number,
    sB: number,
    sT: number,
    dst: number,
    dB: number,
    dT: number,
    nb: number,
    nt: number,
    n: number,
    pad: number,
  ): void
  mask_seq(x: number, m: number, B: number, T: number, I: number): void
  add_to(dst: number, src: number, n: number): void
  vec_tanh(x: number, y: number, n: number): void
  vec_sigmoid(x: number, y: number, n: number): void
  __heap_base: WasmGlobal
  __stack_pointer: WasmGlobal
}

/** Kernel entry points that take one argument block and may run on the helper thread. */
export type SplitFn = 'lstm_fwd' | 'lstm_bwd' | 'gru_fwd' | 'gru_bwd'
const SPLIT_FNS: SplitFn[] = ['lstm_fwd', 'lstm_bwd', 'gru_fwd', 'gru_bwd']

export interface RuntimeOptions {
  /** Path of seqcast_rnn.wasm; default: SEQCAST_KERNELS_WASM, then resources/kernels/ found by
   * walking up from this module (repo or app root), process.resourcesPath, and the cwd. */
  wasmPath?: string
}

let configured: RuntimeOptions = {}

/** Overrides where the kernels are loaded from (call before the first use). */
export function configureKernels(options: RuntimeOptions): void {
  configured = { ...configured, ...options }
}

/** Resolves the .wasm path; throws a message naming every place that was tried. */
export function resolveWasmPath(options: RuntimeOptions = configured): string {
  const tried: string[] = []
  const candidates: string[] = []
  if (options.wasmPath) {
    const p = resolve(options.wasmPath)
    if (!existsSync(p))
      throw new Error(`Fused recurrent kernels not found at ${p} (wasmPath option).`)
    return p
  }
  const env = process.env.SEQCAST_KERNELS_WASM
  if (env) candidates.push(resolve(env))
  let dir: string | null
  try {
    dir = dirname(fileURLToPath(import.meta.url))
  } catch {
    dir = null
  }
  while (dir) {
    // The repo or app root is the folder with package.json; resources/kernels lives there.
    if (existsSync(join(dir, 'package.json'))) {
      candidates.push(join(dir, 'resources', 'kernels', WASM_FILE))
    }
    const parent = dirname(dir)
    if (parent === dir) break
    dir = parent
  }
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath
  if (resourcesPath) {
    candidates.push(join(resourcesPath, 'kernels', WASM_FILE))
    candidates.push(join(resourcesPath, 'resources', 'kernels', WASM_FILE))
  }
  candidates.push(join(process.cwd(), 'resources', 'kernels', WASM_FILE))
  for (const c of candidates) {
    if (existsSync(c)) return c
    tried.push(c)
  }
  throw new Error(
    `Fused recurrent kernels not found (${WASM_FILE}). Tried: ${tried.join(', ')}. ` +
      'Run `npm run build:kernels`, or pass { wasmPath } to configureKernels().',
  )
}

const HELPER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, stackTop, ctrlIndex, fns } = workerData;
const instance = new WebAssembly.Instance(module, { env: { memory } });
instance.exports.__stack_pointer.value = stackTop;
const ctrl = new Int32Array(memory.buffer, 0, ctrlIndex + 8);
const table = fns.map((n) => instance.exports[n]);
Atomics.store(ctrl, ctrlIndex + 3, 1);
Atomics.notify(ctrl, ctrlIndex + 3);
let seen = Atomics.load(ctrl, ctrlIndex);
for (;;) {
  Atomics.wait(ctrl, ctrlIndex, seen);
  seen = Atomics.load(ctrl, ctrlIndex);
  const fn = Atomics.load(ctrl, ctrlIndex + 1);
  if (fn === -1) break;
  if (fn === -2) { // test hook: acknowledge, then stop answering
    Atomics.store(ctrl, ctrlIndex + 5, seen);
    Atomics.notify(ctrl, ctrlIndex + 5);
    Atomics.wait(ctrl, ctrlIndex + 6, 0);
    continue;
  }
  if (fn === -3) process.exit(3); // test hook: die
  let status = 0;
  try { table[fn](Atomics.load(ctrl, ctrlIndex + 2)); } catch (e) { status = 1; }
  Atomics.store(ctrl, ctrlIndex + 4, status);
  Atomics.store(ctrl, ctrlIndex + 5, seen);
  Atomics.notify(ctrl, ctrlIndex + 5);
}
`

/**
 * The helper thread did not answer a split call in time (it died or hangs). The runtime has
 * given it up (one thread from now on); the caller must redo the call on buffers the helper
 * cannot still be writing to.
 */
export class HelperLostError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'HelperLostError'
  }
}

/** First-fit allocator over the wasm heap (64-byte aligned blocks, coalescing free list). */
class Heap {
  private free: { at: number; size: number }[] = []
  private used = new Map<number, number>()
  constructor(
    private top: number,
    private readonly grow: (end: number) => void,
  ) {}

  alloc(bytes: number): number {
    const size = Math.max(64, Math.ceil(bytes / 64) * 64)
    for (let i = 0; i < this.free.length; i++) {
      const blk = this.free[i]
      if (blk.size >= size) {
        const at = blk.at
        if (blk.size === size) this.free.splice(i, 1)
        else {
          blk.at += size
          blk.size -= size
        }
        this.used.set(at, size)
        return at
      }
    }
    const at = this.top
    this.grow(at + size)
    this.top = at + size
    this.used.set(at, size)
    return at
  }

  release(at: number): void {
    const size = this.used.get(at)
    if (size === undefined) return
    this.used.delete(at)
    this.free.push({ at, size })
    this.free.sort((a, b) => a.at - b.at)
    const merged: { at: number; size: number }[] = []
    for (const blk of this.free) {
      const last = merged[merged.length - 1]
      if (last && last.at + last.size === blk.at) last.size += blk.size
      else merged.push({ ...blk })
    }
    // Give the tail back to the bump pointer.
    const last = merged[merged.length - 1]
    if (last && last.at + last.size === this.top) {
      this.top = last.at
      merged.pop()
    }
    this.free = merged
  }

  get bytesInUse(): number {
    let n = 0
    for (const s of this.used.values()) n += s
    return n
  }
}

export class KernelRuntime {
  readonly module: WasmModule
  readonly memory: WasmMemory
  readonly exports: KernelExports
  readonly wasmPath: string
  private readonly heap: Heap
  private f32View: Float32Array
  private i32View: Int32Array
  /** Control block for the helper: [seq, fn, args, ready, status, done]. */
  private readonly ctrlIndex: number
  private helper: Worker | null = null
  private helperReady = false
  private helperFailed: string | null = null
  private helperStarting: Promise<boolean> | null = null
  private seq = 0
  /**
   * How long a split call waits for the helper after finishing its own part: at least this
   * many ms, and at least 20× the time its own part took. Past it the helper is given up.
   */
  helperTimeoutMs = 1000

  constructor(options: RuntimeOptions = configured) {
    this.wasmPath = resolveWasmPath(options)
    this.module = new WA.Module(readFileSync(this.wasmPath))
    this.memory = new WA.Memory({ initial: 32, maximum: MAX_PAGES, shared: true })
    const instance = new WA.Instance(this.module, { env: { memory: this.memory } })
    this.exports = instance.exports as unknown as KernelExports
    const heapBase = this.exports.__heap_base.value
    this.heap = new Heap(heapBase, (end) => this.ensure(end))
    this.f32View = new Float32Array(this.memory.buffer)
    this.i32View = new Int32Array(this.memory.buffer)
    // The control block is the first allocation, so it never moves.
    this.ctrlIndex = this.heap.alloc(64) >> 2
  }

  private ensure(end: number): void {
    const have = this.memory.buffer.byteLength
    if (end <= have) return
    const pages = Math.ceil((end - have) / PAGE)
    const total = have / PAGE + pages
    if (total > MAX_PAGES) {
      throw new Error(
        `Fused kernels need ${Math.ceil(end / 2 ** 20)} MiB of memory, more than the ` +
          `${(MAX_PAGES * PAGE) / 2 ** 20} MiB limit: use a smaller batch size.`,
      )
    }
    // Grow generously (at least 25%) to limit the number of grow calls.
    const extra = Math.min(MAX_PAGES - have / PAGE, Math.max(pages, Math.ceil(have / PAGE / 4)))
    this.memory.grow(extra)
  }

  /** Float32 view of the whole memory (re-created after growth). */
  get f32(): Float32Array {
    if (
      this.f32View.buffer !== this.memory.buffer ||
      this.f32View.length * 4 !== this.memory.buffer.byteLength
    ) {
      this.f32View = new Float32Array(this.memory.buffer)
    }
    return this.f32View
  }

  get i32(): Int32Array {
    if (
      this.i32View.buffer !== this.memory.buffer ||
      this.i32View.length * 4 !== this.memory.buffer.byteLength
    ) {
      this.i32View = new Int32Array(this.memory.buffer)
    }
    return this.i32View
  }

  alloc(bytes: number): number {
    return this.heap.alloc(bytes)
  }

  release(ptr: number): void {
    this.heap.release(ptr)
  }

  get bytesInUse(): number {
    return this.heap.bytesInUse
  }

  /** Number of threads a split call can use right now (1 until the helper is running). */
  get threads(): number {
    return this.helperReady ? 2 : 1
  }

  /** Threads available now and, when the helper thread cannot be used, why. */
  get helperStatus(): { threads: 1 | 2; reason: string | null } {
    if (this.helperReady) return { threads: 2, reason: null }
    return {
      threads: 1,
      reason: this.helperFailed ?? (this.helperStarting ? 'the helper thread is starting' : null),
    }
  }

  /** Gives the helper thread up for the rest of the process (it is terminated). */
  private abandonHelper(reason: string): void {
    this.helperFailed = reason
    this.helperReady = false
    this.helperStarting = null
    const worker = this.helper
    this.helper = null
    if (worker) void worker.terminate().catch(() => {})
  }

  /**
   * Starts the helper thread (idempotent). Resolves true once it is ready, false when it
   * cannot run (single core, or the worker failed to start).
   */
  startHelper(): Promise<boolean> {
    if (this.helperReady) return Promise.resolve(true)
    if (this.helperFailed) return Promise.resolve(false)
    if (this.helperStarting) return this.helperStarting
    if (availableParallelism() < 2) {
      this.helperFailed = 'one core'
      return Promise.resolve(false)
    }
    if (!this.helper) {
      const stack = this.heap.alloc(HELPER_STACK_BYTES)
      const worker = new Worker(HELPER_SOURCE, {
        eval: true,
        workerData: {
          module: this.module,
          memory: this.memory,
          stackTop: stack + HELPER_STACK_BYTES,
          ctrlIndex: this.ctrlIndex,
          fns: SPLIT_FNS,
        },
      })
      worker.unref()
      worker.on('error', (err) => {
        if (this.helper !== worker) return
        this.helperFailed = `the helper thread failed: ${err instanceof Error ? err.message : String(err)}`
        this.helperReady = false
      })
      worker.on('exit', (code) => {
        // stopHelper() and abandonHelper() let go of the worker first: only surprises count
        if (this.helper !== worker) return
        this.helper = null
        this.helperReady = false
        this.helperFailed ??= `the helper thread exited (code ${code})`
      })
      this.helper = worker
    }
    this.helperStarting = new Promise((resolvePromise) => {
      const poll = (): void => {
        if (this.helperFailed) {
          this.helperStarting = null
          return resolvePromise(false)
        }
        if (Atomics.load(this.i32, this.ctrlIndex + 3) === 1) {
          this.helperReady = true
          this.helperStarting = null
          return resolvePromise(true)
        }
        setTimeout(poll, 2)
      }
      poll()
    })
    return this.helperStarting
  }

  /** Stops the helper thread (it is also stopped when the process exits). */
  async stopHelper(): Promise<void> {
    const worker = this.helper
    if (!worker) return
    const i32 = this.i32
    const c = this.ctrlIndex
    if (this.helperReady) {
      Atomics.store(i32, c + 1, -1)
      Atomics.store(i32, c, ++this.seq)
      Atomics.notify(i32, c)
    }
    this.helperReady = false
    this.helper = null
    Atomics.store(i32, c + 3, 0)
    await worker.terminate()
  }

  /**
   * Test hook: make the helper thread stop answering ('hang') or exit ('exit') without the
   * runtime knowing, to check that split calls neither hang nor lose work.
   */
  simulateHelperFault(kind: 'hang' | 'exit'): void {
    if (!this.helperReady) throw new Error('no helper thread running')
    const i32 = this.i32
    const c = this.ctrlIndex
    Atomics.store(i32, c + 6, 0)
    Atomics.store(i32, c + 1, kind === 'hang' ? -2 : -3)
    const seq = ++this.seq
    Atomics.store(i32, c, seq)
    Atomics.notify(i32, c)
    if (kind === 'hang') {
      // wait until the helper took the command (a next call must not overwrite it)
      const until = performance.now() + 2000
      while (Atomics.load(i32, c + 5) !== seq && performance.now() < until)
        Atomics.wait(i32, c + 5, Atomics.load(i32, c + 5), 50)
    }
  }

  /**
   * Runs fn on each argument block: the first on this thread, the second (if any) on the
   * helper thread at the same time. Runs them one after the other when there is no helper.
   * Never blocks for long: when the helper does not answer within `helperTimeoutMs` (or 20× the
   * time of this thread's part), the helper is given up for the rest of the process and a
   * HelperLostError is thrown — the second part may be half done, and the helper may still be
   * writing, so the caller redoes the call on fresh buffers.
   */
  runSplit(fn: SplitFn, argBlocks: number[]): void {
    const e = this.exports
    if (argBlocks.length === 1 || !this.helperReady) {
      for (const a of argBlocks) e[fn](a)
      return
    }
    if (argBlocks.length !== 2) throw new Error('runSplit supports at most two parts')
    const i32 = this.i32
    const c = this.ctrlIndex
    const seq = ++this.seq
    Atomics.store(i32, c + 1, SPLIT_FNS.indexOf(fn))
    Atomics.store(i32, c + 2, argBlocks[1])
    Atomics.store(i32, c, seq)
    Atomics.notify(i32, c)
    let error: unknown = null
    const t0 = performance.now()
    try {
      e[fn](argBlocks[0])
    } catch (err) {
      error = err
    }
    const now = performance.now()
    const limit = Math.max(this.helperTimeoutMs, 20 * (now - t0))
    const deadline = now + limit
    while (Atomics.load(i32, c + 5) !== seq) {
      const left = deadline - performance.now()
      if (left <= 0) {
        const reason = `the helper thread did not answer within ${Math.round(limit)} ms; the kernels run on one thread from now on`
        this.abandonHelper(reason)
        throw new HelperLostError(reason)
      }
      Atomics.wait(i32, c + 5, Atomics.load(i32, c + 5), left)
    }
    if (Atomics.load(i32, c + 4) !== 0)
      error = error ?? new Error(`${fn} failed on the helper thread`)
    if (error) throw error
  }
}

let runtime: KernelRuntime | null = null

/** The runtime of this thread (created on first use). */
export function getRuntime(): KernelRuntime {
  if (!runtime) runtime = new KernelRuntime()
  return runtime
}

/**
 * Bytes of the kernels' WebAssembly memory in this thread (it grows to the largest batch seen
 * and is reused; freed blocks go back to a free list), and the bytes handed out now; null
 * before the kernels were first used.
 */
export function kernelMemory(): { bytes: number; inUse: number } | null {
  return runtime ? { bytes: runtime.memory.buffer.byteLength, inUse: runtime.bytesInUse } : null
}

let unavailable: string | null = null

/**
 * Whether the kernels load here (file found, WebAssembly SIMD and shared memory supported).
 * A failure is remembered: the fused layers then fall back to stock tfjs without retrying.
 */
export function fusedKernelsAvailable(): { ok: boolean; reason?: string } {
  if (runtime) return { ok: true }
  if (unavailable) return { ok: false, reason: unavailable }
  try {
    getRuntime()
    return { ok: true }
  } catch (err) {
    unavailable = err instanceof Error ? err.message : String(err)
    return { ok: false, reason: unavailable }
  }
}

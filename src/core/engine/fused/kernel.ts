/**
 * Plain-array API over the fused LSTM / GRU kernels.
 *
 * A FusedRnnKernel owns wasm memory for one layer instance: the forward pass keeps what the
 * backward pass needs (gate activations, states) in that memory, so forward → backward is two
 * kernel calls with no tensor traffic in between. All arrays are row-major float32 in the Keras /
 * tfjs layouts: x [B, T, I], kernel [I, G·U], recurrentKernel [U, G·U], bias [G·U], states [B, U],
 * gate order i, f, c, o (LSTM) and z, r, h (GRU, reset_after = false).
 */
import { HelperLostError, getRuntime, type KernelRuntime, type SplitFn } from './runtime'

export type RnnKind = 'lstm' | 'gru'

export interface RnnForwardInput {
  /** [B, T, I] */
  x: Float32Array
  batch: number
  timesteps: number
  inputDim: number
  units: number
  /** [I, G·U] */
  kernel: Float32Array
  /** [U, G·U] */
  recurrentKernel: Float32Array
  /** [G·U] or null (useBias false) */
  bias?: Float32Array | null
  /** initial hidden state [B, U] (default zeros) */
  h0?: Float32Array | null
  /** initial carry state [B, U] (LSTM; default zeros) */
  c0?: Float32Array | null
  /** input dropout mask [B, I] (multiplies x at every step) */
  inputMask?: Float32Array | null
  /** recurrent dropout mask [B, U] (multiplies h_{t-1} at every step) */
  recurrentMask?: Float32Array | null
  /**
   * GRU only, Keras implementation 1 (what the engine's GRU does with recurrent dropout): one
   * mask per gate z, r, h — `recurrent` three [B, U] masks for the state entering each gate's
   * recurrent product, `input` three [B, I] masks (or null: no input dropout) — and the update
   * mixes the unmasked state, h' = z h + (1 - z) hh. Replaces inputMask / recurrentMask.
   */
  gateMasks?: { input?: Float32Array[] | null; recurrent: Float32Array[] } | null
  goBackwards?: boolean
  /** recurrentActivation: 'sigmoid' (Keras default) or 'hardSigmoid' (tfjs default) */
  recurrentActivation?: 'sigmoid' | 'hardSigmoid'
  returnSequences?: boolean
  /** keep activations for backward() (default false: inference, less memory) */
  training?: boolean
  /** 1, 2 or 'auto' (default): split the batch across the helper thread when it pays */
  threads?: 1 | 2 | 'auto'
}

export interface RnnForwardOutput {
  /** [B, T, U] if returnSequences, else [B, U] (in processing order when goBackwards) */
  y: Float32Array
  /** final hidden state [B, U] */
  h: Float32Array
  /** final carry state [B, U] (LSTM only) */
  c?: Float32Array
}

export interface RnnBackwardInput {
  /** gradient of y: [B, T, U] if returnSequences, else [B, U]; null = zeros */
  dy?: Float32Array | null
  /** gradient of the final hidden state [B, U] */
  dh?: Float32Array | null
  /** gradient of the final carry state [B, U] (LSTM) */
  dc?: Float32Array | null
  /** compute dL/dx (default true) */
  inputGradient?: boolean
}

export interface RnnGradients {
  dx?: Float32Array
  dKernel: Float32Array
  dRecurrentKernel: Float32Array
  dBias: Float32Array | null
  dh0: Float32Array
  dc0?: Float32Array
}

// Argument block (i32 indices) — must match `Args` in src/kernels/common.h.
const A = {
  B: 0,
  T: 1,
  I: 2,
  U: 3,
  Up: 4,
  S: 5,
  flags: 6,
  chunk: 7,
  x: 8,
  xm: 9,
  hm: 10,
  wf: 11,
  wf2: 12,
  wb: 13,
  wb2: 14,
  H: 15,
  HM: 16,
  C: 17,
  G: 18,
  dy: 19,
  dh: 20,
  dc: 21,
  dx: 22,
  dw: 23,
  scratch: 24,
  Wraw: 25,
  Rraw: 26,
  braw: 27,
  nacc: 28,
  dw2: 29,
  gW: 30,
  gR: 31,
  gb: 32,
  wbx: 33,
} as const
const ARGS_INTS = 36
const F_BACK = 1
const F_HARD = 2
const F_SAVE = 4
const F_RMASK = 8
const F_XMASK = 16
const F_DX = 32
const F_SEQ = 64
const F_KRMASK = 128
const F_KXMASK = 256

/** In 'auto' mode, re-time the other thread count every this many calls of a shape. */
const PROBE_EVERY = 50

/**
 * Forward multiply-adds of a whole call (B·T·(I+U)·G·Up) above which 'auto' splits the batch
 * over the helper thread. Measured (bench/train.ts kernel table, src/kernels/README.md): below
 * ~2M the call takes < 0.5 ms and the helper's wake-up and the imbalance eat the gain.
 */
export const SPLIT_MIN_WORK = 2e6

interface Shape {
  kind: RnnKind
  B: number
  T: number
  I: number
  U: number
  Up: number
  G: number
  Gp: number
  S: number
}

const ceil4 = (n: number): number => Math.ceil(n / 4) * 4

export class FusedRnnKernel {
  readonly kind: RnnKind
  private readonly rt: KernelRuntime
  private readonly bufs = new Map<string, { ptr: number; floats: number }>()
  private shape: Shape | null = null
  private flags = 0
  private saved = false
  private returnSequences = false
  private parts: { b0: number; rows: number; args: number }[] = []
  private disposed = false
  /** Incremented by every forward(); backward() needs the matching forward's activations. */
  generation = 0
  /**
   * Return views of this instance's wasm memory instead of copies (valid until its next
   * forward / backward call). For consumers that copy at once, e.g. tf.tensor() on the wasm
   * backend; the default (false) returns independent arrays.
   */
  views = false
  /** Rows per backward chunk (the reduction length of the weight-gradient GEMM). */
  chunk = 64
  private readonly timing = new Map<
    string,
    { ms: [number, number]; n: [number, number]; calls: number }
  >()
  private pending: { key: string; threads: 1 | 2; ms: number } | null = null

  constructor(kind: RnnKind, runtime: KernelRuntime = getRuntime()) {
    this.kind = kind
    this.rt = runtime
  }

  /** Pointer (bytes) of a named buffer of at least `floats` floats (contents not preserved). */
  private buf(name: string, floats: number): number {
    const have = this.bufs.get(name)
    if (have && have.floats >= floats) return have.ptr
    if (have) this.rt.release(have.ptr)
    const size = Math.max(floats, 16)
    const ptr = this.rt.alloc(size * 4 + 64)
    this.bufs.set(name, { ptr, floats: size })
    return ptr
  }

  private write(name: string, data: Float32Array): number {
    const ptr = this.buf(name, data.length)
    this.rt.f32.set(data, ptr >> 2)
    return ptr
  }

  private zero(ptr: number, floats: number): void {
    this.rt.f32.fill(0, ptr >> 2, (ptr >> 2) + floats)
  }

  private read(ptr: number, floats: number): Float32Array {
    const f = this.rt.f32
    return this.views
      ? f.subarray(ptr >> 2, (ptr >> 2) + floats)
      : f.slice(ptr >> 2, (ptr >> 2) + floats)
  }

  /** Copies a [B, U] array into a padded [B, Up] buffer row stride `stride`. */
  private writePadded(
    src: Float32Array | null | undefined,
    dst: number,
    B: number,
    U: number,
    Up: number,
    stride: number,
  ): void {
    if (!src) {
      const f = this.rt.f32
      for (let b = 0; b < B; b++) f.fill(0, (dst >> 2) + b * stride, (dst >> 2) + b * stride + Up)
      return
    }
    const stage = this.write('stage', src)
    this.rt.exports.copy_2d(stage, U, 0, dst, stride, 0, B, 1, U, Up)
  }

  private readUnpadded(
    name: string,
    src: number,
    B: number,
    U: number,
    stride: number,
  ): Float32Array {
    const out = this.buf(name, B * U)
    this.rt.exports.copy_2d(src, stride, 0, out, U, 0, B, 1, U, U)
    return this.read(out, B * U)
  }

  private setArgs(args: number, fields: Partial<Record<keyof typeof A, number>>): void {
    const i32 = this.rt.i32
    const base = args >> 2
    for (const [k, v] of Object.entries(fields)) i32[base + A[k as keyof typeof A]] = v ?? 0
  }

  /**
   * 'auto': no split below SPLIT_MIN_WORK; above it, time both ways for this shape (twice each)
   * and keep the faster, re-checking the other every PROBE_EVERY calls. On a machine whose other
   * core is busy the split can be slower, so it is measured rather than assumed.
   */
  private chooseThreads(threads: 1 | 2 | 'auto', B: number, work: number, key: string): 1 | 2 {
    if (this.rt.threads < 2 || B < 4) return 1
    if (threads !== 'auto') return threads
    if (work < SPLIT_MIN_WORK) return 1
    let st = this.timing.get(key)
    if (!st) {
      st = { ms: [0, 0], n: [0, 0], calls: 0 }
      this.timing.set(key, st)
    }
    st.calls++
    if (st.n[0] < 2) return 1
    if (st.n[1] < 2) return 2
    const best: 1 | 2 = st.ms[1] < st.ms[0] ? 2 : 1
    if (st.calls % PROBE_EVERY === 0) return best === 1 ? 2 : 1
    return best
  }

  private record(ms: number): void {
    const p = this.pending
    if (!p) return
    this.pending = null
    const st = this.timing.get(p.key)
    if (!st) return
    const i = p.threads - 1
    st.ms[i] = st.n[i] === 0 ? ms : 0.7 * st.ms[i] + 0.3 * ms
    st.n[i]++
  }

  private splitRows(B: number, n: 1 | 2): number[] {
    if (n === 1 || B < 2) return [B]
    // Even split on a row-pair boundary (the forward kernel works on pairs of rows).
    const first = Math.min(B - 1, Math.ceil(B / 4) * 2)
    return [first, B - first]
  }

  forward(inp: RnnForwardInput): RnnForwardOutput {
    if (this.disposed) throw new Error('FusedRnnKernel used after dispose()')
    const kind = this.kind
    const B = inp.batch,
      T = inp.timesteps,
      I = inp.inputDim,
      U = inp.units
    const G = kind === 'lstm' ? 4 : 3
    const Up = ceil4(U)
    const Gp = G * Up
    const training = inp.training === true
    const returnSequences = inp.returnSequences === true
    const S = training || returnSequences || T < 2 ? T + 1 : 2
    if (inp.x.length !== B * T * I)
      throw new Error(`x has ${inp.x.length} values, expected ${B * T * I}`)
    if (inp.kernel.length !== I * G * U) throw new Error('kernel shape mismatch')
    if (inp.recurrentKernel.length !== U * G * U) throw new Error('recurrentKernel shape mismatch')
    const check = (a: Float32Array | null | undefined, n: number, what: string): void => {
      if (a && a.length !== n) throw new Error(`${what} has ${a.length} values, expected ${n}`)
    }
    check(inp.bias, G * U, 'bias')
    check(inp.h0, B * U, 'h0')
    check(inp.c0, B * U, 'c0')
    check(inp.inputMask, B * I, 'inputMask')
    check(inp.recurrentMask, B * U, 'recurrentMask')
    const gm = inp.gateMasks ?? null
    if (gm) {
      if (kind !== 'gru') throw new Error('gateMasks apply to the GRU only')
      if (inp.inputMask || inp.recurrentMask) {
        throw new Error('gateMasks replace inputMask / recurrentMask: pass one or the other')
      }
      if (gm.recurrent.length !== 3) throw new Error('gateMasks.recurrent needs 3 masks')
      gm.recurrent.forEach((m, g) => check(m, B * U, `gateMasks.recurrent[${g}]`))
      if (gm.input) {
        if (gm.input.length !== 3) throw new Error('gateMasks.input needs 3 masks')
        gm.input.forEach((m, g) => check(m, B * I, `gateMasks.input[${g}]`))
      }
    }
    const shape: Shape = { kind, B, T, I, U, Up, G, Gp, S }
    this.shape = shape
    this.saved = training
    this.returnSequences = returnSequences
    this.generation++
    const rt = this.rt
    const ex = rt.exports

    let flags = 0
    if (inp.goBackwards) flags |= F_BACK
    if (inp.recurrentActivation === 'hardSigmoid') flags |= F_HARD
    if (training) flags |= F_SAVE
    if (inp.recurrentMask) flags |= F_RMASK
    if (inp.inputMask) flags |= F_XMASK
    if (gm) flags |= F_KRMASK
    if (gm?.input) flags |= F_KXMASK
    this.flags = flags

    // weights
    const P = Up / 4
    const K1 = 1 + I + U
    const nqAll = Math.ceil((Up + I) / 16)
    const nq2 = Math.ceil(Up / 16)
    const Wraw = this.write('Wraw', inp.kernel)
    const Rraw = this.write('Rraw', inp.recurrentKernel)
    const braw = inp.bias ? this.write('braw', inp.bias) : 0
    const wf = this.buf('wf', P * K1 * (kind === 'lstm' ? 16 : 12))
    const wb = this.buf('wb', kind === 'lstm' ? nqAll * Gp * 16 : nq2 * 2 * Up * 16)
    const wbx = kind === 'gru' ? this.buf('wbx', Math.ceil(I / 16) * Gp * 16) : 0
    const wf2 = kind === 'gru' ? this.buf('wf2', nq2 * U * 16) : 0
    const wb2 = kind === 'gru' ? this.buf('wb2', nq2 * U * 16) : 0
    const packArgs = this.buf('packArgs', ARGS_INTS)
    this.setArgs(packArgs, { I, U, Up, wf, wb, wf2, wb2, wbx, Wraw, Rraw, braw })
    if (kind === 'lstm') ex.lstm_pack(packArgs)
    else ex.gru_pack(packArgs)

    // sequences and states
    const X = this.write('X', inp.x)
    let XM = 0
    if (inp.inputMask) {
      XM = this.write('XM', inp.inputMask)
      ex.mask_seq(X, XM, B, T, I)
    }
    const H = this.buf('H', B * S * Up)
    const HM = inp.recurrentMask ? this.buf('HM', B * S * Up) : H
    const C = kind === 'lstm' ? this.buf('C', B * S * Up) : 0
    const Gs = training ? this.buf('G', B * T * Gp) : 0
    let HMASK = 0
    if (inp.recurrentMask) {
      HMASK = this.buf('HMASK', B * Up)
      this.writePadded(inp.recurrentMask, HMASK, B, U, Up, Up)
    }
    // Keras-1 GRU masks, row-major per gate: xm [B][3][I], hm [B][3][Up] (padded lanes 0)
    let rowXM = I
    let rowHM = Up
    if (gm) {
      rowHM = 3 * Up
      HMASK = this.buf('HMASK', B * 3 * Up)
      gm.recurrent.forEach((m, g) => {
        const stage = this.write('stage', m)
        ex.copy_2d(stage, U, 0, HMASK + g * Up * 4, 3 * Up, 0, B, 1, U, Up)
      })
      if (gm.input) {
        rowXM = 3 * I
        XM = this.buf('XM', B * 3 * I)
        gm.input.forEach((m, g) => {
          const stage = this.write('stage', m)
          ex.copy_2d(stage, I, 0, XM + g * I * 4, 3 * I, 0, B, 1, I, I)
        })
      }
    }
    this.writePadded(inp.h0, H, B, U, Up, S * Up)
    if (kind === 'lstm') this.writePadded(inp.c0, C, B, U, Up, S * Up)

    const work = B * T * (I + U) * Gp
    const key = `${B},${T},${I},${U},${flags}`
    const threads = this.chooseThreads(inp.threads ?? 'auto', B, work, key)
    const rows = this.splitRows(B, threads)
    // a training forward whose backward never came: count its forward time alone
    if (this.pending) this.record(this.pending.ms)
    this.parts = []
    let b0 = 0
    for (let p = 0; p < rows.length; p++) {
      const n = rows[p]
      const args = this.buf(`args${p}`, ARGS_INTS)
      this.parts.push({ b0, rows: n, args })
      b0 += n
    }
    for (let p = 0; p < this.parts.length; p++) {
      const part = this.parts[p]
      const b = part.b0
      const fields = {
        B: part.rows,
        T,
        I,
        U,
        Up,
        S,
        flags,
        chunk: this.chunk,
        x: X + b * T * I * 4,
        xm: XM ? XM + b * rowXM * 4 : 0,
        hm: HMASK ? HMASK + b * rowHM * 4 : 0,
        wf,
        wf2,
        wb,
        wb2,
        wbx,
        H: H + b * S * Up * 4,
        HM: HM + b * S * Up * 4,
        C: C ? C + b * S * Up * 4 : 0,
        G: Gs ? Gs + b * T * Gp * 4 : 0,
        scratch: 0,
      }
      this.setArgs(part.args, fields)
      const size =
        kind === 'lstm' ? ex.lstm_scratch_size(part.args) : ex.gru_scratch_size(part.args)
      this.setArgs(part.args, { scratch: this.buf(`scratch${p}`, size) })
    }
    const t0 = performance.now()
    try {
      rt.runSplit(
        kind === 'lstm' ? 'lstm_fwd' : 'gru_fwd',
        this.parts.map((p) => p.args),
      )
    } catch (err) {
      if (!(err instanceof HelperLostError)) throw err
      // The helper thread was given up and may still write into these buffers: leave them to
      // it (a one-time leak) and run the whole batch on this thread in fresh ones.
      this.bufs.clear()
      this.timing.clear()
      this.pending = null
      return this.forward({ ...inp, threads: 1 })
    }
    const ms = performance.now() - t0
    if (this.timing.has(key)) {
      // training: the backward of this forward adds its time before the sample is recorded
      this.pending = { key, threads: this.parts.length as 1 | 2, ms }
      if (!training) this.record(ms)
    }

    const last = S === T + 1 ? T : T & 1
    let y: Float32Array
    if (returnSequences) {
      const Y = this.buf('Y', B * T * U)
      ex.copy_2d(H + Up * 4, S * Up, Up, Y, T * U, U, B, T, U, U)
      y = this.read(Y, B * T * U)
    } else {
      y = this.readUnpadded('outY', H + last * Up * 4, B, U, S * Up)
    }
    const h = returnSequences
      ? this.readUnpadded('outH', H + last * Up * 4, B, U, S * Up)
      : this.views
        ? y
        : y.slice()
    const out: RnnForwardOutput = { y, h }
    if (kind === 'lstm') out.c = this.readUnpadded('outC', C + last * Up * 4, B, U, S * Up)
    return out
  }

  /** Backpropagation through time for the last forward(training: true) call. */
  backward(g: RnnBackwardInput): RnnGradients {
    const shape = this.shape
    if (!shape || !this.saved)
      throw new Error('backward() needs a forward({ training: true }) first')
    const { kind, B, T, I, U, Up, Gp } = shape
    const rt = this.rt
    const ex = rt.exports
    const needDx = g.inputGradient !== false
    let flags = this.flags & ~F_SAVE
    if (needDx) flags |= F_DX
    const seq = this.returnSequences
    if (seq && g.dy) flags |= F_SEQ

    // dL/dh_T: the gradient of the final state plus (without returnSequences) of the output.
    const DH = this.buf('DH', B * Up)
    const DC = this.buf('DC', B * Up)
    let dhT: Float32Array | null = g.dh ?? null
    if (!seq && g.dy) {
      if (dhT) {
        const sum = new Float32Array(dhT)
        for (let i = 0; i < sum.length; i++) sum[i] += g.dy[i]
        dhT = sum
      } else dhT = g.dy
    }
    this.writePadded(dhT, DH, B, U, Up, Up)
    this.writePadded(kind === 'lstm' ? g.dc : null, DC, B, U, Up, Up)
    let DY = 0
    if (flags & F_SEQ && g.dy) {
      if (g.dy.length !== B * T * U) throw new Error('dy shape mismatch')
      const stage = this.write('stage', g.dy)
      DY = this.buf('DY', B * T * Up)
      ex.copy_2d(stage, T * U, U, DY, T * Up, Up, B, T, U, Up)
    }
    const DX = needDx ? this.buf('DX', B * T * I) : 0
    const dwFloats = (1 + I + U) * Gp
    for (let p = 0; p < this.parts.length; p++) {
      const part = this.parts[p]
      const b = part.b0
      const dw = this.buf(`dw${p}`, dwFloats)
      this.zero(dw, dwFloats)
      this.setArgs(part.args, {
        flags,
        chunk: this.chunk,
        dy: DY ? DY + b * T * Up * 4 : 0,
        dh: DH + b * Up * 4,
        dc: DC + b * Up * 4,
        dx: DX ? DX + b * T * I * 4 : 0,
        dw,
      })
      const size =
        kind === 'lstm' ? ex.lstm_scratch_size(part.args) : ex.gru_scratch_size(part.args)
      this.setArgs(part.args, { scratch: this.buf(`scratch${p}`, size) })
    }
    const fn: SplitFn = kind === 'lstm' ? 'lstm_bwd' : 'gru_bwd'
    const t0 = performance.now()
    try {
      rt.runSplit(
        fn,
        this.parts.map((p) => p.args),
      )
    } catch (err) {
      if (!(err instanceof HelperLostError) || this.parts.length < 2) throw err
      // The helper was given up mid-call: what it writes (dh / dc in place, its dx rows, its
      // weight-gradient sum, its scratch) is left to it. The forward state it only reads
      // stays; part 0 starts at row 0, so its argument block covers the whole batch with B.
      for (const name of ['DH', 'DC', 'DY', 'DX', 'dw0', 'dw1', 'scratch0', 'scratch1', 'stage'])
        this.bufs.delete(name)
      const first = this.parts[0]
      this.parts = [{ b0: 0, rows: B, args: first.args }]
      this.setArgs(first.args, { B })
      this.pending = null
      return this.backward(g)
    }
    if (this.pending) this.record(this.pending.ms + performance.now() - t0)

    const G = shape.G
    const gW = this.buf('gW', I * G * U)
    const gR = this.buf('gR', U * G * U)
    const gb = this.buf('gb', G * U)
    const unpack = this.buf('packArgs', ARGS_INTS)
    this.setArgs(unpack, {
      I,
      U,
      Up,
      dw: this.bufs.get('dw0')!.ptr,
      nacc: this.parts.length,
      dw2: this.parts.length > 1 ? this.bufs.get('dw1')!.ptr : 0,
      gW,
      gR,
      gb,
    })
    if (kind === 'lstm') ex.lstm_unpack(unpack)
    else ex.gru_unpack(unpack)
    const out: RnnGradients = {
      dKernel: this.read(gW, I * G * U),
      dRecurrentKernel: this.read(gR, U * G * U),
      dBias: this.read(gb, G * U),
      dh0: this.readUnpadded('outDH', DH, B, U, Up),
    }
    if (needDx) out.dx = this.read(DX, B * T * I)
    if (kind === 'lstm') out.dc0 = this.readUnpadded('outDC', DC, B, U, Up)
    return out
  }

  /** Number of threads the last forward() used. */
  get lastThreads(): number {
    return this.parts.length
  }

  /** Releases the wasm memory of this instance. */
  dispose(): void {
    for (const { ptr } of this.bufs.values()) this.rt.release(ptr)
    this.bufs.clear()
    this.shape = null
    this.disposed = true
  }
}

let shared: { lstm?: FusedRnnKernel; gru?: FusedRnnKernel } = {}

function sharedKernel(kind: RnnKind): FusedRnnKernel {
  let k = shared[kind]
  if (!k) {
    k = new FusedRnnKernel(kind)
    shared = { ...shared, [kind]: k }
  }
  return k
}

/** Forward through a process-wide LSTM kernel instance (see FusedRnnKernel for per-layer use). */
export function lstmForward(inp: RnnForwardInput): RnnForwardOutput {
  return sharedKernel('lstm').forward(inp)
}
/** Backward for the last lstmForward({ training: true }). */
export function lstmBackward(g: RnnBackwardInput): RnnGradients {
  return sharedKernel('lstm').backward(g)
}
export function gruForward(inp: RnnForwardInput): RnnForwardOutput {
  return sharedKernel('gru').forward(inp)
}
export function gruBackward(g: RnnBackwardInput): RnnGradients {
  return sharedKernel('gru').backward(g)
}

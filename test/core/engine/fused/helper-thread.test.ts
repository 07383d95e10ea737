/**
 * The two-thread split never hangs the caller: a helper thread that stops answering or dies is
 * given up after a timeout, the call is redone on this thread (same results), and the runtime
 * stays on one thread and says why. Each case uses its own runtime (its own helper).
 */
import { availableParallelism } from 'node:os'
import { describe, expect, it } from 'vitest'
import { FusedRnnKernel, KernelRuntime, type RnnKind } from '../../../../src/core/engine/fused'
import { expectClose, prng, randArray } from './helpers'

const B = 48,
  T = 9,
  I = 4,
  U = 13

function input(kind: RnnKind) {
  const rand = prng(kind === 'lstm' ? 3 : 4)
  const G = kind === 'lstm' ? 4 : 3
  return {
    inp: {
      x: randArray(B * T * I, rand),
      batch: B,
      timesteps: T,
      inputDim: I,
      units: U,
      kernel: randArray(I * G * U, rand, 0.5),
      recurrentKernel: randArray(U * G * U, rand, 0.5),
      bias: randArray(G * U, rand, 0.3),
      h0: randArray(B * U, rand),
      returnSequences: true,
      training: true,
    },
    dy: randArray(B * T * U, rand),
  }
}

/** Reference: one thread, default runtime. */
function reference(kind: RnnKind) {
  const { inp, dy } = input(kind)
  const k = new FusedRnnKernel(kind)
  const f = k.forward({ ...inp, threads: 1 })
  const g = k.backward({ dy })
  k.dispose()
  return { f, g }
}

// The runtime never starts a helper on one core (startHelper resolves false), so there is
// nothing to test there: skipped with the reason in the name, never a silent pass.
const cores = availableParallelism()
const multi = cores >= 2

describe.skipIf(!multi)(
  `helper thread failures${multi ? '' : ` (skipped: needs 2 cores, this machine has ${cores})`}`,
  () => {
    for (const kind of ['lstm', 'gru'] as const) {
      for (const when of ['forward', 'backward'] as const) {
        it(`${kind}: a helper that stops answering during the ${when} pass is given up; results are unchanged`, async () => {
          const rt = new KernelRuntime()
          rt.helperTimeoutMs = 150
          expect(await rt.startHelper()).toBe(true)
          const ref = reference(kind)
          const { inp, dy } = input(kind)
          const k = new FusedRnnKernel(kind, rt)
          if (when === 'forward') rt.simulateHelperFault('hang')
          const f = k.forward({ ...inp, threads: 2 })
          if (when === 'backward') {
            expect(k.lastThreads).toBe(2)
            rt.simulateHelperFault('hang')
          } else {
            expect(k.lastThreads).toBe(1)
          }
          const g = k.backward({ dy })
          expect(rt.threads).toBe(1)
          expect(rt.helperStatus.reason).toMatch(/did not answer within \d+ ms/)
          expect(Buffer.from(f.y.buffer).equals(Buffer.from(ref.f.y.buffer))).toBe(true)
          expectClose(g.dx!, ref.g.dx!, 'dx', 1e-5, 1e-6)
          expectClose(g.dKernel, ref.g.dKernel, 'dKernel', 1e-5, 1e-6)
          expectClose(g.dRecurrentKernel, ref.g.dRecurrentKernel, 'dRecurrentKernel', 1e-5, 1e-6)
          expectClose(g.dh0, ref.g.dh0, 'dh0', 1e-5, 1e-6)
          // the rest of the process stays on one thread
          k.forward({ ...inp, threads: 2 })
          expect(k.lastThreads).toBe(1)
          expect(await rt.startHelper()).toBe(false)
          k.dispose()
        })
      }
    }

    it('a helper that exits between calls: later calls run on one thread and the reason is kept', async () => {
      const rt = new KernelRuntime()
      expect(await rt.startHelper()).toBe(true)
      rt.simulateHelperFault('exit')
      for (let i = 0; i < 50 && rt.threads === 2; i++) await new Promise((r) => setTimeout(r, 10))
      expect(rt.threads).toBe(1)
      expect(rt.helperStatus.reason).toMatch(/exited \(code 3\)/)
      const ref = reference('gru')
      const { inp, dy } = input('gru')
      const k = new FusedRnnKernel('gru', rt)
      const f = k.forward({ ...inp, threads: 2 })
      expect(k.lastThreads).toBe(1)
      expect(Buffer.from(f.y.buffer).equals(Buffer.from(ref.f.y.buffer))).toBe(true)
      expectClose(k.backward({ dy }).dKernel, ref.g.dKernel, 'dKernel', 1e-5, 1e-6)
      expect(await rt.startHelper()).toBe(false)
      k.dispose()
    })
  },
)

import { describe, expect, it } from 'vitest'
import type { BackendReport } from '../../src/shared/run'
import { backendView, kernelLines } from '../../src/renderer/src/lib/backend'
import { isTypingTarget, shortcutFor } from '../../src/renderer/src/lib/shortcuts'

describe('backendView', () => {
  it('lists skipped backends in the engine’s order of preference, with routes and versions', () => {
    const report: BackendReport = {
      used: 'wasm',
      skipped: { 'tfjs-node': 'not installed', 'tfjs-node-gpu': 'no CUDA 11.2' },
      routed:
        'The wasm backend has no Conv2DBackpropFilter kernel (Conv1D gradients); Seqcast registered the cpu implementation of that one kernel on wasm, the rest of the model runs on wasm.',
      versions: { tfjs: '4.22.0', node: '20.20.2' },
    }
    const v = backendView(report)
    expect(v.used).toBe('wasm')
    expect(v.usedLabel).toBe('WebAssembly')
    expect(v.forced).toBe(false)
    expect(v.skipped).toEqual([
      { name: 'tfjs-node-gpu', why: 'no CUDA 11.2' },
      { name: 'tfjs-node', why: 'not installed' },
    ])
    // One sentence, not split at its semicolon.
    expect(v.routed).toEqual([report.routed])
    expect(v.kernels).toEqual([])
    expect(v.versions).toBe('tfjs 4.22.0, node 20.20.2')
  })

  it('tolerates a report without the optional fields', () => {
    const v = backendView({ used: 'cpu', skipped: {}, forced: true })
    expect(v).toMatchObject({ used: 'cpu', forced: true, skipped: [], routed: [], kernels: [] })
    expect(v.versions).toBe('')
  })
})

describe('kernelLines', () => {
  it('reads the engine’s KernelReport: one line per recurrent layer from its summary', () => {
    expect(
      kernelLines({
        fused: true,
        layers: ['LSTM(16)', 'Bidirectional(GRU(32))'],
        stock: [{ layer: 'SimpleRNN(8)', reason: 'no fused kernel for SimpleRNN' }],
        threads: 2,
        summary:
          'LSTM(16): fused WebAssembly kernels (2 threads); SimpleRNN(8): stock tfjs-layers (no fused kernel for SimpleRNN); Bidirectional(GRU(32)): fused WebAssembly kernels (2 threads)',
      }),
    ).toEqual([
      'LSTM(16): fused WebAssembly kernels (2 threads)',
      'SimpleRNN(8): stock tfjs-layers (no fused kernel for SimpleRNN)',
      'Bidirectional(GRU(32)): fused WebAssembly kernels (2 threads)',
    ])
    // A reason with a semicolon of its own stays in its line.
    expect(
      kernelLines({ summary: 'LSTM(16): fused WebAssembly kernels (1 thread: busy; small batch)' }),
    ).toEqual(['LSTM(16): fused WebAssembly kernels (1 thread: busy; small batch)'])
  })

  it('builds the lines from the fields when there is no summary', () => {
    expect(
      kernelLines({
        fused: true,
        layers: ['LSTM(16)'],
        stock: [{ layer: 'GRU(8)', reason: 'switched off' }],
        threads: 2,
      }),
    ).toEqual([
      'LSTM(16): fused WebAssembly kernels (2 threads)',
      'GRU(8): stock TensorFlow.js layers (switched off)',
    ])
  })

  it('reads other shapes, and shows nothing for one it does not know', () => {
    expect(kernelLines(undefined)).toEqual([])
    expect(kernelLines(true)).toEqual(['Recurrent layers: fused WebAssembly kernels'])
    expect(kernelLines([{ layer: 'LSTM(16)', fused: true, threads: 2 }])).toEqual([
      'LSTM(16): fused WebAssembly kernels (2 threads)',
    ])
    expect(kernelLines({ 'GRU(4)': { fused: false, reason: 'recurrent dropout' } })).toEqual([
      'GRU(4): stock TensorFlow.js layers (recurrent dropout)',
    ])
    expect(kernelLines({ 'LSTM(16)': 'fused' })).toEqual(['LSTM(16): fused'])
    expect(kernelLines(42)).toEqual([])
    expect(kernelLines([{ something: 1 }])).toEqual([])
  })
})

describe('keyboard shortcuts', () => {
  const key = (
    k: string,
    mods: Partial<Record<'ctrl' | 'meta' | 'shift' | 'alt', boolean>>,
    target: unknown = { tagName: 'BODY' },
  ) => ({
    key: k,
    ctrlKey: !!mods.ctrl,
    metaKey: !!mods.meta,
    shiftKey: !!mods.shift,
    altKey: !!mods.alt,
    target,
  })

  it('Ctrl/Cmd+O opens a CSV and Ctrl/Cmd+E exports forecasts in the browser', () => {
    expect(shortcutFor(key('o', { ctrl: true }), 'browser', 7)).toEqual({ command: 'open-csv' })
    expect(shortcutFor(key('O', { meta: true }), 'browser', 7)).toEqual({ command: 'open-csv' })
    expect(shortcutFor(key('e', { ctrl: true }), 'browser', 7)).toEqual({
      command: 'export-forecasts',
    })
    expect(shortcutFor(key('e', { ctrl: true, shift: true }), 'browser', 7)).toBeNull()
    expect(shortcutFor(key('s', { ctrl: true }), 'browser', 7)).toBeNull()
  })

  it('leaves them to the desktop menu, and to text fields while typing', () => {
    expect(shortcutFor(key('o', { ctrl: true }), 'electron', 7)).toBeNull()
    const input = { tagName: 'INPUT', type: 'number' }
    expect(shortcutFor(key('e', { ctrl: true }, input), 'browser', 7)).toBeNull()
    expect(isTypingTarget({ tagName: 'TEXTAREA' })).toBe(true)
    expect(isTypingTarget({ tagName: 'DIV', isContentEditable: true })).toBe(true)
    expect(isTypingTarget({ tagName: 'INPUT', type: 'text' })).toBe(true)
    expect(isTypingTarget({ tagName: 'INPUT', type: 'checkbox' })).toBe(false)
    expect(isTypingTarget({ tagName: 'SELECT' })).toBe(false)
    expect(isTypingTarget(null)).toBe(false)
    expect(
      shortcutFor(key('o', { ctrl: true }, { tagName: 'INPUT', type: 'checkbox' }), 'browser', 7),
    ).toEqual({ command: 'open-csv' })
  })

  it('Alt+1…7 switch views in both', () => {
    expect(shortcutFor(key('1', { alt: true }), 'electron', 7)).toEqual({ view: 0 })
    expect(shortcutFor(key('7', { alt: true }), 'browser', 7)).toEqual({ view: 6 })
    expect(shortcutFor(key('8', { alt: true }), 'browser', 7)).toBeNull()
  })
})

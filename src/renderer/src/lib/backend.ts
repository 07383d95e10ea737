/**
 * A backend report (`run:backend`, a run's result, `engine:backends`) as the lines the Train
 * view's "Why this backend?" popover and Help → Backend report show: the backend used, why each
 * other one was not, what was re-routed for the model, and which layers run on the fused
 * WebAssembly kernels. Pure; tolerant of fields an older or newer engine may not send.
 */
import type { BackendReport } from '@shared/run'

export const BACKEND_LABELS: Record<string, string> = {
  'tfjs-node-gpu': 'tfjs-node-gpu (CUDA)',
  'tfjs-node': 'tfjs-node (native TensorFlow)',
  wasm: 'WebAssembly',
  cpu: 'JavaScript (cpu)',
}

export interface BackendView {
  used: string
  usedLabel: string
  forced: boolean
  /** Backends not used, in the engine's order of preference, with the reason. */
  skipped: { name: string; why: string }[]
  /** Kernels borrowed from another backend or re-routed for this model. */
  routed: string[]
  /** One line per recurrent layer (or one overall line): fused kernels on or off, and why. */
  kernels: string[]
  /** "tfjs 4.22.0, tfjs-backend-wasm 4.22.0, node 20.20.0" */
  versions: string
}

const ORDER = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu']

export function backendView(report: BackendReport): BackendView {
  const skipped = Object.entries(report.skipped ?? {})
    .filter((e): e is [string, string] => typeof e[1] === 'string')
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([name, why]) => ({ name, why }))
  const routed =
    typeof report.routed === 'string' && report.routed.trim()
      ? report.routed
          .split(/\n/)
          .map((s) => s.trim())
          .filter(Boolean)
      : []
  const versions = report.versions
    ? Object.entries(report.versions)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')
    : ''
  return {
    used: report.used,
    usedLabel: BACKEND_LABELS[report.used] ?? report.used,
    forced: report.forced === true,
    skipped,
    routed,
    kernels: kernelLines((report as { kernels?: unknown }).kernels),
    versions,
  }
}

function rank(name: string): number {
  const i = ORDER.indexOf(name)
  return i < 0 ? ORDER.length : i
}

const FUSED = 'fused WebAssembly kernels'
const STOCK = 'stock TensorFlow.js layers'

/**
 * The report's `kernels` field in words. The engine sends a KernelReport ({ fused, layers, stock,
 * threads, reason?, summary }, `summary` being "LSTM(16): fused WebAssembly kernels (2 threads);
 * …"); older or other shapes are read too: a boolean (on/off for the run), a sentence, a list of
 * per-layer entries ({ layer, fused, reason?, threads? } or sentences), or a record from layer
 * name to such an entry. Unknown shapes give no line rather than a wrong one.
 */
export function kernelLines(kernels: unknown): string[] {
  if (kernels === null || kernels === undefined) return []
  if (typeof kernels === 'boolean') return [`Recurrent layers: ${kernels ? FUSED : STOCK}`]
  if (typeof kernels === 'string') return kernels.trim() ? [kernels.trim()] : []
  if (Array.isArray(kernels)) return kernels.flatMap((k, i) => entryLine(k, `Layer ${i + 1}`))
  if (typeof kernels === 'object') {
    const o = kernels as Record<string, unknown>
    // The engine's KernelReport: `summary` has one line per recurrent layer, in its words.
    if (typeof o.summary === 'string' && o.summary.trim()) return summaryLines(o.summary)
    if (Array.isArray(o.layers) && Array.isArray(o.stock)) return structuredLines(o)
    if (Array.isArray(o.layers)) {
      const head =
        typeof o.enabled === 'boolean' && !o.enabled
          ? [`Fused kernels off${typeof o.reason === 'string' ? `: ${o.reason}` : ''}`]
          : []
      return [...head, ...kernelLines(o.layers)]
    }
    if ('fused' in o || 'enabled' in o) return entryLine(o, 'Recurrent layers')
    return Object.entries(o).flatMap(([name, v]) => entryLine(v, name))
  }
  return []
}

function entryLine(entry: unknown, fallbackName: string): string[] {
  if (typeof entry === 'string') {
    const text = entry.trim()
    if (!text) return []
    return fallbackName.startsWith('Layer ') ? [text] : [`${fallbackName}: ${text}`]
  }
  if (typeof entry === 'boolean') return [`${fallbackName}: ${entry ? FUSED : STOCK}`]
  if (!entry || typeof entry !== 'object') return []
  const e = entry as Record<string, unknown>
  const name =
    [e.layer, e.name, e.label].find((v): v is string => typeof v === 'string' && v !== '') ??
    fallbackName
  const flag = [e.fused, e.enabled, e.on].find((v): v is boolean => typeof v === 'boolean')
  const fused = flag ?? (e.path === 'fused' ? true : e.path === 'stock' ? false : undefined)
  if (fused === undefined) return []
  const reason = [e.reason, e.why].find((v): v is string => typeof v === 'string' && v !== '')
  const threads = typeof e.threads === 'number' && e.threads > 1 ? e.threads : null
  const text = fused
    ? `${FUSED}${threads ? ` (${threads} threads)` : ''}`
    : `${STOCK}${reason ? ` (${reason})` : ''}`
  return [`${name}: ${text}`]
}

/** "LSTM(16): …; GRU(8): …" → one line per layer (a "; " inside a reason stays). */
function summaryLines(summary: string): string[] {
  return summary
    .split(/;\s+(?=[A-Z][A-Za-z]*\()/)
    .map((s) => s.trim())
    .filter(Boolean)
}

/** { layers: fused labels, stock: [{ layer, reason }], threads } without a summary. */
function structuredLines(o: Record<string, unknown>): string[] {
  const threads = typeof o.threads === 'number' && o.threads > 1 ? o.threads : null
  const fused = (o.layers as unknown[])
    .filter((l): l is string => typeof l === 'string')
    .map((l) => `${l}: ${FUSED}${threads ? ` (${threads} threads)` : ''}`)
  const stock = (o.stock as unknown[]).flatMap((e) => {
    const x = e as { layer?: unknown; reason?: unknown } | null
    return x && typeof x.layer === 'string'
      ? [`${x.layer}: ${STOCK}${typeof x.reason === 'string' ? ` (${x.reason})` : ''}`]
      : []
  })
  return [...fused, ...stock]
}

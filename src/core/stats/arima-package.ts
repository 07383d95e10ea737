import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/**
 * The `arima` npm package (an Emscripten build of ctsa) estimates a SARIMA of given orders by
 * CSS-ML. Its JavaScript API returns forecasts only, so the coefficients are read from the model
 * summary that ctsa prints in verbose mode: the package's loader takes a `print` hook, which is why
 * the module is instantiated here from the package's own files rather than through its index.
 *
 * Limits found while evaluating it (0.2.8): inputs are copied onto a 64 KiB stack, so more than
 * ~8,000 rows crash the module (callers pass at most MAX_FIT_ROWS); a crash leaves the heap
 * corrupt, so every fit gets a fresh instance; its AutoARIMA returns white noise on series longer
 * than ~3,000 rows (every AR/MA candidate fails), so order selection lives in arima-fit.ts.
 */
export const MAX_FIT_ROWS = 4000

export interface SarimaOrder {
  p: number
  d: number
  q: number
  P: number
  D: number
  Q: number
  /** Season in rows; 0 when P = D = Q = 0. */
  s: number
}

/** Coefficients in ctsa's signs: (1 − Σφ B^i)(1 − ΣΦ B^is) w = (1 − Σθ B^j)(1 − ΣΘ B^js) e. */
export interface SarimaCoefficients {
  ar: number[]
  ma: number[]
  sar: number[]
  sma: number[]
  mean: number
  sigma2: number
  aic: number
}

export interface PackageFit extends SarimaCoefficients {
  converged: boolean
  /** The package's own forecasts for the steps after the fitted rows. */
  forecast: number[]
  /** The package's forecast mean squared errors for the same steps. */
  mse: number[]
}

interface ArimaInstance {
  train(ts: number[]): ArimaInstance
  predict(steps: number): [number[], number[]]
  destroy(): void
}
type ArimaConstructor = new (options: Record<string, unknown>) => ArimaInstance

// Not named `require`: electron-vite's ESM output declares its own `require` at the top of the bundle.
const load = createRequire(import.meta.url)
const packageDir = dirname(load.resolve('arima'))

function instantiate(print: (line: string) => void): ArimaConstructor {
  const createModule = load(join(packageDir, 'wasm/native-sync.js')) as (
    options: Record<string, unknown>,
  ) => unknown
  const wasmBinary = load(join(packageDir, 'wrapper/native.bin.js')) as Uint8Array
  const bind = load(join(packageDir, 'load.js')) as (module: unknown) => ArimaConstructor
  return bind(createModule({ wasmBinary, print, printErr: print }))
}

/** Fits one SARIMA with the package; throws only if the module itself fails. */
export function fitWithPackage(
  values: ArrayLike<number>,
  order: SarimaOrder,
  steps: number,
): PackageFit {
  const lines: string[] = []
  const ARIMA = instantiate((line) => lines.push(line))
  const model = new ARIMA({ ...order, verbose: true })
  try {
    model.train(Array.from(values))
    const [forecast, mse] = model.predict(steps)
    return { ...parseSummary(lines), forecast, mse }
  } finally {
    model.destroy()
  }
}

const NUMBER = '([-+]?(?:\\d+\\.?\\d*(?:e[-+]?\\d+)?|nan|-nan|inf|-inf))'

/** Reads the coefficient table, σ², AIC and exit status from ctsa's printed summary. */
export function parseSummary(lines: string[]): SarimaCoefficients & { converged: boolean } {
  const text = lines.join('\n')
  const series = (name: string): number[] => {
    const out: number[] = []
    for (const match of text.matchAll(new RegExp(`^${name}(\\d+)\\s+${NUMBER}`, 'gim'))) {
      out[Number(match[1]) - 1] = Number(match[2])
    }
    return Array.from(out, (v) => (v === undefined ? NaN : v))
  }
  const single = (pattern: string): number => {
    const match = new RegExp(pattern + NUMBER, 'im').exec(text)
    return match ? Number(match[1]) : NaN
  }
  const coefficients: SarimaCoefficients = {
    ar: series('AR'),
    ma: series('MA'),
    sar: series('SAR'),
    sma: series('SMA'),
    mean: single('^MEAN\\s+'),
    sigma2: single('^SIGMA\\^2\\s+'),
    aic: single('^AIC criterion\\s*:\\s*'),
  }
  const status = /Exit Message\s*:\s*(.*)$/im.exec(text)?.[1] ?? ''
  const numbers = [...coefficients.ar, ...coefficients.ma, ...coefficients.sar, ...coefficients.sma]
  const converged =
    /success/i.test(status) &&
    numbers.every(Number.isFinite) &&
    [coefficients.mean, coefficients.sigma2, coefficients.aic].every(Number.isFinite)
  return { ...coefficients, converged }
}

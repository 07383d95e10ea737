import { expectArg } from '../errors'

/**
 * `zscore`: (x - mean) / std, population std (numpy's default, as in Chollet ch. 10).
 * `minmax`: to [0, 1]; `minmax-sym`: to [-1, 1] (Bonaccorso's sunspots); `none`: unchanged.
 */
export type NormalizationKind = 'zscore' | 'minmax' | 'minmax-sym' | 'none'

/** Per-column affine map x' = (x - center) / scale; stored with the experiment and the model. */
export interface NormalizationStats {
  kind: NormalizationKind
  columns: string[]
  center: number[]
  scale: number[]
  /** Columns whose training rows were constant: scale set to 1 so they pass through centred. */
  constant: string[]
}

/**
 * Fits on rows [0, trainEnd) only, so nothing from validation or test leaks into the inputs.
 * Missing values (NaN) are skipped.
 */
export function fitNormalization(
  kind: NormalizationKind,
  columns: { name: string; values: ArrayLike<number> }[],
  trainEnd: number,
): NormalizationStats {
  expectArg(
    Number.isInteger(trainEnd) && trainEnd >= 1,
    'training rows',
    'at least 1 row to fit the normalization on',
    trainEnd,
    'config',
  )
  const stats: NormalizationStats = { kind, columns: [], center: [], scale: [], constant: [] }
  for (const column of columns) {
    const end = Math.min(trainEnd, column.values.length)
    let center = 0
    let scale = 1
    if (kind !== 'none') {
      let n = 0
      let mean = 0
      let m2 = 0
      let min = Infinity
      let max = -Infinity
      for (let i = 0; i < end; i++) {
        const v = column.values[i]
        if (!Number.isFinite(v)) continue // missing (±Infinity too: it is refused before training)
        n++
        const d = v - mean // Welford: stable for large offsets such as pressure in mbar
        mean += d / n
        m2 += d * (v - mean)
        if (v < min) min = v
        if (v > max) max = v
      }
      expectArg(
        n > 0,
        `column "${column.name}"`,
        'at least one value in the training rows',
        'only missing values',
        'column',
        'Fill missing values in the Data view or pick another column.',
      )
      if (kind === 'zscore') {
        center = mean
        scale = Math.sqrt(m2 / n)
      } else if (kind === 'minmax') {
        center = min
        scale = max - min
      } else {
        center = (max + min) / 2
        scale = (max - min) / 2
      }
      if (!(scale > 0)) {
        scale = 1
        stats.constant.push(column.name)
      }
    }
    stats.columns.push(column.name)
    stats.center.push(center)
    stats.scale.push(scale)
  }
  return stats
}

function indexOf(stats: NormalizationStats, column: string): number {
  const i = stats.columns.indexOf(column)
  expectArg(
    i >= 0,
    'normalization',
    `a column of ${stats.columns.join(', ')}`,
    column,
    'model-mismatch',
  )
  return i
}

export function normalizeValue(stats: NormalizationStats, column: string, value: number): number {
  const i = indexOf(stats, column)
  return (value - stats.center[i]) / stats.scale[i]
}

export function denormalizeValue(stats: NormalizationStats, column: string, value: number): number {
  const i = indexOf(stats, column)
  return value * stats.scale[i] + stats.center[i]
}

/** Normalized copy of one column as float32 (model inputs are float32). */
export function normalizeColumn(
  stats: NormalizationStats,
  column: string,
  values: ArrayLike<number>,
): Float32Array {
  const i = indexOf(stats, column)
  const c = stats.center[i]
  const s = stats.scale[i]
  const out = new Float32Array(values.length)
  for (let r = 0; r < values.length; r++) out[r] = (values[r] - c) / s
  return out
}

/** Back to the data's units, in place or into `out`. */
export function denormalizeArray(
  stats: NormalizationStats,
  column: string,
  values: ArrayLike<number>,
  out: Float64Array = new Float64Array(values.length),
): Float64Array {
  const i = indexOf(stats, column)
  const c = stats.center[i]
  const s = stats.scale[i]
  for (let r = 0; r < values.length; r++) out[r] = values[r] * s + c
  return out
}

/**
 * Row-major float32 matrix (rows × columns.length) of normalized columns: the layout the batch
 * filler copies windows from.
 */
export function normalizedMatrix(
  stats: NormalizationStats,
  columns: { name: string; values: ArrayLike<number> }[],
): Float32Array {
  const rows = columns.length === 0 ? 0 : columns[0].values.length
  const F = columns.length
  const out = new Float32Array(rows * F)
  columns.forEach((column, f) => {
    const i = indexOf(stats, column.name)
    const c = stats.center[i]
    const s = stats.scale[i]
    const v = column.values
    for (let r = 0; r < rows; r++) out[r * F + f] = (v[r] - c) / s
  })
  return out
}

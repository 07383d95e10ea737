/**
 * Gaps in the rows a model reads. Training and forecasting refuse them alike: a window holding a
 * missing value gives no usable forecast and a missing target no error to learn from, and the
 * fix (fill or interpolate) is one step in the Data view or on the command line. ±Infinity counts
 * as missing: the import reads it so, and a dataset built another way must not reach a model
 * with it (it would turn the normalization and the loss into NaN far from the cell at fault).
 */
import { SeqcastError } from '../errors'

/**
 * Throws when `values` holds NaN or ±Infinity in rows `from` … `to` (inclusive), naming the first
 * row and the count.
 */
export function checkMissing(
  file: string,
  column: string,
  values: ArrayLike<number>,
  from: number,
  to: number,
): void {
  let count = 0
  let infinite = 0
  let first = -1
  const end = Math.min(to, values.length - 1)
  for (let r = Math.max(0, from); r <= end; r++) {
    const v = values[r]
    if (!Number.isFinite(v)) {
      if (first < 0) first = r
      count++
      if (!Number.isNaN(v)) infinite++
    }
  }
  if (count === 0) return
  const what = infinite > 0 ? 'missing or infinite' : 'missing'
  throw new SeqcastError(
    'column',
    `Column "${column}" of ${file} has ${count.toLocaleString('en-US')} ${what} value${count === 1 ? '' : 's'} ` +
      `(first in data row ${(first + 1).toLocaleString('en-US')}). Models cannot train or forecast on gaps: fill them ` +
      `(forward fill or linear interpolation in the Data view, --fill on the command line) or pick another column.`,
    { file, column, row: first + 1, count, infinite },
  )
}

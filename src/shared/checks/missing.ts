/**
 * Gaps in the rows a model reads. Training and forecasting refuse them alike: a window holding a
 * missing value gives no usable forecast and a missing target no error to learn from, and the
 * fix (fill or interpolate) is one step in the Data view or on the command line.
 */
import { SeqcastError } from '../errors'

/** Throws when `values` holds NaN in rows `from` … `to` (inclusive), naming the first row and the count. */
export function checkMissing(
  file: string,
  column: string,
  values: ArrayLike<number>,
  from: number,
  to: number,
): void {
  let count = 0
  let first = -1
  const end = Math.min(to, values.length - 1)
  for (let r = Math.max(0, from); r <= end; r++) {
    if (Number.isNaN(values[r])) {
      if (first < 0) first = r
      count++
    }
  }
  if (count === 0) return
  throw new SeqcastError(
    'column',
    `Column "${column}" of ${file} has ${count.toLocaleString('en-US')} missing value${count === 1 ? '' : 's'} ` +
      `(first in data row ${(first + 1).toLocaleString('en-US')}). Models cannot train or forecast on gaps: fill them ` +
      `(forward fill or linear interpolation in the Data view, --fill on the command line) or pick another column.`,
    { file, column, row: first + 1, count },
  )
}

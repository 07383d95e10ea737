/**
 * The leaderboard of a comparison (Results, Library): one row per board entry with its validation
 * and test metrics, the change against naive as a person reads it ("12.3 % better"), its time,
 * its rank by validation MAE (the board's own order) and the best entry marked; and its sorting.
 * Pure: unit-tested in node.
 */
import { formatChange, formatStyled, NO_VALUE, numberStyle, type NumberStyle } from '@shared/format'
import type { ArenaRecord, ArenaRow } from '../db'

export const BOARD_METRICS = ['mae', 'rmse', 'mape', 'smape', 'mase'] as const
export type BoardMetric = (typeof BOARD_METRICS)[number]
export const METRIC_LABEL: Record<BoardMetric, string> = {
  mae: 'MAE',
  rmse: 'RMSE',
  mape: 'MAPE',
  smape: 'sMAPE',
  mase: 'MASE',
}

export const FAMILY_LABEL: Record<ArenaRow['family'], string> = {
  statistical: 'statistical',
  neural: 'neural',
  baseline: 'baseline',
  ensemble: 'ensemble',
}

export interface BoardRow {
  /** The entry's id on the board (preset, baseline name or "ensemble"). */
  model: string
  /** 1 = best by validation MAE (the board's order). */
  rank: number
  best: boolean
  family: ArenaRow['family']
  name: string
  runId: string | null
  val: Partial<Record<BoardMetric, number>>
  test: Partial<Record<BoardMetric, number>>
  /** "12.3 % better" / "4.0 % worse" than naive's MAE on the same split; "—" for naive itself. */
  valVsNaive: string
  testVsNaive: string
  /** (MAE − naive MAE) / naive MAE on validation, for sorting; null when there is none. */
  valChange: number | null
  seconds: number
}

/**
 * Each metric column's cells in one style (the decimals of its largest value), as every other
 * table: the board read "37.2" above "37.63" and "246" beside "47.91".
 */
export function boardCells(
  rows: BoardRow[],
): Record<'val' | 'test', Record<BoardMetric, (row: BoardRow) => string>> {
  const column = (split: 'val' | 'test', k: BoardMetric) => {
    const style: NumberStyle = numberStyle(rows.map((r) => r[split][k]))
    return (row: BoardRow) => formatStyled(row[split][k], style)
  }
  const of = (split: 'val' | 'test') =>
    Object.fromEntries(BOARD_METRICS.map((k) => [k, column(split, k)])) as Record<
      BoardMetric,
      (row: BoardRow) => string
    >
  return { val: of('val'), test: of('test') }
}

const finite = (x: number | null | undefined): x is number =>
  typeof x === 'number' && Number.isFinite(x)

/** The board's rows in its order (rank by validation MAE), the first one marked best. */
export function boardRows(board: readonly ArenaRow[]): BoardRow[] {
  const naive = board.find((e) => e.model === 'naive')
  const metrics = (m: ArenaRow['val']) =>
    Object.fromEntries(BOARD_METRICS.filter((k) => finite(m?.[k])).map((k) => [k, m![k]]))
  const versus = (e: ArenaRow, split: 'val' | 'test') => {
    const mine = e[split]?.mae
    const ref = naive?.[split]?.mae
    return e.model === 'naive' || !finite(mine) || !finite(ref) ? NO_VALUE : formatChange(mine, ref)
  }
  return board.map((e, i) => {
    const mine = e.val?.mae
    const ref = naive?.val?.mae
    return {
      model: e.model,
      rank: i + 1,
      best: i === 0,
      family: e.family,
      name: e.name,
      runId: e.runId,
      val: metrics(e.val),
      test: metrics(e.test),
      valVsNaive: versus(e, 'val'),
      testVsNaive: versus(e, 'test'),
      valChange: finite(mine) && finite(ref) && ref !== 0 ? (mine - ref) / ref : null,
      seconds: e.seconds,
    }
  })
}

export type BoardSortKey =
  'rank' | 'model' | 'family' | `val.${BoardMetric}` | `test.${BoardMetric}` | 'vsNaive' | 'seconds'

function sortValue(row: BoardRow, key: BoardSortKey): number | string | null {
  if (key === 'rank') return row.rank
  if (key === 'model') return row.model
  if (key === 'family') return row.family
  if (key === 'vsNaive') return row.valChange
  if (key === 'seconds') return row.seconds
  const [split, metric] = key.split('.') as ['val' | 'test', BoardMetric]
  return row[split][metric] ?? null
}

/** Rows sorted by a column; entries without a value sort last whichever the direction. */
export function sortBoard(rows: readonly BoardRow[], key: BoardSortKey, ascending: boolean) {
  const sign = ascending ? 1 : -1
  return [...rows].sort((a, b) => {
    const x = sortValue(a, key)
    const y = sortValue(b, key)
    if (x === null && y === null) return a.rank - b.rank
    if (x === null) return 1
    if (y === null) return -1
    if (typeof x === 'string' && typeof y === 'string')
      return sign * x.localeCompare(y) || a.rank - b.rank
    return sign * ((x as number) - (y as number)) || a.rank - b.rank
  })
}

/** The best entry that is a model with a run (what "Open" and the Library's best show). */
export function bestModel(board: readonly ArenaRow[]): ArenaRow | null {
  return board.find((e) => e.runId !== null) ?? null
}

/**
 * A comparison's status as a person reads it, with how far it got when it stopped early:
 * "interrupted after 1 of 3 models" (the window was reloaded or closed), "cancelled after …",
 * "running: 2 of 3 models finished"; "done".
 */
export function arenaStatusText(a: Pick<ArenaRecord, 'status' | 'board' | 'models'>): string {
  const n = a.board.filter((r) => r.runId !== null).length
  const of = `${n} of ${a.models.length} model${a.models.length === 1 ? '' : 's'}`
  if (a.status === 'running') return `running: ${of} finished`
  if (a.status === 'done') return 'done'
  return `${a.status} after ${of}`
}

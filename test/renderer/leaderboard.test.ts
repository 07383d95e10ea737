/** The leaderboard's rows and sorting, against hand-computed changes and orders. */
import { describe, expect, it } from 'vitest'
import type { ArenaRow } from '../../src/renderer/src/db'
import {
  arenaStatusText,
  bestModel,
  boardCells,
  boardRows,
  sortBoard,
} from '../../src/renderer/src/lib/leaderboard'

const m = (mae: number, rmse = mae * 1.5) => ({
  mae,
  rmse,
  mape: NaN,
  smape: 10,
  mase: mae / 10,
  n: 5,
})
const row = (
  model: string,
  family: ArenaRow['family'],
  val: number,
  test: number | null,
  seconds: number,
): ArenaRow => ({
  model,
  family,
  name: model.toUpperCase(),
  val: m(val),
  test: test === null ? null : m(test),
  seconds,
  runId: family === 'statistical' || family === 'neural' ? `run-${model}` : null,
  splits: null,
  future: null,
})
// The board as the engine ranks it: by validation MAE.
const board: ArenaRow[] = [
  row('ensemble', 'ensemble', 7.5, 9, 30),
  row('ets', 'statistical', 8, 8.8, 2),
  row('naive', 'baseline', 10, 11, 0),
  row('linear', 'neural', 12.5, null, 28),
]

describe('leaderboard rows', () => {
  it('ranks by the board order, marks the best, and reads the change against naive', () => {
    const rows = boardRows(board)
    expect(rows.map((r) => [r.rank, r.model, r.best])).toEqual([
      [1, 'ensemble', true],
      [2, 'ets', false],
      [3, 'naive', false],
      [4, 'linear', false],
    ])
    // (8 − 10) / 10 = −20 %: better; (12.5 − 10) / 10 = +25 %: worse; (8.8 − 11) / 11 = −20 %.
    expect(rows.map((r) => r.valVsNaive)).toEqual([
      '25.0 % better',
      '20.0 % better',
      '—',
      '25.0 % worse',
    ])
    expect(rows.map((r) => r.testVsNaive)).toEqual(['18.2 % better', '20.0 % better', '—', '—'])
    expect(rows[1].val).toEqual({ mae: 8, rmse: 12, smape: 10, mase: 0.8 })
    expect(rows[3].test).toEqual({})
  })

  it('each metric column in one style: the decimals of its largest value', () => {
    const rows = boardRows(board)
    const cells = boardCells(rows)
    // Validation MAE 7.5, 8, 10, 12.5: 4 significant digits of 12.5 → 2 decimals for all.
    expect(rows.map((r) => cells.val.mae(r))).toEqual(['7.50', '8.00', '10.00', '12.50'])
    // Test MAE 9, 8.8, 11 and none (linear has no test result).
    expect(rows.map((r) => cells.test.mae(r))).toEqual(['9.00', '8.80', '11.00', '—'])
  })

  it('sorts by any column, entries without a value last in both directions', () => {
    const rows = boardRows(board)
    const order = (key: Parameters<typeof sortBoard>[1], asc: boolean) =>
      sortBoard(rows, key, asc).map((r) => r.model)
    expect(order('test.mae', true)).toEqual(['ets', 'ensemble', 'naive', 'linear'])
    expect(order('test.mae', false)).toEqual(['naive', 'ensemble', 'ets', 'linear'])
    expect(order('seconds', false)).toEqual(['ensemble', 'linear', 'ets', 'naive'])
    expect(order('model', true)).toEqual(['ensemble', 'ets', 'linear', 'naive'])
    expect(order('vsNaive', true)).toEqual(['ensemble', 'ets', 'naive', 'linear'])
    expect(order('val.mape', true)).toEqual(['ensemble', 'ets', 'naive', 'linear'])
    expect(order('rank', false)).toEqual(['linear', 'naive', 'ets', 'ensemble'])
  })

  it('the best model with a run is the first entry that has one', () => {
    expect(bestModel(board)?.model).toBe('ets')
    expect(bestModel([board[0], board[2]])).toBeNull()
  })

  it('a comparison that stopped early says after how many of its models', () => {
    // Two models with runs of three asked for; the baselines on the board are not models.
    const board = [row('ets', 'statistical', 1, 1, 1), row('theta', 'statistical', 2, 2, 1)]
    board.push(row('naive', 'baseline', 3, 3, 0))
    const models = ['ets', 'theta', 'linear']
    expect(arenaStatusText({ status: 'interrupted', board, models })).toBe(
      'interrupted after 2 of 3 models',
    )
    expect(arenaStatusText({ status: 'cancelled', board, models })).toBe(
      'cancelled after 2 of 3 models',
    )
    expect(arenaStatusText({ status: 'running', board: [], models })).toBe(
      'running: 0 of 3 models finished',
    )
    expect(arenaStatusText({ status: 'running', board: board.slice(0, 1), models: ['ets'] })).toBe(
      'running: 1 of 1 model finished',
    )
    expect(arenaStatusText({ status: 'done', board, models })).toBe('done')
  })
})

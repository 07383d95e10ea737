/**
 * The `--folds K [--refit every|once]` part of `compare`: its flags, the board ranked by the mean
 * of the fold MAEs (core/services/arena-folds.ts) as JSON and as a table.
 */
import type { Refit } from '../../shared/backtest'
import type { ArenaFoldsResult, FoldsEntry, FoldsSettings } from '../../core/services/arena-folds'
import { intOption, usageError, type OptionSpecs, type ParsedArgs } from '../args'
import { metricsJson } from './predict'

export const foldsOptions: OptionSpecs = {
  folds: {
    type: 'string',
    value: '<K>',
    description:
      'rank by a rolling-origin backtest of K folds (mean of the fold MAEs) instead of the validation split',
  },
  refit: {
    type: 'string',
    value: '<when>',
    description: 'with --folds: every (default: refit per fold) | once (fit before the first fold)',
  },
}

/** `--folds`/`--refit` → settings, or null without --folds. */
export function foldsFromArgs(options: ParsedArgs['options']): FoldsSettings | null {
  if (options.folds === undefined) {
    if (options.refit !== undefined)
      throw usageError('--refit needs --folds K (the backtest it applies to).', {
        option: 'refit',
      })
    return null
  }
  const folds = intOption(options, 'folds', 1)
  const refit = String(options.refit ?? 'every') as Refit
  if (refit !== 'every' && refit !== 'once')
    throw usageError(`--refit: expected every or once, received "${refit}".`, { option: 'refit' })
  return { folds, refit }
}

const num = (x: number) => (Number.isFinite(x) ? x : null)

function entryJson(e: FoldsEntry) {
  return {
    model: e.model,
    family: e.family,
    name: e.name,
    meanMae: num(e.meanMae),
    pooledMae: num(e.pooledMae),
    folds: e.folds.map((f) => ({
      fold: f.fold,
      trainRows: f.trainRows,
      targetRows: f.targetRows,
      samples: f.samples,
      metrics: metricsJson(f.metrics),
    })),
    seconds: e.seconds,
  }
}

/**
 * With --folds, the JSON line keeps `best` (the chosen model as trained on the split, its val
 * and test metrics) and `baselines`, but `leaderboard` is the fold board, and `folds` says how
 * it was ranked.
 */
export function foldsJson(result: ArenaFoldsResult, split: { best: unknown; baselines: unknown }) {
  return {
    best: split.best,
    leaderboard: result.board.map(entryJson),
    baselines: split.baselines,
    folds: {
      k: result.settings.folds,
      refit: result.settings.refit,
      rankedBy: 'mean of the fold MAEs',
    },
  }
}

const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : '—')

export function foldsText(result: ArenaFoldsResult, out: string): string {
  const K = result.settings.folds
  const head = [
    '#'.padStart(3),
    'model'.padEnd(16),
    'family'.padEnd(11),
    'mean fold MAE'.padStart(14),
    ...Array.from({ length: K }, (_, k) => `fold ${k + 1}`.padStart(10)),
    'seconds'.padStart(8),
    '  fitted',
  ]
  const lines = [head.join(' ')]
  result.board.forEach((e, i) =>
    lines.push(
      [
        String(i + 1).padStart(3),
        e.model.padEnd(16),
        e.family.padEnd(11),
        fmt(e.meanMae).padStart(14),
        ...e.folds.map((f) => fmt(f.metrics.mae).padStart(10)),
        e.seconds.toFixed(1).padStart(8),
        `  ${e.name}`,
      ].join(' '),
    ),
  )
  lines.push(
    '',
    `Best by the mean MAE of ${K} folds (refit ${result.settings.refit}): ${result.board[0].model}, trained on the training rows as train does. Wrote ${out}`,
  )
  return lines.join('\n')
}

/**
 * `compare --folds K`: the arena ranked by a rolling-origin backtest instead of one validation
 * split. Every model of the set is backtested on the same fold plan (shared/backtest/plan.ts,
 * `refit every|once`), next to the naive and seasonal-naive baselines on the same windows; the
 * board is ranked by the MEAN OVER FOLDS of each fold's MAE (every forecast origin weighs the
 * same, however many windows its block holds; the pooled MAE over all fold targets is reported
 * too). The chosen model is then trained as `train` would (runArena with that model alone), so
 * `best/` holds a model fitted on the experiment's training rows, with its validation intervals.
 * No ensemble: averaging needs every member's forecasts per fold, which the backtest keeps only
 * for the model being backtested.
 */
import type { ArenaFamily } from '../../shared/arena'
import { modelExperiment, modelTraining } from '../../shared/arena-run'
import { backtestReport, planFolds, type BacktestReport, type Refit } from '../../shared/backtest'
import { naiveForecast, seasonalNaiveForecast } from '../../shared/baselines'
import { SeqcastError, toErrorInfo } from '../../shared/errors'
import type { ExperimentConfig } from '../../shared/experiment'
import type { Metrics } from '../../shared/metrics'
import { presetSpec } from '../../shared/models/presets'
import { statisticalSeasons, statisticalSpecForRun } from '../../shared/models/statistical'
import { prepareExperiment } from '../../shared/prepare'
import type { Dataset } from '../../shared/series/dataset'
import { runArena, type ArenaOptions, type ArenaResult } from './arena'
import { backtestRun, type BacktestModel } from './backtest'

export interface FoldsSettings {
  folds: number
  refit: Refit
}

/** One fold's score of one board entry. */
export interface FoldScore {
  fold: number
  trainRows: [number, number]
  targetRows: [number, number]
  samples: number
  metrics: Metrics
}

export interface FoldsEntry {
  model: string
  family: ArenaFamily
  name: string
  folds: FoldScore[]
  /** The ranking key: the mean of the folds' MAE. */
  meanMae: number
  /** MAE over every fold target at once (folds with more windows weigh more). */
  pooledMae: number
  seconds: number
}

export interface ArenaFoldsResult {
  settings: FoldsSettings
  /** Ranked by mean fold MAE, best first: models and baselines. */
  board: FoldsEntry[]
  skipped: { model: string; reason: string }[]
  /** The chosen model trained as `train` would, first on its board (best/ is written from it). */
  arena: ArenaResult
  seconds: number
}

export interface ArenaFoldsOptions extends ArenaOptions {
  onFold?(model: string, fold: number, folds: number): void
}

/** Mean of the folds' MAE; NaN when some fold has none. */
export function meanFoldMae(folds: readonly { metrics: Pick<Metrics, 'mae'> }[]): number {
  if (folds.length === 0) return NaN
  return folds.reduce((s, f) => s + f.metrics.mae, 0) / folds.length
}

/** The board ranked by mean fold MAE; entries without a finite one last, ties in run order. */
export function rankByFolds<T extends { meanMae: number }>(entries: readonly T[]): T[] {
  const key = (e: T) => (Number.isFinite(e.meanMae) ? e.meanMae : Infinity)
  return entries
    .map((e, i) => ({ e, i }))
    .sort((a, b) => key(a.e) - key(b.e) || a.i - b.i)
    .map(({ e }) => e)
}

function entryFromReport(
  report: BacktestReport,
  pick: (s: BacktestReport['overall']) => Metrics | null,
  head: Pick<FoldsEntry, 'model' | 'family' | 'name' | 'seconds'>,
): FoldsEntry | null {
  const folds: FoldScore[] = []
  for (const f of report.folds) {
    const metrics = pick(f)
    if (!metrics) return null
    folds.push({
      fold: f.fold,
      trainRows: f.trainRows,
      targetRows: f.targetRows,
      samples: f.samples,
      metrics,
    })
  }
  const pooled = pick(report.overall)
  return { ...head, folds, meanMae: meanFoldMae(folds), pooledMae: pooled?.mae ?? NaN }
}

export async function runArenaFolds(
  dataset: Dataset,
  experiment: ExperimentConfig,
  settings: FoldsSettings,
  options: ArenaFoldsOptions,
): Promise<ArenaFoldsResult> {
  const started = performance.now()
  // The folds check their own windows: only the training fraction must hold some.
  const prepared = prepareExperiment(dataset, experiment, { requiredSplits: ['train'] })
  const w = experiment.window
  // The plan fails here, before any model runs, when K does not fit the rows.
  const plans = planFolds(dataset.rowCount, w, experiment.split, {
    folds: settings.folds,
    refit: settings.refit,
    valFraction: experiment.split.val,
  })
  const entries: FoldsEntry[] = []
  const skipped: ArenaFoldsResult['skipped'] = []
  const n = options.models.length
  for (const [i, id] of options.models.entries()) {
    if (options.signal?.aborted)
      throw new SeqcastError('cancelled', 'The comparison was cancelled.')
    const preset = presetSpec(id)
    if (!preset) {
      skipped.push({ model: id, reason: `no preset "${id}"` })
      continue
    }
    const spec = statisticalSpecForRun(
      preset,
      dataset,
      experiment,
      options.cadence,
      options.userSeason,
    )
    const model: BacktestModel = spec.statistical
      ? {
          family: 'statistical',
          kind: spec.statistical.kind,
          seasons: statisticalSeasons(spec, experiment.seasonRows),
        }
      : {
          family: 'window',
          spec,
          // As runArena, with the first fold's fitting windows as the training windows.
          training: modelTraining(spec, options.training, plans[0].fitStarts.length),
        }
    options.onModelStart?.(id, i, n)
    try {
      const result = await backtestRun(
        dataset,
        {
          experiment: modelExperiment(spec, experiment),
          model,
          folds: settings.folds,
          refit: settings.refit,
          level: null,
        },
        {
          host: options.host,
          signal: options.signal,
          onFold: (e) => {
            if (e.phase === 'done') options.onFold?.(id, e.fold, e.folds)
          },
          onEpoch: (_fold, r) => options.onEpoch?.(id, r),
        },
      )
      const entry = entryFromReport(result.report, (s) => s.metrics, {
        model: id,
        family: spec.statistical ? 'statistical' : 'neural',
        name: spec.statistical ? result.model : spec.name,
        seconds: result.seconds,
      })
      if (entry) entries.push(entry)
    } catch (error) {
      const info = toErrorInfo(error)
      if (info.kind === 'cancelled' || options.signal?.aborted) throw error
      skipped.push({ model: id, reason: info.message })
    }
  }
  // The baselines on the same fold windows (their forecasts need no fit).
  const m = experiment.seasonRows
  const baselines: [string, string, (s: Int32Array) => Float64Array][] = [
    ['naive', 'Naive', (s) => naiveForecast(prepared.target, s, w)],
  ]
  if (m !== null)
    baselines.push([
      'seasonal-naive',
      `Seasonal naive (${m} rows)`,
      (s) => seasonalNaiveForecast(prepared.target, s, w, m),
    ])
  for (const [model, name, forecast] of baselines) {
    const report = backtestReport(
      prepared.target,
      w,
      plans,
      plans.map((p) => ({ predicted: forecast(p.starts) })),
      m,
    )
    const entry = entryFromReport(report, (s) => s.metrics, {
      model,
      family: 'baseline',
      name,
      seconds: 0,
    })
    if (entry) entries.push(entry)
  }
  const board = rankByFolds(entries)
  const chosen = board[0]
  // The chosen entry as `train` would fit it; a baseline needs no model (runArena gives it).
  const arena = await runArena(dataset, experiment, {
    ...options,
    models: chosen.family === 'baseline' ? [] : [chosen.model],
    ensembleSize: 0,
  })
  const first = arena.board.findIndex((e) => e.model === chosen.model)
  if (first < 0) {
    const reason = arena.skipped.find((s) => s.model === chosen.model)?.reason ?? 'no result'
    throw new SeqcastError(
      'training',
      `compare --folds: ${chosen.model} ranked first by its folds but could not be trained on the experiment's training rows: ${reason}`,
      { model: chosen.model },
    )
  }
  arena.board = [arena.board[first], ...arena.board.filter((_, i) => i !== first)]
  return {
    settings,
    board,
    skipped: [...skipped, ...arena.skipped],
    arena,
    seconds: (performance.now() - started) / 1000,
  }
}

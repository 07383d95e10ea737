/**
 * The Library's run table: one row per run with what an analyst compares (validation and test
 * MAE of the model kept, the change against naive, model, settings, time), and its sorting.
 * Pure: unit-tested in node.
 */
import { OPTIMIZER_LABEL } from '@shared/format'
import type { RunRecord } from '../db'

export interface RunRow {
  id: string
  name: string
  datasetId: string
  status: RunRecord['status']
  model: string
  /** "L 120 · R 6 · delay 858 · H 1 · z-score · RMSprop 0.001 · batch 256". */
  settings: string
  epochs: string
  /** Epoch whose model is kept (best checkpoint or final), or null. */
  keptEpoch: number | null
  /** Validation / test MAE of the kept model: the engine's evaluation, else its epoch's val MAE. */
  valMae: number | null
  testMae: number | null
  /** (model − naive) / naive on the test split (else validation); negative is better. */
  vsNaive: number | null
  seconds: number | null
  createdAt: number
}

const finite = (x: number | null | undefined): x is number =>
  typeof x === 'number' && Number.isFinite(x)

/** The epoch a run's model holds: the result's best epoch, else the checkpoint's. */
export function keptEpoch(run: RunRecord): number | null {
  return run.result?.bestEpoch ?? run.checkpointEpoch ?? null
}

/**
 * Validation MAE of the kept model. A finished run's own evaluation of that model; a cancelled
 * or interrupted run has none, so the val MAE of the epoch its checkpoint holds (not the last
 * epoch's, which the model does not have).
 */
export function keptValMae(run: RunRecord): number | null {
  const evaluated = run.result?.metrics.val?.mae
  if (finite(evaluated)) return evaluated
  const epoch = keptEpoch(run)
  const e = run.history.find((h) => h.epoch === epoch)
  return e && finite(e.valMae) ? e.valMae : null
}

export function runRow(run: RunRecord): RunRow {
  const { experiment: x, model, training: t } = run.config
  const w = x.window
  const testMae = run.result?.metrics.test?.mae
  const baselines = run.result?.baselines ?? run.baselines
  const valMae = keptValMae(run)
  const [mine, naive] = finite(testMae)
    ? [testMae, baselines?.naive.test?.mae]
    : [valMae, baselines?.naive.val?.mae]
  // A statistical model is fitted, not trained: no epochs, optimizer, batches or scaling apply.
  const fitted = Boolean(model.statistical)
  const settings = [
    `L ${w.sequenceLength}`,
    `R ${w.samplingRate}`,
    `delay ${w.delay}`,
    ...(w.horizon > 1 ? [`H ${w.horizon}`] : []),
    ...(fitted
      ? [x.seasonRows && x.seasonRows > 1 ? `season ${x.seasonRows}` : 'season suggested']
      : [
          x.normalization === 'zscore' ? 'z-score' : x.normalization,
          `${OPTIMIZER_LABEL[t.optimizer] ?? t.optimizer} ${t.learningRate}`,
          `batch ${t.batchSize}`,
        ]),
    ...(model.stateful ? ['stateful'] : []),
  ].join(' · ')
  return {
    id: run.id,
    name: run.name,
    datasetId: run.datasetId,
    status: run.status,
    model: model.name,
    settings,
    epochs: fitted ? '—' : `${run.history.length} / ${t.epochs}`,
    keptEpoch: keptEpoch(run),
    valMae,
    testMae: finite(testMae) ? testMae : null,
    vsNaive: finite(mine) && finite(naive) && naive !== 0 ? (mine - naive) / naive : null,
    seconds: run.result?.seconds ?? null,
    createdAt: run.createdAt,
  }
}

export type RunSortKey =
  'name' | 'model' | 'status' | 'valMae' | 'testMae' | 'vsNaive' | 'seconds' | 'createdAt'

/** Rows sorted by a column; runs without a value sort last whichever the direction. */
export function sortRuns(rows: RunRow[], key: RunSortKey, ascending: boolean): RunRow[] {
  const sign = ascending ? 1 : -1
  return [...rows].sort((a, b) => {
    const x = a[key]
    const y = b[key]
    if (x === null && y === null) return 0
    if (x === null) return 1
    if (y === null) return -1
    if (typeof x === 'string' && typeof y === 'string') return sign * x.localeCompare(y)
    return sign * ((x as number) - (y as number))
  })
}

/**
 * The statistical job the engine worker runs (free of messaging, so it also runs in-process in
 * tests): fit ETS / ARIMA / Theta / MSTL on the training rows of the target, then one forward
 * pass with the parameters fixed that forecasts every window from the state at its last row
 * (DESIGN.md, "The evaluation contract"). The fit reports each estimation step and stops between
 * steps when the job is cancelled; the `arima` package's WebAssembly loads in the worker.
 */
import { SeqcastError } from '../../shared/errors'
import {
  fitStatModel,
  forecastWindows,
  statModelName,
  type FittedStat,
  type StatKind,
} from '../stats'

export interface StatJob {
  runId: string
  kind: StatKind
  /** Seasons in rows, shortest first; empty for none. */
  seasons: number[]
  /** The whole target column in data units; only rows [0, trainRows) are fitted. */
  target: Float64Array
  trainRows: number
  /** Last observed row of each window to forecast, per split (the future: the latest window). */
  lastRows: { val?: Int32Array; test?: Int32Array; future?: Int32Array }
  /** First step after a window's last row (`delay − (L−1)·R`) and the horizon. */
  h: number
  H: number
}

export interface StatOutcome {
  fitted: FittedStat
  /** n × H window-major, data units, per entry of `lastRows`. */
  predictions: { val?: Float64Array; test?: Float64Array; future?: Float64Array }
  /** Seconds of the fit and of the forward pass. */
  seconds: number
  message: string
}

/** One estimation step: which, and how many of how many (0-based `done`). */
export interface StatStep {
  label: string
  done: number
  total: number
}

export interface StatHooks {
  /** Checked before every estimation step and before the forward pass. */
  shouldStop?(): boolean
  onStep?(step: StatStep): void
}

function cancelled(where: string): SeqcastError {
  return new SeqcastError('cancelled', `The statistical fit was cancelled ${where}.`)
}

export function runStatJob(job: StatJob, hooks: StatHooks = {}): StatOutcome {
  const started = performance.now()
  // Parameters from the training rows only; validation and test rows never reach the fit.
  const fitted = fitStatModel(job.kind, job.target.slice(0, job.trainRows), {
    seasons: job.seasons,
    monitor: {
      step(label, done, total) {
        if (hooks.shouldStop?.()) throw cancelled(`before ${label}`)
        hooks.onStep?.({ label, done, total })
      },
    },
  })
  if (hooks.shouldStop?.()) throw cancelled('after the fit')
  const predictions: StatOutcome['predictions'] = {}
  for (const split of ['val', 'test', 'future'] as const) {
    const rows = job.lastRows[split]
    if (rows && rows.length > 0)
      predictions[split] = forecastWindows(fitted, job.target, rows, job.h, job.H)
  }
  const seconds = (performance.now() - started) / 1000
  return {
    fitted,
    predictions,
    seconds,
    message: `${statModelName(fitted)} fitted on ${job.trainRows.toLocaleString('en-US')} training rows in ${seconds.toFixed(2)} s.`,
  }
}

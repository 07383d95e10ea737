/**
 * Backtests against one training run of the same model, measured in the same run on a
 * 10,000-row hourly file written here (daily and weekly cycles + AR(1) noise, seeded):
 *   - ETS (automatic, season 24), 20 folds, refit every: each fold fits on the rows before its
 *     block; one training run = the same fit on the training rows + every window's forecast.
 *   - LSTM(16), `--refit once`: one fit before the first block, rolled forward over every fold;
 *     one training run = trainRun with the same settings (goal: backtest ≤ 1.3 × the run), after
 *     an untimed one-epoch warm-up of the engine.
 *
 *   npm run bench:backtest [-- --epochs N]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { EngineHost } from '../src/core/engine/host'
import { backtestRun } from '../src/core/services/backtest'
import { importCsvFile } from '../src/core/services/import-file'
import { trainRun } from '../src/core/services/train-run'
import { fitStatModel, forecastWindows } from '../src/core/stats'
import { DEFAULT_TRAINING, type ExperimentConfig } from '../src/shared/experiment'
import { presetSpec } from '../src/shared/models/presets'
import { prepareExperiment } from '../src/shared/prepare'
import { seededRandom } from '../src/shared/windows/random'

const args = process.argv.slice(2)
const epochsAt = args.indexOf('--epochs')
const EPOCHS = epochsAt >= 0 ? Number(args[epochsAt + 1]) : 5
const ROWS = 10_000
const FOLDS = 20

const dir = mkdtempSync(join(tmpdir(), 'seqcast-bench-backtest-'))
const csv = join(dir, 'hourly_10000.csv')
const rand = seededRandom(7)
let noise = 0
const lines = ['time,load']
const t0 = Date.UTC(2020, 0, 1)
for (let t = 0; t < ROWS; t++) {
  noise = 0.7 * noise + (rand() - 0.5)
  const y =
    50 + 10 * Math.sin((2 * Math.PI * t) / 24) + 4 * Math.sin((2 * Math.PI * t) / 168) + 3 * noise
  lines.push(`${new Date(t0 + t * 3_600_000).toISOString()},${y.toFixed(4)}`)
}
writeFileSync(csv, lines.join('\n') + '\n')

const seconds = (since: number) => (performance.now() - since) / 1000

try {
  const { dataset } = await importCsvFile(csv)
  const experiment: ExperimentConfig = {
    target: 'load',
    features: ['load'],
    window: { sequenceLength: 24, samplingRate: 1, sequenceStride: 1, delay: 24, horizon: 1 },
    split: { train: 0.5, val: 0.25 },
    normalization: 'zscore',
    seasonRows: 24,
  }
  console.log(`${ROWS.toLocaleString('en-US')} hourly rows, windows of 24 h, one step ahead`)

  // ETS: one run = fit on the training rows, forecast every validation and test window.
  let started = performance.now()
  const prepared = prepareExperiment(dataset, experiment)
  const target = prepared.target
  const fitted = fitStatModel('ets', target.slice(0, prepared.windows.ranges.train.end), {
    seasons: [24],
  })
  const starts = [...prepared.windows.starts.val, ...prepared.windows.starts.test]
  forecastWindows(
    fitted,
    target,
    Int32Array.from(starts, (s) => s + 23),
    1,
    1,
  )
  const etsRun = seconds(started)
  started = performance.now()
  const ets = await backtestRun(dataset, {
    experiment,
    model: { family: 'statistical', kind: 'ets', seasons: [24] },
    folds: FOLDS,
    refit: 'every',
    level: 0.9,
  })
  const etsBacktest = seconds(started)
  console.log(
    `ETS (auto, season 24): one run ${etsRun.toFixed(2)} s; ${FOLDS}-fold backtest ${etsBacktest.toFixed(2)} s ` +
      `(ratio ${(etsBacktest / etsRun).toFixed(2)}); overall MAE ${ets.report.overall.metrics.mae.toFixed(3)} ` +
      `vs naive ${ets.report.overall.baselines.naive.mae.toFixed(3)}, 90 % coverage ${(ets.report.overall.coverage! * 100).toFixed(1)} %`,
  )

  // LSTM(16), refit once, against one training run with the same settings.
  const host = new EngineHost()
  try {
    const spec = presetSpec('lstm')!
    const training = {
      ...DEFAULT_TRAINING,
      epochs: EPOCHS,
      batchSize: 64,
      optimizer: 'adam' as const,
    }
    // Warm-up, not timed: the worker, the backend and the fused kernels start once per host.
    await trainRun(
      dataset,
      { experiment, model: spec, training: { ...training, epochs: 1 } },
      { host },
    )
    started = performance.now()
    await trainRun(dataset, { experiment, model: spec, training }, { host })
    const lstmRun = seconds(started)
    started = performance.now()
    const once = await backtestRun(
      dataset,
      {
        experiment,
        model: { family: 'window', spec, training },
        folds: FOLDS,
        refit: 'once',
        level: 0.9,
      },
      { host },
    )
    const lstmBacktest = seconds(started)
    console.log(
      `${spec.name}, ${EPOCHS} epochs: one run ${lstmRun.toFixed(2)} s; ${FOLDS}-fold backtest, refit once ${lstmBacktest.toFixed(2)} s ` +
        `(ratio ${(lstmBacktest / lstmRun).toFixed(2)}, goal ≤ 1.3); overall MAE ${once.report.overall.metrics.mae.toFixed(3)} ` +
        `vs naive ${once.report.overall.baselines.naive.mae.toFixed(3)}, 90 % coverage ${(once.report.overall.coverage! * 100).toFixed(1)} %`,
    )
  } finally {
    await host.dispose()
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}

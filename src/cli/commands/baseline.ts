import { describeWindow } from '../../shared/windows/describe'
import type { Metrics } from '../../shared/metrics'
import { prepareExperiment } from '../../shared/prepare'
import { SPLITS } from '../../shared/series/split'
import { parseArgs, usage, usageError, type OptionSpecs } from '../args'
import { experimentFromArgs, experimentOptions } from '../experiment-args'
import { repairOptions } from '../repair-args'
import { EXIT, type Command } from '../io'
import { loadCsv } from '../load'

const options: OptionSpecs = {
  ...experimentOptions,
  ...repairOptions,
  json: { type: 'boolean', description: 'print one JSON object on stdout' },
  help: { type: 'boolean', description: 'show this help' },
}

export const baselineUsage = usage(
  'baseline',
  'Sample counts per split and the naive, seasonal-naive and mean baselines per split, in the data’s units.',
  options,
  '<file>',
)

const round = (x: number) => (Number.isFinite(x) ? +x.toPrecision(10) : null)

function metricsJson(m: Metrics) {
  return {
    mae: round(m.mae),
    rmse: round(m.rmse),
    mape: round(m.mape),
    smape: round(m.smape),
    mase: round(m.mase),
    n: m.n,
  }
}

export const baseline: Command = async (argv, io) => {
  if (argv.includes('--help')) {
    io.stdout.write(baselineUsage + '\n')
    return EXIT.ok
  }
  const args = parseArgs(argv, options, 'baseline')
  const [file, ...rest] = args.positionals
  if (!file || rest.length > 0)
    throw usageError(`baseline: expected one file, received ${args.positionals.length}.`)
  const { dataset, report } = await loadCsv(file, io, {
    quiet: Boolean(args.options.json),
    args: args.options,
  })
  const config = experimentFromArgs(args.options, dataset, report, 'target')
  const prepared = prepareExperiment(dataset, config)
  const cadence = report.timeAxis?.cadence ?? null
  const description = describeWindow(config.window, cadence)
  const baselines: Record<string, Record<string, ReturnType<typeof metricsJson>>> = {}
  for (const name of ['naive', 'seasonal-naive', 'mean'] as const) {
    const perSplit = prepared.baselines[name]
    if (!perSplit) continue
    baselines[name] = {}
    for (const split of SPLITS) {
      const m = perSplit[split]
      if (m) baselines[name][split] = metricsJson(m)
    }
  }
  if (args.options.json) {
    const out = {
      file: dataset.name,
      rows: dataset.rowCount,
      target: config.target,
      window: config.window,
      split: config.split,
      ranges: prepared.windows.ranges,
      samples: prepared.sampleCounts,
      seasonRows: config.seasonRows,
      horizon: {
        delayRows: description.delayRows,
        gapRows: description.gapRows,
        delay: description.delay,
        gap: description.gap,
      },
      baselines,
    }
    io.stdout.write(JSON.stringify(out) + '\n')
    return EXIT.ok
  }
  const lines: string[] = []
  const n = (x: number) => x.toLocaleString('en-US')
  lines.push(`${dataset.name}: ${n(dataset.rowCount)} rows; target "${config.target}".`)
  lines.push(description.text)
  lines.push(
    `Samples: train ${n(prepared.sampleCounts.train)}, validation ${n(prepared.sampleCounts.val)}, test ${n(prepared.sampleCounts.test)}.`,
  )
  lines.push('')
  const fmt = (x: number | null) => (x === null ? '—' : x.toFixed(4))
  lines.push(
    ['baseline', 'split', 'MAE', 'RMSE', 'sMAPE %', 'MASE']
      .map((h, i) => (i < 2 ? h.padEnd(15) : h.padStart(10)))
      .join(''),
  )
  for (const [name, perSplit] of Object.entries(baselines)) {
    for (const [split, m] of Object.entries(perSplit)) {
      lines.push(
        [
          name.padEnd(15),
          split.padEnd(15),
          fmt(m.mae).padStart(10),
          fmt(m.rmse).padStart(10),
          fmt(m.smape).padStart(10),
          fmt(m.mase).padStart(10),
        ].join(''),
      )
    }
  }
  if (config.seasonRows === null)
    lines.push(
      '(no seasonal-naive baseline: no season applies to this time axis; set one with --season)',
    )
  io.stdout.write(lines.join('\n') + '\n')
  return EXIT.ok
}

/**
 * `predict <model> <file> --out <forecasts.csv>`: forecasts a CSV with an exported model (a
 * folder or a .zip): every window that has its targets, with metrics next to the naive
 * baseline, and the future forecast from the latest window.
 */
import { resolve } from 'node:path'
import type { Metrics } from '../../shared/metrics'
import { forecastSetCsv, originsOf } from '../../shared/forecast-csv'
import { datasetTimeStyle } from '../../shared/series/time-axis'
import { exportTimestamp } from '../../shared/format'
import { timeValues } from '../../shared/series/dataset'
import { storedMethodText, widthPhrase } from '../../shared/forecast/intervals'
import { levelPercent } from '../../shared/intervals'
import type { ForecastSet } from '../../shared/run'
import { EngineHost } from '../../core/engine/host'
import { prepareOutputFile, writeFileAtomic } from '../../core/files/atomic-write'
import { predictWithModel } from '../../core/services/predict-run'
import { readModel } from '../../core/services/model-files'
import { parseArgs, usage, usageError, type OptionSpecs } from '../args'
import { EXIT, type Command } from '../io'
import { loadCsv } from '../load'
import { repairOptions } from '../repair-args'
import { forecastIntervalsJson, intervalLevelFromArgs, intervalLevelOption } from '../interval-args'

const options: OptionSpecs = {
  ...repairOptions,
  out: {
    type: 'string',
    value: '<forecasts.csv>',
    description: 'where to write the forecasts',
    required: true,
  },
  ...intervalLevelOption,
  json: { type: 'boolean', description: 'print one JSON object on stdout' },
  help: { type: 'boolean', description: 'show this help' },
}

export const predictUsage = usage(
  'predict',
  'Forecasts a CSV that has the schema of the training file with an exported model (folder or .zip).',
  options,
  '<model-dir|model.zip> <file>',
)

/** JSON-friendly metrics: NaN → null. */
export function metricsJson(m: Metrics | undefined | null) {
  if (!m) return null
  const r = (x: number) => (Number.isFinite(x) ? x : null)
  return {
    mae: r(m.mae),
    rmse: r(m.rmse),
    mape: r(m.mape),
    smape: r(m.smape),
    mase: r(m.mase),
    n: m.n,
  }
}

/** Writes a text output atomically (temporary file + rename); errors name the path. */
export async function writeText(path: string, text: string): Promise<void> {
  await writeFileAtomic(path, text)
}

export function makePredict(deps: { host?: EngineHost } = {}): Command {
  return async (argv, io) => {
    if (argv.includes('--help')) {
      io.stdout.write(predictUsage + '\n')
      return EXIT.ok
    }
    const args = parseArgs(argv, options, 'predict')
    const [modelPath, file, ...rest] = args.positionals
    if (!modelPath || !file || rest.length > 0) {
      throw usageError(
        `predict: expected a model folder or .zip and one CSV file, received ${args.positionals.length} arguments.`,
      )
    }
    const json = Boolean(args.options.json)
    const out = resolve(String(args.options.out))
    const intervalLevel = intervalLevelFromArgs(args.options)
    const pkg = await readModel(modelPath)
    const { dataset } = await loadCsv(file, io, { quiet: json, args: args.options })
    await prepareOutputFile(out)
    const host = deps.host ?? new EngineHost()
    let set: ForecastSet
    try {
      set = await predictWithModel(pkg, dataset, { host, intervalLevel })
    } finally {
      if (!deps.host) await host.dispose()
    }
    const style = datasetTimeStyle(dataset)
    await writeText(
      out,
      forecastSetCsv(set, style, originsOf(pkg.manifest.experiment.window, timeValues(dataset))),
    )
    const summary = {
      model: pkg.manifest.name,
      file: dataset.name,
      windows: set.forecast.rowIndex.length / set.forecast.horizon,
      metrics: metricsJson(set.metrics),
      baselines: Object.fromEntries(
        Object.entries(set.baselines).map(([k, m]) => [k, metricsJson(m)]),
      ),
      comparison: Object.fromEntries(Object.entries(set.comparison).map(([k, c]) => [k, c.text])),
      intervals: forecastIntervalsJson(set.intervals),
      warnings: set.warnings ?? [],
      future: set.future
        ? {
            rows: Array.from(set.future.rowIndex),
            // Written as forecasts.csv writes them: a date for date-only data, the decimal
            // year or the year-less time as the file had it.
            times: set.future.timestamps
              ? Array.from(set.future.timestamps, (t) => exportTimestamp(t, style))
              : null,
            predicted: Array.from(set.future.predicted),
            ...(set.future.lower && set.future.upper
              ? { lower: bounds(set.future.lower), upper: bounds(set.future.upper) }
              : {}),
          }
        : null,
      out,
    }
    if (json) {
      io.stdout.write(JSON.stringify(summary) + '\n')
      return EXIT.ok
    }
    const lines = [
      `${summary.model}: ${summary.windows.toLocaleString('en-US')} windows of ${dataset.name} forecast.`,
      ...summary.warnings.map((w) => `Warning: ${w}`),
    ]
    if (set.metrics) {
      const naive = set.baselines.naive
      lines.push(
        `MAE ${set.metrics.mae.toFixed(4)} (naive ${naive ? naive.mae.toFixed(4) : '—'}): ${set.comparison.naive?.text ?? ''}`,
      )
    }
    if (set.intervals) {
      const c = set.intervals.coverage
      lines.push(
        `${levelPercent(set.intervals.level)} intervals: ${storedMethodText(set.intervals.method)}` +
          (c
            ? `: coverage ${(c.coverage * 100).toFixed(1)} %, ${widthPhrase(c, (x) => x.toFixed(4))}.`
            : '.'),
      )
    }
    if (set.future) {
      lines.push(
        `Next: ${Array.from(set.future.predicted, (v, h) => `${summary.future!.times?.[h] || `row ${set.future!.rowIndex[h]}`} ${v.toFixed(4)}`).join(', ')}`,
      )
    }
    lines.push(`Wrote ${out}`)
    io.stdout.write(lines.join('\n') + '\n')
    return EXIT.ok
  }
}

/** Interval bounds for JSON: ±Infinity (unbounded) → null. */
function bounds(values: Float64Array): (number | null)[] {
  return Array.from(values, (x) => (Number.isFinite(x) ? x : null))
}

export const predict: Command = makePredict()
export const run = predict

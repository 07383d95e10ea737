import { formatReport } from '../../shared/csv'
import { oneHotOptions, type OneHotOption } from '../../shared/features/one-hot'
import { parseArgs, usage, usageError, type OptionSpecs } from '../args'
import { EXIT, type Command } from '../io'
import { loadCsv } from '../load'

const options: OptionSpecs = {
  json: { type: 'boolean', description: 'print the report as one JSON object' },
  help: { type: 'boolean', description: 'show this help' },
}

export const inspectUsage = usage(
  'inspect',
  'The column and time-axis report of a CSV file, and which text columns can be one-hot encoded (--one-hot of train, compare and backtest).',
  options,
  '<file>',
)

export const inspect: Command = async (argv, io) => {
  const args = parseArgs(argv, options, 'inspect')
  if (args.options.help) {
    io.stdout.write(inspectUsage + '\n')
    return EXIT.ok
  }
  const [file, ...rest] = args.positionals
  if (!file || rest.length > 0)
    throw usageError(`inspect: expected one file, received ${args.positionals.length}.`)
  const { report, dataset } = await loadCsv(file, io, { quiet: true })
  const oneHot = oneHotOptions(dataset)
  io.stdout.write(
    args.options.json
      ? JSON.stringify({ ...report, oneHot }) + '\n'
      : [formatReport(report), ...oneHotLines(oneHot)].join('\n') + '\n',
  )
  return EXIT.ok
}

/** Why each text column is not read as numbers, and whether --one-hot can encode it. */
function oneHotLines(options: OneHotOption[]): string[] {
  if (options.length === 0) return []
  const width = Math.min(28, Math.max(...options.map((o) => o.column.length)))
  return [
    '',
    'Text columns are not numbers, so no model reads them as they are. One-hot encoding (--one-hot COL) makes one 0/1 input per label:',
    ...options.map(
      (o) => `  ${o.column.padEnd(width)}  ${o.ok ? 'eligible' : 'not eligible'}: ${o.reason}`,
    ),
  ]
}

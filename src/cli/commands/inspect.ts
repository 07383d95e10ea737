import { formatReport } from '../../shared/csv'
import { parseArgs, usage, usageError, type OptionSpecs } from '../args'
import { EXIT, type Command } from '../io'
import { loadCsv } from '../load'

const options: OptionSpecs = {
  json: { type: 'boolean', description: 'print the report as one JSON object' },
  help: { type: 'boolean', description: 'show this help' },
}

export const inspectUsage = usage(
  'inspect',
  'The column and time-axis report of a CSV file.',
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
  const { report } = await loadCsv(file, io, { quiet: true })
  io.stdout.write(args.options.json ? JSON.stringify(report) + '\n' : formatReport(report) + '\n')
  return EXIT.ok
}

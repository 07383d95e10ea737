/**
 * Headless Seqcast: `npm run forecast -- <command> …`, over the same services as the app.
 * Errors go to stderr in the words the app shows, with a non-zero exit code.
 */
import { toErrorInfo } from '../shared/errors'
import { baseline, baselineUsage } from './commands/baseline'
import { inspect, inspectUsage } from './commands/inspect'
import { EXIT, type CliIO, type Command } from './io'

const commands: Record<string, { run: () => Promise<Command>; summary: string }> = {
  inspect: { run: async () => inspect, summary: 'the column and time-axis report of a CSV file' },
  baseline: { run: async () => baseline, summary: 'sample counts and baseline metrics per split' },
  train: {
    run: async () => (await import('./commands/train')).train,
    summary: 'train a model, write the model folder, forecasts.csv and metrics.json',
  },
  compare: {
    run: async () => (await import('./commands/compare')).compare,
    summary: 'rank every model (statistical, neural, baselines, an ensemble) on the same windows',
  },
  predict: {
    run: async () => (await import('./commands/predict')).predict,
    summary: 'forecast a CSV with an exported model',
  },
  backtest: {
    run: async () => (await import('./commands/backtest')).backtest,
    summary: 'rolling-origin backtest: fold k fits before its block and forecasts it',
  },
}

export function help(): string {
  const lines = [
    'Seqcast — headless forecasting',
    '',
    'Usage: npm run forecast -- <command> [options]',
    '',
    'Commands:',
  ]
  for (const [name, c] of Object.entries(commands)) lines.push(`  ${name.padEnd(10)} ${c.summary}`)
  lines.push(
    '',
    'Run `npm run forecast -- <command> --help` for a command’s options.',
    '',
    inspectUsage,
    '',
    baselineUsage,
  )
  return lines.join('\n')
}

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.stdout.write(help() + '\n')
    return name ? EXIT.ok : EXIT.usage
  }
  const command = commands[name]
  if (!command) {
    io.stderr.write(`Unknown command "${name}". Commands: ${Object.keys(commands).join(', ')}.\n`)
    return EXIT.usage
  }
  try {
    return await (
      await command.run()
    )(rest, io)
  } catch (error) {
    const info = toErrorInfo(error)
    if (argv.includes('--json'))
      io.stderr.write(JSON.stringify({ error: { kind: info.kind, message: info.message } }) + '\n')
    else io.stderr.write(`${info.message}\n`)
    if (info.details.usage) return EXIT.usage
    if (info.details.output) return EXIT.output
    return info.kind === 'internal' ? EXIT.internal : EXIT.failed
  }
}

/** Reading a CSV for a CLI command, with the same import, repairs and messages as the app. */
import type { ImportResult } from '../shared/csv'
import { applyRepairs } from '../shared/series/repairs'
import { importCsvFile } from '../core/services/import-file'
import type { ParsedArgs } from './args'
import { progressBar, type CliIO } from './io'
import { repairsFromArgs } from './repair-args'

export async function loadCsv(
  path: string,
  io: CliIO,
  settings: boolean | { quiet?: boolean; args?: ParsedArgs['options'] } = {},
): Promise<ImportResult> {
  // `true` / `false` is the quiet flag alone; pass `args` to apply the repair options.
  const options = typeof settings === 'boolean' ? { quiet: settings } : settings
  const bar = progressBar(io, 'Reading')
  let result: ImportResult
  try {
    result = await importCsvFile(path, {
      onProgress: (done: number, total: number) => bar.update(done, total),
    })
  } finally {
    bar.end()
  }
  const repairs = options.args ? repairsFromArgs(options.args, result.report) : null
  if (repairs) {
    const repaired = applyRepairs(result.dataset, repairs)
    result = { ...result, dataset: repaired.dataset }
    if (!options.quiet)
      for (const note of repaired.summary.notes) io.stderr.write(`repair: ${note}\n`)
  }
  if (!options.quiet) {
    for (const issue of result.report.issues) {
      if (issue.severity !== 'info') io.stderr.write(`${issue.severity}: ${issue.message}\n`)
    }
  }
  return result
}

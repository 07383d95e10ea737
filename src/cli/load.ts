/** Reading a CSV for a CLI command, with the same import (and messages) as the app. */
import type { ImportResult } from '../shared/csv'
import { importCsvFile } from '../main/services/import-file'
import { progressBar, type CliIO } from './io'

export async function loadCsv(path: string, io: CliIO, quiet = false): Promise<ImportResult> {
  const bar = progressBar(io, 'Reading')
  try {
    const result = await importCsvFile(path, { onProgress: (done: number, total: number) => bar.update(done, total) })
    bar.end()
    if (!quiet) {
      for (const issue of result.report.issues) {
        if (issue.severity !== 'info') io.stderr.write(`${issue.severity}: ${issue.message}\n`)
      }
    }
    return result
  } finally {
    bar.end()
  }
}

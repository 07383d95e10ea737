/**
 * Opening CSV files: upload (browser) or path (Electron), `dataset:import` with progress from
 * `job:progress`, then one Dexie transaction. Every stage can be cancelled; failures keep their
 * message (it names the file, line and column) and leave the Library as it was.
 */
import { reactive } from 'vue'
import { SeqcastError } from '@shared/errors'
import { getClient, type PickedFile } from '../api'
import { newId } from '../api/ids'
import { findSameDataset, saveDataset } from '../db'
import { when } from '../lib/format'
import { useNotices } from './use-notices'
import { useWorkspace } from './use-workspace'

export type ImportPhase = 'uploading' | 'reading' | 'saving' | 'done' | 'failed' | 'cancelled'

export interface ImportJob {
  id: string
  name: string
  phase: ImportPhase
  /** Server phase label while reading ("parse", "columns", …). */
  detail: string
  done: number
  total: number
  error: string | null
}

const jobs = reactive<ImportJob[]>([])
const controllers = new Map<string, AbortController>()

export function useImport() {
  const { error, success, clearScope } = useNotices()
  const workspace = useWorkspace()

  /** Imports one file; `open` (default) makes it the workspace's dataset. Returns its id. */
  async function importOne(file: PickedFile, open = true): Promise<string | null> {
    const client = getClient()
    const id = newId('import')
    jobs.unshift({
      id,
      name: file.name,
      phase: file.handle ? 'reading' : 'uploading',
      detail: '',
      done: 0,
      total: 0,
      error: null,
    })
    const job = jobs[0]
    const controller = new AbortController()
    controllers.set(id, controller)
    const off = client.on('job:progress', (p) => {
      if (p.jobId !== id || job.phase !== 'reading') return
      job.detail = p.phase
      job.done = p.done
      job.total = p.total
    })
    try {
      const source = await client.fileSource(
        file,
        (sent, total) => {
          job.done = sent
          job.total = total
        },
        controller.signal,
      )
      if (controller.signal.aborted)
        throw new SeqcastError('cancelled', `${file.name}: import cancelled.`)
      job.phase = 'reading'
      job.done = 0
      job.total = 0
      const { dataset, report } = await client.invoke('dataset:import', { jobId: id, source })
      if (controller.signal.aborted)
        throw new SeqcastError('cancelled', `${file.name}: import cancelled.`)
      job.phase = 'saving'
      const known = await findSameDataset(dataset)
      const record = known ?? (await saveDataset(dataset, report, { id: newId('ds') }))
      job.phase = 'done'
      if (open) workspace.openDataset(record.id)
      success(
        known
          ? `${file.name} is already in the Library as "${known.name}" (imported ${when(known.createdAt)}), with the same rows; opened it.`
          : `${record.name}: ${record.rowCount.toLocaleString('en-US')} rows × ${record.columns.length} columns saved in the Library.`,
        known ? 'Already in the Library' : 'Imported',
        'import',
      )
      setTimeout(() => remove(id), 4000)
      return record.id
    } catch (e) {
      const cancelled =
        controller.signal.aborted || (e instanceof SeqcastError && e.kind === 'cancelled')
      job.phase = cancelled ? 'cancelled' : 'failed'
      job.error = e instanceof Error ? e.message : String(e)
      // The banner shows the message; the job row goes away.
      if (!cancelled) error(e, `Could not import ${file.name}`, 'import')
      setTimeout(() => remove(id), cancelled ? 4000 : 0)
      return null
    } finally {
      off()
      controllers.delete(id)
    }
  }

  async function importFiles(files: PickedFile[], open = true): Promise<string[]> {
    // A new import: the notices of the last one are about other files.
    clearScope('import')
    const ids: string[] = []
    for (const file of files) {
      const id = await importOne(file, open)
      if (id) ids.push(id)
    }
    return ids
  }

  async function cancel(id: string): Promise<void> {
    const job = jobs.find((j) => j.id === id)
    controllers.get(id)?.abort()
    if (job?.phase === 'reading') {
      try {
        await getClient().invoke('job:cancel', { jobId: id })
      } catch (e) {
        error(e, 'Could not cancel the import')
      }
    }
  }

  function remove(id: string): void {
    const i = jobs.findIndex((j) => j.id === id)
    if (
      i >= 0 &&
      jobs[i].phase !== 'reading' &&
      jobs[i].phase !== 'uploading' &&
      jobs[i].phase !== 'saving'
    )
      jobs.splice(i, 1)
  }

  /**
   * Open dialog, then import. `open: false` keeps the workspace's dataset (e.g. a file opened in
   * the Forecast view only to be forecast). Returns the ids of the datasets saved.
   */
  async function pickAndImport(
    options: { open?: boolean; multiple?: boolean } = {},
  ): Promise<string[]> {
    try {
      const files = await getClient().openFilePicker('csv', options.multiple ?? true)
      return files ? await importFiles(files, options.open ?? true) : []
    } catch (e) {
      error(e, 'Could not open the file')
      return []
    }
  }

  async function dropped(files: File[]): Promise<void> {
    try {
      await importFiles(await getClient().fromDropped(files))
    } catch (e) {
      error(e, 'Could not open the dropped file')
    }
  }

  return { jobs, importFiles, pickAndImport, dropped, cancel, remove }
}

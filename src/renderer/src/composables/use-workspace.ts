/**
 * What the user is working on: the current dataset (its record, and its columns loaded from
 * IndexedDB) and the current run. The choice survives a reload (localStorage); the data itself
 * always comes from Dexie.
 */
import { computed, effectScope, ref, shallowRef, watch } from 'vue'
import { liveQuery } from 'dexie'
import type { Dataset } from '@shared/series/dataset'
import { db, loadDataset, type DatasetRecord, type RunRecord } from '../db'
import { useNotices } from './use-notices'

const KEY = 'seqcast.workspace'

function restore(): { datasetId: string | null; runId: string | null; compare: string[] } {
  try {
    const raw = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Record<string, unknown>
    return {
      datasetId: typeof raw.datasetId === 'string' ? raw.datasetId : null,
      runId: typeof raw.runId === 'string' ? raw.runId : null,
      compare: Array.isArray(raw.compare)
        ? raw.compare.filter((x): x is string => typeof x === 'string')
        : [],
    }
  } catch {
    return { datasetId: null, runId: null, compare: [] }
  }
}

function create() {
  const saved = restore()
  const datasetId = ref<string | null>(saved.datasetId)
  const runId = ref<string | null>(saved.runId)
  /** Runs overlaid in the Results view besides the current one. */
  const compare = ref<string[]>(saved.compare)
  const record = shallowRef<DatasetRecord | null>(null)
  const run = shallowRef<RunRecord | null>(null)
  const dataset = shallowRef<Dataset | null>(null)
  const loading = ref(false)
  const { error } = useNotices()

  watch(
    [datasetId, runId, compare],
    () => {
      try {
        localStorage.setItem(
          KEY,
          JSON.stringify({
            datasetId: datasetId.value,
            runId: runId.value,
            compare: compare.value,
          }),
        )
      } catch {
        // private mode: the choice just does not survive a reload
      }
    },
    { deep: true },
  )

  // The record, live (renames, time column, repairs from any tab).
  let recordSub: { unsubscribe(): void } | null = null
  watch(
    datasetId,
    (id) => {
      recordSub?.unsubscribe()
      record.value = null
      dataset.value = null
      if (!id) return
      recordSub = liveQuery(() => db().datasets.get(id)).subscribe({
        next: (r) => {
          record.value = r ?? null
          if (!r && id === datasetId.value) {
            datasetId.value = null
          }
        },
        error: (e) => error(e, 'Could not read the dataset'),
      })
    },
    { immediate: true },
  )

  // Columns: loaded when the dataset or its data version changes.
  let loadedVersion = ''
  watch(record, async (r) => {
    if (!r) {
      loadedVersion = ''
      return
    }
    const version = `${r.id}@${r.updatedAt}`
    if (version === loadedVersion) return
    loadedVersion = version
    loading.value = true
    try {
      const { dataset: d } = await loadDataset(r.id)
      if (loadedVersion === version) dataset.value = d
    } catch (e) {
      error(e, 'Could not load the dataset')
    } finally {
      if (loadedVersion === version) loading.value = false
    }
  })

  let runSub: { unsubscribe(): void } | null = null
  watch(
    runId,
    (id) => {
      runSub?.unsubscribe()
      run.value = null
      if (!id) return
      runSub = liveQuery(() => db().runs.get(id)).subscribe({
        next: (r) => {
          run.value = r ?? null
          if (!r && id === runId.value) runId.value = null
        },
        error: (e) => error(e, 'Could not read the run'),
      })
    },
    { immediate: true },
  )

  function openDataset(id: string | null): void {
    // The run on screen belongs to the dataset on screen: opening another file must not leave
    // the previous file's run in Results and Train (issue #12 item 19).
    if (run.value && run.value.datasetId !== id) runId.value = null
    datasetId.value = id
  }

  function openRun(r: RunRecord | null): void {
    runId.value = r?.id ?? null
    if (r && r.datasetId !== datasetId.value) datasetId.value = r.datasetId
  }

  const hasData = computed(() => dataset.value !== null)

  return { datasetId, runId, compare, record, dataset, run, loading, hasData, openDataset, openRun }
}

let workspace: ReturnType<typeof create> | null = null

export function useWorkspace(): ReturnType<typeof create> {
  if (!workspace) workspace = effectScope(true).run(create)!
  return workspace
}

/**
 * A saved dataset's columns by id, for what needs the data behind a saved forecast (its origins
 * per window, how its time is written): the open dataset's when it is that one (no reload),
 * else loaded from the Library; null when it was deleted.
 */
import type { Dataset } from '@shared/series/dataset'
import { loadDataset } from '../db'
import { useWorkspace } from './use-workspace'

export async function datasetById(id: string): Promise<Dataset | null> {
  const workspace = useWorkspace()
  if (workspace.record.value?.id === id && workspace.dataset.value) return workspace.dataset.value
  return loadDataset(id).then(
    (d) => d.dataset,
    () => null,
  )
}

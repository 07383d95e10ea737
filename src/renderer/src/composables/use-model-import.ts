/**
 * Importing an exported model (.zip) into the Library, from the Library's button and from the
 * File menu's "Import model…": the engine reads and checks the package (`model:read`), the
 * renderer keeps it in Dexie. One import at a time; failures land in a notice.
 */
import { ref } from 'vue'
import { getClient } from '../api'
import { newId } from '../api/ids'
import { db, modelRecord, write } from '../db'
import { useNotices } from './use-notices'

const importing = ref(false)

export function useModelImport() {
  const notices = useNotices()

  /** Asks for a .zip and imports it; returns the new model's id, or null. */
  async function importModel(): Promise<string | null> {
    if (importing.value) return null
    importing.value = true
    try {
      const client = getClient()
      const files = await client.openFilePicker('model', false)
      if (!files) return null
      const source = await client.fileSource(files[0])
      const pkg = await client.invoke('model:read', { source })
      const name = pkg.manifest.name || files[0].name.replace(/\.zip$/i, '')
      const id = newId('model')
      await write(`model "${name}"`, async () => {
        await db().models.put(
          modelRecord(pkg, {
            id,
            name,
            runId: null,
            kind: 'imported',
            epoch: pkg.manifest.bestEpoch,
          }),
        )
      })
      notices.success(
        `Model "${name}" imported (${pkg.manifest.experiment.target} from ${pkg.manifest.experiment.features.length} features).`,
        'Imported',
      )
      return id
    } catch (e) {
      notices.error(e, 'Could not import the model')
      return null
    } finally {
      importing.value = false
    }
  }

  return { importing, importModel }
}

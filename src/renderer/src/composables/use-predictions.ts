/**
 * Forecasting a dataset with a saved or imported model: which model and dataset the Forecast
 * view has picked, the forecast it shows (both survive a reload: localStorage for the choice,
 * Dexie `predictions` for the numbers), and the `model:predict` round trip. The dataset is
 * checked against the model first with the engine's own rule (`checkDatasetFits`); its message
 * (naming the column, row or window setting and the fix) lands in the error banner and nothing
 * saved changes.
 */
import { effectScope, ref, shallowRef, watch } from 'vue'
import { liveQuery } from 'dexie'
import { SeqcastError } from '@shared/errors'
import type { ModelManifest } from '@shared/manifest'
import { getClient } from '../api'
import { newId } from '../api/ids'
import { db, loadDataset, modelPackage, putPrediction, type PredictionRecord } from '../db'
import { futureContext, predictData } from '../lib/predict'
import { useNotices } from './use-notices'

const KEY = 'seqcast.forecast'

interface Saved {
  modelId: string | null
  datasetId: string | null
  predictionId: string | null
}

function restore(): Saved {
  try {
    const raw = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Record<string, unknown>
    const str = (v: unknown) => (typeof v === 'string' ? v : null)
    return {
      modelId: str(raw.modelId),
      datasetId: str(raw.datasetId),
      predictionId: str(raw.predictionId),
    }
  } catch {
    return { modelId: null, datasetId: null, predictionId: null }
  }
}

function create() {
  const saved = restore()
  const modelId = ref<string | null>(saved.modelId)
  const datasetId = ref<string | null>(saved.datasetId)
  const predictionId = ref<string | null>(saved.predictionId)
  const prediction = shallowRef<PredictionRecord | null>(null)
  /**
   * The forecast as the Forecast view draws it: its bands at the Interval level chosen there
   * (the saved one until another is chosen). Exports write this, so the CSV's lower,upper are
   * the band on screen.
   */
  const drawn = shallowRef<PredictionRecord | null>(null)
  const loaded = ref(false)
  const busy = ref(false)
  const notices = useNotices()

  watch([modelId, datasetId, predictionId], () => {
    try {
      localStorage.setItem(
        KEY,
        JSON.stringify({
          modelId: modelId.value,
          datasetId: datasetId.value,
          predictionId: predictionId.value,
        }),
      )
    } catch {
      // private mode: the choice just does not survive a reload
    }
  })

  let sub: { unsubscribe(): void } | null = null
  watch(
    predictionId,
    (id) => {
      sub?.unsubscribe()
      prediction.value = null
      loaded.value = false
      if (!id) {
        loaded.value = true
        return
      }
      sub = liveQuery(() => db().predictions.get(id)).subscribe({
        next: (p) => {
          prediction.value = p ?? null
          loaded.value = true
          if (!p && id === predictionId.value) predictionId.value = null
        },
        error: (e) => notices.error(e, 'Could not read the forecast'),
      })
    },
    { immediate: true },
  )

  /** Pick the model (and optionally the dataset) to forecast with, e.g. from the Library. */
  function choose(options: { modelId?: string | null; datasetId?: string | null }): void {
    if (options.modelId !== undefined) modelId.value = options.modelId
    if (options.datasetId !== undefined) datasetId.value = options.datasetId
  }

  function open(id: string | null): void {
    predictionId.value = id
  }

  /**
   * Forecasts the dataset with the model and saves the answer; returns the new forecast's id, or
   * null after showing why it could not be made.
   */
  async function forecast(model: string, dataset: string): Promise<string | null> {
    busy.value = true
    try {
      const m = await db().models.get(model)
      if (!m)
        throw new SeqcastError(
          'not-found',
          'That model is no longer in the Library. Pick another one, or import it again.',
          { modelId: model },
        )
      const { record, dataset: data } = await loadDataset(dataset)
      const manifest = m.manifest as ModelManifest
      const request = predictData(data, manifest)
      const set = await getClient().invoke('model:predict', {
        package: modelPackage(m),
        data: request,
      })
      const id = newId('forecast')
      await putPrediction({
        id,
        name: `${record.name} with ${m.name}`,
        modelId: m.id,
        modelName: m.name,
        datasetId: record.id,
        datasetName: record.name,
        target: manifest.experiment.target,
        seasonRows: manifest.experiment.seasonRows,
        set,
        context: set.future
          ? futureContext(data, manifest.experiment.target, manifest.experiment.window)
          : null,
        createdAt: Date.now(),
      })
      predictionId.value = id
      return id
    } catch (e) {
      notices.error(e)
      return null
    } finally {
      busy.value = false
    }
  }

  return {
    modelId,
    datasetId,
    predictionId,
    prediction,
    drawn,
    loaded,
    busy,
    choose,
    open,
    forecast,
  }
}

let instance: ReturnType<typeof create> | null = null

export function usePredictions(): ReturnType<typeof create> {
  if (!instance) instance = effectScope(true).run(create)!
  return instance
}

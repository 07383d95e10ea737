/**
 * Exports through the platform's save path (Electron: native dialog; browser: a download):
 * forecasts CSV with the engine's numbers (a run's, a comparison's ensemble, or a model's forecast
 * of a dataset), model as
 * .zip (or a folder in Electron), chart PNG, run report (HTML).
 */
import { SeqcastError } from '@shared/errors'
import { getClient } from '../api'
import {
  db,
  modelPackage,
  type ArenaRecord,
  type ArenaRow,
  type PredictionRecord,
  type RunRecord,
} from '../db'
import { forecastsCsv } from '../lib/forecasts'
import { forecastSetCsv, originsOf, type ForecastOrigins } from '@shared/forecast-csv'
import { timeValues } from '@shared/series/dataset'
import { runReportHtml } from '../lib/report'
import { datasetTimeStyle } from '../lib/time-style'
import type { TimeStyle } from '@shared/format'
import { useNotices } from './use-notices'
import { useWorkspace } from './use-workspace'
import { datasetById } from './dataset-by-id'

export function safeFileName(name: string): string {
  const printable = [...name].map((ch) => (ch.charCodeAt(0) < 32 ? '_' : ch)).join('')
  return (
    printable
      .replace(/[\\/:*?"<>|]+/g, '_')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 120) || 'seqcast'
  )
}

function dataUrlBytes(url: string): Uint8Array {
  const base64 = url.slice(url.indexOf(',') + 1)
  const bin = atob(base64)
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

export function useExports() {
  const { error, success } = useNotices()
  const workspace = useWorkspace()

  /**
   * How the dataset writes its time, when it is the one open (its columns are loaded); otherwise
   * the export reads the precision off the timestamps (dates for date-only data).
   */
  function timeStyleOf(datasetId: string): TimeStyle | undefined {
    const dataset = workspace.dataset.value
    return dataset && workspace.record.value?.id === datasetId
      ? datasetTimeStyle(dataset)
      : undefined
  }

  /**
   * The forecast origin of each window (the CSV's `origin` column) needs the dataset's time per
   * row: the open dataset's, else the dataset loaded from the Library; none if it was deleted.
   */
  async function originsFor(
    datasetId: string,
    window: Parameters<typeof originsOf>[0] | undefined,
  ): Promise<ForecastOrigins | undefined> {
    if (!window) return undefined
    const dataset = await datasetById(datasetId)
    return dataset ? originsOf(window, timeValues(dataset)) : undefined
  }

  async function saved(where: string | null, what: string): Promise<void> {
    if (where)
      success(
        `${what} saved${getClient().transport === 'electron' ? ` to ${where}` : ` as ${where}`}.`,
        'Exported',
      )
  }

  async function forecastsCsv_(run: RunRecord | null): Promise<void> {
    try {
      if (!run)
        throw new SeqcastError(
          'not-found',
          'Export forecasts: open a run first (Library or Results).',
        )
      const record = await db().forecasts.get(run.id)
      if (!record) {
        throw new SeqcastError(
          'not-found',
          `Run "${run.name}" has no forecasts yet${run.status === 'running' ? ' (it is still training)' : run.modelId ? ': compute them with "Forecast with the model" in Results first' : ''}.`,
        )
      }
      const text = forecastsCsv(
        record.splits,
        record.future,
        timeStyleOf(run.datasetId),
        await originsFor(run.datasetId, run.config.experiment.window),
      )
      await saved(
        await getClient().saveFile(`${safeFileName(run.name)} forecasts.csv`, text, 'csv'),
        'Forecasts',
      )
    } catch (e) {
      error(e, 'Could not export the forecasts')
    }
  }

  /**
   * A board entry without a run of its own (the ensemble, a baseline): its validation and test
   * forecasts (with the ensemble's own intervals) and its future, in the run's CSV layout.
   */
  async function entryCsv_(arena: ArenaRecord, entry: ArenaRow): Promise<void> {
    try {
      if (!entry.splits && !entry.future)
        throw new SeqcastError('not-found', `${arena.name}: ${entry.model} kept no forecasts.`)
      const text = forecastsCsv(
        entry.splits ?? {},
        entry.future,
        timeStyleOf(arena.datasetId),
        await originsFor(arena.datasetId, arena.config.experiment.window),
      )
      await saved(
        await getClient().saveFile(
          `${safeFileName(`${arena.name} · ${entry.model}`)} forecasts.csv`,
          text,
          'csv',
        ),
        'Forecasts',
      )
    } catch (e) {
      error(e, 'Could not export the forecasts')
    }
  }

  /** A model's forecast of a dataset: the same file as `npm run forecast -- predict --out`. */
  async function predictionCsv_(prediction: PredictionRecord | null): Promise<void> {
    try {
      if (!prediction)
        throw new SeqcastError(
          'not-found',
          'Export forecasts: make or open a forecast first (Forecast view or Library).',
        )
      const model = await db().models.get(prediction.modelId)
      const text = forecastSetCsv(
        prediction.set,
        timeStyleOf(prediction.datasetId),
        await originsFor(prediction.datasetId, model?.manifest.experiment.window),
      )
      await saved(
        await getClient().saveFile(`${safeFileName(prediction.name)} forecasts.csv`, text, 'csv'),
        'Forecasts',
      )
    } catch (e) {
      error(e, 'Could not export the forecasts')
    }
  }

  async function modelZip(modelId: string | null): Promise<void> {
    try {
      const model = modelId ? await db().models.get(modelId) : undefined
      if (!model)
        throw new SeqcastError(
          'not-found',
          'Export model: this run has no model (no epoch finished). Train it again.',
        )
      const { bytes } = await getClient().invoke('model:zip', {
        package: modelPackage(model),
      })
      // Named like the other downloads: "<name> model.zip", "<name> forecasts.csv", …
      await saved(
        await getClient().saveFile(`${safeFileName(model.name)} model.zip`, bytes, 'zip'),
        'Model',
      )
    } catch (e) {
      error(e, 'Could not export the model')
    }
  }

  async function modelFolder(modelId: string | null): Promise<void> {
    try {
      const client = getClient()
      const model = modelId ? await db().models.get(modelId) : undefined
      if (!model)
        throw new SeqcastError(
          'not-found',
          'Export model: this run has no model (no epoch finished). Train it again.',
        )
      // Main's save dialog picks the folder; main writes there (the renderer names no path).
      const target = await client.invoke('dialog:save', {
        suggestedName: safeFileName(model.name),
        kind: 'folder',
      })
      if (!target) return
      const { location, files } = await client.invoke('model:write-folder', {
        handle: target.handle,
        package: modelPackage(model),
      })
      success(`Model written to ${location} (${files.join(', ')}).`, 'Exported')
    } catch (e) {
      error(e, 'Could not export the model')
    }
  }

  async function png(
    name: string,
    image: string | null | Promise<string | null> | undefined,
  ): Promise<void> {
    try {
      const dataUrl = await image
      if (!dataUrl) throw new SeqcastError('not-found', 'Export chart: the chart is not drawn yet.')
      await saved(
        await getClient().saveFile(`${safeFileName(name)}.png`, dataUrlBytes(dataUrl), 'png'),
        'Chart',
      )
    } catch (e) {
      error(e, 'Could not export the chart')
    }
  }

  async function report(
    run: RunRecord | null,
    cadence: { ms: number; months?: number; perYear?: number } | null = null,
  ): Promise<void> {
    try {
      if (!run) throw new SeqcastError('not-found', 'Export report: open a run first.')
      const forecasts = (await db().forecasts.get(run.id)) ?? null
      const html = runReportHtml(run, cadence, timeStyleOf(run.datasetId), forecasts)
      await saved(
        await getClient().saveFile(`${safeFileName(run.name)} report.html`, html, 'html'),
        'Run report',
      )
    } catch (e) {
      error(e, 'Could not export the report')
    }
  }

  return {
    forecastsCsv: forecastsCsv_,
    entryCsv: entryCsv_,
    predictionCsv: predictionCsv_,
    modelZip,
    modelFolder,
    png,
    report,
  }
}

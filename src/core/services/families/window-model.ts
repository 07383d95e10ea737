/**
 * The window-model family (linear, dense, Conv1D, the recurrent presets, custom layers): trains
 * in the engine worker on normalized numbers and hands back its predictions in the data's
 * units, with the training history and the model package (also one per best checkpoint).
 */
import type { RunConfig } from '../../../shared/experiment'
import { learnsLevels } from '../../../shared/features/inputs'
import { futureWindowStart } from '../../../shared/forecast/assemble'
import { manifestFor, type ManifestInput, type ModelManifest } from '../../../shared/manifest'
import type { PreparedExperiment } from '../../../shared/prepare'
import type { BackendReport, EpochRecord, ModelPackage } from '../../../shared/run'
import type { Dataset } from '../../../shared/series/dataset'
import { dataUnitsOf, toDataUnits } from '../../../shared/forecast/data-units'
import { normalizeColumn, normalizedMatrix } from '../../../shared/series/normalize'
import type { WorkerArtifacts } from '../../engine/artifacts'
import type { TrainJob } from '../../engine/run-job'
import type { FamilyContext, FamilyOutcome } from './family'

function packageOf(manifest: ModelManifest, artifacts: WorkerArtifacts): ModelPackage {
  return { manifest, modelJson: artifacts.modelJson, weights: new Uint8Array(artifacts.weights) }
}

export async function fitWindowModel(
  dataset: Dataset,
  config: RunConfig,
  prepared: PreparedExperiment,
  manifestInput: ManifestInput,
  ctx: FamilyContext,
): Promise<FamilyOutcome> {
  const { normalization, baselines, transform, learnedName } = prepared
  const w = config.experiment.window
  const target = config.experiment.target
  // The model learns the target's values, or (with a transform) the learned rows, rows × H.
  const levels = learnsLevels(transform)
  const features = normalizedMatrix(normalization, prepared.features)
  const featureCount = prepared.features.length
  const futureStart = futureWindowStart(features, featureCount, dataset.rowCount, w)
  // One way back to the data's units for the live validation MAE and for every forecast below.
  const dataUnits = dataUnitsOf(normalization, learnedName, prepared.target, transform)
  const job: TrainJob = {
    runId: ctx.runId,
    spec: config.model,
    training: config.training,
    window: w,
    features,
    featureCount,
    target: levels
      ? normalizeColumn(normalization, target, prepared.target)
      : normalizeColumn(normalization, learnedName, prepared.learnedRows()),
    targetWidth: levels ? 1 : w.horizon,
    starts: {
      train: prepared.windows.starts.train.slice(),
      val: prepared.windows.starts.val.slice(),
      test: prepared.windows.starts.test.slice(),
    },
    targetScale: dataUnits.scale,
    // A copy: the job's arrays are transferred to the worker (and detached here).
    dataUnits: { ...dataUnits, target: prepared.target.slice() },
    evaluate: (['val', 'test'] as const).filter((s) => prepared.windows.starts[s].length > 0),
    futureStart,
    progressIntervalMs: ctx.options.progressIntervalMs,
  }
  const { options } = ctx
  // What a checkpoint's manifest can say: the epochs so far and the backend once reported.
  let backendSeen: BackendReport | null = null
  const history: EpochRecord[] = []
  const outcome = await ctx.host.train(job, {
    signal: options.signal,
    onState: options.onState,
    onProgress: (p) => options.onProgress?.({ ...p, runId: ctx.runId }),
    onEpoch: (r) => {
      history.push(r)
      options.onEpoch?.(r)
    },
    onBackend: (report) => {
      backendSeen = report
      options.onBackend?.(report)
    },
    onCheckpoint: options.onCheckpoint
      ? (epoch, artifacts) => {
          const manifest = manifestFor(manifestInput, {
            history: [...history],
            bestEpoch: epoch,
            stopReason: 'in-progress',
            metrics: {},
            baselines,
            backend: backendSeen,
          })
          options.onCheckpoint!(epoch, packageOf(manifest, artifacts))
        }
      : undefined,
  })
  // Back to the data's units: denormalize the learned values, then undo the transform with rows
  // ≤ each window's last row.
  const toData = (normalized: Float32Array | undefined, starts: Int32Array) =>
    normalized ? toDataUnits(normalized, starts, w, dataUnits) : undefined
  const { starts } = prepared.windows
  return {
    predictions: {
      val: toData(outcome.predictions.val, starts.val),
      test: toData(outcome.predictions.test, starts.test),
    },
    future:
      futureStart !== null
        ? (toData(outcome.predictions.future, Int32Array.of(futureStart)) ?? null)
        : null,
    futureStart,
    history: outcome.history,
    bestEpoch: outcome.bestEpoch,
    stopReason: outcome.stopReason,
    stopMessage: outcome.stopMessage,
    backend: outcome.backend,
    package: (manifest) => (outcome.artifacts ? packageOf(manifest, outcome.artifacts) : null),
  }
}

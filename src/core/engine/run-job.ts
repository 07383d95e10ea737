/**
 * The jobs the worker runs, free of any messaging so they also run in-process (tests, tools):
 * select the backend, build the model, probe one training step (re-routing the model when a
 * kernel is missing), train, and predict the validation / test windows and the future.
 */
import * as tf from '@tensorflow/tfjs'
import { SeqcastError } from '../../shared/errors'
import type { TrainingConfig } from '../../shared/experiment'
import { EVAL_BATCH } from '../../shared/models/memory'
import type { DataUnits } from '../../shared/forecast/data-units'
import type { ModelSpec } from '../../shared/models/spec'
import type { BackendReport, EpochRecord, RunProgress, StopReason } from '../../shared/run'
import type { SplitName } from '../../shared/series/split'
import type { BatchSource } from '../../shared/windows/batches'
import type { WindowConfig } from '../../shared/windows/config'
import { statefulWarmup } from '../../shared/windows/stateful'
import type { WorkerArtifacts } from './artifacts'
import {
  activate,
  borrowedKernels,
  fallbacksAfter,
  isMissingKernel,
  selectBackend,
  type BackendPreference,
} from './backends'
import { buildModel } from './build-model'
import { buildScoped } from './scoped-build'
import { evaluationBatchSize, predictFuture, predictWindows, resetStates } from './forecast'
import { fuseModel, releaseKernelMemory } from './fused'
import { installFusedKernels, kernelReport, startKernels } from './kernels'
import { isRuntimeAbort, runtimeAbortError } from './runtime-abort'
import { artifactsToModel, modelToArtifacts } from './tf-artifacts'
import { lossFunction, trainingWindow, trainModel, type TraceEvent } from './train-loop'

export interface TrainJob {
  runId: string
  /**
   * Keep the trained model in the worker for `export` (tests, tools). By default it is disposed
   * as soon as its outcome (which carries the artifacts) has been posted.
   */
  keepModel?: boolean
  spec: ModelSpec
  training: TrainingConfig
  window: WindowConfig
  /** Normalized features, row-major rows × featureCount. */
  features: Float32Array
  featureCount: number
  /** Normalized target, one value per row (or learned rows, rows × H: see BatchSource). */
  target: Float32Array
  targetWidth?: number
  starts: Record<SplitName, Int32Array>
  targetScale: number
  /**
   * How predictions become data units (denormalization, target transform): the live validation
   * MAE of every epoch is then the Results MAE. Without it: learned units × targetScale.
   */
  dataUnits?: DataUnits
  /** Splits to forecast after training (skipped after a cancel). */
  evaluate: ('val' | 'test')[]
  /** Start row of the latest window, for the future forecast; null for none. */
  futureStart: number | null
  progressIntervalMs?: number
}

export interface TrainOutcome {
  history: EpochRecord[]
  bestEpoch: number | null
  stopReason: StopReason
  stopMessage: string | null
  /** The model with its best weights (null only if no epoch finished). */
  artifacts: WorkerArtifacts | null
  /** Normalized predictions, n × H window-major. */
  predictions: { val?: Float32Array; test?: Float32Array; future?: Float32Array }
  backend: BackendReport
}

export interface JobHooks {
  onProgress?(progress: Omit<RunProgress, 'runId'>): void
  onEpoch?(record: EpochRecord): void
  onCheckpoint?(epoch: number, artifacts: WorkerArtifacts): void
  onLog?(level: 'info' | 'warn', message: string): void
  /** The backend the run uses, once the model passed its probe. */
  onReady?(backend: BackendReport): void
  shouldStop?(): boolean
  /** Time of the probe step and of every training batch (ms). */
  onBatchTime?(ms: number): void
  trace?(event: TraceEvent): void
}

export interface PredictJob {
  modelJson: WorkerArtifacts['modelJson']
  weights: ArrayBuffer
  spec: ModelSpec
  window: WindowConfig
  /** The fixed batch size of a stateful model; null for stateless ones. */
  batchSize: number | null
  backend: BackendPreference
  features: Float32Array
  featureCount: number
  target: Float32Array
  targetWidth?: number
  starts: Int32Array
  futureStart: number | null
  /** Windows a stateful model runs before the latest one to carry its state. */
  warmup: number
  /** Run LSTM / GRU layers on the fused kernels (default true). */
  fused?: boolean
}

export interface PredictOutcome {
  predictions: Float32Array
  future: Float32Array | null
  backend: BackendReport
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve))

/**
 * One gradient computation on a batch of zeros (weights untouched): a backend that lacks a
 * kernel this model needs fails here, before any epoch.
 */
export function probeTrainingStep(
  model: tf.LayersModel,
  spec: ModelSpec,
  training: TrainingConfig,
  window: WindowConfig,
  featureCount: number,
): void {
  const { window: w, mode } = trainingWindow(spec, window)
  const B = spec.stateful ? training.batchSize : Math.min(2, training.batchSize)
  const out = mode === 'every-step' ? [B, w.sequenceLength, w.horizon] : [B, w.horizon]
  const lossFn = lossFunction(training.loss)
  const variables = model.trainableWeights.map((v) => v.read() as tf.Variable)
  tf.tidy(() => {
    const x = tf.zeros([B, w.sequenceLength, featureCount])
    const y = tf.zeros(out)
    const { value, grads } = tf.variableGrads(
      () => lossFn(y, model.apply(x, { training: true }) as tf.Tensor),
      variables,
    )
    value.dataSync()
    for (const g of Object.values(grads)) g.dataSync()
  })
  if (spec.stateful) {
    resetStates(model)
    for (const layer of model.layers) {
      const l = layer as unknown as { stateful?: boolean; keptStates?: tf.Tensor[][] }
      if (l.stateful && l.keptStates) {
        for (const s of l.keptStates) tf.dispose(s)
        l.keptStates = []
      }
    }
  }
}

/**
 * Selects the backend, builds the model and probes it, re-routing when a kernel is missing.
 * LSTM / GRU layers are built on the fused kernels when `training.fusedKernels` is set; the
 * report's `kernels` says which layers run on them (after the probe step).
 */
export async function prepareModel(
  spec: ModelSpec,
  training: TrainingConfig,
  window: WindowConfig,
  featureCount: number,
  onLog?: JobHooks['onLog'],
  hooks: Pick<JobHooks, 'shouldStop' | 'onBatchTime'> = {},
): Promise<{ model: tf.LayersModel; backend: BackendReport }> {
  // A cancel during preparation is seen between its steps (loading, building, probing).
  const checkStop = () => {
    if (!hooks.shouldStop?.()) return
    throw new SeqcastError(
      'cancelled',
      'Training was cancelled while the model was being prepared; nothing was trained.',
      { state: 'preparing' },
    )
  }
  installFusedKernels()
  if (training.fusedKernels) await startKernels()
  checkStop()
  const backend = await selectBackend(training.backend)
  checkStop()
  const ready = (model: tf.LayersModel) => {
    const kernels = kernelReport(model, training.fusedKernels)
    if (kernels) backend.kernels = kernels
    else delete backend.kernels
    return { model, backend }
  }
  const build = () =>
    buildScoped(() =>
      buildModel(spec, {
        inputShape: [window.sequenceLength, featureCount],
        horizon: window.horizon,
        batchSize: spec.stateful ? training.batchSize : null,
        seed: training.seed,
        fused: training.fusedKernels,
      }),
    )
  const probe = (m: tf.LayersModel) => {
    checkStop()
    const started = performance.now()
    probeTrainingStep(m, spec, training, window, featureCount)
    hooks.onBatchTime?.(performance.now() - started)
    checkStop()
  }
  let model = build()
  const borrowed = borrowedKernels()
  const usesConv = spec.layers.some((l) => l.type === 'conv1d')
  if (backend.used === 'wasm' && usesConv && borrowed.includes('Conv2DBackpropFilter')) {
    backend.routed =
      'The wasm backend has no Conv2DBackpropFilter kernel (Conv1D gradients); Seqcast registered the cpu implementation of that one kernel on wasm, the rest of the model runs on wasm.'
  }
  try {
    probe(model)
    return ready(model)
  } catch (error) {
    if (!isMissingKernel(error)) {
      disposeQuietly(model)
      throw asTrainingError(error, backend.used)
    }
    const first = backend.used
    const reason = String((error as Error).message).split('\n')[0]
    for (const next of await fallbacksAfter(first)) {
      model.dispose()
      await activate(next)
      model = build()
      try {
        probe(model)
        backend.routed = `This model cannot train on ${first} (${reason}); it was routed to ${next}.`
        backend.skipped[first] = `cannot train this model: ${reason}`
        backend.used = next
        onLog?.('warn', backend.routed)
        return ready(model)
      } catch (again) {
        if (!isMissingKernel(again)) {
          disposeQuietly(model)
          throw asTrainingError(again, next)
        }
      }
    }
    disposeQuietly(model)
    throw new SeqcastError('backend', `No backend can train this model: ${reason}.`, {
      backend: first,
    })
  }
}

/** After a runtime abort the backend may fail to free; the host then retires this worker. */
function disposeQuietly(model: tf.LayersModel): void {
  try {
    model.dispose()
  } catch {
    // nothing more to free here
  }
}

function asTrainingError(error: unknown, backend: string): SeqcastError {
  if (error instanceof SeqcastError) return error
  if (isRuntimeAbort(error)) return runtimeAbortError(error, backend)
  return new SeqcastError(
    'training',
    `The model failed its first training step on ${backend}: ${(error as Error).message}`,
    {
      backend,
    },
  )
}

export async function runTrainJob(
  job: TrainJob,
  hooks: JobHooks = {},
): Promise<{ outcome: TrainOutcome; model: tf.LayersModel }> {
  const { spec, training, window } = job
  const { model, backend } = await prepareModel(
    spec,
    training,
    window,
    job.featureCount,
    hooks.onLog,
    hooks,
  )
  hooks.onReady?.(backend)
  const source: BatchSource = {
    features: job.features,
    featureCount: job.featureCount,
    target: job.target,
    targetWidth: job.targetWidth,
  }
  try {
    const loop = await trainModel(
      model,
      spec,
      training,
      {
        source,
        window,
        starts: job.starts,
        targetScale: job.targetScale,
        dataUnits: job.dataUnits,
      },
      {
        onProgress: hooks.onProgress,
        onEpoch: hooks.onEpoch,
        shouldStop: hooks.shouldStop,
        onBatchTime: hooks.onBatchTime,
        trace: hooks.trace,
        progressIntervalMs: job.progressIntervalMs,
        onCheckpoint: hooks.onCheckpoint
          ? async (epoch, m) => hooks.onCheckpoint!(epoch, await modelToArtifacts(m))
          : undefined,
      },
    )
    if (loop.bestEpoch === null) {
      if (loop.stopReason === 'nan-loss')
        throw new SeqcastError('nan-loss', loop.stopMessage ?? 'The loss became NaN.', {
          nan: loop.nan,
        })
      throw new SeqcastError(
        'cancelled',
        'Training was cancelled before the first epoch finished; there is no checkpoint to keep.',
      )
    }
    // What the layers did over the whole run (threads used, fallbacks), not just the probe.
    const kernels = kernelReport(model, training.fusedKernels, true)
    const outcome: TrainOutcome = {
      history: loop.history,
      bestEpoch: loop.bestEpoch,
      stopReason: loop.stopReason,
      stopMessage: loop.stopMessage,
      artifacts: await modelToArtifacts(model),
      predictions: {},
      backend: kernels ? { ...backend, kernels } : backend,
    }
    if (loop.stopReason === 'cancelled') {
      releaseKernelMemory(model)
      return { outcome, model }
    }
    const batchSize = evaluationBatchSize(spec, training.batchSize)
    const options = {
      spec,
      window,
      batchSize,
      shouldStop: hooks.shouldStop,
      yieldEvery: yieldToEventLoop,
    }
    try {
      for (const split of job.evaluate) {
        outcome.predictions[split] = await predictWindows(model, source, job.starts[split], options)
      }
      if (job.futureStart !== null) {
        // A stateful model carries its state into the latest window over one training stream.
        const warmup = spec.stateful
          ? statefulWarmup(job.starts.train.length, training.batchSize)
          : 0
        outcome.predictions.future = await predictFuture(model, source, job.futureStart, {
          ...options,
          warmup,
        })
      }
    } catch (error) {
      if (!(error instanceof SeqcastError && error.kind === 'cancelled')) throw error
      outcome.stopReason = 'cancelled'
      outcome.stopMessage = `Cancelled while forecasting. The model keeps the weights of epoch ${loop.bestEpoch}.`
      outcome.predictions = {}
    }
    // The worker keeps the model (export, later runs): not its per-batch kernel buffers.
    releaseKernelMemory(model)
    return { outcome, model }
  } catch (error) {
    disposeQuietly(model)
    throw isRuntimeAbort(error) ? runtimeAbortError(error, backend.used) : error
  }
}

export async function runPredictJob(job: PredictJob): Promise<PredictOutcome> {
  const backend = await selectBackend(job.backend)
  const model = await artifactsToModel(job.modelJson, job.weights)
  const fused = job.fused !== false
  // Saved models hold stock LSTM / GRU layers: put them on the kernels for inference.
  if (fused) {
    await startKernels()
    fuseModel(model)
  }
  try {
    const source: BatchSource = {
      features: job.features,
      featureCount: job.featureCount,
      target: job.target,
      targetWidth: job.targetWidth,
    }
    const options = {
      spec: job.spec,
      window: job.window,
      batchSize: job.spec.stateful ? job.batchSize! : EVAL_BATCH,
      yieldEvery: yieldToEventLoop,
    }
    const predictions = await predictWindows(model, source, job.starts, options)
    const future =
      job.futureStart === null
        ? null
        : await predictFuture(model, source, job.futureStart, { ...options, warmup: job.warmup })
    const kernels = kernelReport(model, fused, true)
    if (kernels) backend.kernels = kernels
    return { predictions, future, backend }
  } finally {
    model.dispose()
  }
}

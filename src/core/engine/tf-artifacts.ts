/** tf.LayersModel ⇄ tfjs artifacts in memory (no files, no `file://`). */
import * as tf from '@tensorflow/tfjs'
import { SeqcastError } from '../../shared/errors'
import type { TfjsModelJson } from '../../shared/run'
import { modelJsonFrom, type WorkerArtifacts } from './artifacts'

export async function modelToArtifacts(model: tf.LayersModel): Promise<WorkerArtifacts> {
  let captured: tf.io.ModelArtifacts | null = null
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      captured = artifacts
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }
    }),
    { includeOptimizer: false },
  )
  const a = captured as tf.io.ModelArtifacts | null
  if (!a || !a.weightSpecs || a.weightData === undefined) {
    throw new SeqcastError('internal', 'Saving the model produced no weights.')
  }
  const data = a.weightData
  const weights = Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : (data as ArrayBuffer)
  return {
    modelJson: modelJsonFrom(
      a.modelTopology,
      a.weightSpecs,
      `TensorFlow.js tfjs-layers v${tf.version_layers}`,
    ),
    weights: weights.slice(0),
  }
}

/** Loads artifacts with stock TensorFlow.js (what any tfjs user would do with the files). */
export async function artifactsToModel(
  modelJson: TfjsModelJson,
  weights: ArrayBuffer,
): Promise<tf.LayersModel> {
  const weightSpecs = modelJson.weightsManifest.flatMap(
    (g) => g.weights,
  ) as tf.io.WeightsManifestEntry[]
  try {
    return await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: modelJson.modelTopology as tf.io.ModelJSON['modelTopology'],
        weightSpecs,
        weightData: weights,
      }),
    )
  } catch (error) {
    throw new SeqcastError(
      'model-mismatch',
      `The model files cannot be loaded by TensorFlow.js: ${(error as Error).message}`,
      { cause: (error as Error).message },
    )
  }
}

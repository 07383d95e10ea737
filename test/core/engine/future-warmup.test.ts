/**
 * Which windows carry state into a stateful model's future forecast, checked by hand on a model
 * whose output is the sum of every input it has seen since its states were reset:
 * SimpleRNN(1) with a linear cell, kernel 1, recurrent kernel 1 and no bias (h = h_prev + x),
 * then Dense(1) with weight 1 and no bias. Row r of the data holds 2^r, so the forecast's value
 * spells out exactly which rows (windows of one row) were read, through the real predict job.
 */
import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildModel } from '../../../src/core/engine/build-model'
import { runPredictJob, type PredictJob } from '../../../src/core/engine/run-job'
import { modelToArtifacts } from '../../../src/core/engine/tf-artifacts'
import type { WorkerArtifacts } from '../../../src/core/engine/artifacts'
import type { ModelSpec } from '../../../src/shared/models/spec'
import { statefulWarmup } from '../../../src/shared/windows/stateful'

const summing: ModelSpec = {
  name: 'sum of inputs',
  layers: [{ type: 'simplernn', units: 1, activation: 'linear' }],
  head: { kind: 'direct', activation: 'linear' },
  stateful: true,
}
const BATCH = 2
const ROWS = 12
let artifacts: WorkerArtifacts

beforeAll(async () => {
  await tf.setBackend('cpu')
  const model = buildModel(summing, {
    inputShape: [1, 1],
    horizon: 1,
    batchSize: BATCH,
    seed: 1,
    fused: false,
  })
  model.layers[0].setWeights([tf.tensor2d([[1]]), tf.tensor2d([[1]]), tf.tensor1d([0])])
  model.layers[1].setWeights([tf.tensor2d([[1]]), tf.tensor1d([0])])
  artifacts = await modelToArtifacts(model)
  model.dispose()
})

afterAll(() => tf.disposeVariables())

function job(stride: number, warmup: number): PredictJob {
  return {
    modelJson: artifacts.modelJson,
    weights: artifacts.weights.slice(0),
    spec: summing,
    window: { sequenceLength: 1, samplingRate: 1, sequenceStride: stride, delay: 1, horizon: 1 },
    batchSize: BATCH,
    backend: 'cpu',
    fused: false,
    features: Float32Array.from({ length: ROWS }, (_, r) => 2 ** r),
    featureCount: 1,
    target: new Float32Array(ROWS),
    starts: new Int32Array(0),
    futureStart: ROWS - 1, // the latest one-row window: row 11
    warmup,
  }
}

const future = async (stride: number, warmup: number) =>
  (await runPredictJob(job(stride, warmup))).future![0]

describe('the stateful future warm-up', () => {
  it('the model sums what it has seen: without warm-up the forecast is the latest row alone', async () => {
    expect(await future(1, 0)).toBe(2 ** 11)
  })

  it('replays one training stream before the latest window: ⌊7 training windows / batch 2⌋ = 3', async () => {
    const warmup = statefulWarmup(7, BATCH)
    expect(warmup).toBe(3)
    // In Keras' order row i of a batch continues the window BATCH windows earlier: rows 5, 7, 9,
    // then the latest window at row 11.
    expect(await future(1, warmup)).toBe(2 ** 5 + 2 ** 7 + 2 ** 9 + 2 ** 11)
  })

  it('steps back by batch × stride rows, as consecutive windows of a training stream are', async () => {
    // Stride 2, batch 2: rows 3, 7, then 11 (−1 does not exist).
    expect(await future(2, 3)).toBe(2 ** 3 + 2 ** 7 + 2 ** 11)
  })

  it('stops at the first row', async () => {
    // Stride 5, batch 2: a step of 10 rows from row 11: row 1 exists, −9 does not.
    expect(await future(5, 3)).toBe(2 ** 1 + 2 ** 11)
  })
})

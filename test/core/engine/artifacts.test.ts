import * as tf from '@tensorflow/tfjs'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  MANIFEST_JSON,
  MODEL_JSON,
  packageFiles,
  packageFromFiles,
  unzipPackage,
  WEIGHTS_BIN,
  zipPackage,
} from '../../../src/core/engine/artifacts'
import { selectBackend } from '../../../src/core/engine/backends'
import { buildModel } from '../../../src/core/engine/build-model'
import { predictWindows } from '../../../src/core/engine/forecast'
import { fuseModel, fusedStatus } from '../../../src/core/engine/fused'
import { installFusedKernels } from '../../../src/core/engine/kernels'
import { artifactsToModel, modelToArtifacts } from '../../../src/core/engine/tf-artifacts'
import { trainModel } from '../../../src/core/engine/train-loop'
import { readModel, writeModelFolder } from '../../../src/core/services/model-files'
import { SeqcastError } from '../../../src/shared/errors'
import type { ModelPackage } from '../../../src/shared/run'
import { runConfig, sampleManifest, spec, sunspots, trainData, window } from './helpers'

const dir = mkdtempSync(join(tmpdir(), 'seqcast-artifacts-'))
const config = runConfig(spec('gru-stacked'), window(12), { epochs: 1, backend: 'wasm' })
const data = trainData(sunspots(300), config)
const starts = data.starts.test
let model: tf.LayersModel
let pkg: ModelPackage
let original: Float32Array

beforeAll(async () => {
  await selectBackend('wasm')
  // trained and predicted on the fused kernels (the engine's default)
  installFusedKernels()
  model = buildModel(config.model, {
    inputShape: [12, 1],
    horizon: 1,
    batchSize: null,
    seed: 1,
    fused: true,
  })
  await trainModel(model, config.model, config.training, data)
  expect(model.layers.slice(0, 2).map((l) => fusedStatus(l).lastPath)).toEqual(['fused', 'fused'])
  const artifacts = await modelToArtifacts(model)
  pkg = {
    manifest: sampleManifest(config),
    modelJson: artifacts.modelJson,
    weights: new Uint8Array(artifacts.weights),
  }
  original = await predictWindows(model, data.source, starts, {
    spec: config.model,
    window: config.experiment.window,
    batchSize: 64,
  })
})

afterAll(() => {
  model?.dispose()
  rmSync(dir, { recursive: true, force: true })
})

const expectError = (fn: () => unknown, kind: string, pattern: RegExp) => {
  try {
    fn()
    expect.unreachable('expected an error')
  } catch (error) {
    expect(error).toBeInstanceOf(SeqcastError)
    expect((error as SeqcastError).kind).toBe(kind)
    expect((error as SeqcastError).message).toMatch(pattern)
  }
}

describe('model files', () => {
  it('export → folder → import → predict gives identical numbers', async () => {
    const files = await writeModelFolder(join(dir, 'model'), pkg)
    expect(files.map((f) => f.split('/').pop()).sort()).toEqual(
      [MODEL_JSON, WEIGHTS_BIN, MANIFEST_JSON].sort(),
    )
    const back = await readModel(join(dir, 'model'))
    expect(back.manifest.model).toEqual(config.model)
    expect(Number.isNaN(back.manifest.metrics.val!.mape)).toBe(true) // JSON null → NaN
    const loaded = await artifactsToModel(back.modelJson!, back.weights.slice().buffer)
    const predict = () =>
      predictWindows(loaded, data.source, starts, {
        spec: config.model,
        window: config.experiment.window,
        batchSize: 64,
      })
    // loaded as stock tfjs layers: the same numbers up to float32 rounding
    const stock = await predict()
    Array.from(stock).forEach((v, i) => expect(v).toBeCloseTo(original[i], 6))
    // on the fused kernels again (what the predict job does): identical numbers
    expect(fuseModel(loaded)).toHaveLength(2)
    expect(Array.from(await predict())).toEqual(Array.from(original))
    loaded.dispose()
  })

  it('the files load in stock TensorFlow.js (a plain IOHandler over model.json + weights.bin) and predict the same', async () => {
    const folder = join(dir, 'model')
    const json = JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8'))
    const bin = readFileSync(join(folder, json.weightsManifest[0].paths[0]))
    const handler: tf.io.IOHandler = {
      load: async () => ({
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest[0].weights,
        weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
      }),
    }
    const stock = await tf.loadLayersModel(handler)
    const x: number[] = []
    for (const s of starts) for (let t = 0; t < 12; t++) x.push(data.source.features[s + t])
    const p = (stock.predict(tf.tensor3d(x, [starts.length, 12, 1])) as tf.Tensor).dataSync()
    Array.from(p).forEach((v, i) => expect(v).toBeCloseTo(original[i], 6))
    expect(json.format).toBe('layers-model')
    expect(stock.layers.map((l) => l.getClassName())).toEqual(['GRU', 'GRU', 'Dropout', 'Dense'])
    stock.dispose()
  })

  it('zip round trip: the same three files', () => {
    const zip = zipPackage(pkg)
    const back = unzipPackage(zip, 'model.zip')
    expect(back.weights).toEqual(pkg.weights)
    expect(back.modelJson).toEqual(pkg.modelJson)
    expect(back.manifest.experiment).toEqual(pkg.manifest.experiment)
  })

  it('clear errors for missing, mismatched or foreign files', () => {
    const files = packageFiles(pkg)
    expectError(
      () => packageFromFiles({ ...files, [WEIGHTS_BIN]: undefined }, 'm'),
      'model-mismatch',
      /m: weights\.bin is missing/,
    )
    expectError(
      () => packageFromFiles({ ...files, [WEIGHTS_BIN]: files[WEIGHTS_BIN].slice(4) }, 'm'),
      'model-mismatch',
      new RegExp(
        `expected ${pkg.weights.byteLength} bytes of weights .* received ${pkg.weights.byteLength - 4}`,
      ),
    )
    const newer = new TextEncoder().encode(JSON.stringify({ ...pkg.manifest, version: 99 }))
    expectError(
      () => packageFromFiles({ ...files, [MANIFEST_JSON]: newer }, 'm'),
      'model-mismatch',
      /version 99 is newer/,
    )
    const foreign = new TextEncoder().encode(JSON.stringify({ hello: 1 }))
    expectError(
      () => packageFromFiles({ ...files, [MANIFEST_JSON]: foreign }, 'm'),
      'model-mismatch',
      /does not look like a Seqcast manifest/,
    )
    expectError(
      () => unzipPackage(new Uint8Array([80, 75, 3, 4, 1, 2]), 'x.zip'),
      'model-mismatch',
      /x\.zip: not a readable \.zip/,
    )
  })
})

import { describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs'
import { explainLoadFailure, selectBackend } from '../../../src/core/engine/backends'
import { lossFunction } from '../../../src/core/engine/train-loop'
import { expectAutoBackend } from './helpers'

describe('backend report', () => {
  it('explains why a backend cannot load, in words a user can act on', () => {
    const notFound = Object.assign(
      new Error("Cannot find package '@tensorflow/tfjs-node-gpu' imported from x"),
      { code: 'ERR_MODULE_NOT_FOUND' },
    )
    expect(explainLoadFailure('tfjs-node-gpu', notFound)).toMatch(
      /^not installed \(@tensorflow\/tfjs-node-gpu is an optional dependency; its install downloads libtensorflow/,
    )
    expect(
      explainLoadFailure(
        'tfjs-node-gpu',
        new Error('libcudart.so.11.0: cannot open shared object file: No such file or directory'),
      ),
    ).toBe(
      'the CUDA libraries are missing (libcudart.so.11.0: cannot open shared object file: No such file or directory): tfjs-node-gpu 4.22 needs CUDA 11.2 and cuDNN 8.1 on the library path',
    )
    expect(
      explainLoadFailure(
        'tfjs-node-gpu',
        new Error('libcudnn.so.8: cannot open shared object file'),
      ),
    ).toMatch(/^cuDNN is missing .*CUDA 11\.2 and cuDNN 8\.1/)
    expect(
      explainLoadFailure(
        'tfjs-node',
        new Error('libtensorflow.so.2: cannot open shared object file'),
      ),
    ).toMatch(/^libtensorflow is missing .*reinstall @tensorflow\/tfjs-node with internet access/)
  })

  it('a forced backend is used, and the others are reported as not tried', async () => {
    const report = await selectBackend('cpu')
    expect(report).toMatchObject({ used: 'cpu', forced: true })
    expect(report.skipped.wasm).toBe('not tried: the backend was set to cpu')
    expect(tf.getBackend()).toBe('cpu')
  })

  it('auto: the first backend that loads, each one before it with its reason', async () => {
    const report = await selectBackend('auto')
    expectAutoBackend(report)
    const order = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu']
    // Skipped: exactly the ones before the one used, in order.
    expect(Object.keys(report.skipped)).toEqual(order.slice(0, order.indexOf(report.used)))
  })
})

describe('losses', () => {
  it("mse, mae and Keras' huber (delta 1) on known values", () => {
    const y = tf.tensor2d([[0], [0], [0]])
    const p = tf.tensor2d([[0.5], [-2], [3]])
    expect(lossFunction('mse')(y, p).dataSync()[0]).toBeCloseTo((0.25 + 4 + 9) / 3, 6)
    expect(lossFunction('mae')(y, p).dataSync()[0]).toBeCloseTo((0.5 + 2 + 3) / 3, 6)
    // huber: 0.5·e² for |e| ≤ 1, |e| − 0.5 beyond
    expect(lossFunction('huber')(y, p).dataSync()[0]).toBeCloseTo((0.125 + 1.5 + 2.5) / 3, 6)
  })
})

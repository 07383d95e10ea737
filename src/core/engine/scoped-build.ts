/**
 * Model construction inside an engine scope: TensorFlow.js' LSTM with `unitForgetBias` (as Keras
 * builds it) creates its bias from three temporary tensors and a concat that nothing frees —
 * four tensors lost per LSTM layer built. Building inside a scope frees what the model does not
 * keep: its weights are variables (never freed by a scope) and the states a stateful layer
 * holds are `keep`-marked by tfjs.
 */
import * as tf from '@tensorflow/tfjs'

export function buildScoped<T>(build: () => T): T {
  const engine = tf.engine()
  engine.startScope('seqcast-build')
  try {
    return build()
  } finally {
    engine.endScope()
  }
}

/**
 * What the engine refuses up front, in the words the UI shows. No TensorFlow.js here: the main
 * process checks a run before it reaches the worker.
 */
import { SeqcastError } from '../../shared/errors'
import type { ExperimentConfig, TrainingConfig } from '../../shared/experiment'
import { isRecurrent, type ModelSpec } from '../../shared/models/spec'
import { summarizeModel } from '../../shared/models/summary'
import { gapAfterWindow } from '../../shared/windows/config'

export interface SpecShape {
  /** Timesteps L and features F of one window. */
  inputShape: [number, number]
  horizon: number
  /** Fixed batch size of a stateful model. */
  batchSize: number | null
}

/** Shapes (via summarizeModel, which names the layer) and stateful constraints. */
export function checkSpec(spec: ModelSpec, options: SpecShape): void {
  const [steps, features] = options.inputShape
  summarizeModel(spec, steps, features, options.horizon)
  const recurrent = spec.layers.filter(isRecurrent)
  if (spec.stateful) {
    if (recurrent.length === 0) {
      throw new SeqcastError(
        'config',
        `Model "${spec.name}" is stateful but has no recurrent layer to carry state. Turn "stateful" off or add an LSTM, GRU or SimpleRNN layer.`,
        { setting: 'stateful' },
      )
    }
    if (recurrent.some((l) => l.bidirectional)) {
      throw new SeqcastError(
        'config',
        `Model "${spec.name}": a stateful model cannot have bidirectional layers (the backward pass would carry state from the future). Turn "stateful" or "bidirectional" off.`,
        { setting: 'stateful' },
      )
    }
    if (!(options.batchSize && options.batchSize >= 1)) {
      throw new SeqcastError('config', 'A stateful model needs a fixed batch size ≥ 1.', {
        setting: 'batchSize',
      })
    }
    if (spec.head.kind === 'recursive') {
      throw new SeqcastError(
        'config',
        `Model "${spec.name}": a recursive roll-out cannot be stateful (every roll-out step would advance the carried state). Use a direct head or turn "stateful" off.`,
        { setting: 'head' },
      )
    }
  }
}

/**
 * A whole run: the spec against the experiment's window and features, and what a recursive
 * roll-out needs (each step appends its prediction as the window's newest row, so the window
 * must be the target alone, every row, with the target right after the window's last row).
 */
export function checkRun(
  spec: ModelSpec,
  experiment: ExperimentConfig,
  training: TrainingConfig,
): void {
  const w = experiment.window
  checkSpec(spec, {
    inputShape: [w.sequenceLength, experiment.features.length],
    horizon: w.horizon,
    batchSize: spec.stateful ? training.batchSize : null,
  })
  if (spec.head.kind === 'recursive') {
    const problems: string[] = []
    if (experiment.features.length !== 1 || experiment.features[0] !== experiment.target) {
      problems.push(
        `the target "${experiment.target}" must be the only feature (features: ${experiment.features.join(', ')})`,
      )
    }
    if (w.samplingRate !== 1) problems.push(`the sampling rate must be 1 (it is ${w.samplingRate})`)
    if (gapAfterWindow(w) !== 1) {
      problems.push(
        `the delay must equal the sequence length, ${w.sequenceLength} (it is ${w.delay}), so the target is the row right after the window`,
      )
    }
    if (problems.length > 0) {
      throw new SeqcastError(
        'config',
        `Model "${spec.name}" rolls a one-step forecast out ${w.horizon} step${w.horizon === 1 ? '' : 's'} by feeding each prediction back as the newest input: ${problems.join('; ')}. Change these settings or use a direct head (Dense(H)).`,
        { setting: 'head', problems },
      )
    }
  }
}

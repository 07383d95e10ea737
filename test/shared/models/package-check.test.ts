import { describe, expect, it } from 'vitest'
import { SeqcastError } from '../../../src/shared/errors'
import { requestSchemas } from '../../../src/shared/ipc/contract'
import { checkModelPackage } from '../../../src/shared/models/package-check'
import { goodWeights as good, manifest, modelJson, weights } from './package-fixture'

function refusal(fn: () => unknown): SeqcastError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(SeqcastError)
    return error as SeqcastError
  }
  throw new Error('expected a refusal')
}

describe('checkModelPackage', () => {
  it('accepts a package whose parts agree, returning the parsed manifest', () => {
    const pkg = checkModelPackage({ manifest, modelJson: modelJson(), weights: good() }, 'm.zip')
    expect(pkg.manifest.inference.inputShape).toEqual([12, 1])
    expect(pkg.weights.byteLength).toBe(52)
  })

  it('refuses NaN or infinite weights, naming the tensor and the count', () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      const values = Array.from({ length: 13 }, (_, i) => i / 10)
      values[3] = bad
      values[7] = bad
      const e = refusal(() =>
        checkModelPackage({ manifest, modelJson: modelJson(), weights: weights(values) }, 'm.zip'),
      )
      expect(e.kind).toBe('model-mismatch')
      expect(e.message).toMatch(/^m\.zip: the model's weights hold NaN or infinite values/)
      expect(e.message).toContain('2 of 12 in "dense_1/kernel"')
    }
    // in the bias (the second tensor, at byte 48): the offset arithmetic is right
    const values = Array.from({ length: 13 }, () => 1)
    values[12] = NaN
    expect(
      refusal(() =>
        checkModelPackage({ manifest, modelJson: modelJson(), weights: weights(values) }, 'm'),
      ).message,
    ).toContain('1 of 1 in "dense_1/bias"')
  })

  it('refuses a seqcast.json that disagrees with model.json: window, features, horizon', () => {
    const steps = refusal(() =>
      checkModelPackage(
        { manifest, modelJson: modelJson([null, 24, 1]), weights: new Uint8Array(24 * 4 + 4) },
        'm',
      ),
    )
    expect(steps.message).toContain('model.json takes windows of 24 rows × 1 feature')
    expect(steps.message).toContain('seqcast.json describes 12 rows')
    expect(steps.details.setting).toBe('sequenceLength')

    const features = refusal(() =>
      checkModelPackage(
        { manifest, modelJson: modelJson([null, 12, 3]), weights: new Uint8Array(36 * 4 + 4) },
        'm',
      ),
    )
    expect(features.message).toContain('12 rows × 3 features')
    expect(features.details.setting).toBe('features')

    const horizon = refusal(() =>
      checkModelPackage(
        {
          manifest,
          modelJson: modelJson([null, 12, 1], 3),
          weights: new Uint8Array(12 * 3 * 4 + 12),
        },
        'm',
      ),
    )
    expect(horizon.message).toContain('model.json gives 3 outputs per window')
    expect(horizon.message).toContain('seqcast.json expects 1')
  })

  it('refuses weights of the wrong size and a manifest that is not one', () => {
    expect(
      refusal(() =>
        checkModelPackage({ manifest, modelJson: modelJson(), weights: new Uint8Array(48) }, 'm'),
      ).message,
    ).toContain('expected 52 bytes of weights')
    expect(
      refusal(() =>
        checkModelPackage(
          { manifest: { format: 'other' }, modelJson: modelJson(), weights: good() },
          'm',
        ),
      ).message,
    ).toMatch(/seqcast\.json.*does not look like a Seqcast manifest/)
  })
})

describe('model packages across the IPC boundary', () => {
  it('are parsed with the real schema, not passed on as records', () => {
    const parsed = requestSchemas['model:zip'].safeParse({
      package: { manifest, modelJson: modelJson(), weights: good() },
    })
    expect(parsed.success).toBe(true)
    // NaN metrics (JSON null in seqcast.json) survive the boundary as NaN
    const withNaN = structuredClone(manifest)
    withNaN.history[0].loss = NaN
    const again = requestSchemas['model:zip'].safeParse({
      package: { manifest: withNaN, modelJson: modelJson(), weights: good() },
    })
    expect(again.success && Number.isNaN(again.data.package.manifest.history[0].loss)).toBe(true)
  })

  it('refuse NaN weights and mismatched parts with the same words as a file', () => {
    const values = Array.from({ length: 13 }, () => NaN)
    for (const channel of ['model:zip', 'model:write-folder', 'model:predict'] as const) {
      const parsed = requestSchemas[channel].safeParse({
        package: { manifest, modelJson: modelJson(), weights: weights(values) },
      })
      expect(parsed.success).toBe(false)
      expect(JSON.stringify(parsed.error?.issues)).toContain("the model's weights hold NaN")
    }
    const manifestless = requestSchemas['model:zip'].safeParse({
      package: { manifest: {}, modelJson: modelJson(), weights: good() },
    })
    expect(manifestless.success).toBe(false)
  })
})

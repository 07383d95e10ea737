import { describe, expect, it } from 'vitest'
import { modelKindLabel } from '../../src/shared/models/kind-label'

describe('modelKindLabel', () => {
  it('calls the weights of the last epoch final, any earlier epoch a best checkpoint', () => {
    expect(modelKindLabel('final', 40, 40)).toBe('final (epoch 40)')
    // A finished run of 40 epochs whose best validation loss was at epoch 3 keeps epoch 3.
    expect(modelKindLabel('final', 3, 40)).toBe('best checkpoint (epoch 3)')
    // Saved while training, or kept from a cancelled run.
    expect(modelKindLabel('checkpoint', 12, 12)).toBe('best checkpoint (epoch 12)')
  })
  it('says only what it knows', () => {
    expect(modelKindLabel('final', 5, null)).toBe('final (epoch 5)')
    expect(modelKindLabel('final', null, null)).toBe('final')
    expect(modelKindLabel('imported', null, 7)).toBe('imported')
  })
})

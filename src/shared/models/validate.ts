import { z } from 'zod'
import { SeqcastError } from '../errors'
import type { ModelSpec } from './spec'

const fraction = z.number().min(0).max(0.95)
const units = z.number().int().min(1).max(4096)
const activation = z.enum(['linear', 'relu', 'tanh', 'sigmoid', 'elu', 'selu'])

const recurrent = z
  .object({
    type: z.enum(['lstm', 'gru', 'simplernn']),
    units,
    returnSequences: z.boolean().optional(),
    dropout: fraction.optional(),
    recurrentDropout: fraction.optional(),
    bidirectional: z.boolean().optional(),
    activation: activation.optional(),
  })
  .strict()

export const layerSpecSchema = z.discriminatedUnion('type', [
  recurrent,
  z.object({ type: z.literal('dense'), units, activation: activation.optional() }).strict(),
  z
    .object({
      type: z.literal('conv1d'),
      filters: units,
      kernelSize: z.number().int().min(1).max(10_000),
      strides: z.number().int().min(1).max(10_000).optional(),
      padding: z.enum(['valid', 'same', 'causal']).optional(),
      activation: activation.optional(),
    })
    .strict(),
  z
    .object({ type: z.literal('maxpool1d'), poolSize: z.number().int().min(1).max(10_000) })
    .strict(),
  z.object({ type: z.literal('globalavgpool1d') }).strict(),
  z.object({ type: z.literal('flatten') }).strict(),
  z.object({ type: z.literal('dropout'), rate: fraction }).strict(),
])

export const modelSpecSchema = z
  .object({
    name: z.string().min(1).max(200),
    preset: z.string().max(100).optional(),
    layers: z.array(layerSpecSchema).max(64),
    head: z.object({ kind: z.enum(['direct', 'recursive', 'every-step']), activation }).strict(),
    stateful: z.boolean(),
    statistical: z
      .object({
        kind: z.enum(['ets', 'arima', 'theta', 'mstl']),
        seasons: z.array(z.number().int().min(2).max(1_000_000)).max(8).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()

/** Turns a zod failure into one sentence per problem: "<where>: expected …, received …". */
export function describeZodError(error: z.ZodError, root: string): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const where = [
        root,
        ...issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)),
      ]
        .join('')
        .replace(/\.\[/g, '[')
      return `${where}: ${issue.message}`
    })
    .join('; ')
}

/** Validates untrusted JSON (a spec file, an IPC payload) as a ModelSpec. */
export function parseModelSpec(value: unknown, source = 'model spec'): ModelSpec {
  const result = modelSpecSchema.safeParse(value)
  if (!result.success) {
    throw new SeqcastError(
      'config',
      `${source} is not a valid model: ${describeZodError(result.error, 'model')}.`,
      {
        issues: result.error.issues,
      },
    )
  }
  return result.data as ModelSpec
}

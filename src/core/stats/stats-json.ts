import { z } from 'zod'
import { SeqcastError } from '../../shared/errors'
import type { FittedStat } from './index'

/**
 * `stats.json` of an exported statistical model: the fitted parameters and the initial state the
 * filter starts from, as plain JSON (numbers round-trip exactly through JSON.stringify).
 */
export const STATS_FILE = 'stats.json'
export const STATS_FORMAT = 1

const num = z.number().finite()
const count = z.number().int().min(0)

const etsSchema = z.object({
  kind: z.literal('ets'),
  spec: z.object({
    error: z.enum(['A', 'M']),
    trend: z.enum(['N', 'A', 'Ad']),
    season: z.enum(['N', 'A', 'M']),
    period: z.number().int().min(1),
  }),
  params: z.object({ alpha: num, beta: num, gamma: num, phi: num }),
  init: z.object({ level: num, slope: num, season: z.array(num) }),
  sigma2: num,
  aicc: z.number(),
  trainRows: count,
})

const orderSchema = z.object({
  p: count,
  d: count,
  q: count,
  P: count,
  D: count,
  Q: count,
  s: count,
})

const arimaSchema = z.object({
  kind: z.literal('arima'),
  order: orderSchema,
  ar: z.array(num),
  ma: z.array(num),
  sar: z.array(num),
  sma: z.array(num),
  mean: num,
  sigma2: num,
  aic: z.number(),
  trainRows: count,
  fitRows: count,
})

const thetaSchema = z.object({
  kind: z.literal('theta'),
  season: z
    .object({
      period: z.number().int().min(2),
      kind: z.enum(['additive', 'multiplicative']),
      index: z.array(num),
    })
    .nullable(),
  alpha: num,
  level0: num,
  drift: num,
  sigma2: num,
  trainRows: count,
})

const mstlSchema = z.object({
  kind: z.literal('mstl'),
  periods: z.array(z.number().int().min(2)),
  profiles: z.array(z.array(num)),
  trend: etsSchema,
  trainRows: count,
})

const fileSchema = z.object({
  format: z.literal(STATS_FORMAT),
  model: z.discriminatedUnion('kind', [etsSchema, arimaSchema, thetaSchema, mstlSchema]),
})

export function statsToJson(model: FittedStat): string {
  return JSON.stringify({ format: STATS_FORMAT, model }, null, 1)
}

export function statsFromJson(text: string, file = STATS_FILE): FittedStat {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (error) {
    throw new SeqcastError(
      'io',
      `${file}: expected JSON, could not parse it (${String(error)}). Export the model again.`,
      {
        file,
      },
    )
  }
  const parsed = fileSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new SeqcastError(
      'model-mismatch',
      `${file}: not a Seqcast statistical model (format ${STATS_FORMAT}): ${issue.path.join('.') || 'file'}: ${issue.message}. Export the model again.`,
      { file, path: issue.path },
    )
  }
  const model = parsed.data.model
  const lengths =
    model.kind === 'ets'
      ? model.spec.season === 'N' || model.init.season.length === model.spec.period
      : model.kind === 'mstl'
        ? model.profiles.length === model.periods.length &&
          model.profiles.every((p, i) => p.length === model.periods[i])
        : model.kind === 'theta'
          ? !model.season || model.season.index.length === model.season.period
          : true
  if (!lengths) {
    throw new SeqcastError(
      'model-mismatch',
      `${file}: the seasonal values do not match the season length. Export the model again.`,
      { file },
    )
  }
  return model as FittedStat
}

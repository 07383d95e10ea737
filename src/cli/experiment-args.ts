/** The experiment options shared by `baseline` and `train`, turned into an ExperimentConfig. */
import { defaultSeasonRows } from '../shared/series/season'
import type { ImportReport } from '../shared/csv'
import type { ExperimentConfig } from '../shared/experiment'
import { parseCalendarSetting } from '../shared/features/calendar'
import { parseTargetTransform } from '../shared/transforms/spec'
import type { Dataset } from '../shared/series/dataset'
import type { NormalizationKind } from '../shared/series/normalize'
import { DEFAULT_SPLIT } from '../shared/series/split'
import {
  intOption,
  listOption,
  splitOption,
  usageError,
  type OptionSpecs,
  type ParsedArgs,
} from './args'

export const experimentOptions: OptionSpecs = {
  target: { type: 'string', value: '<col>', description: 'column to forecast', required: true },
  features: {
    type: 'string',
    value: '<a,b,…>',
    description:
      'input columns (default: every numeric column); a JSON array for names with commas',
  },
  'sequence-length': {
    type: 'string',
    value: '<L>',
    description: 'rows per window',
    required: true,
  },
  'sampling-rate': {
    type: 'string',
    value: '<R>',
    description: 'keep one row in R inside a window (default 1)',
  },
  delay: {
    type: 'string',
    value: '<D>',
    description: 'rows from a window’s start to its target',
    required: true,
  },
  horizon: {
    type: 'string',
    value: '<H>',
    description: 'consecutive target rows from the delay on (default 1)',
  },
  stride: { type: 'string', value: '<S>', description: 'rows between window starts (default 1)' },
  split: {
    type: 'string',
    value: '<train,val>',
    description: 'fractions for training and validation (default 0.5,0.25)',
  },
  normalize: {
    type: 'string',
    value: '<kind>',
    description: 'zscore (default) | minmax | minmax-sym | none',
  },
  season: {
    type: 'string',
    value: '<rows>',
    description: 'season of the seasonal-naive baseline in rows (default from the time axis)',
  },
  transform: {
    type: 'string',
    value: '<kind>',
    description:
      'what window models learn: none | change | seasonal, optionally ",log" (default auto: change when the training target trends or validation leaves its range)',
  },
  calendar: {
    type: 'string',
    value: '<list>',
    description:
      'calendar inputs (UTC): auto (default, by cadence) | none | a list of hour,dow,doy,month',
  },
  'one-hot': {
    type: 'string',
    value: '<col,…>',
    description:
      'text columns of 2–12 labels to one-hot encode as inputs, one 0/1 column per label of the training rows (`inspect` lists them); statistical models ignore them',
  },
}

const NORMALIZATIONS: NormalizationKind[] = ['zscore', 'minmax', 'minmax-sym', 'none']

export function experimentFromArgs(
  options: ParsedArgs['options'],
  dataset: Dataset,
  report: ImportReport | null,
  defaultFeatures: 'numeric' | 'target' = 'numeric',
): ExperimentConfig {
  const target = String(options.target)
  const numeric = dataset.columns.filter((c) => c.kind === 'numeric').map((c) => c.name)
  const features =
    listOption(options, 'features') ?? (defaultFeatures === 'numeric' ? numeric : [target])
  const normalization = (options.normalize ?? 'zscore') as NormalizationKind
  if (!NORMALIZATIONS.includes(normalization)) {
    throw usageError(
      `--normalize: expected one of ${NORMALIZATIONS.join(', ')}, received "${String(options.normalize)}".`,
    )
  }
  const cadence = report?.timeAxis?.cadence ?? null
  const seasonRows =
    options.season !== undefined ? intOption(options, 'season', 1) : defaultSeasonRows(cadence)
  const transformText = options.transform === undefined ? 'auto' : String(options.transform)
  const oneHot = listOption(options, 'one-hot') ?? []
  return {
    target,
    features,
    window: {
      sequenceLength: intOption(options, 'sequence-length', 1),
      samplingRate: intOption(options, 'sampling-rate', 1, 1),
      sequenceStride: intOption(options, 'stride', 1, 1),
      delay: intOption(options, 'delay', 1),
      horizon: intOption(options, 'horizon', 1, 1),
    },
    split: splitOption(options, DEFAULT_SPLIT),
    normalization,
    seasonRows,
    transform:
      transformText.trim().toLowerCase() === 'auto'
        ? 'auto'
        : parseTargetTransform(transformText, seasonRows),
    calendar: parseCalendarSetting(
      options.calendar === undefined ? 'auto' : String(options.calendar),
    ),
    // Categories are fixed when the run is prepared: the labels of the training rows.
    ...(oneHot.length > 0 ? { oneHot: oneHot.map((column) => ({ column, categories: [] })) } : {}),
  }
}

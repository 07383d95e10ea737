/** `--interval <level>` and `--interval-method aci|split|model`, shared by train, compare, predict and backtest. */
import {
  DEFAULT_INTERVALS,
  INTERVAL_METHODS,
  type IntervalMethod,
  type IntervalSettings,
  type RunIntervals,
} from '../shared/forecast/intervals'
import { parseIntervalLevel } from '../shared/intervals'
import type { ForecastIntervals } from '../shared/run'
import { usageError, type OptionSpecs, type ParsedArgs } from './args'

export const intervalLevelOption: OptionSpecs = {
  interval: {
    type: 'string',
    value: '<level>',
    description: 'prediction interval level, e.g. 90 or 0.9 (default 90 %)',
  },
}

export const intervalOptions: OptionSpecs = {
  ...intervalLevelOption,
  'interval-method': {
    type: 'string',
    value: '<method>',
    description:
      "aci (default: adaptive conformal, adapted along the test split as its actuals arrive) | split (split conformal from the validation residuals) | model (a statistical model's own)",
  },
}

/** The conformal methods, which work for every model (compare and backtest mix families). */
export const CONFORMAL_METHODS: readonly IntervalMethod[] = ['aci', 'split']

/** compare's `--interval` and `--interval-method`: conformal only (its set mixes families). */
export const conformalIntervalOptions: OptionSpecs = {
  ...intervalLevelOption,
  'interval-method': {
    type: 'string',
    value: '<method>',
    description:
      'aci (default: adaptive conformal, adapted along the test split as its actuals arrive) | split (split conformal from the validation residuals)',
  },
}

/** backtest's `--interval-method`: the conformal methods (folds carry no model variance). */
export const backtestIntervalOptions: OptionSpecs = {
  ...intervalLevelOption,
  'interval-method': {
    type: 'string',
    value: '<method>',
    description:
      "aci (default: adapted along each fold's block as its actuals arrive) | split (the held-out half-widths unchanged)",
  },
}

/** The level given with --interval, or undefined. */
export function intervalLevelFromArgs(options: ParsedArgs['options']): number | undefined {
  return options.interval === undefined ? undefined : parseIntervalLevel(String(options.interval))
}

export function intervalsFromArgs(
  options: ParsedArgs['options'],
  methods: readonly IntervalMethod[] = INTERVAL_METHODS,
): IntervalSettings {
  const method = (options['interval-method'] ?? DEFAULT_INTERVALS.method) as IntervalMethod
  if (!methods.includes(method)) {
    throw usageError(
      `--interval-method: expected one of ${methods.join(', ')}, received "${String(method)}".`,
      { option: 'interval-method' },
    )
  }
  return { level: intervalLevelFromArgs(options) ?? DEFAULT_INTERVALS.level, method }
}

const finite = (x: number) => (Number.isFinite(x) ? x : null)

/** metrics.json's `intervals`: level, method, half-widths per step, coverage and width per split. */
export function runIntervalsJson(i: RunIntervals | null) {
  if (!i) return null
  return {
    level: i.level,
    method: i.method,
    scale: i.scale ?? 'absolute',
    radius: i.radius,
    samples: i.samples,
    futureRadius: i.futureRadius,
    ...Object.fromEntries(
      Object.entries(i.coverage).map(([split, c]) => [
        split,
        {
          coverage: finite(c.coverage),
          width: finite(c.width),
          n: c.n,
          unbounded: c.unbounded ?? null,
        },
      ]),
    ),
    note: i.note,
  }
}

export function forecastIntervalsJson(i: ForecastIntervals | null | undefined) {
  if (!i) return null
  return {
    level: i.level,
    method: i.method,
    radius: i.radius,
    coverage: i.coverage ? finite(i.coverage.coverage) : null,
    width: i.coverage ? finite(i.coverage.width) : null,
    n: i.coverage?.n ?? 0,
    unbounded: i.coverage?.unbounded ?? null,
  }
}

/**
 * Run names that say what differs: "LSTM(16) · L 24 · change" next to "LSTM(16) · L 48 ·
 * change", rather than "#3 LSTM(16) → T (degC)" with a number that restarts per dataset and
 * says nothing. The name is the model, then each setting whose value is not the same in every
 * run of the dataset (this one and the ones before it). Pure; the Experiment view names a new
 * run with it, and the person may rename it.
 */
import type { RunConfig } from '../experiment'
import { NORMALIZATION_LABEL, OPTIMIZER_LABEL } from '../format/labels'

/** One setting as a short label, in the order names list them. */
interface Facet {
  key: string
  label: string
}

function transformLabel(config: RunConfig): string {
  const t = config.experiment.transform
  if (t === undefined) return 'levels'
  if (t === 'auto') return 'auto transform'
  const base =
    t.kind === 'none'
      ? 'levels'
      : t.kind === 'seasonal'
        ? `seasonal ${t.seasonRows ?? ''}`.trim()
        : t.kind
  return t.log ? `log ${base}` : base
}

function calendarLabel(config: RunConfig): string {
  const c = config.experiment.calendar
  if (c === undefined || c === 'none' || (Array.isArray(c) && c.length === 0)) return 'no calendar'
  if (c === 'auto') return 'auto calendar'
  return `calendar ${c.join('+')}`
}

function oneHotLabel(config: RunConfig): string {
  const columns = (config.experiment.oneHot ?? []).map((s) => s.column)
  return columns.length ? `one-hot ${columns.join('+')}` : 'no one-hot'
}

/** The settings a name may mention, each as it would be written in the name. */
export function runFacets(config: RunConfig): Facet[] {
  const { experiment: x, model, training: t } = config
  const w = x.window
  const features =
    x.features.length === 1 && x.features[0] === x.target
      ? 'target only'
      : `${x.features.length} features`
  return [
    { key: 'target', label: `→ ${x.target}` },
    { key: 'L', label: `L ${w.sequenceLength}` },
    { key: 'R', label: `R ${w.samplingRate}` },
    { key: 'delay', label: `delay ${w.delay}` },
    { key: 'H', label: `H ${w.horizon}` },
    { key: 'stride', label: `stride ${w.sequenceStride}` },
    { key: 'features', label: features },
    { key: 'transform', label: transformLabel(config) },
    { key: 'calendar', label: calendarLabel(config) },
    { key: 'oneHot', label: oneHotLabel(config) },
    { key: 'normalization', label: NORMALIZATION_LABEL[x.normalization] ?? x.normalization },
    { key: 'optimizer', label: `${OPTIMIZER_LABEL[t.optimizer] ?? t.optimizer} ${t.learningRate}` },
    { key: 'batch', label: `batch ${t.batchSize}` },
    { key: 'epochs', label: `${t.epochs} epochs` },
    { key: 'stateful', label: model.stateful ? 'stateful' : 'stateless' },
    { key: 'head', label: model.head.kind === 'recursive' ? 'recursive' : 'direct' },
  ]
}

/**
 * The name of a new run with `config`, given the configs of the dataset's earlier runs (any
 * order). The first run of a dataset is "model → target"; later ones name the model and every
 * setting that is not the same across all of the runs. A run that repeats an earlier one's
 * settings exactly gets " (2)", " (3)", … so names stay apart.
 */
export function runName(
  config: RunConfig,
  previous: RunConfig[],
  existingNames: string[] = [],
): string {
  const mine = runFacets(config)
  const others = previous.map(runFacets)
  const differs = mine.filter((f, i) => others.some((o) => o[i].label !== f.label))
  // Nothing differs (the first run, or a repeat): the model and its target.
  const name = differs.length
    ? [config.model.name, ...differs.map((f) => f.label)].join(' · ')
    : `${config.model.name} ${mine[0].label}`
  if (!existingNames.includes(name)) return name
  for (let n = 2; ; n++) {
    const candidate = `${name} (${n})`
    if (!existingNames.includes(candidate)) return candidate
  }
}

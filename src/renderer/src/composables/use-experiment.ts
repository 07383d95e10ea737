/**
 * The experiment draft of the current dataset: loaded from Dexie (or a default), saved as the
 * user edits, and previewed live with the shared pure functions (no IPC): sample counts per
 * split, baselines, the window description, the model summary, a memory estimate.
 */
import { computed, effectScope, reactive, ref, shallowRef, watch } from 'vue'
import { toErrorInfo, type ErrorInfo } from '@shared/errors'
import { parseRunConfig, type RunConfig } from '@shared/experiment'
import { summarizeModel, type ModelSummary } from '@shared/models'
import { seasonSuggestionText } from '@shared/models/statistical'
import { prepareExperiment, type PreparedExperiment } from '@shared/prepare'
import { suggestSeasons } from '@shared/seasonality/suggest'
import { analyzeTimeAxis } from '@shared/series/time-axis'
import { describeWindow, type WindowDescription } from '@shared/windows/describe'
import { experimentWindows, type ExperimentWindows } from '@shared/windows/experiment'
import { draftKey, getSetting, putSetting } from '../db'
import {
  defaultDraft,
  memoryEstimate,
  runConfigOf,
  upgradeDraft,
  type Draft,
  type MemoryEstimate,
} from '../lib/experiment'
import { useNotices } from './use-notices'
import { useWorkspace } from './use-workspace'

/**
 * A plain deep copy of reactive state (no proxies at any depth, so it can be stored and
 * validated). It reads through the proxies, so a computed or watcher using it tracks every
 * field; unlike a JSON round trip it keeps NaN, the value of an emptied number field.
 */
function clone<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => clone(v)) as T
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = clone(v)
    return out as T
  }
  return value
}

function attempt<T>(fn: () => T): { value: T | null; error: ErrorInfo | null } {
  try {
    return { value: fn(), error: null }
  } catch (e) {
    return { value: null, error: toErrorInfo(e) }
  }
}

function create() {
  const workspace = useWorkspace()
  const { error: report } = useNotices()
  const draft = ref<Draft | null>(null)
  const draftFor = ref<string | null>(null)

  const cadence = computed(() => {
    const d = workspace.dataset.value
    if (!d) return null
    const axis = analyzeTimeAxis(d)
    return axis?.cadence ?? null
  })

  // Load the draft of each dataset once its columns are loaded.
  watch(
    () => [workspace.dataset.value, workspace.datasetId.value] as const,
    async ([dataset, id]) => {
      // Another dataset was opened: its draft replaces this one only once its columns have
      // loaded, so the old draft must not stay on screen meanwhile. It did (issue #12 item
      // 7a): a target picked during the load went into the previous dataset's draft, and the
      // new dataset's draft then replaced it, so the run trained on its default target.
      if (draftFor.value !== id) {
        draft.value = null
        draftFor.value = null
      }
      if (!dataset || !id) return
      if (draftFor.value === id && draft.value) return
      const saved = await getSetting<Draft>(draftKey(id)).catch(() => undefined)
      if (workspace.datasetId.value !== id) return
      draft.value = reactive(
        saved ? upgradeDraft(saved) : defaultDraft(dataset, cadence.value),
      ) as Draft
      draftFor.value = id
    },
    { immediate: true },
  )

  let saveTimer: ReturnType<typeof setTimeout> | null = null
  watch(
    draft,
    (d) => {
      if (!d || !draftFor.value) return
      const key = draftKey(draftFor.value)
      if (saveTimer) clearTimeout(saveTimer)
      saveTimer = setTimeout(() => {
        putSetting(key, clone(d)).catch((e) => report(e, 'Could not save the experiment draft'))
      }, 300)
    },
    { deep: true },
  )

  /** Live preview; recomputed when the draft or the data change. */
  const prepared = shallowRef<{ value: PreparedExperiment | null; error: ErrorInfo | null }>({
    value: null,
    error: null,
  })
  watch(
    () => [workspace.dataset.value, draft.value?.experiment, draft.value?.model.head.kind] as const,
    ([dataset, experiment, head]) => {
      if (!dataset || !experiment) {
        prepared.value = { value: null, error: null }
        return
      }
      const config = clone(experiment)
      prepared.value = attempt(() =>
        prepareExperiment(dataset, config, { recursive: head === 'recursive' }),
      )
    },
    { immediate: true, deep: true },
  )

  /** Seasons found in the training rows of the target (what the statistical models would use). */
  const seasonSuggestion = computed<string | null>(() => {
    const p = prepared.value.value
    if (!p) return null
    const train = p.target.subarray(0, p.windows.ranges.train.end)
    return seasonSuggestionText(suggestSeasons(train, cadence.value))
  })

  /**
   * Windows per split on their own (Keras' counts), shown even when the experiment as a whole
   * does not validate yet, e.g. a split that gets no window: the counts say which one.
   */
  const windows = computed<ExperimentWindows | null>(() => {
    const d = draft.value
    const dataset = workspace.dataset.value
    if (!d || !dataset) return null
    const config = clone(d.experiment)
    return attempt(() => experimentWindows(dataset.rowCount, config.window, config.split)).value
  })

  const description = computed<WindowDescription | null>(() => {
    const d = draft.value
    if (!d) return null
    return attempt(() => describeWindow(d.experiment.window, cadence.value)).value
  })

  const summary = computed<{ value: ModelSummary | null; error: ErrorInfo | null }>(() => {
    const d = draft.value
    // A statistical model has no layers to summarize.
    if (!d || d.model.statistical) return { value: null, error: null }
    const w = d.experiment.window
    // Inputs: the features and the calendar columns the experiment resolved to.
    const inputs = prepared.value.value?.features.length ?? d.experiment.features.length
    return attempt(() => summarizeModel(d.model, w.sequenceLength, inputs, w.horizon))
  })

  const memory = computed<MemoryEstimate | null>(() => {
    const d = draft.value
    const p = prepared.value.value
    if (!d || !p) return null
    return memoryEstimate(d, p.rowCount, p.sampleCounts, summary.value.value, p.features.length)
  })

  /**
   * The validated run config, or the first problem that stops a run from starting (see
   * `runConfigOf`: the training service's own checks).
   */
  const runConfig = computed<{ value: RunConfig | null; error: ErrorInfo | null }>(() => {
    const d = draft.value
    const p = prepared.value
    if (!d) return { value: null, error: null }
    if (p.error) return { value: null, error: p.error }
    if (summary.value.error) return { value: null, error: summary.value.error }
    // Checked with what 'auto' resolved to (the preview's transform and calendar), as the
    // training service checks it.
    const resolved = p.value ? { ...clone(d), experiment: p.value.config } : clone(d)
    return attempt(() => runConfigOf(resolved, p.value?.sampleCounts.train))
  })

  /**
   * The settings as the person left them ('auto' transform and calendar kept), for the engine:
   * it resolves 'auto' itself, on the same rows as the preview, and says why ("Change: 17.9 % of
   * the validation values lie outside…"). Sent resolved, every run read "Transform: none (as
   * set)" though nobody set it. Null when the draft does not make a run (runConfig says why).
   */
  function requestedConfig(): RunConfig | null {
    const d = draft.value
    return d && runConfig.value.value ? parseRunConfig(clone(d)) : null
  }

  /** Takes another run's settings as the draft ("Duplicate settings" in the Library). */
  function adopt(settings: Draft): void {
    draft.value = reactive(upgradeDraft(clone(settings))) as Draft
    draftFor.value = workspace.datasetId.value
  }

  function reset(): void {
    const dataset = workspace.dataset.value
    if (dataset) draft.value = reactive(defaultDraft(dataset, cadence.value)) as Draft
  }

  return {
    draft,
    requestedConfig,
    cadence,
    prepared,
    seasonSuggestion,
    windows,
    description,
    summary,
    memory,
    runConfig,
    reset,
    adopt,
  }
}

let instance: ReturnType<typeof create> | null = null

export function useExperiment(): ReturnType<typeof create> {
  if (!instance) instance = effectScope(true).run(create)!
  return instance
}

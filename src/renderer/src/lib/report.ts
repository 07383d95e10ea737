/**
 * A short, self-contained HTML report of a run: settings, metrics against the baselines, and the
 * training curves as inline SVG (no scripts, no remote content). Pure: unit-tested in node.
 */
import { statisticalSeasons } from '@shared/models/statistical'
import { niceTicks } from './nice'
import { finiteExtent } from '@shared/series/extent'
import { resolvedInputNames } from '@shared/features/inputs'
import { formatTargetTransform } from '@shared/transforms/spec'
import { describeWindow } from '@shared/windows/describe'
import { summarizeModel } from '@shared/models'
import type { Metrics } from '@shared/metrics'
import type { EpochRecord, Forecast, FutureForecast } from '@shared/run'
import {
  DEFAULT_TIME_STYLE,
  LOSS_LABEL,
  NORMALIZATION_LABEL,
  OPTIMIZER_LABEL,
  STOP_REASON_LABEL,
  formatCount,
  formatSeconds,
  formatTimestamp,
  type TimeStyle,
} from '@shared/format'
import type { RunRecord } from '../db'
import { escapeHtml, formatStyled, metric, numberStyle, when } from './format'
import { bandName, bandSvg, bandValues, intervalsSection, type BandPoint } from './report-intervals'

const esc = escapeHtml

/** Polyline SVG of several series over epochs; NaN / null points are skipped. */
export function curvesSvg(
  history: EpochRecord[],
  series: { key: 'loss' | 'valLoss' | 'valMae'; label: string; color: string }[],
  width = 640,
  height = 240,
): string {
  const pad = { l: 56, r: 16, t: 16, b: 32 }
  const values = series
    .flatMap((s) => history.map((e) => e[s.key]))
    .filter((v): v is number => typeof v === 'number' && Number.isFinite(v))
  if (history.length === 0 || values.length === 0) return '<p>No finished epochs.</p>'
  let { min: lo, max: hi } = finiteExtent(values)!
  if (hi === lo) {
    hi += 1
    lo -= 1
  }
  const epochs = history.map((e) => e.epoch)
  const { min: e0, max: e1 } = finiteExtent(epochs)!
  const x = (e: number) =>
    pad.l + (e1 === e0 ? 0.5 : (e - e0) / (e1 - e0)) * (width - pad.l - pad.r)
  const y = (v: number) =>
    Math.round((pad.t + (1 - (v - lo) / (hi - lo)) * (height - pad.t - pad.b)) * 10) / 10
  const lines = series
    .map((s) => {
      const pts = history
        .filter((e) => typeof e[s.key] === 'number' && Number.isFinite(e[s.key] as number))
        .map((e) => `${x(e.epoch).toFixed(1)},${y(e[s.key] as number).toFixed(1)}`)
      if (pts.length === 0) return ''
      const dots = pts
        .map(
          (p) =>
            `<circle cx="${p.split(',')[0]}" cy="${p.split(',')[1]}" r="2.5" fill="${s.color}"/>`,
        )
        .join('')
      return `<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${pts.join(' ')}"/>${dots}`
    })
    .join('')
  // Round values inside the range, not its odd ends and middle.
  const ticks = niceTicks(lo, hi)
    .map(
      (v) =>
        `<text x="${pad.l - 6}" y="${y(v) + 4}" text-anchor="end" font-size="11" fill="#475569">${esc(metric(v, 3))}</text>`,
    )
    .join('')
  // The first label starts at its tick and the last ends at its tick: neither is clipped.
  const xt = [...new Set([e0, e1])]
    .map(
      (e, i, all) =>
        `<text x="${x(e)}" y="${height - 10}" text-anchor="${all.length === 1 ? 'middle' : i === 0 ? 'start' : 'end'}" font-size="11" fill="#475569">epoch ${e}</text>`,
    )
    .join('')
  const legend = series
    .map(
      (s, i) =>
        `<text x="${pad.l + 8 + i * 120}" y="${pad.t + 4}" font-size="11" fill="${s.color}">■ ${esc(s.label)}</text>`,
    )
    .join('')
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">` +
    `<rect x="${pad.l}" y="${pad.t}" width="${width - pad.l - pad.r}" height="${height - pad.t - pad.b}" fill="none" stroke="#e2e8f0"/>` +
    lines +
    ticks +
    xt +
    legend +
    '</svg>'
  )
}

const METRIC_KEYS = ['mae', 'rmse', 'mape', 'smape', 'mase'] as const

/**
 * A split's metrics table body: each column in one number style over its rows (as the app's
 * MetricsTable), so "2.63" never stands under "2.576", nor "11.3" under "11.45".
 */
function metricsRows(rows: [label: string, m: Metrics | undefined][]): string {
  const shown = rows.filter((r): r is [string, Metrics] => r[1] !== undefined)
  const styles = METRIC_KEYS.map((k) =>
    numberStyle(
      shown.map(([, m]) => m[k]),
      5,
    ),
  )
  return shown
    .map(
      ([label, m]) =>
        `<tr><th>${esc(label)}</th>${METRIC_KEYS.map((k, j) => `<td>${formatStyled(m[k], styles[j])}</td>`).join('')}<td>${formatCount(m.n)}</td></tr>`,
    )
    .join('')
}

/**
 * Actual and predicted (first horizon step) over the test split, then the future, as inline SVG;
 * the x axis in the dataset's time style (rows without a time axis). A future of a few points
 * (FUTURE_MARKERS or fewer; one step ahead is a single point, which a line cannot show) is drawn
 * as markers with its interval as error bars; a longer one as a line over its own band.
 */
/** Futures of at most this many points are drawn as markers with error bars. */
export const FUTURE_MARKERS = 12

export function forecastSvg(
  test: Forecast | undefined,
  future: FutureForecast | null,
  timeStyle: TimeStyle | null,
  width = 760,
  height = 260,
  /** What the band is, e.g. "90 % split conformal interval". */
  bandLabel?: string,
): string {
  const pad = { l: 64, r: 16, t: 24, b: 34 }
  const pts: { x: number; actual: number; predicted: number }[] = []
  const band: BandPoint[] = []
  const xOf = (
    f: { timestamps: Float64Array | null; rowIndex: Int32Array },
    i: number,
    k: number,
  ) => (f.timestamps && f.timestamps.length > i ? f.timestamps[i] : (f.rowIndex[k] ?? k))
  if (test) {
    const H = test.horizon
    for (let k = 0; k * H < test.predicted.length; k++) {
      const i = k * H
      const x = xOf(test, i, test.rowIndex.length === test.predicted.length ? i : k)
      pts.push({ x, actual: test.actual[i], predicted: test.predicted[i] })
      if (test.lower && test.upper) band.push({ x, lower: test.lower[i], upper: test.upper[i] })
    }
  }
  const fut: { x: number; predicted: number }[] = []
  // The future's band apart from the test's: the two do not join across the gap between them.
  const futureBand: BandPoint[] = []
  if (future)
    for (let i = 0; i < future.predicted.length; i++) {
      fut.push({ x: xOf(future, i, i), predicted: future.predicted[i] })
      if (future.lower && future.upper)
        futureBand.push({ x: xOf(future, i, i), lower: future.lower[i], upper: future.upper[i] })
    }
  const markers = fut.length > 0 && fut.length <= FUTURE_MARKERS
  const all = [
    ...pts.flatMap((p) => [p.actual, p.predicted]),
    ...fut.map((p) => p.predicted),
    ...bandValues(band),
    ...bandValues(futureBand),
  ].filter(Number.isFinite)
  const xs = [...pts.map((p) => p.x), ...fut.map((p) => p.x)].filter(Number.isFinite)
  if (all.length === 0 || xs.length < 2) return '<p>No test forecasts to draw.</p>'
  let { min: lo, max: hi } = finiteExtent(all)!
  if (hi === lo) {
    hi += 1
    lo -= 1
  }
  const { min: x0, max: x1 } = finiteExtent(xs)!
  const X = (v: number) =>
    (pad.l + ((v - x0) / (x1 - x0 || 1)) * (width - pad.l - pad.r)).toFixed(1)
  const Y = (v: number) =>
    (pad.t + (1 - (v - lo) / (hi - lo)) * (height - pad.t - pad.b)).toFixed(1)
  // An unbounded side of a band or an error bar runs to the frame.
  const yClamped = (v: number) => (v === Infinity ? Y(hi) : v === -Infinity ? Y(lo) : Y(v))
  const line = (data: { x: number; y: number }[], color: string) => {
    const p = data.filter((d) => Number.isFinite(d.y)).map((d) => `${X(d.x)},${Y(d.y)}`)
    return p.length
      ? `<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${p.join(' ')}"/>`
      : ''
  }
  const label = (v: number) => (timeStyle ? formatTimestamp(v, timeStyle) : `row ${formatCount(v)}`)
  const yt = niceTicks(lo, hi)
    .map(
      (v) =>
        `<text x="${pad.l - 6}" y="${Number(Y(v)) + 4}" text-anchor="end" font-size="11" fill="#475569">${esc(metric(v, 3))}</text>`,
    )
    .join('')
  const xt =
    `<text x="${pad.l}" y="${height - 10}" text-anchor="start" font-size="11" fill="#475569">${esc(label(x0))}</text>` +
    `<text x="${width - pad.r}" y="${height - 10}" text-anchor="end" font-size="11" fill="#475569">${esc(label(x1))}</text>`
  const legend =
    `<text x="${pad.l + 8}" y="${pad.t - 8}" font-size="11" fill="#334155">■ actual</text>` +
    `<text x="${pad.l + 88}" y="${pad.t - 8}" font-size="11" fill="#2563eb">■ predicted (test)</text>` +
    (fut.length
      ? `<text x="${pad.l + 220}" y="${pad.t - 8}" font-size="11" fill="#d97706">■ forecast after the data</text>`
      : '') +
    (band.length || futureBand.length
      ? `<text x="${pad.l + 400}" y="${pad.t - 8}" font-size="11" fill="#2563eb" fill-opacity="0.6">■ ${esc(bandLabel ?? 'interval')}</text>`
      : '')
  const futureMarks = markers
    ? fut
        .map((p, i) => {
          const b = futureBand[i]
          const bar =
            b && !Number.isNaN(b.lower) && !Number.isNaN(b.upper)
              ? `<line class="error-bar" x1="${X(p.x)}" x2="${X(p.x)}" y1="${yClamped(b.upper)}" y2="${yClamped(b.lower)}" stroke="#d97706" stroke-width="1.5"/>` +
                [b.upper, b.lower]
                  .map(
                    (v) =>
                      `<line class="error-cap" x1="${(Number(X(p.x)) - 4).toFixed(1)}" x2="${(Number(X(p.x)) + 4).toFixed(1)}" y1="${yClamped(v)}" y2="${yClamped(v)}" stroke="#d97706" stroke-width="1.5"/>`,
                  )
                  .join('')
              : ''
          const dot = Number.isFinite(p.predicted)
            ? `<circle class="future-marker" cx="${X(p.x)}" cy="${Y(p.predicted)}" r="3.5" fill="#d97706"/>`
            : ''
          return bar + dot
        })
        .join('')
    : ''
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="Forecast">` +
    `<rect x="${pad.l}" y="${pad.t}" width="${width - pad.l - pad.r}" height="${height - pad.t - pad.b}" fill="none" stroke="#e2e8f0"/>` +
    bandSvg(band, X, yClamped, '#2563eb') +
    (markers ? '' : bandSvg(futureBand, X, yClamped, '#2563eb')) +
    line(
      pts.map((p) => ({ x: p.x, y: p.actual })),
      '#334155',
    ) +
    line(
      pts.map((p) => ({ x: p.x, y: p.predicted })),
      '#2563eb',
    ) +
    line(
      fut.map((p) => ({ x: p.x, y: p.predicted })),
      '#d97706',
    ) +
    futureMarks +
    yt +
    xt +
    legend +
    '</svg>'
  )
}

export function runReportHtml(
  run: RunRecord,
  cadence: { ms: number; months?: number; perYear?: number } | null = null,
  timeStyle: TimeStyle = DEFAULT_TIME_STYLE,
  forecasts: {
    splits: Partial<Record<'train' | 'val' | 'test', Forecast>>
    future: FutureForecast | null
  } | null = null,
): string {
  const hasTime = !!forecasts?.splits.test?.timestamps || !!forecasts?.future?.timestamps
  const { experiment: x, model, training: t } = run.config
  const w = x.window
  const result = run.result
  const baselines = result?.baselines ?? run.baselines
  const window = describeWindow(w, cadence)
  // A statistical model reads the target alone: it has no input columns to list.
  const inputNames = model.statistical ? null : resolvedInputNames(x)
  // ETS, ARIMA, Theta, MSTL: no layers, epochs, optimizer, normalization, transform or calendar
  // to report (the report showed a layer error, "Epochs 10 (ran 0 …)" and "No finished epochs").
  const stat = model.statistical
  let layers = ''
  if (!stat)
    try {
      // Inputs: the features and, in a run's resolved config, the calendar and one-hot columns.
      const inputs = (inputNames ?? x.features).length
      const s = summarizeModel(model, w.sequenceLength, inputs, w.horizon)
      layers =
        s.layers
          .map(
            (l) =>
              `<tr><td>${esc(l.label)}</td><td>${esc(l.outputShape.join(' × '))}</td><td>${l.params.toLocaleString('en-US')}</td><td>${esc(l.formula ?? '')}</td></tr>`,
          )
          .join('') +
        `<tr><th>Total</th><td></td><th>${s.totalParams.toLocaleString('en-US')}</th><td></td></tr>`
    } catch (e) {
      layers = `<tr><td colspan="4">${esc((e as Error).message)}</td></tr>`
    }
  const seasons = stat ? statisticalSeasons(model, x.seasonRows) : []
  const modelSection = stat
    ? `<table><tr><th>Kind</th><td>${esc(stat.kind.toUpperCase())}: forecasts the target from its own past</td></tr><tr><th>Seasons</th><td>${seasons.length ? esc(seasons.map((m) => `${formatCount(m)} rows`).join(', ')) : 'none'}</td></tr></table>`
    : `<table><tr><th>Layer</th><th>Output</th><th>Parameters</th><th>g·(n·(n+i)+n)</th></tr>${layers}</table>`
  const trainingRows = stat
    ? ''
    : `<tr><th>Epochs</th><td>${t.epochs}${result ? ` (ran ${result.history.length}, best ${result.bestEpoch ?? '—'}, ${esc(STOP_REASON_LABEL[result.stopReason] ?? result.stopReason)})` : ''}</td></tr>
<tr><th>Batch size</th><td>${t.batchSize}</td></tr>
<tr><th>Optimizer</th><td>${esc(OPTIMIZER_LABEL[t.optimizer] ?? t.optimizer)}, learning rate ${t.learningRate}${t.decay ? `, decay ${t.decay}` : ''}; loss ${esc(LOSS_LABEL[t.loss] ?? t.loss)}</td></tr>
<tr><th>Early stopping</th><td>${t.earlyStopping ? `patience ${t.earlyStopping.patience}` : 'off'}</td></tr>`
  const windowInputs = stat
    ? ''
    : `<tr><th>Normalization</th><td>${esc(NORMALIZATION_LABEL[x.normalization] ?? x.normalization)}</td></tr>
<tr><th>Target transform</th><td>${esc(x.transform === undefined ? 'none' : typeof x.transform === 'string' ? x.transform : formatTargetTransform(x.transform))}</td></tr>
<tr><th>Calendar features (UTC)</th><td>${esc(Array.isArray(x.calendar) ? x.calendar.join(', ') || 'none' : (x.calendar ?? 'none'))}</td></tr>
<tr><th>One-hot (text columns)</th><td>${esc((x.oneHot ?? []).map((s) => `${s.column}: ${s.categories.join(', ') || 'labels of the training rows'}`).join('; ') || 'none')}</td></tr>`
  const curves = stat
    ? ''
    : `<h2>Curves</h2>
<p class="muted">Loss in normalized units; validation MAE in the target's units${baselines?.naive.val ? ` (naive validation MAE ${metric(baselines.naive.val.mae)})` : ''}.</p>
${curvesSvg(run.history, [
  { key: 'loss', label: 'loss', color: '#2563eb' },
  { key: 'valLoss', label: 'val loss', color: '#dc2626' },
])}
${curvesSvg(run.history, [{ key: 'valMae', label: 'val MAE', color: '#059669' }])}`
  const splitSection = (split: 'val' | 'test', label: string) => {
    const rows = metricsRows([
      ['Model', result?.metrics[split]],
      ['Naive', baselines?.naive[split]],
      ['Seasonal naive', baselines?.['seasonal-naive']?.[split]],
      ['Training mean', baselines?.mean[split]],
    ])
    if (!rows) return ''
    const cmp = result?.comparison[split]
    const text = [cmp?.naive?.text, cmp?.['seasonal-naive']?.text].filter(Boolean).join('; ')
    return `<h3>${label}</h3><table><tr><th></th><th>MAE</th><th>RMSE</th><th>MAPE %</th><th>sMAPE %</th><th>MASE</th><th>n</th></tr>${rows}</table>${text ? `<p>Model ${esc(text)}.</p>` : ''}`
  }
  const stop = result?.stopMessage ? `<p>${esc(result.stopMessage)}</p>` : ''
  const backend = run.backend
    ? `${esc(run.backend.used)}${run.backend.routed ? ` (${esc(run.backend.routed)})` : ''}`
    : '—'
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(run.name)} — Seqcast run report</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;color:#0f172a;max-width:860px;margin:32px auto;padding:0 16px}
h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #e2e8f0;padding-bottom:4px}h3{font-size:14px;margin:16px 0 6px}
table{border-collapse:collapse;margin:6px 0}td,th{padding:4px 10px;border-bottom:1px solid #e2e8f0;text-align:left;font-variant-numeric:tabular-nums}
.muted{color:#64748b}
</style></head><body>
<h1>${esc(run.name)}</h1>
<p class="muted">Dataset ${esc(run.datasetName)} · status ${esc(run.status)} · started ${esc(when(run.createdAt))}${run.finishedAt ? ` · finished ${esc(when(run.finishedAt))}` : ''}</p>
${stop}
<h2>Experiment</h2>
<table>
<tr><th>Target</th><td>${esc(x.target)}</td></tr>
${stat ? `<tr><th>Reads</th><td>${esc(x.target)} alone</td></tr>` : `<tr><th>Features (${x.features.length})</th><td>${esc(x.features.join(', '))}</td></tr>`}
<tr><th>Windows</th><td>sequence length ${formatCount(w.sequenceLength)}, sampling rate ${formatCount(w.samplingRate)}, stride ${formatCount(w.sequenceStride)}, delay ${formatCount(w.delay)}, horizon ${formatCount(w.horizon)}</td></tr>
<tr><th></th><td>${esc(window.text)}</td></tr>
<tr><th>Split</th><td>train ${x.split.train}, validation ${x.split.val}, test the rest — ${formatCount(run.sampleCounts.train)} / ${formatCount(run.sampleCounts.val)} / ${formatCount(run.sampleCounts.test)} samples</td></tr>
<tr><th>Season (seasonal naive)</th><td>${x.seasonRows === null ? 'none' : `${x.seasonRows} rows`}</td></tr>
${windowInputs}
${inputNames ? `<tr><th>Inputs per window row (${inputNames.length})</th><td>${esc(inputNames.join(', '))}</td></tr>` : ''}
${(result?.choices ?? []).map((c) => `<tr><th></th><td>${esc(c)}</td></tr>`).join('')}
</table>
${(result?.warnings ?? []).map((w) => `<p><strong>Warning:</strong> ${esc(w)}</p>`).join('\n')}
<h2>Model: ${esc(model.name)}${model.stateful ? ' (stateful)' : ''}</h2>
${modelSection}
<h2>${stat ? 'Fit' : 'Training'}</h2>
<table>
${trainingRows}
<tr><th>Backend</th><td>${backend}</td></tr>
${result ? `<tr><th>Time</th><td>${formatSeconds(result.seconds)}</td></tr>` : ''}
</table>
<h2>Metrics against the baselines</h2>
${splitSection('val', 'Validation') + splitSection('test', 'Test') || '<p>No metrics (the run did not finish evaluating).</p>'}
<h2>Forecast</h2>
${forecasts ? forecastSvg(forecasts.splits.test, forecasts.future, hasTime ? timeStyle : null, undefined, undefined, bandName(result?.intervals)) : '<p>No forecasts saved for this run.</p>'}
${intervalsSection(result?.intervals)}
${curves}
<p class="muted">Written by Seqcast.</p>
</body></html>
`
}

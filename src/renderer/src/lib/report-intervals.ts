/**
 * The interval parts of the HTML run report (report.ts): the band drawn under the forecast lines
 * of its SVG, and the table of empirical coverage and mean width per split with the level and the
 * method that drew the band. Pure, like the report.
 */
import { levelPercent } from '@shared/intervals'
import { methodName } from '@shared/forecast/intervals'
import type { RunIntervals } from '@shared/forecast/intervals'
import { formatCount } from '@shared/format'
import { escapeHtml, metric } from './format'

export interface BandPoint {
  x: number
  lower: number
  upper: number
}

/** The finite band values (for the chart's y range): unbounded sides are left out. */
export function bandValues(points: readonly BandPoint[]): number[] {
  return points.flatMap((p) => [p.lower, p.upper]).filter(Number.isFinite)
}

/**
 * A closed polygon from lower to upper along x, in runs of points with both bounds (a missing
 * bound breaks the band). An unbounded side is placed where `Y` puts ±∞: the report's Y clamps
 * it to the frame, so the band runs off the plot as "any value" should, not into a gap.
 */
export function bandSvg(
  points: readonly BandPoint[],
  X: (v: number) => string,
  Y: (v: number) => string,
  color: string,
): string {
  const runs: BandPoint[][] = [[]]
  for (const p of points) {
    if (!Number.isNaN(p.lower) && !Number.isNaN(p.upper)) runs[runs.length - 1].push(p)
    else if (runs[runs.length - 1].length > 0) runs.push([])
  }
  return runs
    .filter((r) => r.length > 1)
    .map((r) => {
      const top = r.map((p) => `${X(p.x)},${Y(p.upper)}`)
      const bottom = [...r].reverse().map((p) => `${X(p.x)},${Y(p.lower)}`)
      return `<polygon class="band" fill="${color}" fill-opacity="0.18" stroke="none" points="${[...top, ...bottom].join(' ')}"/>`
    })
    .join('')
}

const SPLIT_LABEL = { val: 'Validation', test: 'Test' } as const

/** The Intervals section: level, method, coverage and mean width per split; '' without intervals. */
export function intervalsSection(intervals: RunIntervals | null | undefined): string {
  if (!intervals) return ''
  const rows = (['val', 'test'] as const)
    .map((split) => {
      const c = intervals.coverage[split]
      if (!c) return ''
      const cov = Number.isFinite(c.coverage) ? `${(c.coverage * 100).toFixed(1)} %` : '—'
      // Unbounded intervals are counted apart: their ∞ would hide the width of the others.
      const u = c.unbounded ?? 0
      const width = !Number.isFinite(c.width)
        ? 'unbounded'
        : u > 0
          ? `${metric(c.width)} (${formatCount(u)} unbounded)`
          : metric(c.width)
      return `<tr><th>${SPLIT_LABEL[split]}</th><td>${cov}</td><td>${width}</td><td>${formatCount(c.n)}</td></tr>`
    })
    .join('')
  const method = methodName(intervals.method)
  const note = intervals.note ? `<p class="muted">${escapeHtml(intervals.note)}</p>` : ''
  return (
    `<h2>Prediction intervals</h2>` +
    `<p>${escapeHtml(levelPercent(intervals.level))} intervals, ${escapeHtml(method)}; the band on the forecast chart is this one. ` +
    (intervals.method === 'model'
      ? `The band comes from the model's forecast variance, fitted on the training rows.</p>`
      : `The validation coverage is at least the level by construction (the band is calibrated there); the test coverage is the honest figure.</p>`) +
    `<table><tr><th></th><th>Coverage</th><th>Mean width</th><th>Targets</th></tr>${rows}</table>${note}`
  )
}

/** The band's legend: "90 % split conformal interval". */
export function bandName(intervals: RunIntervals | null | undefined): string | undefined {
  return intervals
    ? `${levelPercent(intervals.level)} ${methodName(intervals.method)} interval`
    : undefined
}

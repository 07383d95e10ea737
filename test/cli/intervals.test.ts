/**
 * Intervals through the commands: `train --interval` writes lower,upper for every split and the
 * future, coverage and width per split in metrics.json, and the calibration in seqcast.json;
 * `predict` in a fresh process draws the bands it stores — with the default method (ACI) the state
 * the run's last test actual left them in, on every window and the future, which is the run's own
 * future band — at the run's level or another stored one, and refuses a level the model does not
 * hold. 300 months of sunspots, a tiny linear model.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeTrain } from '../../src/cli/commands/train'
import { EngineHost } from '../../src/core/engine/host'
import { parseForecastCsv, type ForecastCsvRow } from '../../src/shared/forecast-csv'
import { SUNSPOTS, tsxWorker } from '../core/engine/helpers'
import { captureIO } from './helpers'

const dir = mkdtempSync(join(tmpdir(), 'seqcast-cli-intervals-'))
const csv = join(dir, 'sunspots.csv')
writeFileSync(csv, readFileSync(SUNSPOTS, 'utf8').split('\n').slice(0, 301).join('\n') + '\n')
const host = new EngineHost({ createWorker: tsxWorker })
const out = join(dir, 'run')

const io = captureIO

/** `npm run forecast -- predict …` in its own Node process, from the sources. */
function predictFresh(args: string[]) {
  return spawnSync(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'predict', join(out, 'model'), csv, ...args],
    { cwd: process.cwd(), env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' }, encoding: 'utf8' },
  )
}

let metrics: {
  intervals: {
    level: number
    method: string
    radius: number[]
    futureRadius: number[]
    val: { coverage: number; width: number; n: number; unbounded: number }
    test: { coverage: number; width: number; n: number; unbounded: number }
  }
  samples: { val: number; test: number }
}
let trained: ForecastCsvRow[]

beforeAll(async () => {
  const sink = io()
  // Horizon 2: one half-width per step.
  const code = await makeTrain({ host })(
    [
      csv,
      '--target',
      'sunspots',
      '--sequence-length',
      '12',
      '--delay',
      '12',
      '--horizon',
      '2',
      '--model',
      'linear',
      '--epochs',
      '2',
      '--interval',
      '80',
      '--out',
      out,
      '--json',
    ],
    sink,
  )
  expect(code).toBe(0)
  metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'))
  trained = parseForecastCsv(readFileSync(join(out, 'forecasts.csv'), 'utf8'))
}, 120_000)

afterAll(async () => {
  await host.dispose()
  rmSync(dir, { recursive: true, force: true })
})

/**
 * Share of rows whose actual lies in [lower, upper], the mean width of the bounded ones and the
 * count of unbounded ones (`inf` in the CSV): by hand from the CSV.
 */
function coverageOf(rows: ForecastCsvRow[]) {
  const inside = rows.filter((r) => r.actual! >= r.lower! && r.actual! <= r.upper!).length
  const bounded = rows.filter((r) => Number.isFinite(r.upper! - r.lower!))
  const width = bounded.reduce((s, r) => s + (r.upper! - r.lower!), 0) / bounded.length
  return {
    coverage: inside / rows.length,
    width,
    n: rows.length,
    unbounded: rows.length - bounded.length,
  }
}

describe('train --interval', () => {
  it('metrics.json: level, method, per-step half-widths, coverage and width per split as the CSV counts them', () => {
    const iv = metrics.intervals
    expect(iv.level).toBe(0.8)
    expect(iv.method).toBe('aci') // the default
    expect(iv.radius).toHaveLength(2)
    for (const split of ['val', 'test'] as const) {
      const rows = trained.filter((r) => r.split === split)
      expect(rows).toHaveLength(metrics.samples[split] * 2)
      const hand = coverageOf(rows)
      expect(iv[split].n).toBe(hand.n)
      expect(iv[split].coverage).toBeCloseTo(hand.coverage, 12)
      expect(iv[split].width).toBeCloseTo(hand.width, 9)
      expect(iv[split].unbounded).toBe(hand.unbounded)
    }
    // Calibrated on the validation residuals: at least 80 % of them are covered.
    expect(iv.val.coverage).toBeGreaterThanOrEqual(0.8)
  })

  it('the half-width of step j is the ⌈(n + 1)·0.8⌉-th smallest validation residual of step j', () => {
    for (const step of [1, 2]) {
      const res = trained
        .filter((r) => r.split === 'val' && r.step === step)
        .map((r) => Math.abs(r.residual!))
        .sort((a, b) => a - b)
      const k = Math.ceil((res.length + 1) * 0.8)
      expect(metrics.intervals.radius[step - 1]).toBeCloseTo(res[k - 1], 9)
    }
  })

  it('future rows carry a band too', () => {
    const future = trained.filter((r) => r.split === 'future')
    expect(future).toHaveLength(2)
    future.forEach((r, j) => {
      expect(r.upper! - r.predicted).toBeCloseTo(metrics.intervals.futureRadius[j], 9)
      expect(r.predicted - r.lower!).toBeCloseTo(metrics.intervals.futureRadius[j], 9)
    })
  })
})

describe('predict in a fresh process', () => {
  it('draws ACI’s final state from seqcast.json on every window, and the run’s own future band', () => {
    const file = join(dir, 'again.csv')
    const run = predictFresh(['--out', file, '--json'])
    expect(run.status, run.stderr).toBe(0)
    const summary = JSON.parse(run.stdout.trim().split('\n').pop()!)
    expect(summary.intervals).toMatchObject({ level: 0.8, method: 'aci' })
    expect(summary.intervals.radius).toEqual(metrics.intervals.futureRadius)
    const again = parseForecastCsv(readFileSync(file, 'utf8'))
    const byKey = new Map(
      again.map((r) => [`${r.split === 'future' ? 'f' : ''}${r.row}:${r.step}`, r]),
    )
    for (const r of trained.filter((t) => t.split === 'test' || t.split === 'future')) {
      const p = byKey.get(`${r.split === 'future' ? 'f' : ''}${r.row}:${r.step}`)!
      expect(p.predicted).toBeCloseTo(r.predicted, 4)
      // Held fixed: predict has no residual history to adapt on.
      const radius = metrics.intervals.futureRadius[r.step - 1]
      expect(p.upper! - p.predicted).toBeCloseTo(radius, 6)
      expect(p.predicted - p.lower!).toBeCloseTo(radius, 6)
      if (r.split === 'future') {
        expect(p.lower!).toBeCloseTo(r.lower!, 4)
        expect(p.upper!).toBeCloseTo(r.upper!, 4)
      }
    }
    // The text names the method and the state it holds.
    const text = predictFresh(['--out', join(dir, 'text.csv')])
    expect(text.stdout).toContain(
      "80 % intervals: adaptive conformal, held in the state the training run's last test actual left it: coverage",
    )
  }, 60_000)

  it('--interval 95 uses the stored 95 % calibration; a level the model lacks is refused by name', () => {
    const file = join(dir, 'p95.csv')
    const ok = predictFresh(['--out', file, '--interval', '95', '--json'])
    expect(ok.status, ok.stderr).toBe(0)
    const summary = JSON.parse(ok.stdout.trim().split('\n').pop()!)
    expect(summary.intervals.level).toBe(0.95)
    const model = JSON.parse(readFileSync(join(out, 'model', 'seqcast.json'), 'utf8'))
    const stored = model.intervals.levels.find((l: { level: number }) => l.level === 0.95)
    expect(summary.intervals.radius).toEqual(stored.radius)
    // 95 % needs a wider band than 80 % on every step.
    stored.radius.forEach((r: number, j: number) =>
      expect(r).toBeGreaterThan(metrics.intervals.futureRadius[j]),
    )
    expect(model.intervals.levelsMethod).toBe('aci')
    const bad = predictFresh(['--out', join(dir, 'p93.csv'), '--interval', '93'])
    expect(bad.status).toBe(1)
    expect(bad.stderr).toMatch(/holds calibrations for 50 %, 80 %, 90 %, 95 %, 99 %; received 93 %/)
  })
})

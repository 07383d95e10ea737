/**
 * The goal check of issue #9 on series shaped like the held-back ones: monthly with trend and
 * season (scripts/make-co2-like.mjs, 12 months ahead), 15-minute load one and four steps ahead
 * (the electricity sample's MT_001), hourly and daily weather (scripts/make-jena-like.mjs,
 * resampled by the mean), a stock index (geometric Brownian motion with drift, fixed seed) and
 * the shipped sunspots. For each: `compare` (the default set; the built CLI, a whole process),
 * the validation-chosen model and its test MAE; a textbook ETS (statsmodels' ExponentialSmoothing,
 * additive damped trend + additive season when m > 1, fitted on the training rows and filtered
 * forward with fixed parameters: bench/goals_ets.py, Debian's /usr/bin/python3) on the same test
 * target rows; our `ets`; naive; and the ratio of the chosen model's test MAE to the better of the
 * textbook ETS and naive. Goal: each ≤ 1.03, geometric mean ≤ 0.95. With `--neural`, also
 * `compare --models neural` (issue #10's goal: the best window model by validation ≤ 1.10 each).
 *
 *   npm run build && npm run bench:goals [-- --epochs N] [-- --neural] [-- --only name,name]
 *
 * Nothing here looks at the test rows to choose anything: `compare` picks by validation MAE.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const args = process.argv.slice(2)
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : fallback
}
const EPOCHS = option('epochs', '10')
const NEURAL = args.includes('--neural')
const ONLY = option('only', '').split(',').filter(Boolean)

const root = resolve(import.meta.dirname, '..')
const cli = join(root, 'out/main/cli.js')
if (!existsSync(cli)) {
  console.error(`bench:goals runs the built CLI (${cli}): run npm run build first.`)
  process.exit(1)
}
const python = [process.env.SEQCAST_STATS_PYTHON, '/usr/bin/python3'].find(
  (p): p is string =>
    !!p && spawnSync(p, ['-c', 'import statsmodels'], { stdio: 'ignore' }).status === 0,
)
const dir = mkdtempSync(join(tmpdir(), 'seqcast-bench-goals-'))

interface Series {
  name: string
  /** CSV text with a header; the first column is the time. */
  csv: () => string
  target: string
  /** Window: L rows, delay (h = delay − L + 1), season m (1 = none) for --season and ETS. */
  L: number
  delay: number
  m: number
}

function node(script: string, scriptArgs: string[]): string {
  const r = spawnSync(process.execPath, [join(root, script), ...scriptArgs], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  })
  if (r.status !== 0) throw new Error(`${script} failed: ${r.stderr}`)
  return r.stdout
}

/** Means of consecutive blocks of `k` rows of a Jena-like file's T (degC), with the block's first time. */
function resampledJena(rows: number, k: number): string {
  const lines = node('scripts/make-jena-like.mjs', ['--rows', String(rows), '--seed', '7'])
    .trim()
    .split('\n')
    .slice(1)
  const out = ['time,T']
  for (let i = 0; i + k <= lines.length; i += k) {
    let sum = 0
    for (let j = i; j < i + k; j++) sum += Number(lines[j].split(',')[2])
    const [d, t] = lines[i].split(',')[0].split(' ')
    const [dd, mm, yyyy] = d.split('.')
    out.push(`${yyyy}-${mm}-${dd} ${t},${(sum / k).toFixed(4)}`)
  }
  return out.join('\n') + '\n'
}

function electricity(rows: number): string {
  const lines = readFileSync(join(root, 'resources/data/electricity_sample.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1, rows + 1)
  return (
    'time,load\n' +
    lines
      .map((line) => {
        const cells = line.split(';')
        return `${cells[0].replaceAll('"', '')},${cells[1].replace(',', '.')}`
      })
      .join('\n') +
    '\n'
  )
}

/** Geometric Brownian motion with drift: daily closes from 1000, μ = 8 %/year, σ = 18 %/year. */
function stockIndex(days: number): string {
  let s = 2024
  const rand = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32
  const normal = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand())
  const mu = 0.08 / 252
  const sigma = 0.18 / Math.sqrt(252)
  let price = 1000
  const out = ['date,close']
  for (let d = 0; d < days; d++) {
    price *= Math.exp(mu - (sigma * sigma) / 2 + sigma * normal())
    out.push(`${new Date(Date.UTC(2015, 0, 1 + d)).toISOString().slice(0, 10)},${price.toFixed(2)}`)
  }
  return out.join('\n') + '\n'
}

const SERIES: Series[] = [
  {
    name: 'co2-like monthly, h=12',
    csv: () => node('scripts/make-co2-like.mjs', []),
    target: 'co2',
    L: 24,
    delay: 35,
    m: 12,
  },
  {
    name: 'load 15-min, h=1',
    csv: () => electricity(4000),
    target: 'load',
    L: 20,
    delay: 20,
    m: 96,
  },
  {
    name: 'load 15-min, h=4',
    csv: () => electricity(4000),
    target: 'load',
    L: 20,
    delay: 23,
    m: 96,
  },
  {
    name: 'weather hourly, h=1',
    csv: () => resampledJena(6 * 4000, 6),
    target: 'T',
    L: 24,
    delay: 24,
    m: 24,
  },
  {
    name: 'weather daily, h=1',
    csv: () => resampledJena(144 * 1100, 144),
    target: 'T',
    L: 14,
    delay: 14,
    m: 1,
  },
  {
    name: 'stock index (GBM), h=1',
    csv: () => stockIndex(1500),
    target: 'close',
    L: 10,
    delay: 10,
    m: 1,
  },
  {
    name: 'sunspots monthly, h=1',
    csv: () => readFileSync(join(root, 'resources/data/sunspots_monthly.csv'), 'utf8'),
    target: 'sunspots',
    L: 15,
    delay: 15,
    m: 1,
  },
].filter((s) => ONLY.length === 0 || ONLY.some((o) => s.name.startsWith(o)))

interface Board {
  best: { model: string; family: string; test: { mae: number } | null }
  leaderboard: { model: string; family: string; test: { mae: number } | null }[]
  baselines: { naive: { test: { mae: number } | null } }
}

function compare(file: string, s: Series, models: string, out: string): Board {
  const r = spawnSync(
    process.execPath,
    [
      cli,
      'compare',
      file,
      '--target',
      s.target,
      '--features',
      s.target,
      '--sequence-length',
      String(s.L),
      '--delay',
      String(s.delay),
      '--season',
      String(s.m),
      '--normalize',
      'minmax',
      '--models',
      models,
      '--epochs',
      EPOCHS,
      '--patience',
      '2',
      '--out',
      out,
      '--json',
    ],
    { cwd: root, encoding: 'utf8', maxBuffer: 1 << 30 },
  )
  if (r.status !== 0) throw new Error(`compare on ${s.name} failed:\n${r.stderr}`)
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Board
}

/** Test target rows of step 1 in best/forecasts.csv (the same windows for every model). */
function testRows(out: string): number[] {
  const lines = readFileSync(join(out, 'best', 'forecasts.csv'), 'utf8')
    .trim()
    .split('\n')
  const header = lines[0].split(',')
  const [split, row, step] = ['split', 'row', 'step'].map((c) => header.indexOf(c))
  return lines
    .slice(1)
    .map((l) => l.split(','))
    .filter((c) => c[split] === 'test' && c[step] === '1')
    .map((c) => Number(c[row]))
}

function textbookEts(file: string, s: Series, rows: number[], n: number): number | null {
  if (!python) return null
  const values = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',').pop()!.replaceAll('"', ''))
  const series = join(dir, 'series.txt')
  const rowsFile = join(dir, 'rows.txt')
  writeFileSync(series, values.join('\n') + '\n')
  writeFileSync(rowsFile, rows.join('\n') + '\n')
  const h = s.delay - (s.L - 1)
  const r = spawnSync(
    python,
    [
      join(root, 'bench/goals_ets.py'),
      series,
      String(Math.floor(0.5 * n)),
      String(s.m),
      String(h),
      rowsFile,
    ],
    { encoding: 'utf8' },
  )
  if (r.status !== 0) throw new Error(`goals_ets.py on ${s.name} failed:\n${r.stderr}`)
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
    mae: number
    oneStepCheck: number
  }
  if (!(out.oneStepCheck < 1e-6))
    throw new Error(`goals_ets.py: state alignment off by ${out.oneStepCheck}`)
  return out.mae
}

const f = (x: number | null | undefined, d = 4) => (x == null ? '—' : x.toPrecision(d))
const geo = (xs: number[]) => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length)
const started = performance.now()
const ratios: number[] = []
const neuralRatios: number[] = []
console.log(
  `bench:goals — compare (default set${NEURAL ? ', then --models neural' : ''}), ${EPOCHS} epochs, patience 2; textbook ETS: ${python ? `statsmodels via ${python}` : 'skipped (no python3 with statsmodels)'}`,
)
console.log(
  '| series | rows | chosen | its test MAE | textbook ETS | our ets | naive | ratio | ' +
    (NEURAL ? 'best window model | its test MAE | ratio | ' : '') +
    'seconds |',
)
console.log('|---|---|---|---|---|---|---|---|' + (NEURAL ? '---|---|---|' : '') + '---|')
try {
  for (const s of SERIES) {
    const t0 = performance.now()
    const file = join(dir, `${s.name.replace(/[^a-z0-9]+/gi, '-')}.csv`)
    const text = s.csv()
    writeFileSync(file, text)
    const n = text.trim().split('\n').length - 1
    const out = join(dir, 'out')
    rmSync(out, { recursive: true, force: true })
    const board = compare(file, s, 'default', out)
    const rows = testRows(out)
    const ets = textbookEts(file, s, rows, n)
    const naive = board.baselines.naive.test?.mae ?? NaN
    const ours = board.leaderboard.find((e) => e.model === 'ets')?.test?.mae ?? null
    const chosen = board.best.test?.mae ?? NaN
    const reference = Math.min(naive, ets ?? Infinity)
    const ratio = chosen / reference
    ratios.push(ratio)
    const cells = [
      s.name,
      String(n),
      board.best.model,
      f(chosen),
      f(ets),
      f(ours),
      f(naive),
      ratio.toFixed(3) + (ratio <= 1.03 ? '' : ' ✗'),
    ]
    if (NEURAL) {
      const nout = join(dir, 'neural')
      rmSync(nout, { recursive: true, force: true })
      const nb = compare(file, s, 'neural', nout)
      const best = nb.leaderboard.find((e) => e.family === 'neural')
      const r = (best?.test?.mae ?? NaN) / reference
      neuralRatios.push(r)
      cells.push(best?.model ?? '—', f(best?.test?.mae), r.toFixed(3) + (r <= 1.1 ? '' : ' ✗'))
    }
    cells.push(((performance.now() - t0) / 1000).toFixed(0))
    console.log(`| ${cells.join(' | ')} |`)
  }
  const mean = geo(ratios)
  console.log(
    `\ngeometric mean of the ratios: ${mean.toFixed(3)} (goal ≤ 0.95); worst ${Math.max(...ratios).toFixed(3)} (goal ≤ 1.03 each)`,
  )
  if (NEURAL)
    console.log(
      `window models (--models neural): worst ${Math.max(...neuralRatios).toFixed(3)} (goal ≤ 1.10 each), geometric mean ${geo(neuralRatios).toFixed(3)}`,
    )
  console.log(
    `${((performance.now() - started) / 1000).toFixed(0)} s wall; load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores`,
  )
} finally {
  rmSync(dir, { recursive: true, force: true })
}

/**
 * The arena's default set (the statistical models, the fast window presets, the baselines, the
 * ensemble; `-- --models all` for every preset) on a 10,000-row file: the
 * electricity sample's MT_001 (15-minute rows), one step ahead from 20 rows, as `compare` runs
 * it from the command line (a whole process, built bundle). Prints the wall time and each
 * model's seconds and validation / test MAE next to naive.
 *
 *   npm run build && npm run bench:arena [-- --rows N] [-- --models set]
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const args = process.argv.slice(2)
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : fallback
}
const ROWS = Number(option('rows', '10000'))
const MODELS = option('models', 'default')

const root = resolve(import.meta.dirname, '..')
const cli = join(root, 'out/main/cli.js')
if (!existsSync(cli)) {
  console.error(`bench:arena runs the built CLI (${cli}): run npm run build first.`)
  process.exit(1)
}
const lines = readFileSync(join(root, 'resources/data/electricity_sample.csv'), 'utf8')
  .trim()
  .split('\n')
const dir = mkdtempSync(join(tmpdir(), 'seqcast-bench-arena-'))
const csv = join(dir, 'load_15min.csv')
writeFileSync(csv, lines.slice(0, ROWS + 1).join('\n') + '\n')
const out = join(dir, 'arena')

// CPU seconds of the whole process (user + sys) through GNU time where it exists: on a shared
// machine the wall time says more about the neighbours than about Seqcast.
const gnuTime = existsSync('/usr/bin/time')
const cpuFile = join(dir, 'cpu.txt')
const started = performance.now()
const command = [
  process.execPath,
  [
    cli,
    'compare',
    csv,
    '--target',
    'MT_001',
    '--features',
    'MT_001',
    '--sequence-length',
    '20',
    '--delay',
    '20',
    '--normalize',
    'minmax',
    '--models',
    MODELS,
    '--out',
    out,
  ],
] as const
const run = gnuTime
  ? spawnSync('/usr/bin/time', ['-f', '%U %S', '-o', cpuFile, command[0], ...command[1]], {
      cwd: root,
      encoding: 'utf8',
    })
  : spawnSync(command[0], [...command[1]], { cwd: root, encoding: 'utf8' })
const wall = (performance.now() - started) / 1000
if (run.status !== 0) {
  console.error(run.stderr)
  process.exit(1)
}

interface Row {
  model: string
  family: string
  val: { mae: number } | null
  test: { mae: number } | null
  seconds: number
}
const board = JSON.parse(readFileSync(join(out, 'leaderboard.json'), 'utf8')) as {
  leaderboard: Row[]
  details: { skipped: { model: string; reason: string }[] }
}
const naive = board.leaderboard.find((r) => r.model === 'naive')!
const f = (x: number | undefined) => (x === undefined ? '—' : x.toFixed(4))
console.log(
  `compare --models ${MODELS} on ${ROWS.toLocaleString('en-US')} rows (electricity MT_001, 15-minute, L = 20, h = 1):`,
)
console.log('model            family        val MAE   test MAE   val / naive   seconds')
for (const r of board.leaderboard) {
  console.log(
    [
      r.model.padEnd(16),
      r.family.padEnd(11),
      f(r.val?.mae).padStart(9),
      f(r.test?.mae).padStart(10),
      (r.val && naive.val ? (r.val.mae / naive.val.mae).toFixed(3) : '—').padStart(13),
      r.seconds.toFixed(1).padStart(9),
    ].join(' '),
  )
}
for (const s of board.details.skipped) console.log(`skipped ${s.model}: ${s.reason}`)
const cpu = gnuTime
  ? readFileSync(cpuFile, 'utf8')
      .trim()
      .split(/\s+/)
      .slice(-2)
      .reduce((a, b) => a + Number(b), 0)
  : NaN
const load = (await import('node:os')).loadavg()[0]
console.log(
  `\nwhole process: ${wall.toFixed(1)} s wall, ${Number.isFinite(cpu) ? `${cpu.toFixed(1)} s CPU (user + sys)` : 'CPU time unknown (no /usr/bin/time)'} on ${ROWS.toLocaleString('en-US')} rows; load average ${load.toFixed(1)} on ${(await import('node:os')).availableParallelism()} cores`,
)
rmSync(dir, { recursive: true, force: true })

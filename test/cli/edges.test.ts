/**
 * The CLI at the data's and the disk's edges, with real training on a small series (the worker
 * through tsx): repairs on `train` and `predict`, ±Infinity and gaps in the rows a model reads,
 * `--out` checked before any training, horizon > 1 from training through predict to the CSV.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { makePredict } from '../../src/cli/commands/predict'
import { makeTrain } from '../../src/cli/commands/train'
import { runCli } from '../../src/cli/index'
import { EngineHost } from '../../src/core/engine/host'
import { parseForecastCsv } from '../../src/shared/forecast-csv'
import { tsxWorker } from '../core/engine/helpers'
import { captureIO } from './helpers'

const dir = mkdtempSync(join(tmpdir(), 'seqcast-cli-edges-'))
const host = new EngineHost({ createWorker: tsxWorker })
afterAll(async () => {
  await host.dispose()
  rmSync(dir, { recursive: true, force: true })
})

const N = 160
const DAY = 86_400_000
/** y = 10 + 5·sin(2πi/12) + i/20 with a feature x = i mod 12, one row per day from 2020-01-01. */
function series(edit: (i: number, y: number) => string = (_, y) => String(y)): string {
  const lines = ['date,x,y']
  for (let i = 0; i < N; i++) {
    const y = Number((10 + 5 * Math.sin((2 * Math.PI * i) / 12) + i / 20).toFixed(4))
    lines.push(
      `${new Date(Date.UTC(2020, 0, 1) + i * DAY).toISOString().slice(0, 10)},${i % 12},${edit(i, y)}`,
    )
  }
  return lines.join('\n') + '\n'
}
const clean = join(dir, 'clean.csv')
writeFileSync(clean, series())
/** Line 101 (data row 100, a validation row) holds Inf, line 131 (a test row) is empty. */
const holes = join(dir, 'holes.csv')
writeFileSync(
  holes,
  series((i, y) => (i === 99 ? 'Inf' : i === 129 ? '' : String(y))),
)

const sink = captureIO

async function cli(...argv: string[]) {
  const io = sink()
  const code = await runCli(argv, io)
  return { code, stdout: io.out(), stderr: io.err() }
}

const L = 6
const D = 6
const experiment = [
  '--target',
  'y',
  '--features',
  'x,y',
  '--sequence-length',
  String(L),
  '--delay',
  String(D),
  '--split',
  '0.5,0.25',
  '--model',
  'dense',
  '--epochs',
  '1',
  '--batch-size',
  '16',
  '--seed',
  '1',
]

describe('train: repairs the error messages suggest', () => {
  it('refuses ±Infinity and gaps with the line, column and --fill, then trains with --fill linear', async () => {
    const out = join(dir, 'fill-run')
    const refused = await cli('train', holes, ...experiment, '--out', out)
    expect(refused.code).toBe(1)
    const lines = refused.stderr.trim().split('\n')
    // the import names the cell, the refusal the first row the model would read and the fix
    expect(lines[0]).toMatch(
      /^warning: holes\.csv, line 101, column "y": expected a finite number, received "Inf"/,
    )
    expect(lines[lines.length - 1]).toMatch(
      /^Column "y" of holes\.csv has 2 missing values \(first in data row 100\)\..*--fill/,
    )
    expect(existsSync(out)).toBe(false)

    const io = sink()
    const code = await makeTrain({ host })(
      [holes, ...experiment, '--json', '--out', out, '--fill', 'linear'],
      io,
    )
    expect(code).toBe(0)
    const result = JSON.parse(io.out().trim().split('\n').pop()!)
    expect(result.epochs).toBe(1)
    // the repaired rows lie halfway between their neighbours (rounded to 4 decimals in the file)
    const forecasts = parseForecastCsv(readFileSync(join(out, 'forecasts.csv'), 'utf8'))
    const at = (row: number) => forecasts.find((f) => f.row === row && f.split !== 'future')
    const y = (i: number) => 10 + 5 * Math.sin((2 * Math.PI * i) / 12) + i / 20
    expect(at(99)!.actual).toBeCloseTo((y(98) + y(100)) / 2, 3)
    expect(at(129)!.actual).toBeCloseTo((y(128) + y(130)) / 2, 3)
  })

  it('rejects an unknown --fill with the choices', async () => {
    const r = await cli(
      'train',
      clean,
      ...experiment,
      '--json',
      '--out',
      join(dir, 'x'),
      '--fill',
      'zero',
    )
    expect(r.code).toBe(2)
    expect(JSON.parse(r.stderr).error.message).toBe(
      '--fill: expected one of leave, ffill, linear, received "zero".',
    )
  })
})

describe('--out is checked before training (exit 64, nothing trained)', () => {
  const exitOut = async (out: string, ...extra: string[]) => {
    const r = await cli('train', clean, ...experiment, '--json', '--out', out, ...extra)
    expect(r.stdout).not.toMatch(/"event":"epoch"/)
    return { code: r.code, message: JSON.parse(r.stderr.trim().split('\n').pop()!).error.message }
  }

  it('an existing file is kept and named', async () => {
    const file = join(dir, 'precious.txt')
    writeFileSync(file, 'keep me')
    const r = await exitOut(file)
    expect(r.code).toBe(64)
    expect(r.message).toBe(
      `--out: ${file} is an existing file, but a folder is expected (it receives model/, forecasts.csv and metrics.json). Choose a new folder, or remove the file.`,
    )
    expect(readFileSync(file, 'utf8')).toBe('keep me')
  })

  it('a path through a file, and /proc, fail at once instead of hanging', async () => {
    const file = join(dir, 'plain.txt')
    writeFileSync(file, '')
    const through = await exitOut(join(file, 'run'))
    expect(through.code).toBe(64)
    expect(through.message).toMatch(/a part of the path is a file, not a folder/)
    const proc = await exitOut('/proc/seqcast-out')
    expect(proc.code).toBe(64)
    expect(proc.message).toMatch(/^--out: cannot write into \/proc\/seqcast-out: /)
    expect(existsSync('/proc/seqcast-out')).toBe(false)
  })

  it.skipIf(!existsSync('/dev/shm'))(
    'a link that leads under /dev is refused by its real path, and nothing is written there',
    async () => {
      // /dev/shm is a writable folder: only the system-folder rule keeps outputs out of it.
      const link = join(dir, 'to-shm')
      symlinkSync('/dev/shm', link)
      const name = `seqcast-out-${process.pid}`
      const r = await exitOut(join(link, name))
      expect(r.code).toBe(64)
      expect(r.message).toBe(
        `--out: cannot write into ${join(link, name)}: it is under /dev, a system folder that holds no data files. Choose a file or folder of your own.`,
      )
      expect(existsSync(join('/dev/shm', name))).toBe(false)
    },
  )

  it.skipIf(process.getuid?.() === 0)(
    'a folder without write permission (skipped as root: root writes anywhere)',
    async () => {
      const locked = join(dir, 'locked')
      mkdirSync(locked)
      chmodSync(locked, 0o500)
      try {
        const r = await exitOut(join(locked, 'run'))
        expect(r.code).toBe(64)
        expect(r.message).toMatch(/permission denied/)
      } finally {
        chmodSync(locked, 0o700)
      }
    },
  )

  it('predict: a folder as --out is refused before forecasting', async () => {
    const folder = join(dir, 'a-folder')
    mkdirSync(folder)
    const r = await cli('predict', join(dir, 'fill-run', 'model'), clean, '--out', folder, '--json')
    expect(r.code).toBe(64)
    expect(JSON.parse(r.stderr).error.message).toBe(
      `--out: ${folder} is a folder, but a file name is expected. Name a file, e.g. ${join(folder, 'forecasts.csv')}.`,
    )
    expect(readdirSync(folder)).toEqual([])
  })
})

describe('predict: the windows it forecasts must be complete', () => {
  it('refuses ±Infinity and gaps naming column and row, and forecasts after --fill', async () => {
    const model = join(dir, 'fill-run', 'model')
    const out = join(dir, 'holes-forecast.csv')
    const predict = makePredict({ host })
    await expect(predict([model, holes, '--out', out, '--json'], sink())).rejects.toMatchObject({
      kind: 'column',
      message: expect.stringMatching(
        /^Column "y" of holes\.csv has 2 missing values \(first in data row 100\)\..*--fill/,
      ),
      details: expect.objectContaining({ column: 'y', row: 100, count: 2 }),
    })
    expect(existsSync(out)).toBe(false)

    const filled = await predict([model, holes, '--out', out, '--json', '--fill', 'linear'], sink())
    expect(filled).toBe(0)
    const rows = parseForecastCsv(readFileSync(out, 'utf8'))
    // every window of N rows: Keras' count N − D − (L − 1) (data = rows[:-D], stride 1)
    expect(rows.filter((r) => r.split === 'all')).toHaveLength(N - D - (L - 1))
    expect(rows.every((r) => Number.isFinite(r.predicted))).toBe(true)
  })
})

describe('horizon > 1: train → predict → forecasts.csv', () => {
  const H = 3
  it('every window has H steps at rows s+D … s+D+H−1 with the file’s actuals, and predict repeats the run', async () => {
    const out = join(dir, 'h3')
    const io = sink()
    const args = [clean, ...experiment, '--json', '--horizon', String(H), '--out', out]
    const code = await makeTrain({ host })(args, io)
    expect(code).toBe(0)
    const result = JSON.parse(io.out().trim().split('\n').pop()!)
    // Keras with targets of H rows: data = rows[:-(D+H−1)], windows = len − (L−1); splits by rows
    const train = Math.trunc(0.5 * N)
    const val = Math.trunc(0.25 * N)
    const reserved = D + H - 1
    expect(result.samples).toEqual({
      train: train - (L - 1),
      val: val - (L - 1),
      test: N - reserved - train - val - (L - 1),
    })
    const run = parseForecastCsv(readFileSync(join(out, 'forecasts.csv'), 'utf8'))
    const truth = readFileSync(clean, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => Number(l.split(',')[2]))
    const test = run.filter((r) => r.split === 'test')
    expect(test).toHaveLength(H * result.samples.test)
    for (let k = 0; k < test.length; k += H) {
      const first = test[k].row!
      for (let h = 0; h < H; h++) {
        expect(test[k + h].step).toBe(h + 1)
        expect(test[k + h].row).toBe(first + h)
        expect(test[k + h].actual).toBe(truth[first + h])
      }
    }
    const future = run.filter((r) => r.split === 'future')
    // the latest window ends at row N−1: its targets are rows N−1+D−(L−1) … (+H−1), past the data
    expect(future.map((r) => [r.step, r.row])).toEqual(
      [0, 1, 2].map((h) => [h + 1, N - 1 + D - (L - 1) + h]),
    )
    // daily data: the export writes the date alone
    expect(future[0].timestamp).toBe(
      new Date(Date.UTC(2020, 0, 1) + (N - 1 + D - (L - 1)) * DAY).toISOString().slice(0, 10),
    )
    // origin: the date of the window's last row, first target row − (D − (L−1)); the future
    // is forecast from the file's last row, and each test window from its own
    const day = (row: number) =>
      new Date(Date.UTC(2020, 0, 1) + row * DAY).toISOString().slice(0, 10)
    expect(future.map((r) => r.origin)).toEqual([day(N - 1), day(N - 1), day(N - 1)])
    for (let k = 0; k < test.length; k += H) {
      for (let h = 0; h < H; h++) expect(test[k + h].origin).toBe(day(test[k].row! - (D - (L - 1))))
    }

    const predicted = join(dir, 'h3-predict.csv')
    const p = await makePredict({ host })(
      [join(out, 'model'), clean, '--out', predicted, '--json'],
      sink(),
    )
    expect(p).toBe(0)
    const all = parseForecastCsv(readFileSync(predicted, 'utf8'))
    expect(all.filter((r) => r.split === 'all')).toHaveLength(H * (N - reserved - (L - 1)))
    const byKey = new Map(
      all.map((r) => [`${r.split === 'future' ? 'f' : 'w'}:${r.row}:${r.step}`, r.predicted]),
    )
    for (const r of test) expect(byKey.get(`w:${r.row}:${r.step}`)).toBeCloseTo(r.predicted, 4)
    for (const r of future) expect(byKey.get(`f:${r.row}:${r.step}`)).toBeCloseTo(r.predicted, 4)
  })
})

describe('a stateful model: train → predict', () => {
  it('predict replays the warm-up stream the manifest records and gives the run’s own future', async () => {
    const out = join(dir, 'stateful')
    const io = sink()
    // Training windows: int(0.5 · 160) − (L − 1) = 75; batch 16 → ⌊75 / 16⌋ = 4 warm-up windows
    const args = [clean, ...experiment, '--json', '--out', out]
    args[args.indexOf('dense')] = 'stateful-lstm'
    args.push('--normalize', 'minmax-sym')
    expect(await makeTrain({ host })(args, io)).toBe(0)
    const manifest = JSON.parse(readFileSync(join(out, 'model', 'seqcast.json'), 'utf8'))
    expect(manifest.model.stateful).toBe(true)
    expect(manifest.inference.warmup).toBe(4)
    const run = parseForecastCsv(readFileSync(join(out, 'forecasts.csv'), 'utf8'))
    const predicted = join(dir, 'stateful-predict.csv')
    expect(
      await makePredict({ host })(
        [join(out, 'model'), clean, '--out', predicted, '--json'],
        sink(),
      ),
    ).toBe(0)
    const again = parseForecastCsv(readFileSync(predicted, 'utf8'))
    const future = (rows: typeof run) => rows.filter((r) => r.split === 'future')
    expect(future(again)).toEqual(future(run))
  })
})

describe('times without a year (NOAA hourly normals)', () => {
  it('train writes forecasts.csv times as the file wrote them and picks no weekday feature', async () => {
    // 60 days of hours written "01-01T01:00:00" … "03-01T24:00:00" (hours 01…24, no year).
    const lines = ['DATE,y']
    for (let h = 1; h <= 60 * 24; h++) {
      const day = new Date(Date.UTC(2001, 0, 1 + Math.floor((h - 1) / 24))).toISOString()
      const hour = String(((h - 1) % 24) + 1).padStart(2, '0')
      lines.push(
        `${day.slice(5, 10)}T${hour}:00:00,${(10 + 5 * Math.sin((2 * Math.PI * h) / 24)).toFixed(3)}`,
      )
    }
    const normals = join(dir, 'normals.csv')
    writeFileSync(normals, lines.join('\n') + '\n')
    const out = join(dir, 'normals-run')
    const io = sink()
    const args = ['--target', 'y', '--features', 'y', '--sequence-length', '24', '--delay', '24']
    args.push('--model', 'linear', '--epochs', '1', '--seed', '1', '--json', '--out', out)
    expect(await makeTrain({ host })([normals, ...args], io)).toBe(0)
    const summary = JSON.parse(io.out().trim().split('\n').pop()!)
    // 30 days of training rows would otherwise give the day of week (the span covers a week).
    expect(summary.choices).toContain(
      "Calendar features: hour of day, as sin/cos of the window rows' and the target's time; not day of week (the times have no year, so no weekday), day of year (the training rows span less than a year), month (day of year covers it).",
    )
    const csv = readFileSync(join(out, 'forecasts.csv'), 'utf8').trim().split('\n')
    const first = csv[1].split(',')
    // The first validation window starts at row 720 (half of 1,440) and its target is 24 rows
    // later: row 744, hour 745 of the file, Feb 1 01:00. Its origin, the window's last row 743, is
    // the midnight after Jan 31: the next day's 00:00.
    expect([first[0], first[1], first[2]]).toEqual(['02-01T01:00:00', 'val', '744'])
    expect(first[9]).toBe('02-01T00:00:00')
    expect(csv.join('\n')).not.toMatch(/200[12]-/)
    const future = csv.filter((l) => l.split(',')[1] === 'future')
    expect(future.map((l) => l.split(',')[0])).toEqual(['03-02T01:00:00'])
    // predict with the model on the same file writes its times the same way.
    const predicted = join(dir, 'normals-predict.csv')
    const pio = sink()
    expect(
      await makePredict({ host })([join(out, 'model'), normals, '--out', predicted, '--json'], pio),
    ).toBe(0)
    // its JSON summary writes the future's times as the CSV does
    expect(JSON.parse(pio.out().trim().split('\n').pop()!).future.times).toEqual(['03-02T01:00:00'])
    const again = readFileSync(predicted, 'utf8').trim().split('\n')
    // Its first window starts at row 0; its target, row 24, is the file's hour 25: Jan 2 01:00.
    expect(again[1].split(',')[0]).toBe('01-02T01:00:00')
    expect(again[again.length - 1].split(',')[0]).toBe('03-02T01:00:00')
    expect(again.join('\n')).not.toMatch(/200[12]-/)
  })
})

describe('outputs are written atomically', () => {
  it('no temporary file is left next to the outputs', () => {
    for (const folder of [join(dir, 'fill-run'), join(dir, 'fill-run', 'model'), join(dir, 'h3')]) {
      const names = readdirSync(folder)
      expect(names.filter((n) => n.endsWith('.tmp'))).toEqual([])
      expect(statSync(folder).isDirectory()).toBe(true)
    }
  })
})

import { describe, expect, it } from 'vitest'
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { runCli } from '../../src/cli/index'

const root = resolve(__dirname, '../..')
const sunspots = join(root, 'resources/data/sunspots_monthly.csv')
const electricity = join(root, 'resources/data/electricity_sample.csv')

async function cli(...argv: string[]) {
  let stdout = ''
  let stderr = ''
  const code = await runCli(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  })
  return { code, stdout, stderr }
}

/** The sunspot numbers read with nothing but split(): an answer independent of Seqcast's parser. */
function sunspotValues(): number[] {
  return readFileSync(sunspots, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => Number(line.split(',')[1]))
}

describe('npm run forecast -- baseline', () => {
  it('prints one JSON object with rows, samples per split and naive metrics computed by hand', async () => {
    const { code, stdout, stderr } = await cli(
      'baseline',
      sunspots,
      '--target',
      'sunspots',
      '--sequence-length',
      '15',
      '--delay',
      '15',
      '--split',
      '0.7,0.15',
      '--json',
    )
    expect(stderr).toBe('')
    expect(code).toBe(0)
    expect(stdout.trim().split('\n')).toHaveLength(1)
    const out = JSON.parse(stdout)
    const y = sunspotValues()
    expect(out.rows).toBe(3177)
    expect(y).toHaveLength(3177)
    // Keras' num_seqs = end − start − (L − 1)·R per split, end at most N − delay
    expect(out.samples).toEqual({ train: 2223 - 14, val: 476 - 14, test: 3177 - 15 - 2699 - 14 })
    // By hand: train rows 0…2222 (int(0.7·3177) = 2223), windows start at 0…2208 (2223 − 14),
    // naive = y[s + 14], actual = y[s + 15].
    expect(out.samples.train).toBe(2209)
    for (const [split, start, count] of [
      ['train', 0, 2209],
      ['val', 2223, 476 - 14],
      ['test', 2699, 3177 - 15 - 2699 - 14],
    ] as const) {
      let sum = 0
      let sq = 0
      for (let s = start; s < start + count; s++) {
        const e = y[s + 15] - y[s + 14]
        sum += Math.abs(e)
        sq += e * e
      }
      expect(out.samples[split]).toBe(count)
      expect(out.baselines.naive[split].mae).toBeCloseTo(sum / count, 8)
      expect(out.baselines.naive[split].rmse).toBeCloseTo(Math.sqrt(sq / count), 8)
    }
    expect(out.seasonRows).toBe(12) // monthly data: a yearly season
    expect(out.baselines['seasonal-naive'].val.n).toBe(out.samples.val)
  })

  it('reads the UCI layout: ; separated, decimal commas, empty first header', async () => {
    const { code, stdout } = await cli(
      'baseline',
      electricity,
      '--target',
      'MT_002',
      '--sequence-length',
      '20',
      '--delay',
      '20',
      '--json',
    )
    expect(code).toBe(0)
    const out = JSON.parse(stdout)
    expect(out.rows).toBe(11_520)
    expect(out.seasonRows).toBe(96) // 15-minute data: a daily season
    expect(out.horizon.gap).toBe('15 min')
  })

  it('shows the human summary with the horizon in time units', async () => {
    const { code, stdout } = await cli(
      'baseline',
      sunspots,
      '--target',
      'sunspots',
      '--sequence-length',
      '15',
      '--delay',
      '15',
    )
    expect(code).toBe(0)
    expect(stdout).toContain(
      'the target is 15 rows after the window starts (15 months), 1 row (1 month) after its last row.',
    )
    // Keras: train rows 0…1587 (int(0.5·3177) = 1588) → 1588 − 14; val int(0.25·3177) = 794 → 794 − 14;
    // test rows 2382… up to N − delay = 3162 → 3162 − 2382 − 14
    expect(stdout).toContain('Samples: train 1,574, validation 780, test 766.')
  })
})

describe('npm run forecast -- inspect', () => {
  it('reports columns and the time axis as JSON', async () => {
    const { code, stdout } = await cli('inspect', electricity, '--json')
    expect(code).toBe(0)
    const report = JSON.parse(stdout)
    expect(report.file).toMatchObject({ delimiter: ';', decimal: ',', rows: 11_520 })
    expect(report.columns.map((c: { name: string; kind: string }) => [c.name, c.kind])).toEqual([
      ['column 1', 'datetime'],
      ['MT_001', 'numeric'],
      ['MT_002', 'numeric'],
      ['MT_003', 'numeric'],
    ])
    expect(report.timeAxis).toMatchObject({
      column: 'column 1',
      sorted: true,
      cadence: { label: '15 min' },
    })
  })
})

describe('errors go to stderr with a non-zero exit code, in the app’s words', () => {
  it('a missing file', async () => {
    const r = await cli('inspect', '/nonexistent/x.csv')
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(/x\.csv/)
  })
  it('a wrong column names the file and lists the numeric ones', async () => {
    const r = await cli(
      'baseline',
      sunspots,
      '--target',
      'spots',
      '--sequence-length',
      '15',
      '--delay',
      '15',
    )
    expect(r.code).toBe(1)
    expect(r.stderr).toBe(
      'Target: sunspots_monthly.csv has no column "spots". Numeric columns: "sunspots".\n',
    )
  })
  it('too few rows for the window names the split and the rows it needs', async () => {
    const r = await cli(
      'baseline',
      sunspots,
      '--target',
      'sunspots',
      '--sequence-length',
      '200',
      '--sampling-rate',
      '3',
      '--delay',
      '700',
    )
    expect(r.code).toBe(1)
    // 3,177 rows − 700 for the delay: windows read rows before 2,477, so the test split (rows
    // 2,382…) has 95 rows to read, 503 short of one 598-row window, which must start by 2,477 − 598.
    expect(r.stderr).toMatch(
      /^Test split: no window fits\. It holds rows 2,382–3,176 \(795 rows\), but windows read only rows before 2,477: the data's last 700 rows are left to targets \(the delay\), as Keras' data = rows\[:-delay\] does\. That leaves it 95 rows \(2,382–2,476\) to read, and one window reads 598 rows \(sequence length 200 at sampling rate 3\): 503 rows short\. Let the test split start by row 1,879 \(it starts at 2,382\): lower the training or validation fraction; or lower the sequence length, sampling rate or delay\.$/m,
    )
  })
  it('usage errors exit with 2; --json errors are JSON on stderr', async () => {
    const a = await cli(
      'baseline',
      sunspots,
      '--target',
      'sunspots',
      '--sequence-length',
      'ten',
      '--delay',
      '3',
    )
    expect(a.code).toBe(2)
    expect(a.stderr).toBe('--sequence-length: expected a whole number ≥ 1, received "ten".\n')
    const b = await cli(
      'baseline',
      sunspots,
      '--target',
      'nope',
      '--sequence-length',
      '3',
      '--delay',
      '3',
      '--json',
    )
    expect(b.code).toBe(1)
    expect(JSON.parse(b.stderr)).toEqual({
      error: { kind: 'column', message: expect.stringContaining('no column "nope"') },
    })
    expect((await cli('frobnicate')).code).toBe(2)
  })
  it('a target with text in it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seqcast-cli-'))
    const file = join(dir, 'mixed.csv')
    const rows = ['t,y'].concat(
      Array.from({ length: 40 }, (_, i) => `${2000 + i},${i % 7 === 3 ? 'broken' : i}`),
    )
    writeFileSync(file, rows.join('\n'))
    const r = await cli('baseline', file, '--target', 'y', '--sequence-length', '3', '--delay', '3')
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/mixed\.csv/)
    expect(r.stderr).toMatch(/"y"/)
  })
  it('repairs on the command line fill the gaps the error asked about', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seqcast-cli-'))
    const file = join(dir, 'holes.csv')
    const rows = ['t,y'].concat(
      Array.from({ length: 40 }, (_, i) => `${2000 + i},${i === 10 ? 'NA' : i}`),
    )
    writeFileSync(file, rows.join('\n'))
    const args = [
      'baseline',
      file,
      '--target',
      'y',
      '--sequence-length',
      '3',
      '--delay',
      '3',
      '--split',
      '0.5,0.25',
      '--json',
    ]
    const failed = await cli(...args)
    expect(failed.code).toBe(1)
    expect(JSON.parse(failed.stderr).error.message).toMatch(
      /1 missing value \(first in data row 11\)/,
    )
    const fixed = await cli(...args, '--fill', 'linear')
    expect(fixed.code).toBe(0)
    // y = row index everywhere after linear interpolation: the naive error is exactly 1.
    expect(JSON.parse(fixed.stdout).baselines.naive.train.mae).toBe(1)
  })
})

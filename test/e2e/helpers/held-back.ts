/**
 * Files in the layouts of the five real files issue 12 was tried on by hand (this repository
 * does not hold them), written from fixed seeds so every run makes the same bytes:
 *
 *   seattle-weather.csv   daily, date-only dates, a text `weather` label (1,461 rows, 2012–2015)
 *   co2-mm-mlo.csv        NOAA monthly CO2: year, month, `decimal date`, average with -99.99
 *                         sentinels for months not measured (800 rows from 1958-03)
 *   eustock.csv           R's EuStockMarkets written by write.csv: time as decimal years from
 *                         1991.49615384615, one step 1/260 year, DAX/SMI/CAC/FTSE (1,860 rows)
 *   LD2011_2014.txt.csv   UCI ElectricityLoadDiagrams: `;`, decimal commas, quoted header with
 *                         an empty first name, 15-minute rows, 20 of its 370 meters (14 days)
 *   hourly-normals.csv    NOAA hourly normals: station id and name (text), latitude/longitude/
 *                         elevation (constant), hourly temperature and dew point (one year of
 *                         8,760 hours written without a year: 01-01T01:00:00 … 12-31T24:00:00)
 *
 * Tests call `heldBackFiles(dir)`; a person walking the app by hand runs
 * `node --import tsx test/e2e/helpers/held-back.ts /tmp/audit/files`.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { argv } from 'node:process'

const ROOT = resolve(import.meta.dirname, '../../..')

/** A linear congruential generator in [0, 1): no Math.random, the same file every run. */
function uniform(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0
    return s / 2 ** 32
  }
}

/** A random walk rounded to two decimals, as prices and loads are written. */
export function walk(n: number, seed: number, start: number, step = 4): number[] {
  const u = uniform(seed)
  let v = start
  return Array.from({ length: n }, () => {
    v += (u() - 0.5) * step
    return Math.round(v * 100) / 100
  })
}

const day = (y: number, m: number, d: number) =>
  new Date(Date.UTC(y, m, d)).toISOString().slice(0, 10)

export function seattleWeather(): string {
  const u = uniform(21)
  const kinds = ['drizzle', 'rain', 'sun', 'snow', 'fog']
  const lines = ['date,precipitation,temp_max,temp_min,wind,weather']
  for (let i = 0; i < 1461; i++) {
    const season = Math.cos((2 * Math.PI * (i - 200)) / 365.25)
    const tmax = 16 + 9 * season + (u() - 0.5) * 6
    const rain = u() < 0.4 ? Math.round(u() * 200) / 10 : 0
    const kind = rain > 0 ? kinds[u() < 0.7 ? 1 : 0] : kinds[2 + Math.floor(u() * 3)]
    lines.push(
      [
        day(2012, 0, 1 + i),
        rain,
        tmax.toFixed(1),
        (tmax - 7 - u() * 3).toFixed(1),
        (1 + u() * 6).toFixed(1),
        kind,
      ].join(','),
    )
  }
  return lines.join('\n') + '\n'
}

export function co2Monthly(): string {
  const u = uniform(33)
  const lines = ['year,month,decimal date,average']
  for (let r = 0; r < 800; r++) {
    const y = 1958 + Math.floor((r + 2) / 12)
    const m = ((r + 2) % 12) + 1
    const value =
      315 + 0.07 * r + 0.0001 * r * r + 3 * Math.sin((2 * Math.PI * (m - 3)) / 12) + u() - 0.5
    // NOAA writes -99.99 for the months of 1958–1964 that were not measured.
    const missing = r === 3 || r === 8 || r === 9 || r === 70
    lines.push(
      `${y},${m},${(y + (m - 0.5) / 12).toFixed(4)},${missing ? '-99.99' : value.toFixed(2)}`,
    )
  }
  return lines.join('\n') + '\n'
}

export function euStock(): string {
  const cols = [walk(1860, 7, 1628.75, 30), walk(1860, 8, 1678.1, 30)]
  cols.push(walk(1860, 9, 1772.8, 30), walk(1860, 10, 2443.6, 30))
  const lines = ['"","time","DAX","SMI","CAC","FTSE"']
  for (let i = 0; i < 1860; i++) {
    // R's write.csv prints 15 significant digits: 1991.49615384615, 1991.5, 1991.50384615385 …
    const t = Number((1991.49615384615 + i / 260).toPrecision(15))
    lines.push(`"${i + 1}",${t},${cols.map((c) => c[i]).join(',')}`)
  }
  return lines.join('\n') + '\n'
}

export function electricity(): string {
  return execFileSync(
    'node',
    [join(ROOT, 'scripts/make-electricity-like.mjs'), '--days', '14', '--clients', '20'],
    { encoding: 'utf8', maxBuffer: 1 << 28 },
  )
}

export function hourlyNormals(): string {
  const u = uniform(55)
  const header = ['STATION', 'DATE', 'LATITUDE', 'LONGITUDE', 'ELEVATION', 'NAME']
  header.push('HLY-TEMP-NORMAL', 'HLY-DEWP-NORMAL')
  const lines = [header.map((h) => `"${h}"`).join(',')]
  const start = Date.UTC(2010, 0, 1, 1)
  for (let h = 0; h < 8760; h++) {
    const t = new Date(start + h * 3_600_000)
    const season = Math.cos((2 * Math.PI * (h / 24 - 200)) / 365)
    const daily = Math.sin((2 * Math.PI * (t.getUTCHours() - 9)) / 24)
    const temp = 52 + 12 * season + 6 * daily + (u() - 0.5)
    // NOAA writes month-day and hour without a year, hours 01…24: "01-01T01:00:00", …,
    // "01-01T24:00:00" (midnight ending the day), …, "12-31T24:00:00".
    const end = new Date(t.getTime() - 3_600_000)
    const when =
      t.getUTCHours() === 0
        ? `${end.toISOString().slice(5, 10)}T24:00:00`
        : t.toISOString().slice(5, 19)
    lines.push(
      [
        '"USW00024233"',
        `"${when}"`,
        '"47.4444"',
        '"-122.3138"',
        '"112.8"',
        '"SEATTLE TACOMA AIRPORT, WA US"',
        `"${temp.toFixed(1)}"`,
        `"${(temp - 8 - u() * 2).toFixed(1)}"`,
      ].join(','),
    )
  }
  return lines.join('\n') + '\n'
}

export const HELD_BACK = {
  seattle: { name: 'seattle-weather.csv', text: seattleWeather },
  co2: { name: 'co2-mm-mlo.csv', text: co2Monthly },
  eustock: { name: 'eustock.csv', text: euStock },
  electricity: { name: 'LD2011_2014.txt.csv', text: electricity },
  normals: { name: 'hourly-normals.csv', text: hourlyNormals },
} as const

export type HeldBack = keyof typeof HELD_BACK

/** Writes the chosen files into `dir` and returns their paths by key. */
export function heldBackFiles(
  dir: string,
  keys: HeldBack[] = Object.keys(HELD_BACK) as HeldBack[],
): Record<HeldBack, string> {
  mkdirSync(dir, { recursive: true })
  const paths = {} as Record<HeldBack, string>
  for (const key of keys) {
    paths[key] = join(dir, HELD_BACK[key].name)
    writeFileSync(paths[key], HELD_BACK[key].text())
  }
  return paths
}

if (argv[1] && resolve(argv[1]) === resolve(import.meta.filename)) {
  const dir = argv[2] ?? '/tmp/audit/files'
  for (const [key, path] of Object.entries(heldBackFiles(dir))) console.log(key, path)
}

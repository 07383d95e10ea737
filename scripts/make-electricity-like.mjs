#!/usr/bin/env node
// Writes a load file in the layout of the UCI "ElectricityLoadDiagrams20112014" data used in
// Gulli's chapter: ';'-separated, decimal commas, quoted timestamps every 15 minutes, an empty
// first header name, one column per client (kW). Deterministic for a given --seed.
//
//   node scripts/make-electricity-like.mjs --days 120 --clients 3 > electricity_sample.csv
import { argv, stdout } from 'node:process'

const opt = { days: 120, clients: 3, seed: 7 }
for (let i = 2; i < argv.length; i++) {
  const key = argv[i].replace(/^--/, '')
  if (!(key in opt)) throw new Error(`unknown argument ${argv[i]}`)
  opt[key] = Number(argv[++i])
}

let s = opt.seed >>> 0
const rand = () => {
  s = (s + 0x6d2b79f5) >>> 0
  let t = s
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const pad = (n) => String(n).padStart(2, '0')
const names = Array.from({ length: opt.clients }, (_, i) => `MT_${String(i + 1).padStart(3, '0')}`)
const out = [['""', ...names.map((n) => `"${n}"`)].join(';') + '\n']
const base = names.map((_, i) => 20 + 35 * i)
const noise = names.map(() => 0)
const start = Date.UTC(2011, 0, 1, 0, 15)
for (let r = 0; r < opt.days * 96; r++) {
  const t = new Date(start + r * 900_000)
  const hour = t.getUTCHours() + t.getUTCMinutes() / 60
  const weekday = t.getUTCDay()
  const daily = 0.55 + 0.45 * Math.max(0, Math.sin((Math.PI * (hour - 6)) / 14))
  const weekly = weekday === 0 || weekday === 6 ? 0.8 : 1
  const stamp = `"${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:00"`
  const cells = names.map((_, i) => {
    noise[i] = 0.97 * noise[i] + 0.6 * (rand() - 0.5)
    const v = Math.max(0, base[i] * daily * weekly * (1 + 0.08 * noise[i]))
    return String(+v.toFixed(11)).replace('.', ',')
  })
  out.push([stamp, ...cells].join(';') + '\n')
}
stdout.write(out.join(''))

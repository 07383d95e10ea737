#!/usr/bin/env node
// Writes a synthetic monthly series shaped like Mauna Loa CO2 (which this repository does not
// hold): a quadratic trend, an annual season of two harmonics and AR(1) noise, 600 months from
// 1959-01. Deterministic. The README's transform figures use it:
//
//   node scripts/make-co2-like.mjs > /tmp/co2_like.csv
//   npm run forecast -- train /tmp/co2_like.csv --target co2 --features co2 \
//     --sequence-length 24 --delay 24 --model linear --transform change --epochs 200 --out runs/co2
import { stdout } from 'node:process'

let s = 12345
const rand = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32
const normal = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand())
const lines = ['date,co2']
let e = 0
for (let r = 0; r < 600; r++) {
  e = 0.6 * e + 0.25 * normal()
  const v =
    315 +
    0.065 * r +
    0.00012 * r * r +
    3 * Math.sin((2 * Math.PI * r) / 12) +
    0.8 * Math.cos((4 * Math.PI * r) / 12) +
    e
  lines.push(
    `${1959 + Math.floor(r / 12)}-${String((r % 12) + 1).padStart(2, '0')},${v.toFixed(3)}`,
  )
}
stdout.write(lines.join('\n') + '\n')

/**
 * One side of bench/stats.ts, run as its own process: read the CSV, fit ETS with season 96 on the
 * training half, forecast every window one step ahead by filtering with the fitted parameters.
 * Prints one JSON line.
 */
import { readFileSync } from 'node:fs'
import { fitStatModel, forecastWindows, statModelName } from '../src/core/stats'

const [file, model = 'ZZZ'] = process.argv.slice(2)
const started = performance.now()
const y = Float64Array.from(readFileSync(file, 'utf8').trim().split('\n').slice(1), (line) =>
  Number(line.split(',')[1]),
)
const train = Math.floor(y.length / 2)
const fitStart = performance.now()
const fitted = fitStatModel('ets', y.subarray(0, train), { seasons: [96], etsModel: model })
const filterStart = performance.now()
// Every window: last rows 0 … n−2, target the next row.
const lastRows = Int32Array.from({ length: y.length - 1 }, (_, t) => t)
const forecasts = forecastWindows(fitted, y, lastRows, 1, 1)
const done = performance.now()
let mae = 0
for (let t = train; t < y.length; t++) mae += Math.abs(forecasts[t - 1] - y[t])
console.log(
  JSON.stringify({
    model: statModelName(fitted),
    fitSeconds: (filterStart - fitStart) / 1000,
    filterSeconds: (done - filterStart) / 1000,
    inProcessSeconds: (done - started) / 1000,
    mae: mae / (y.length - train),
  }),
)

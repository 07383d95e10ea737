/**
 * `npm run recipes`: a wrong --only is a usage error naming the recipes; the electricity recipe
 * (Gulli) trains stateless then stateful LSTM(10) and reports each next to the naive baseline,
 * whose validation MAE is recomputed here from the file's text.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { makeRecipes } from '../../src/cli/recipes'
import { EngineHost } from '../../src/core/engine/host'
import { tsxWorker } from '../core/engine/helpers'
import { captureIO } from './helpers'

const ELECTRICITY = fileURLToPath(
  new URL('../../resources/data/electricity_sample.csv', import.meta.url),
)
const hosts: EngineHost[] = []
const recipes = makeRecipes(() => {
  const host = new EngineHost({ createWorker: tsxWorker })
  hosts.push(host)
  return host
})

afterAll(async () => {
  await Promise.all(hosts.map((h) => h.dispose()))
})

interface RecipeReport {
  recipe: string
  epochs: number
  backend: { used: string }
  metrics: { val: { mae: number } }
  baselines: { naive: { val: { mae: number; n: number } } }
}

const io = captureIO

describe('recipes', () => {
  it('names the recipes when --only is wrong', async () => {
    await expect(recipes(['--only', 'weather'], io())).rejects.toThrow(
      '--only: expected one of sunspots, electricity, jena, received "weather".',
    )
  })

  it('electricity: stateless, then stateful LSTM(10), each next to the naive baseline', async () => {
    const out = io()
    const code = await recipes(
      [
        '--only',
        'electricity',
        '--electricity',
        ELECTRICITY,
        '--electricity-epochs',
        '2',
        '--json',
      ],
      out,
    )
    expect(code).toBe(0)
    const reports = out
      .out()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as RecipeReport)
    expect(reports.map((r) => r.recipe)).toEqual([
      'electricity, stateless LSTM(10) (Gulli)',
      'electricity, stateful LSTM(10) (Gulli)',
    ])
    // MT_001 by hand: `;`-separated, decimal commas. 11,520 rows: validation rows 8,064 … 9,791,
    // windows of 20 starting at 8,064 … 8,064 + 1,708; naive = the window's last row (s + 19)
    // for the target s + 20.
    const y = readFileSync(ELECTRICITY, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => Number(line.split(';')[1].replace(',', '.')))
    expect(y.length).toBe(11_520)
    let sum = 0
    for (let s = 8064; s < 8064 + 1709; s++) sum += Math.abs(y[s + 20] - y[s + 19])
    for (const r of reports) {
      expect(r.epochs).toBe(2)
      expect(r.backend.used).toMatch(/^(wasm|cpu|tfjs-node|tfjs-node-gpu)$/)
      expect(r.baselines.naive.val.n).toBe(1709)
      expect(r.baselines.naive.val.mae).toBeCloseTo(sum / 1709, 9)
      expect(Number.isFinite(r.metrics.val.mae)).toBe(true)
    }
  })
})

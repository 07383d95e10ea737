/**
 * A statistical model reads its target alone: `predict` with an ETS model trained next to a
 * feature column accepts a file that holds only the time and the target, and forecasts it exactly
 * as it forecasts the training file (the feature never entered).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { makePredict } from '../../src/cli/commands/predict'
import { makeTrain } from '../../src/cli/commands/train'
import { EngineHost } from '../../src/core/engine/host'
import { tsxWorker } from '../core/engine/helpers'
import { captureIO, writeMonthly } from './helpers'

const dir = mkdtempSync(join(tmpdir(), 'seqcast-stat-predict-'))
const host = new EngineHost({ createWorker: tsxWorker })
afterAll(async () => {
  await host.dispose()
  rmSync(dir, { recursive: true, force: true })
})

describe('predict with a statistical model', () => {
  it('needs only the target column: a file without the features forecasts the same', async () => {
    const { csv: monthly, values } = writeMonthly(dir, 3)
    // month,x,y: x is a feature column the ETS model was set up with but never reads.
    const lines = readFileSync(monthly, 'utf8').trim().split('\n')
    const both = join(dir, 'both.csv')
    writeFileSync(
      both,
      [
        'month,x,y',
        ...lines.slice(1).map((l, t) => `${l.split(',')[0]},${t % 7},${values[t]}`),
      ].join('\n') + '\n',
    )
    const model = join(dir, 'run')
    const sink = captureIO()
    const args = ['--target', 'y', '--features', 'x,y', '--sequence-length', '12', '--delay', '12']
    expect(await makeTrain({ host })([both, ...args, '--model', 'ets', '--out', model], sink)).toBe(
      0,
    )

    const predict = async (csv: string, out: string) => {
      const io = captureIO()
      const code = await makePredict({ host })([join(model, 'model'), csv, '--out', out], io)
      expect(code, io.err()).toBe(0)
      return readFileSync(out, 'utf8')
    }
    const fromBoth = await predict(both, join(dir, 'both-forecasts.csv'))
    // The training file's own layout without x: month,y.
    const fromTarget = await predict(monthly, join(dir, 'y-forecasts.csv'))
    expect(fromTarget).toBe(fromBoth)
    expect(fromBoth.trim().split('\n').length).toBeGreaterThan(200)
  })
})

/**
 * Statistical model packages on disk: seqcast.json + stats.json as a folder and a zip, and the
 * messages for files that do not belong together or are missing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { unzipPackage } from '../../../src/core/engine/artifacts'
import { readModel, writeModelFolder, zipModel } from '../../../src/core/services/model-files'
import { trainRun } from '../../../src/core/services/train-run'
import { modelPackageSchema } from '../../../src/shared/models/package-check'
import type { ModelPackage } from '../../../src/shared/run'
import { runConfig, spec, sunspots, window } from '../engine/helpers'

const dir = mkdtempSync(join(tmpdir(), 'seqcast-stat-package-'))
let pkg: ModelPackage

beforeAll(async () => {
  const config = runConfig(spec('theta'), window(12))
  pkg = (await trainRun(sunspots(300), config)).artifacts!
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('statistical model files', () => {
  it('a folder and a zip of seqcast.json + stats.json read back to the same package', async () => {
    const folder = join(dir, 'theta')
    await writeModelFolder(folder, pkg)
    const back = await readModel(folder)
    expect(back.stats).toBe(pkg.stats)
    expect(back.manifest).toEqual(JSON.parse(JSON.stringify(pkg.manifest)))
    const zipped = unzipPackage(zipModel(pkg), 'theta.zip')
    expect(zipped.stats).toBe(pkg.stats)
    expect(zipped.modelJson).toBeNull()
    // The path of stats.json itself opens its folder.
    expect((await readModel(join(folder, 'stats.json'))).stats).toBe(pkg.stats)
  })

  it('stats.json of another kind than seqcast.json names: refused, naming both', async () => {
    const folder = join(dir, 'mismatch')
    await writeModelFolder(folder, pkg)
    const stats = JSON.parse(pkg.stats!)
    writeFileSync(
      join(folder, 'stats.json'),
      JSON.stringify({
        format: 1,
        model: {
          kind: 'ets',
          spec: { error: 'A', trend: 'N', season: 'N', period: 1 },
          params: { alpha: 0.5, beta: 0, gamma: 0, phi: 1 },
          init: { level: 0, slope: 0, season: [] },
          sigma2: 1,
          aicc: 0,
          trainRows: stats.model.trainRows,
        },
      }),
    )
    await expect(readModel(folder)).rejects.toMatchObject({
      kind: 'model-mismatch',
      message: expect.stringMatching(
        /stats\.json holds a model of kind "ets", but seqcast\.json describes one of kind "theta"\. .*export the model again/,
      ),
    })
  })

  it('a damaged stats.json or a missing seqcast.json: the file and what to do', async () => {
    const folder = join(dir, 'damaged')
    await writeModelFolder(folder, pkg)
    writeFileSync(join(folder, 'stats.json'), '{"format": 1, "model": {"kind": "theta"}}')
    await expect(readModel(folder)).rejects.toMatchObject({
      kind: 'model-mismatch',
      message: expect.stringMatching(
        /stats\.json: not a Seqcast statistical model .*Export the model again/,
      ),
    })
    const lonely = join(dir, 'lonely')
    await writeModelFolder(lonely, pkg)
    rmSync(join(lonely, 'seqcast.json'))
    await expect(readModel(lonely)).rejects.toMatchObject({
      message: expect.stringMatching(
        /seqcast\.json is missing\. A Seqcast statistical model holds stats\.json and seqcast\.json/,
      ),
    })
  })

  it('a file that is neither a package file nor a zip names both kinds of package', async () => {
    const notes = join(dir, 'notes.txt')
    writeFileSync(notes, 'not a model')
    await expect(readModel(notes)).rejects.toMatchObject({
      kind: 'model-mismatch',
      message: `${notes}: expected a Seqcast model folder or .zip (holding seqcast.json with model.json and weights.bin, or with stats.json).`,
    })
  })

  it('crosses the IPC boundary: the package schema takes it, and refuses another kind or tfjs weights', () => {
    const wire = (p: Partial<ModelPackage>) => ({
      manifest: JSON.parse(JSON.stringify(pkg.manifest)),
      modelJson: null,
      weights: new Uint8Array(0),
      stats: pkg.stats,
      ...p,
    })
    const ok = modelPackageSchema.safeParse(wire({}))
    expect(ok.success).toBe(true)
    expect(ok.data?.stats).toBe(pkg.stats)
    const other = JSON.parse(pkg.stats!)
    other.model.kind = 'ets'
    const wrong = modelPackageSchema.safeParse(wire({ stats: JSON.stringify(other) }))
    expect(wrong.error?.issues[0].message).toMatch(
      /stats\.json holds a model of kind "ets", but seqcast\.json describes one of kind "theta"/,
    )
    const weights = modelPackageSchema.safeParse(wire({ weights: new Uint8Array(4) }))
    expect(weights.error?.issues[0].message).toMatch(/holds no model\.json or weights/)
  })
})

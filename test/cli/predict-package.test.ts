/** `predict` checks the model package it loads, with the same words as the app. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { zipSync } from 'fflate'
import { runCli } from '../../src/cli/index'
import { writeModelFolder } from '../../src/core/services/model-files'
import { packageFiles, unzipPackage } from '../../src/core/engine/artifacts'
import { linearPackage, modelJson } from '../shared/models/package-fixture'

const root = resolve(__dirname, '../..')
const sunspots = join(root, 'resources/data/sunspots_monthly.csv')
const dir = mkdtempSync(join(tmpdir(), 'seqcast-predict-package-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function cli(...argv: string[]) {
  let stdout = ''
  let stderr = ''
  const code = await runCli(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  })
  return { code, stdout, stderr }
}

describe('predict refuses a broken model package', () => {
  it('a model whose weights are NaN: non-zero exit, a message, no CSV', async () => {
    const pkg = linearPackage()
    pkg.weights = new Uint8Array(new Float32Array(13).fill(NaN).buffer)
    const folder = join(dir, 'nan')
    await writeModelFolder(folder, pkg)
    const out = join(dir, 'nan.csv')
    const { code, stderr } = await cli('predict', folder, sunspots, '--out', out)
    expect(code).not.toBe(0)
    expect(code).not.toBe(70) // not an internal error
    expect(stderr).toContain(`${folder}: the model's weights hold NaN or infinite values`)
    expect(stderr).toContain('12 of 12 in "dense_1/kernel"')
    expect(existsSync(out)).toBe(false)
  })

  it('a seqcast.json that disagrees with model.json: a clear message, not exit 70', async () => {
    const pkg = linearPackage()
    pkg.modelJson = modelJson([null, 24, 1]) // model.json takes 24 rows, seqcast.json says 12
    pkg.weights = new Uint8Array(25 * 4)
    const zip = join(dir, 'mismatch.zip')
    writeFileSync(zip, zipSync(packageFiles(pkg)))
    const { code, stderr } = await cli('predict', zip, sunspots, '--out', join(dir, 'm.csv'))
    expect(code).not.toBe(0)
    expect(code).not.toBe(70)
    expect(stderr).toContain(
      'mismatch.zip: model.json takes windows of 24 rows × 1 feature, but seqcast.json describes 12 rows',
    )
  })

  it('a zip that unpacks beyond the limit is refused before it is inflated', async () => {
    const pkg = linearPackage()
    const files = packageFiles(pkg)
    // 64 MiB of zeros packs into a few KiB; with a 32 MiB limit it must not be inflated.
    files['padding.bin'] = new Uint8Array(64 * 1024 ** 2)
    const zip = join(dir, 'bomb.zip')
    writeFileSync(zip, zipSync(files, { level: 9 }))
    expect(() => unzipPackage(readFileSync(zip), 'bomb.zip', 32 * 1024 ** 2)).toThrow(
      'bomb.zip: the zip unpacks to more than 32 MiB',
    )
  })
})

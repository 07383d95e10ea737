/** Temp folders, stub programs and child runs for the tests of scripts/*.mjs. */
import { spawn } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { afterEach } from 'vitest'

export const ROOT = resolve(import.meta.dirname, '../..')

const made: string[] = []
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** A temp folder removed after the current test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'seqcast-scripts-test-'))
  made.push(dir)
  return dir
}

/** An executable shell script at `path` with `body` after the #! line. */
export function writeScript(path: string, body: string): string {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, `#!/bin/sh\n${body}\n`)
  chmodSync(path, 0o755)
  return path
}

/** A program that prints `version` for --version, as Chromium, clang and wasm-ld do. */
export function writeVersionStub(path: string, version: string): string {
  return writeScript(path, `echo "${version}"`)
}

export interface Run {
  code: number | null
  stdout: string
  stderr: string
}

/**
 * Runs `node scripts/<script>` with exactly `env` (nothing inherited, so a developer's
 * CHROMIUM_PATH or npm_config_electron_mirror cannot change the answer). Asynchronous, so a
 * server in this process can answer the child.
 */
export function runScript(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  const child = spawn(process.execPath, [join(ROOT, 'scripts', script), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: tmpdir(), ...env },
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  return new Promise((done, fail) => {
    child.on('error', fail)
    child.on('close', (code) => done({ code, stdout, stderr }))
  })
}

/**
 * Uploads a file to `npm run serve` as the page does (POST /upload with the token) and returns
 * the handle requests name it by: the browser transport reads nothing else on the server.
 */
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'

export async function uploadFile(serverUrl: string, path: string): Promise<{ handle: string }> {
  const url = new URL(serverUrl)
  const token = url.searchParams.get('token') ?? ''
  const target = new URL('/upload', url.origin)
  target.searchParams.set('token', token)
  target.searchParams.set('name', basename(path))
  const res = await fetch(target, {
    method: 'POST',
    headers: { Origin: url.origin },
    body: readFileSync(path),
  })
  const body = (await res.json()) as { handle?: string; error?: { message: string } }
  if (!res.ok || !body.handle) throw new Error(`upload of ${path}: ${body.error?.message}`)
  return { handle: body.handle }
}

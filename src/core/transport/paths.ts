/** Path containment, separator-safe (`/app/out/renderer-old` is not inside `/app/out/renderer`). */
import { isAbsolute, relative, resolve, sep } from 'node:path'

/** True when `path` is `root` itself or lies under it, after resolving `.` and `..`. */
export function isInside(root: string, path: string): boolean {
  const rel = relative(resolve(root), resolve(path))
  if (rel === '') return true
  return rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel)
}

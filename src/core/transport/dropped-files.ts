/**
 * A file dropped on the desktop window. The preload turns the dropped File into its path
 * (webUtils.getPathForFile, which only a real drop or file input can answer) and main records it
 * as chosen: the page gets a read handle, never the path. The same rules as for any read apply:
 * an absolute path to a regular file outside the system folders.
 */
import { stat } from 'node:fs/promises'
import { basename, isAbsolute } from 'node:path'
import { SeqcastError } from '../../shared/errors'
import type { FileGrant } from '../../shared/ipc/contract'
import { refuseSystemPath } from '../files/system-paths'
import { ioError } from './file-policy'
import type { FileGrants } from './grants'

export async function grantDropped(grants: FileGrants, path: unknown): Promise<FileGrant> {
  if (typeof path !== 'string' || path === '' || path.length > 4096 || !isAbsolute(path)) {
    throw new SeqcastError(
      'io',
      'This item has no file on disk (drop a file from a folder, not from a web page or an archive).',
    )
  }
  const name = basename(path)
  await refuseSystemPath(path, name, 'read')
  let info
  try {
    info = await stat(path)
  } catch (error) {
    throw ioError(name, error, 'open')
  }
  if (!info.isFile()) {
    throw new SeqcastError(
      'io',
      `${name}: ${info.isDirectory() ? 'a folder' : 'not a regular file'} cannot be imported. Drop a CSV file or a model .zip.`,
      { file: name },
    )
  }
  return grants.grant({ capability: 'read', path, name })
}

/**
 * Why the file system refused, in words a person reads. One table for every reader and writer
 * (CLI outputs, the transports' reads and writes), so the same error code never gets two
 * explanations. A missing path means different things when reading (the file is gone) and when
 * writing (its folder refuses new files, as /proc does).
 */
const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder, not a file',
  ENAMETOOLONG: 'the path is too long',
  EMFILE: 'too many files are open',
  EBUSY: 'the file is in use',
  EIO: 'the disk reported an error',
  ENXIO: 'it is a device or pipe without a reader',
}

/** The reason for `error` when trying to `purpose` a path. */
export function ioReason(error: unknown, purpose: 'read' | 'write'): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  if (code === 'ENOENT') {
    return purpose === 'read'
      ? 'it does not exist'
      : 'the folder does not allow new files (a system folder such as /proc?)'
  }
  if (code && REASONS[code]) return REASONS[code]
  if (code) return `the system reported ${code}`
  return (error as Error | undefined)?.message ?? String(error)
}

import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { appFileFor } from '../../../src/core/transport/app-protocol'
import { isInside } from '../../../src/core/transport/paths'

const root = join('/opt', 'seqcast', 'out', 'renderer')

describe('app:// resolves only files of the built renderer', () => {
  it('maps app://seqcast paths into the renderer folder', () => {
    expect(appFileFor(root, 'app://seqcast/index.html')).toBe(join(root, 'index.html'))
    expect(appFileFor(root, 'app://seqcast/')).toBe(join(root, 'index.html'))
    expect(appFileFor(root, 'app://seqcast/assets/app%20x.js')).toBe(join(root, 'assets/app x.js'))
  })

  it('refuses a sibling folder that shares the prefix (out/renderer-old)', () => {
    // startsWith(rendererDir) without a separator let these through
    // decodes to /../renderer-old/evil.js → /opt/seqcast/out/renderer-old/evil.js
    expect(appFileFor(root, 'app://seqcast/..%2Frenderer-old%2Fevil.js')).toBeNull()
    // URL parsing resolves a plain %2e%2e segment itself: it stays inside the renderer folder
    expect(appFileFor(root, 'app://seqcast/%2e%2e/renderer-old/evil.js')).toBe(
      join(root, 'renderer-old', 'evil.js'),
    )
    expect(isInside(root, `${root}-old/evil.js`)).toBe(false)
    expect(isInside(root, `${root}/evil.js`)).toBe(true)
    expect(isInside(root, `${root}/..evil.js`)).toBe(true) // a file named "..evil.js" is inside
  })

  it('refuses traversal, other hosts and schemes, NULs and malformed escapes', () => {
    for (const url of [
      'app://seqcast/..%2F..%2F..%2Fetc%2Fpasswd',
      'app://seqcast/%2e%2e%2f%2e%2e%2fetc/passwd',
      'app://other/index.html',
      'file:///etc/passwd',
      'app://seqcast/index.html%00.png',
      'app://seqcast/%E0%A4%A',
      'not a url',
    ]) {
      expect(appFileFor(root, url), url).toBeNull()
    }
  })
})

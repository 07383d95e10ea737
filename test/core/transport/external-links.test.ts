import { describe, expect, it } from 'vitest'
import { isAllowedExternal } from '../../../src/core/transport/external-links'

describe('external links the desktop shell opens', () => {
  it('opens https links to the allowed hosts', () => {
    expect(isAllowedExternal('https://github.com/some/repo')).toBe(true)
    expect(isAllowedExternal('https://keras.io/api/data_loading/timeseries/')).toBe(true)
    expect(isAllowedExternal('https://www.tensorflow.org/js')).toBe(true)
  })

  it('refuses any other host, scheme, port, credentials or look-alike', () => {
    for (const url of [
      'https://evil.example/',
      'http://github.com/',
      'https://github.com.evil.example/',
      'https://evilgithub.com/',
      'https://user:pw@github.com/',
      'https://github.com:8443/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://github.com/share',
      'not a url',
    ]) {
      expect(isAllowedExternal(url), url).toBe(false)
    }
  })
})

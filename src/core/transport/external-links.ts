/**
 * Links the desktop shell opens in the user's browser (`shell.openExternal`): https only, and only
 * to the hosts the app links to (documentation and the project). Anything else is dropped, so a
 * compromised page cannot launch arbitrary URLs or schemes.
 */
export const EXTERNAL_HOSTS: readonly string[] = [
  'github.com',
  'www.tensorflow.org',
  'js.tensorflow.org',
  'keras.io',
  'otexts.com',
]

export function isAllowedExternal(url: string): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  return (
    parsed.protocol === 'https:' &&
    parsed.username === '' &&
    parsed.password === '' &&
    (parsed.port === '' || parsed.port === '443') &&
    EXTERNAL_HOSTS.includes(parsed.hostname)
  )
}

/**
 * The `--store` setting: `memory`, or the URL of a Redis (pure). A URL may carry a password, so it is
 * only ever shown redacted.
 */

export const MEMORY_STORE = 'memory';

/** The URL with any password replaced, for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:@/]*:)[^@/]*@/i, '$1***@');
}

/** Whether `value` is `memory` or `redis[s]://[user:password@]host[:port][/db]` with a whole db number. */
export function isStoreSetting(value: unknown): value is string {
  if (value === MEMORY_STORE) return true;
  if (typeof value !== 'string') return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (
    (url.protocol === 'redis:' || url.protocol === 'rediss:') &&
    url.hostname !== '' &&
    /^(\/\d{0,5})?$/.test(url.pathname) &&
    url.search === '' &&
    url.hash === ''
  );
}

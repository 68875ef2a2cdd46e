/**
 * Headers every answer carries. The API serves JSON and event streams only, never HTML, so nothing may
 * be sniffed, framed, leak a referrer or run a script; and nothing is cached unless a route says so.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cross-origin-resource-policy': 'same-origin',
});

/** Header lines for answers written straight to a socket (client errors before routing). */
export function securityHeaderLines(): string {
  return Object.entries(SECURITY_HEADERS)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
}

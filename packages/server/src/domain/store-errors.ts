/**
 * What a store throws when it cannot answer now but may soon: the HTTP layer answers 503 with
 * Retry-After, and the client retries. Any other error from a store is a bug (500).
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
}

/**
 * Stores for tests: an in-memory store seen through the `JobStore` interface, with some methods
 * replaced (a store that lags, forgets, fails or is slow). No `peek` unless an override gives one,
 * as a store behind a network would be: every read is awaited.
 */
import type { InMemoryJobStore } from '../domain/memory-store.js';
import type { JobStore } from '../domain/store.js';

export function storeOver(inner: InMemoryJobStore, overrides: Partial<JobStore> = {}): JobStore {
  return {
    create: (input, claimedKey) => inner.create(input, claimedKey),
    claimKey: (key, fingerprint) => inner.claimKey(key, fingerprint),
    releaseKey: (key) => inner.releaseKey(key),
    get: (id) => inner.get(id),
    cancel: (id) => inner.cancel(id),
    getMany: (ids) => inner.getMany(ids),
    list: (options) => inner.list(options),
    countByResult: () => inner.countByResult(),
    subscribe: (id, listener) => inner.subscribe(id, listener),
    // A getter, not a copy: spreading a store would freeze the count at the moment of the spread.
    get subscriptionCount() {
      return inner.subscriptionCount;
    },
    close: () => inner.close(),
    ...overrides,
  };
}

/**
 * Idempotency keys (`Idempotency-Key` on POST /jobs): what a store answers when a create claims its key,
 * and how long keys live. The route runs the protocol: claim, then create under the key (or give the
 * claim back if the create failed); the store keeps the keys and makes each claim atomic.
 */

/** A key that made a job answers that job for this long. */
export const IDEMPOTENCY_TTL_MS = 86_400_000;
/** A claim whose create never came (its instance died mid-create) frees the key after this long. */
export const CLAIM_TTL_MS = 30_000;

export type KeyClaim =
  /** The key was free: it is now reserved for this fingerprint. */
  | { readonly status: 'claimed' }
  /** An earlier request with this key is still creating its job. */
  | { readonly status: 'in_progress' }
  /** The key was used with another fingerprint (a different request body). */
  | { readonly status: 'conflict' }
  /** The same key and fingerprint made this job. */
  | { readonly status: 'done'; readonly jobId: string };

interface KeyEntry {
  readonly fingerprint: string;
  /** Undefined while the claim's create is in progress. */
  readonly jobId: string | undefined;
  readonly expiresAtMs: number;
}

/**
 * The keys of one process, for the memory store. Entries expire by time; expired ones at the front of
 * the map (the oldest claims) are swept as new claims arrive, so memory holds about a day of keys.
 */
export class KeyTable {
  readonly #entries = new Map<string, KeyEntry>();

  claim(key: string, fingerprint: string, nowMs: number): KeyClaim {
    this.#sweep(nowMs);
    const entry = this.#entries.get(key);
    if (entry === undefined || entry.expiresAtMs <= nowMs) {
      this.#entries.delete(key);
      this.#entries.set(key, { fingerprint, jobId: undefined, expiresAtMs: nowMs + CLAIM_TTL_MS });
      return { status: 'claimed' };
    }
    if (entry.fingerprint !== fingerprint) return { status: 'conflict' };
    return entry.jobId === undefined ? { status: 'in_progress' } : { status: 'done', jobId: entry.jobId };
  }

  /** Records the job a claimed key made; it answers for `IDEMPOTENCY_TTL_MS` from now. */
  complete(key: string, jobId: string, nowMs: number): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.set(key, { ...entry, jobId, expiresAtMs: nowMs + IDEMPOTENCY_TTL_MS });
  }

  /** Gives back a claim whose create failed; a key that made a job is kept. */
  release(key: string): void {
    if (this.#entries.get(key)?.jobId === undefined) this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }

  #sweep(nowMs: number): void {
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAtMs > nowMs) return;
      this.#entries.delete(key);
    }
  }
}

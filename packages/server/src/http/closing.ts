/**
 * The server's shutdown as a plain set of callbacks: thousands of held requests and streams each add one
 * entry, where an AbortSignal would cost each of them an event listener object. The same set lets go of
 * every held request without closing, when the store they wait on becomes unavailable.
 */
export class Closing {
  #started = false;
  readonly #callbacks = new Set<() => void>();

  /** True once the server has started closing. */
  get started(): boolean {
    return this.#started;
  }

  /** Calls `fn` once when closing starts (now, if it has). Undo with `remove`. */
  add(fn: () => void): void {
    if (this.#started) fn();
    else this.#callbacks.add(fn);
  }

  remove(fn: () => void): void {
    this.#callbacks.delete(fn);
  }

  /**
   * Runs every callback added so far once, without closing: each held request answers from a fresh read
   * (a 503 while the store is unavailable) and each stream ends, so its client asks again.
   */
  releaseAll(): void {
    const callbacks = [...this.#callbacks];
    this.#callbacks.clear();
    for (const fn of callbacks) fn();
  }

  /** Starts closing: every callback added so far runs once. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.releaseAll();
  }
}

/**
 * The server's shutdown as a plain set of callbacks: thousands of held requests and streams each add one
 * entry, where an AbortSignal would cost each of them an event listener object.
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

  /** Starts closing: every callback added so far runs once. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    const callbacks = [...this.#callbacks];
    this.#callbacks.clear();
    for (const fn of callbacks) fn();
  }
}

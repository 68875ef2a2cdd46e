/**
 * Reads asked for in the same turn of the event loop go to Redis together, as one script call per
 * `maxIds` distinct jobs: ten thousand held requests woken by a hundred jobs ending cost a hundred keys
 * in one round trip, not ten thousand round trips. Every read joins a call sent after it was asked for,
 * so no caller is answered with a state older than its own request.
 */
interface Waiter<T> {
  resolve(value: T | undefined): void;
  reject(error: unknown): void;
}

export class ReadBatch<T> {
  readonly #readMany: (ids: readonly string[]) => Promise<(T | undefined)[]>;
  readonly #maxIds: number;
  #pending = new Map<string, Waiter<T>[]>();
  #scheduled = false;

  constructor(readMany: (ids: readonly string[]) => Promise<(T | undefined)[]>, maxIds = 500) {
    this.#readMany = readMany;
    this.#maxIds = maxIds;
  }

  read(id: string): Promise<T | undefined> {
    return new Promise((resolve, reject) => {
      const waiters = this.#pending.get(id);
      if (waiters === undefined) this.#pending.set(id, [{ resolve, reject }]);
      else waiters.push({ resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(this.#flush);
      }
    });
  }

  readonly #flush = (): void => {
    this.#scheduled = false;
    const pending = this.#pending;
    this.#pending = new Map();
    const ids = [...pending.keys()];
    for (let i = 0; i < ids.length; i += this.#maxIds) {
      const chunk = ids.slice(i, i + this.#maxIds);
      this.#readMany(chunk).then(
        (values) => {
          for (const [j, id] of chunk.entries()) for (const w of pending.get(id) ?? []) w.resolve(values[j]);
        },
        (error: unknown) => {
          for (const id of chunk) for (const w of pending.get(id) ?? []) w.reject(error);
        },
      );
    }
  };
}

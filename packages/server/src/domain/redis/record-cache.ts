/**
 * Job records already read, kept parsed: a record never changes once written, so a read of a known job
 * fetches only its times. Bounded; the oldest entry goes first.
 */
import type { JobRecord } from '../state.js';

/** @default entries kept */
const DEFAULT_SIZE = 50_000;

export class RecordCache {
  readonly #records = new Map<string, JobRecord>();
  readonly #size: number;

  constructor(size = DEFAULT_SIZE) {
    this.#size = size;
  }

  get(id: string): JobRecord | undefined {
    return this.#records.get(id);
  }

  remember(record: JobRecord): void {
    if (this.#records.get(record.id) === record) return;
    if (this.#records.size >= this.#size) {
      const oldest = this.#records.keys().next();
      if (oldest.done !== true) this.#records.delete(oldest.value);
    }
    this.#records.set(record.id, record);
  }

  forget(id: string): void {
    this.#records.delete(id);
  }
}

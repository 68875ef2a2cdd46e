/**
 * The webhook ids a receiver has already accepted, so a retried or replayed delivery is answered but
 * not handled twice. Bounded: the oldest id is forgotten first, so memory stays flat however long the
 * receiver runs. Pure (no timers).
 */
export class SeenIds {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity: number) {}

  /** Records `id`; false when it was already there. */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next();
      if (oldest.done !== true) this.ids.delete(oldest.value);
    }
    return true;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }
}

/**
 * A Map that forgets its oldest entry once it holds more than `capacity`; setting a key again makes it
 * the newest. Keeps a receiver's memory flat however long it runs. Pure (no timers).
 */
export class BoundedMap<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly capacity: number) {}

  set(key: K, value: V): void {
    this.entries.delete(key); // re-inserted last: the map's order is the order to forget in
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
  }

  get(key: K): V | undefined {
    return this.entries.get(key);
  }
}

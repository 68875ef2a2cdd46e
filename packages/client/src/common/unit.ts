/** A random draw forced into [0, 1], so a bad generator cannot make a delay negative or NaN. */
export function unit(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}

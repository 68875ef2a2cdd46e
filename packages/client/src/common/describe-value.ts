/**
 * A value as an error message shows it: short strings quoted, numbers and booleans as they are, the
 * rest by kind, so a message can say what it got without dumping an object.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 80 ? `${value.slice(0, 80)}…` : value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  return Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

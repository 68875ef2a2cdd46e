/**
 * "Did you mean": the known name closest to a mistyped one, when one is close enough to be a typo. Used
 * for unknown option keys here and for unknown flags and commands in the CLI.
 */

/**
 * Single-character edits (insert, delete, substitute, or swap two neighbours: `jsno` for `json`) that
 * turn `a` into `b` (optimal string alignment).
 */
export function editDistance(a: string, b: string): number {
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitute = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      let distance = Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, substitute);
      if (a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        distance = Math.min(distance, (before[j - 2] ?? 0) + 1);
      row.push(distance);
    }
    before = previous;
    previous = row;
  }
  return previous[b.length] ?? 0;
}

/**
 * The name in `known` that `typed` most likely meant: the only one it is a prefix of (2 characters or
 * more), else the nearest within a third of its length in edits. Case is ignored, so `timeoutMS` finds
 * `timeoutMs`. Undefined when nothing is that close.
 */
export function closestName(typed: string, known: readonly string[]): string | undefined {
  const lower = typed.toLowerCase();
  const extended = known.filter((name) => name.toLowerCase().startsWith(lower));
  if (lower.length >= 2 && extended.length === 1) return extended[0];
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(typed.length / 3));
  for (const name of known) {
    const distance = editDistance(lower, name.toLowerCase());
    if (distance < bestDistance || (distance === bestDistance && best === undefined)) {
      best = name;
      bestDistance = distance;
    }
  }
  return best;
}

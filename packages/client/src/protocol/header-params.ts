/** Parameters in the `name; key=value, name; key="value"` headers the protocol uses. Pure. */

/**
 * The value of the parameter `key` in `text` (`; key=value` or `, key="value"`, any case, spaces
 * tolerated), unquoted; undefined when absent. Quoted commas and semicolons are rare enough to ignore.
 */
export function headerParam(text: string, key: string): string | undefined {
  const match = new RegExp(`(?:^|[,;])\\s*${key}\\s*=\\s*(?:"([^"]*)"|([^\\s,;]*))`, 'i').exec(text);
  return match === null ? undefined : (match[1] ?? match[2]);
}

/** The parameter `key` as a whole number of at least `least` (a fraction is floored), else undefined. */
export function wholeParam(text: string, key: string, least = 0): number | undefined {
  const value = Math.floor(Number(headerParam(text, key)));
  return Number.isFinite(value) && value >= least ? value : undefined;
}

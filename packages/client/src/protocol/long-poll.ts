/** What a held request (long-poll) sends: `Prefer: wait`, the version it has seen, and `wake`. */
import { urlOf } from './paths.js';

/** Headers of a held read: hold up to `waitS` seconds, answer at once if the job moved past `version`. */
export function holdHeaders(waitS: number, version: number | undefined): Record<string, string> {
  const headers: Record<string, string> = { prefer: `wait=${waitS}` };
  if (version !== undefined) headers['if-none-match'] = `"v${version}"`;
  return headers;
}

/** Asks the server to hold through stage changes and answer only when the job ends. */
export function withWakeOnResult(url: string): string {
  return urlOf(url, url, { wake: 'result' });
}

/**
 * A held batch read that lets the server answer at once if any job moved on since these versions. Sent
 * only when every job's version is known: one unknown would make the server answer immediately.
 */
export function withBatchVersions(url: string, versions: readonly (number | undefined)[]): string {
  return versions.every((v) => v !== undefined) ? urlOf(url, url, { versions: versions.join(',') }) : url;
}

/**
 * What a naive client, polling once a second, would have spent following the same jobs the page
 * followed: the yardstick the request counter shows beside the page's real count. Pure.
 */

/** One job the page followed, on the page's clock. */
export interface Follow {
  /** When the page began following the job (it created it, or found it pending). */
  readonly fromMs: number;
  /** When the page saw it end; undefined while it is still pending. */
  readonly untilMs: number | undefined;
  /** The page created it: both clients pay the POST. */
  readonly created: boolean;
}

/** Requests of a 1 s poller for these follows, as of `nowMs`: a first read, then one per whole second. */
export function naivePollerRequests(follows: Iterable<Follow>, nowMs: number, intervalMs = 1000): number {
  let total = 0;
  for (const follow of follows) {
    const followedMs = Math.max(0, (follow.untilMs ?? nowMs) - follow.fromMs);
    total += 1 + Math.floor(followedMs / intervalMs) + (follow.created ? 1 : 0);
  }
  return total;
}

/**
 * Which pending jobs the page follows over their own event stream and which share one batch. Pure.
 *
 * A browser opens about six connections per origin over HTTP/1.1, and every event stream holds one;
 * the page also needs one free to create jobs and read metrics. So the first few jobs (in the order the
 * page began following them) get a stream each, one request per job with every stage, and the rest
 * share one held batch request, which costs a request per change but a single connection.
 */

/** Streams the page holds at most; the batch and a free connection make six. */
export const MAX_STREAMS = 4;

export interface FollowPlan {
  readonly streams: readonly string[];
  readonly batch: readonly string[];
}

/** `pending` in the order the page began following them; jobs already streaming keep their stream. */
export function planFollows(
  pending: readonly string[],
  streaming: ReadonlySet<string>,
  maxStreams = MAX_STREAMS,
): FollowPlan {
  const kept = pending.filter((id) => streaming.has(id)).slice(0, maxStreams);
  const room = maxStreams - kept.length;
  const added = pending.filter((id) => !streaming.has(id)).slice(0, Math.max(0, room));
  const streams = new Set([...kept, ...added]);
  return {
    streams: pending.filter((id) => streams.has(id)),
    batch: pending.filter((id) => !streams.has(id)),
  };
}

/** Whether two id lists hold the same ids in the same order (the batch need not restart). */
export function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

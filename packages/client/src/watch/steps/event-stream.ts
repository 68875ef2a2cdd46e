/**
 * The event-stream step: one SSE connection, resumed with `Last-Event-ID`; a broken one is retried under
 * the retry policy, and a missing or hopeless one is given up for the next transport. A stream silent
 * past a heartbeat is reconnected, and one silent past the job's ETA is checked by a plain read (a
 * hedge) while it stays open.
 */
import { followEventStream } from '../../http/event-stream.js';
import { linkSignals } from '../../common/signals.js';
import { eventsUrl } from '../../protocol/paths.js';
import { parseStatus } from '../../protocol/status.js';
import { accept, fallBack, readerContext, TRANSPORT_RETRY_MS, type StepContext } from '../context.js';
import { afterBrokenStream } from '../broken-stream.js';
import { readStatus } from '../read-status.js';
import { streamSilenceMs, suspectAt } from '../silence.js';
import { jobIdOf, type WatchState } from '../state.js';

/**
 * The stream to follow: the one the job's answer advertised, else the conventional path when the caller
 * forced `sse` or the server said it streams (an earlier answer), even before this job's own answer.
 */
export function streamUrlOf(ctx: StepContext, state: WatchState): string | undefined {
  const advertised = state.hints?.eventsUrl;
  if (advertised !== undefined) return advertised;
  const id = jobIdOf(state);
  const streams = ctx.settings.transport === 'sse' || ctx.deps.server.capabilities?.events === true;
  if (!streams || id === undefined) return undefined;
  return eventsUrl(ctx.deps.baseUrl, id);
}

export async function streamStep(ctx: StepContext, state: WatchState, signal: AbortSignal): Promise<void> {
  const url = streamUrlOf(ctx, state);
  if (url === undefined) {
    fallBack(ctx, state, 'sse', 'no event stream URL');
    return;
  }
  const context = readerContext(ctx, state, signal);
  const idleMs = streamSilenceMs(
    state.hints?.capabilities.heartbeatMs ?? ctx.deps.server.capabilities?.heartbeatMs,
  );
  // The hedge ends this connection when its read shows what the stream did not (the ending, or a
  // later version): the loop then goes on from what it read.
  const connection = linkSignals(signal);
  const stopHedge = linkSignals(signal);
  const hedge = hedgeWhileStreaming(ctx, state, stopHedge.signal, idleMs, () => {
    connection.abort(HEDGE_SAW_MORE);
  });
  let result;
  try {
    result = await followEventStream(
      ctx.deps,
      { ...context, signal: connection.signal },
      {
        url,
        headers: ctx.deps.headers,
        lastEventId: state.lastEventId,
        idleMs,
        // A job's own stream sends no `missing` event; one would not parse as a status.
        onEvent: (json) => {
          const parsed = parseStatus(json);
          if (!parsed.ok) return { stop: false, problem: parsed.problem };
          return { stop: accept(ctx, state, parsed.status).result !== 'pending' };
        },
      },
    );
  } catch (error) {
    if (signal.aborted || connection.signal.reason !== HEDGE_SAW_MORE) throw error;
    return;
  } finally {
    stopHedge.abort(new DOMException('the stream step ended', 'AbortError'));
    await hedge;
    stopHedge.dispose();
    connection.dispose();
  }
  switch (result.kind) {
    case 'terminal':
      return;
    case 'stale': {
      // The server says the job ended at or before our Last-Event-ID: read it. Still pending means the
      // stream and the status disagree; streaming again would loop, so fall back.
      const next = await readStatus(ctx, state, signal);
      if (next.result === 'pending') fallBack(ctx, state, 'sse', 'the stream answered 204 for a pending job');
      return;
    }
    case 'unavailable':
      fallBack(ctx, state, 'sse', result.reason);
      return;
    case 'broken':
      break;
  }
  // A broken stream is a transient failure: reconnect with Last-Event-ID after the policy's pause; when
  // the policy says stop, or the stream never delivered, fall back to another transport for a while.
  const why = await afterBrokenStream(ctx.deps, context, result, state, true);
  if (why !== undefined) fallBack(ctx, state, 'sse', why, TRANSPORT_RETRY_MS);
}

const HEDGE_SAW_MORE = new DOMException('a plain read saw more than the stream', 'AbortError');

/**
 * While the stream is open: once the job should have ended (its ETA plus grace, counted from the last
 * status) with nothing on the stream, read the status plainly. `sawMore` is called when that read shows
 * the ending or a version the stream never delivered; an unchanged answer just refreshes the ETA.
 */
async function hedgeWhileStreaming(
  ctx: StepContext,
  state: WatchState,
  stop: AbortSignal,
  idleMs: number,
  sawMore: () => void,
): Promise<void> {
  const { clock, logger } = ctx.deps;
  try {
    for (;;) {
      const at = suspectAt(state.status, state.statusAt);
      // Without an estimate there is nothing to suspect yet: look again once an event may have brought
      // one (a fresh stream's first event is due within a request timeout).
      const unknownMs = state.status === undefined ? ctx.settings.requestTimeoutMs : idleMs;
      const waitMs = at === undefined ? unknownMs : at - clock.now();
      if (waitMs > 0) {
        await clock.sleep(waitMs, stop);
        continue;
      }
      const before = state.status?.version;
      logger.debug(
        { jobId: jobIdOf(state), version: before },
        "the event stream is silent past the job's ETA: reading the status plainly (hedge)",
      );
      const read = await readStatus(ctx, state, stop);
      const newer = read.version !== undefined && (before === undefined || read.version > before);
      if (read.result !== 'pending' || newer) {
        sawMore();
        return;
      }
    }
  } catch (error) {
    if (stop.aborted) return;
    logger.debug({ jobId: jobIdOf(state), err: error }, 'the hedge read failed; following the stream still');
  }
}

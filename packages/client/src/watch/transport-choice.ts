/**
 * Which transport the next step of a watch uses. Pure: the caller's mode, what the server offers, what
 * has failed, whether anyone follows the stages and the time left decide it, nothing else.
 */
import type { TransportMode } from '../options/types.js';
import type { Capabilities } from '../protocol/capabilities.js';
import { LONG_POLL_MIN_WAIT_S } from './hold-plan.js';
import type { FallibleTransport } from './state.js';

/**
 * The step to run: one of the transports (`multi`: a stream shared with other waits, `GET /events?ids=`;
 * `batch`: held batch reads shared with other waits, `GET /jobs?ids=`), or `read`, the plain first
 * read of a server not met yet.
 */
export type Step = 'multi' | 'batch' | 'sse' | 'long-poll' | 'poll' | 'read';

export interface TransportInput {
  readonly mode: TransportMode;
  /** What the server announced; undefined before its first answer. */
  readonly capabilities: Capabilities | undefined;
  /** Transports given up, for this watch or for the whole client (a shared channel refused). */
  readonly unavailable: Pick<ReadonlySet<FallibleTransport>, 'has'>;
  /** An events URL is known: advertised by the job's answer, or conventional for a streaming server. */
  readonly streamUrlKnown: boolean;
  /** The wait names its job (not the server's default one) and the client shares channels. */
  readonly shareable: boolean;
  /**
   * One of many jobs of a `waitForAll`: held batches before the job's own stream, and tried even before
   * the server is met (the batch's first read meets it).
   */
  readonly batched: boolean;
  /** No status has been read yet. */
  readonly first: boolean;
  /** Some wait wants every stage change, not only the ending. */
  readonly followsStages: boolean;
  /** The hold a long-poll could ask for now, in whole seconds (see `holdSeconds`). */
  readonly holdS: number;
}

const streams = (mode: TransportMode, caps: Capabilities | undefined): boolean =>
  mode === 'sse' || (mode === 'auto' && caps?.events === true);

const holds = (mode: TransportMode, caps: Capabilities | undefined): boolean =>
  mode === 'long-poll' || mode === 'sse' || (mode === 'auto' && caps?.longPoll === true);

/**
 * A server that multiplexes gets a shared stream, first and while pending, unless it failed (then the
 * job's own stream, and so on); a `waitForAll`'s many jobs get held batches, unless they failed. First
 * step otherwise: a server known to stream gets the stream at once (its first event is the current
 * state: one request for the whole wait); one known to hold, when only the ending matters, gets a held
 * first request (one request in all if the job ends within it); else a plain read. Then, while pending:
 * the stream, else long-poll, else polling, skipping what has failed; a long-poll too close to the
 * deadline to hold becomes a poll. A long-poll on a server that announces batches but no multiplexed
 * stream is a shared batch.
 */
export function chooseStep(input: TransportInput): Step {
  const { mode, capabilities: caps, unavailable, shareable } = input;
  const streamsToo = mode === 'auto' || mode === 'sse';
  if (streamsToo && caps?.multiEvents === true && shareable && !unavailable.has('multi')) return 'multi';
  const batches = shareable && mode !== 'sse' && !unavailable.has('batch');
  if (batches && input.batched) return 'batch';
  // A batch shares holds: where the server announced both, and no shared stream (a forced long-poll on a
  // multiplexing server holds on its own, as before).
  const holdOrBatch = (): Step =>
    batches && caps?.batch === true && caps.longPoll && !caps.multiEvents ? 'batch' : 'long-poll';
  const canHold = input.holdS >= LONG_POLL_MIN_WAIT_S;
  if (input.first) {
    if (streamsToo && caps?.events === true && input.streamUrlKnown && !unavailable.has('sse')) return 'sse';
    const holdAtOnce =
      (mode === 'auto' || mode === 'long-poll') &&
      caps?.longPoll === true &&
      !input.followsStages &&
      !unavailable.has('long-poll');
    return holdAtOnce && canHold ? holdOrBatch() : 'read';
  }
  if (!unavailable.has('sse') && input.streamUrlKnown && streams(mode, caps)) return 'sse';
  if (!unavailable.has('long-poll') && holds(mode, caps) && canHold) return holdOrBatch();
  return 'poll';
}

/**
 * The attempts of one held read (single or batch), each planned afresh: a failed hold is never re-sent
 * unchanged but re-sized to the time left, or replaced by a plain read once the job should have ended
 * (on a silent channel that is the likelier story). Each give-up is logged at debug.
 */
import type { ReadRequest } from '../http/retrying-request.js';
import type { WatchDeps } from './context.js';
import { cutHoldS, LONG_POLL_MIN_WAIT_S } from './hold-plan.js';

export interface HeldAttempts {
  /** The request of the attempt after `failures` failures (see `readJson`). */
  readonly attempt: (failures: number) => ReadRequest;
  /** The seconds the last attempt asked to be held; undefined when it was a plain read. */
  readonly heldS: () => number | undefined;
  /** When the last attempt was sent. */
  readonly sentAt: () => number;
}

export function heldAttempts(options: {
  /** The client's logger and clock, and its server knowledge, where a hold cut on the way is kept. */
  readonly deps: Pick<WatchDeps, 'logger' | 'clock' | 'server'>;
  readonly jobId: string | undefined;
  /** The hold to ask for now, after `failures` failures (see `holdSeconds`). */
  readonly holdS: (failures: number) => number;
  readonly held: (waitS: number) => ReadRequest;
  readonly plain: () => ReadRequest;
}): HeldAttempts {
  const { logger, clock, server } = options.deps;
  let heldS: number | undefined;
  let sentAt = clock.now();
  return {
    attempt: (failures) => {
      const failedS = failures > 0 ? heldS : undefined;
      // A hold that failed before its time may have been cut on the way: later holds stay under it.
      if (failedS !== undefined) {
        server.cutS = Math.min(
          server.cutS ?? Infinity,
          cutHoldS(failedS, clock.now() - sentAt, server.capabilities?.maxWaitS),
        );
      }
      sentAt = clock.now();
      const waitS = options.holdS(failures);
      const plain = waitS < LONG_POLL_MIN_WAIT_S;
      // A failed plain read is retried as it was; only a failed hold is re-planned, and said so.
      if (failedS !== undefined) {
        const next = plain ? 'a plain read' : `a hold of ${waitS} s`;
        logger.debug(
          { jobId: options.jobId, failures, next },
          `gave up a hold of ${failedS} s after it failed; asking again with ${next}`,
        );
      }
      heldS = plain ? undefined : waitS;
      return plain ? options.plain() : options.held(waitS);
    },
    heldS: () => heldS,
    sentAt: () => sentAt,
  };
}

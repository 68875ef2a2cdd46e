/**
 * The attempts of one held read (single or batch), each planned afresh: a failed hold is never re-sent
 * unchanged but re-sized to the time left, or replaced by a plain read once the job should have ended
 * (on a silent channel that is the likelier story). Each give-up is logged at debug.
 */
import type { Logger } from '../common/logger.js';
import type { ReadRequest } from '../http/retrying-request.js';
import { LONG_POLL_MIN_WAIT_S } from './hold-plan.js';

export interface HeldAttempts {
  /** The request of the attempt after `failures` failures (see `readJson`). */
  readonly attempt: (failures: number) => ReadRequest;
  /** The seconds the last attempt asked to be held; undefined when it was a plain read. */
  readonly heldS: () => number | undefined;
  /** When the last attempt was sent. */
  readonly sentAt: () => number;
}

export function heldAttempts(options: {
  readonly logger: Logger;
  readonly jobId: string | undefined;
  readonly now: () => number;
  /** The hold to ask for now, after `failures` failures (see `holdSeconds`). */
  readonly holdS: (failures: number) => number;
  readonly held: (waitS: number) => ReadRequest;
  readonly plain: () => ReadRequest;
}): HeldAttempts {
  let heldS: number | undefined;
  let sentAt = options.now();
  return {
    attempt: (failures) => {
      sentAt = options.now();
      const waitS = options.holdS(failures);
      const plain = waitS < LONG_POLL_MIN_WAIT_S;
      // A failed plain read is retried as it was; only a failed hold is re-planned, and said so.
      if (failures > 0 && heldS !== undefined) {
        const next = plain ? 'a plain read' : `a hold of ${waitS} s`;
        options.logger.debug(
          { jobId: options.jobId, failures, next },
          `gave up a hold of ${heldS} s after it failed; asking again with ${next}`,
        );
      }
      heldS = plain ? undefined : waitS;
      return plain ? options.plain() : options.held(waitS);
    },
    heldS: () => heldS,
    sentAt: () => sentAt,
  };
}

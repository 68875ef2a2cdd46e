/**
 * What the reads that can be held share: the `Prefer: wait` and `If-None-Match` headers and the
 * `wake` query parameter, with the schemas that document them.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import type { WakeOn } from '../holds/wake.js';
import { parsePreferWait } from '../protocol/headers.js';

export const waitHeaders = {
  type: 'object',
  properties: {
    prefer: {
      type: 'string',
      description:
        'RFC 7240; `wait=N` holds the request up to N seconds, at most max-wait, or max-result-wait with wake=result (both in Status-Capabilities)',
    },
    'if-none-match': { type: 'string', description: 'Hold only while the job is at this version ("vK")' },
  },
} as const;

/** The `wake` query parameter of held reads: what ends the hold. */
export const wakeQuery = {
  type: 'string',
  enum: ['change', 'result'],
  description:
    'With Prefer: wait, what ends the hold: any stage or result change (default), or only the job ending (held up to max-result-wait)',
} as const;

/**
 * The `wait` to apply (seconds), honouring the cap, and says so in `Preference-Applied`; undefined when
 * long-poll is off or the client did not ask. A hold that wakes only on the ending has the longer cap
 * (`--max-result-wait`): it is cheap to keep (see the settings table).
 */
export function appliedWait(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  wakeOn: WakeOn,
): number | undefined {
  const prefer = request.headers.prefer;
  if (!ctx.settings.longPoll || prefer === undefined) return undefined;
  const asked = parsePreferWait(prefer);
  if (asked === undefined) return undefined;
  const { maxWaitSeconds, maxResultWaitSeconds } = ctx.settings;
  const applied = Math.min(asked, wakeOn === 'result' ? maxResultWaitSeconds : maxWaitSeconds);
  reply.header('preference-applied', `wait=${applied}`);
  return applied;
}

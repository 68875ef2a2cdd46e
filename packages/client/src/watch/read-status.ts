/** One status read of a watch (plain or held), with the retry policy, recorded into its state. */
import { readJson, type ReadRequest } from '../http/retrying-request.js';
import { readHints } from '../protocol/hints.js';
import { statusOrThrow } from '../protocol/problem.js';
import type { JobStatus } from '../protocol/status.js';
import { accept, readerContext, type StepContext } from './context.js';
import { jobIdOf, type WatchState } from './state.js';

export async function readStatus(
  ctx: StepContext,
  state: WatchState,
  signal: AbortSignal,
  /** The request of each attempt (see `readJson`); a plain read of the status by default. */
  plan: ReadRequest | ((consecutiveFailures: number) => ReadRequest) = { url: state.url },
): Promise<JobStatus> {
  const { clock } = ctx.deps;
  state.plannedAt = undefined;
  const answer = await readJson(ctx.deps, readerContext(ctx, state, signal), plan);
  const context = {
    jobId: jobIdOf(state),
    url: state.url,
    elapsedMs: clock.now() - state.startedAt,
    attempts: state.counters.requests,
  };
  const status = statusOrThrow(answer.json, context, ctx.deps.protocol.readStatus);
  state.hints = readHints(answer.headers, status, clock.now(), state.url);
  ctx.deps.server.capabilities = state.hints.capabilities;
  return accept(ctx, state, status);
}

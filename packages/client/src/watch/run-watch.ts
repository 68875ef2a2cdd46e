/**
 * The loop of one watch: choose a step, run it, until the job is terminal. Resolves with the terminal
 * status; rejects when a failure cannot be retried, or with the signal's reason.
 */
import { linkSignals, settledOrAborted } from '../common/signals.js';
import type { JobStatus } from '../protocol/status.js';
import { accept, fallBack, type StepContext } from './context.js';
import { CUT } from './pauses.js';
import { readStatus } from './read-status.js';
import { unavailableAt, type WatchState } from './state.js';
import { streamUrlOf } from './steps/event-stream.js';
import { holdFor, longPollStep } from './steps/long-poll.js';
import { pollStep } from './steps/poll.js';
import { chooseStep, type Step } from './transport-choice.js';

function nextStep(ctx: StepContext, state: WatchState): Step {
  const now = ctx.deps.clock.now();
  const { channels } = ctx.deps;
  const unavailable = unavailableAt(state, now);
  return chooseStep({
    mode: ctx.settings.transport,
    capabilities: state.hints?.capabilities ?? ctx.deps.server.capabilities,
    unavailable: {
      has: (t) => unavailable.has(t) || channels?.refuses(t, now) === true,
    },
    streamUrlKnown: streamUrlOf(ctx, state) !== undefined,
    shareable: state.jobId !== undefined && channels !== undefined,
    batched: ctx.settings.batched === true,
    first: state.status === undefined,
    followsStages: ctx.listener.followsStages(),
    holdS: holdFor(ctx, state),
  });
}

export async function runWatch(ctx: StepContext, state: WatchState, signal: AbortSignal): Promise<JobStatus> {
  const server = ctx.deps.server;
  // The channel code loads meanwhile (see `channels.ts`): polling alone never needs it.
  if (ctx.settings.transport !== 'poll') ctx.deps.channels?.prefetch();
  // Many waits starting at once on a client that has not met its server yet: one of them asks, the
  // others wait for that answer (one request timeout at most: it may be lost), then each can open its
  // event stream directly.
  if (server.capabilities === undefined && server.discovery !== undefined) {
    await settledOrAborted(server.discovery, signal);
  }
  const webhooks = ctx.deps.webhooks;
  const jobId = state.jobId;
  if (ctx.settings.transport === 'auto' && jobId !== undefined && webhooks?.expects(jobId) === true) {
    state.transport = 'webhook';
    await webhooks.endWait(
      {
        jobId,
        clock: ctx.deps.clock,
        known: () =>
          state.status === undefined ? undefined : { status: state.status, at: state.statusAt ?? 0 },
        accept: (status) => accept(ctx, state, status),
        read: () => readStatus(ctx, state, signal),
      },
      signal,
    );
    if (state.status !== undefined && state.status.result !== 'pending') return state.status;
  }
  // Until a first status: the step chosen, unless a plain read (a step that ends without one, as a
  // shared batch given up before its first read, gives its transport up, so the loop moves on).
  for (let step = nextStep(ctx, state); state.status === undefined; step = nextStep(ctx, state)) {
    if (step === 'read' || step === 'poll') break;
    await runStep(ctx, state, step, signal);
  }
  let status = state.status ?? (await discover(ctx, state, signal));
  while (status.result === 'pending') {
    const step = nextStep(ctx, state);
    if (step === 'read' || step === 'poll') {
      state.transport = 'poll';
      await pollStep(ctx, state, status, signal, () => readStatus(ctx, state, signal));
    } else await runStep(ctx, state, step, signal);
    status = state.status ?? status;
  }
  return status;
}

/** Not async: an async frame per pending wait is memory kept for nothing. */
function runStep(
  ctx: StepContext,
  state: WatchState,
  step: Exclude<Step, 'poll' | 'read'>,
  signal: AbortSignal,
): Promise<void> {
  // A shared stream is an event stream, and a shared batch a long-poll, as a wait's statistics see it.
  state.transport = step === 'multi' ? 'sse' : step === 'batch' ? 'long-poll' : step;
  if (step === 'long-poll') return longPollStep(ctx, state, signal);
  if (ctx.deps.channels !== undefined) return ctx.deps.channels.follow(ctx, state, step, signal);
  fallBack(ctx, state, step, 'no channels on this client');
  return Promise.resolve();
}

/** A plain first read; on a server not met yet, concurrent waits wait for this one's answer. */
function discover(ctx: StepContext, state: WatchState, signal: AbortSignal): Promise<JobStatus> {
  const read = readStatus(ctx, state, signal);
  meetsServer(ctx, read, signal);
  return read;
}

/**
 * Makes `read` (under `signal`) the client's first meeting with a server not met yet (and not being
 * met): waits that start meanwhile wait for its answer (`server.discovery`) instead of each asking first,
 * for one request timeout at most (it may be lost). One timer for them all, not one each.
 */
export function meetsServer(ctx: StepContext, read: Promise<unknown>, signal: AbortSignal): void {
  const { server, clock } = ctx.deps;
  if (server.capabilities !== undefined || server.discovery !== undefined) return;
  // The read's own signal ends the timer too, at once: an aborted read lets the others go on.
  const timer = linkSignals(signal);
  const over = (): void => {
    timer.abort(CUT);
  };
  const discovery = Promise.race([read, clock.sleep(ctx.settings.requestTimeoutMs, timer.signal)]).then(
    over,
    over,
  );
  server.discovery = discovery;
  void discovery.then(() => {
    if (server.discovery === discovery) server.discovery = undefined;
  });
}

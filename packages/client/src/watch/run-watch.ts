/**
 * The loop of one watch: choose a step, run it, until the job is terminal. Driven by callbacks rather
 * than an async function, so that a wait on a shared channel is nothing but its member record there: no
 * suspended frame, promise or abort signal per wait. A step with I/O of its own runs under a signal made
 * for it, dropped once the watch moves onto a channel.
 */
import { linkSignals } from '../common/signals.js';
import type { JobStatus } from '../protocol/status.js';
import {
  accept,
  fallBack,
  type StepContext,
  type WatchDeps,
  type WatchListener,
  type WatchSettings,
} from './context.js';
import type { StepLoop } from './channels.js';
import { CUT, type Pauses } from './pauses.js';
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

/** How a watch ends: the job's terminal status, or a failure that cannot be retried. */
export type WatchOutcome = { readonly status: JobStatus } | { readonly error: unknown };

/** The waits a watch's loop serves, which also hear how it ended (once, unless it was stopped first). */
export interface LoopListener extends WatchListener {
  done(outcome: WatchOutcome): void;
}

/** The loop of one watch, and the context of its steps. */
export class WatchLoop implements StepContext, StepLoop {
  stopped = false;
  #stop: AbortController | undefined;

  constructor(
    readonly deps: WatchDeps,
    readonly settings: WatchSettings,
    readonly listener: LoopListener,
    readonly pauses: Pauses,
    readonly state: WatchState,
  ) {}

  signal(): AbortSignal {
    return (this.#stop ??= new AbortController()).signal;
  }

  /**
   * Many waits starting at once on a client that has not met its server yet: one of them asks, the
   * others wait for that answer (one request timeout at most: it may be lost; see `meetsServer`), then
   * each can open its event stream directly.
   */
  start(): void {
    const { discovery, capabilities } = this.deps.server;
    // The channel code loads meanwhile (see `channels.ts`): polling alone never needs it.
    if (this.settings.transport !== 'poll') this.deps.channels?.prefetch();
    if (capabilities === undefined && discovery !== undefined)
      void discovery.then(() => {
        this.#begin();
      });
    else this.#begin();
  }

  /**
   * Ends the loop: the step in progress is aborted (with `CUT`, one reason for every watch: one made
   * per watch would keep its frames alive through its stack trace), a wait on a channel leaves it.
   */
  stop(): void {
    this.stopped = true;
    this.#stop?.abort(CUT);
    this.pauses.cutHold();
  }

  /** Goes on once `step` is over: with the next step, or with the end; a rejection ends the watch. */
  after(step: Promise<unknown>): void {
    step.then(
      () => {
        this.#next();
      },
      (error: unknown) => {
        if (!this.stopped) this.listener.done({ error });
      },
    );
  }

  #next(): void {
    const { state } = this;
    const status = state.status;
    if (this.stopped) return;
    if (status !== undefined && status.result !== 'pending') {
      this.listener.done({ status });
      return;
    }
    try {
      const step = nextStep(this, state);
      if (step === 'read' || step === 'poll') {
        const signal = this.signal();
        // Before a first status, a plain read; then the schedule's polls.
        if (status === undefined) {
          const read = readStatus(this, state, signal);
          meetsServer(this, read, signal);
          this.after(read);
        } else {
          state.transport = 'poll';
          this.after(pollStep(this, state, status, signal, () => readStatus(this, state, signal)));
        }
      } else if (step === 'long-poll') {
        state.transport = step;
        this.after(longPollStep(this, state, this.signal()));
      } else {
        // A shared stream is an event stream, and a shared batch a long-poll, as a wait's statistics see it.
        state.transport = step === 'multi' ? 'sse' : step === 'batch' ? 'long-poll' : step;
        this.#stop = undefined; // nothing runs under it any more
        if (this.deps.channels !== undefined) this.deps.channels.follow(this, state, step, this);
        else {
          fallBack(this, state, step, 'no channels on this client');
          this.after(Promise.resolve());
        }
      }
    } catch (error) {
      this.listener.done({ error });
    }
  }

  /** A wait on a job the client's webhook receiver expects ends by webhook; else the steps begin. */
  #begin(): void {
    const { state, deps } = this;
    const { webhooks } = deps;
    const jobId = state.jobId;
    if (this.stopped) return;
    if (this.settings.transport !== 'auto' || jobId === undefined || webhooks?.expects(jobId) !== true) {
      this.#next();
      return;
    }
    state.transport = 'webhook';
    const signal = this.signal();
    this.after(
      webhooks.endWait(
        {
          jobId,
          clock: deps.clock,
          known: () =>
            state.status === undefined ? undefined : { status: state.status, at: state.statusAt ?? 0 },
          accept: (status) => accept(this, state, status),
          read: () => readStatus(this, state, signal),
        },
        signal,
      ),
    );
  }
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

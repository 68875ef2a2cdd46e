/**
 * A StepContext over a scripted harness, for unit tests of the watch's steps: the settings of a default
 * client (no jitter), one wait's deadline, and a record of what the listener was told.
 */
import { resolveClientOptions } from '../options/resolve.js';
import type { JobStatus } from '../protocol/status.js';
import type { StepContext, WatchSettings } from '../watch/context.js';
import { Deadlines } from '../watch/deadlines.js';
import { WatchLoop, type WatchOutcome } from '../watch/run-watch.js';
import type { ChannelKind } from '../watch/shared-channel.js';
import { sharedStep } from '../watch/steps/shared-stream.js';
import { Pauses } from '../watch/pauses.js';
import { Channels } from '../watch/channels.js';
import { StreamHub } from '../watch/stream-hub.js';
import { createWatchState, type WatchState } from '../watch/state.js';
import { statusUrl } from '../protocol/paths.js';
import { translationStatusProtocol } from '../protocol/adapter.js';
import { BASE, type Harness } from './scenario.js';

export interface Told {
  readonly statuses: JobStatus[];
  requests: number;
}

export function stepContext(
  h: Harness,
  options: { settings?: Partial<WatchSettings>; deadline?: number; followsStages?: boolean } = {},
): { ctx: StepContext; state: WatchState; told: Told; hub: StreamHub } {
  const client = resolveClientOptions({
    baseUrl: BASE,
    fetch: h.fetch,
    clock: h.clock,
    random: () => 0,
    logger: h.logger,
    logLevel: 'debug',
  });
  const told: Told = { statuses: [], requests: 0 };
  const deadline = options.deadline ?? Infinity;
  const deps: StepContext['deps'] = {
    baseUrl: client.baseUrl,
    protocol: translationStatusProtocol,
    fetch: client.fetch,
    clock: client.clock,
    random: client.random,
    logger: client.logger,
    budget: client.retry.budget,
    headers: client.requestHeaders,
    server: { capabilities: undefined },
    contact: { lastAnswerAt: -Infinity },
    deadlines: new Deadlines(client.clock),
  };
  const channels = new Channels(100);
  const ctx: StepContext = {
    // The client's channels: a job's own event stream is one of them.
    deps: { ...deps, channels },
    settings: {
      transport: client.transport,
      polling: client.polling,
      retry: client.retry,
      requestTimeoutMs: client.requestTimeoutMs,
      longPollWaitS: client.longPollWaitS,
      ...options.settings,
    },
    listener: {
      followsStages: () => options.followsStages ?? false,
      remainingMs: () => deadline - h.clock.now(),
      onStatus: (status) => {
        told.statuses.push(status);
      },
      onRequest: () => {
        told.requests += 1;
      },
    },
    pauses: new Pauses(h.clock),
  };
  const state = createWatchState('job_1', statusUrl(client.baseUrl, 'job_1'), h.clock.now());
  // The hub the channel step runs on, for tests of that step (a watch loads its own through `channels`).
  return { ctx, state, told, hub: new StreamHub(ctx.deps, channels) };
}

/** Runs a watch's loop until the job ends: the terminal status, or the failure it reports. */
export function runLoop(ctx: StepContext, state: WatchState): Promise<JobStatus> {
  return new Promise((resolve, reject) => {
    const { deps, settings, listener, pauses } = ctx;
    const done = (outcome: WatchOutcome): void => {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the loop's own failure
      if ('error' in outcome) reject(outcome.error);
      else resolve(outcome.status);
    };
    new WatchLoop(deps, settings, { ...listener, done }, pauses, state).start();
  });
}

/**
 * Runs one channel step on `hub`, until the job's time on the channel is over; `signal` stops it as a
 * watch that stops would (it leaves the channel), and rejects with its reason.
 */
export function runSharedStep(
  ctx: StepContext,
  state: WatchState,
  kind: ChannelKind,
  hub: StreamHub,
  signal = new AbortController().signal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const loop = {
      stopped: false,
      signal: () => signal,
      after: (step: Promise<unknown>) => {
        step.then(() => {
          resolve();
        }, reject);
      },
    };
    signal.addEventListener(
      'abort',
      () => {
        loop.stopped = true;
        ctx.pauses.cutHold();
        reject(signal.reason as Error);
      },
      { once: true },
    );
    sharedStep(ctx, state, kind, loop, hub);
  });
}

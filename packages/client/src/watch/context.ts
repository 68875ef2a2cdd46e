/**
 * What every step of a watch works with: the client's dependencies, the wait's settings, the listener
 * that stands for the waits being served, and the pauses a re-plan can cut short.
 */
import type { ReaderContext, ReaderDeps, RetryEvent } from '../http/retrying-request.js';
import type { ActiveTransportName, TransportMode } from '../options/types.js';
import type { ResolvedRetryOptions } from '../policy/retry.js';
import type { ResolvedPollingOptions } from '../policy/schedule.js';
import type { ProtocolAdapter } from '../protocol/adapter.js';
import type { Capabilities } from '../protocol/capabilities.js';
import type { JobStatus } from '../protocol/status.js';
import type { WebhookWaiter } from '../webhooks/waiter.js';
import type { Deadlines } from './deadlines.js';
import type { Pauses } from './pauses.js';
import type { Channels } from './channels.js';
import { jobIdOf, recordStatus, type FallibleTransport, type WatchState } from './state.js';

export interface WatchSettings {
  readonly transport: TransportMode;
  readonly polling: ResolvedPollingOptions;
  readonly retry: ResolvedRetryOptions;
  readonly requestTimeoutMs: number;
  /** The longest hold to ask for in `Prefer: wait=N`, before the server's caps and the deadline. */
  readonly longPollWaitS: number;
  /** One of many jobs of a `waitForAll`: held batches first (see `chooseStep`). */
  readonly batched?: boolean;
}

/** What the client has learnt about its server from earlier answers; shared by all its waits. */
export interface ServerKnowledge {
  capabilities: Capabilities | undefined;
  /** The longest hold that gets through, once a longer one was cut on the way (see `cutHoldS`). */
  cutS?: number | undefined;
  /** The first answer being awaited from a server not met yet, so concurrent waits ask only once. */
  discovery?: Promise<void> | undefined;
}

export interface WatchDeps extends ReaderDeps {
  readonly baseUrl: string;
  /** Where a job's status is and how its body reads (this library's protocol, HeyGen's…). */
  readonly protocol: ProtocolAdapter<unknown>;
  readonly server: ServerKnowledge;
  /** The client's webhook receiver: waits on the jobs it expects end by webhook. */
  readonly webhooks?: WebhookWaiter | undefined;
  /** The client's deadline heap: one timer for every wait's deadline and every stream's hedge. */
  readonly deadlines: Deadlines;
  /** The client's channels (shared streams, held batches, jobs' own streams), which its waits take. */
  readonly channels?: Channels | undefined;
}

/** The waits a watch serves, as the watch sees them. */
export interface WatchListener {
  /** Whether any wait wants every stage (an onStatus callback, watch()); else only the ending matters. */
  followsStages(): boolean;
  /** Milliseconds until the earliest deadline among the waits. */
  remainingMs(): number;
  onStatus(status: JobStatus, transport: ActiveTransportName): void;
  onRequest(transport: ActiveTransportName): void;
  onRetry?(event: RetryEvent): void;
}

export interface StepContext {
  readonly deps: WatchDeps;
  readonly settings: WatchSettings;
  readonly listener: WatchListener;
  readonly pauses: Pauses;
}

/** The context of the reads one step makes for `state`, bounded by `signal`. */
export function readerContext(ctx: StepContext, state: WatchState, signal: AbortSignal): ReaderContext {
  const { listener } = ctx;
  return {
    jobId: jobIdOf(state),
    retry: ctx.settings.retry,
    requestTimeoutMs: ctx.settings.requestTimeoutMs,
    signal,
    startedAt: state.startedAt,
    remainingMs: () => listener.remainingMs(),
    counters: state.counters,
    onRequest: () => {
      listener.onRequest(state.transport);
    },
    onRetry: (event) => {
      listener.onRetry?.(event);
    },
  };
}

/** Records a status and tells the waits when something they can see changed. */
export function accept(ctx: StepContext, state: WatchState, status: JobStatus): JobStatus {
  const recorded = recordStatus(state, status, ctx.deps.clock.now());
  if (recorded.changed) ctx.listener.onStatus(recorded.status, state.transport);
  return recorded.status;
}

/**
 * How long a transport given up after transient failures (a server restarting, a proxy's 502) stays
 * given up: then the watch tries it again, rather than poll for the rest of a long wait.
 */
export const TRANSPORT_RETRY_MS = 30_000;

/**
 * Marks a transport missing (for good) or broken (for `forMs`) for this watch, saying why (quietly when
 * `auto` expects it).
 */
export function fallBack(
  ctx: StepContext,
  state: WatchState,
  from: FallibleTransport,
  why: string,
  forMs = Infinity,
): void {
  (state.unavailable ??= new Map()).set(from, ctx.deps.clock.now() + forMs);
  const fields = { jobId: state.jobId, transport: from, reason: why };
  // Against a plain server, `auto` falling back is expected, so it stays quiet; so is leaving a shared
  // channel, which no caller asks for.
  const quiet = ctx.settings.transport === 'auto' || from === 'multi' || from === 'batch';
  ctx.deps.logger[quiet ? 'debug' : 'warn'](fields, `${from} unavailable, falling back`);
}

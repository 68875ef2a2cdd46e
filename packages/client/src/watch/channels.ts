/**
 * The client's channels as its watches see them: which kinds are refused for every wait now, and the
 * channel step, whose code (the hub, multiplexed streams, held batches, a job's own stream: see
 * `steps/shared-stream.ts`) is loaded when the first wait that may take a channel starts. A bundler
 * makes that code a chunk of its own: a page that only creates jobs, reads statuses or polls never
 * loads it, and one that waits loads it while its first read meets the server. Should it fail to load
 * (a page gone offline, a deploy that replaced its chunks), the waits fall back to their own long-poll
 * or polling, and the load is tried again after `TRANSPORT_RETRY_MS`.
 */
import { TRANSPORT_RETRY_MS, fallBack, type StepContext } from './context.js';
import type { ChannelKind } from './shared-channel.js';
import type { FallibleTransport, WatchState } from './state.js';

/** What the channel step needs of the watch's loop (`WatchLoop`). */
export interface StepLoop {
  /** Every wait on the watch left: nothing is to be done or reported any more. */
  readonly stopped: boolean;
  /** A signal for a read of the step's own, aborted if the watch stops. */
  signal(): AbortSignal;
  /** Goes on once `step` is over; a rejection fails the watch. */
  after(step: Promise<unknown>): void;
}

/** The module `steps/shared-stream.ts`, loaded on demand. */
export type ChannelCode = typeof import('./steps/shared-stream.js');
type Load = () => ChannelCode | Promise<ChannelCode>;

let loaded: ChannelCode | undefined;
let loading: Promise<ChannelCode> | undefined;

/** The channel code: the module itself once loaded in this process (page), else a promise of it. */
export const loadChannelCode: Load = () =>
  loaded ??
  (loading ??= import('./steps/shared-stream.js').then(
    (code) => (loaded = code),
    (error: unknown) => {
      loading = undefined; // tried again by the next wait
      throw error;
    },
  ));

export class Channels {
  /** Until when each kind is refused for every wait (a route missing or refused, the code not loaded). */
  readonly #refusedUntil: Partial<Record<FallibleTransport, number>> = {};
  #hub: InstanceType<ChannelCode['StreamHub']> | undefined;

  /** `batchMaxIds`: jobs per held batch; 0 when the client does not batch (`batch.enabled`). */
  constructor(
    readonly batchMaxIds: number,
    private readonly load: Load = loadChannelCode,
  ) {
    if (batchMaxIds === 0) this.#refusedUntil.batch = Infinity;
  }

  /** Whether waits may take channels of `kind` now (other transports are never refused here). */
  refuses(kind: FallibleTransport, now: number): boolean {
    return now < (this.#refusedUntil[kind] ?? -Infinity);
  }

  refuse(kind: ChannelKind, forMs: number, now: number): void {
    this.#refusedUntil[kind] = Math.max(this.#refusedUntil[kind] ?? -Infinity, now + forMs);
  }

  /** Starts loading the code, for a watch that may soon take a channel (a failure is told by `follow`). */
  prefetch(): void {
    const code = this.load();
    if ('then' in code) code.catch(() => undefined);
  }

  /** The channel step of `kind` for the watch of `state` (see `sharedStep`); `loop` goes on after it. */
  follow(ctx: StepContext, state: WatchState, kind: ChannelKind, loop: StepLoop): void {
    const code = this.load();
    if (!('then' in code)) {
      this.#run(code, ctx, state, kind, loop);
      return;
    }
    code
      .then(
        (ready) => {
          if (!loop.stopped) this.#run(ready, ctx, state, kind, loop);
        },
        (error: unknown) => {
          const now = ctx.deps.clock.now();
          // Told once per refusal, however many waits were on their way to a channel.
          if (!this.refuses('sse', now))
            ctx.deps.logger.warn(
              { error: String(error) },
              `the channel code did not load: waits use their own long-poll or polling for ${String(TRANSPORT_RETRY_MS / 1000)} s`,
            );
          for (const k of ['multi', 'batch', 'sse'] as const) this.refuse(k, TRANSPORT_RETRY_MS, now);
          fallBack(ctx, state, kind, 'the channel code did not load', TRANSPORT_RETRY_MS);
          loop.after(Promise.resolve());
        },
      )
      .catch((error: unknown) => {
        // A step that could not start fails its watch, as one of the loop's own would.
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
        loop.after(Promise.reject(error));
      });
  }

  #run(code: ChannelCode, ctx: StepContext, state: WatchState, kind: ChannelKind, loop: StepLoop): void {
    this.#hub ??= new code.StreamHub(ctx.deps, this);
    code.sharedStep(ctx, state, kind, loop, this.#hub);
  }
}

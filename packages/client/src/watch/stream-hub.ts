/**
 * The client's shared streams: the watches that choose the `multi` step join here, are gathered for a
 * moment, and follow their jobs over `GET /events?ids=` streams of up to `max-ids` jobs each. Each
 * job's statuses go into its own watch's state through `accept`, as its own stream's would; a joiner
 * fills a stream with room, which reconnects with the union (resuming every job from the versions
 * known, so nothing is lost or sent twice), and a stream nobody needs any more closes.
 */
import { DEFAULT_MULTI_MAX_IDS } from '../protocol/multi-events.js';
import type { StepContext, WatchDeps } from './context.js';
import { SharedChannel, type ChannelOwner, type Member, type MemberEnd } from './shared-channel.js';
import type { WatchState } from './state.js';

/**
 * When to place joiners: with no stream open, at the end of the current task (waits started in one loop
 * share a request, and a lone wait is not delayed); while streams are open, `GATHER_MS` after the first
 * joiner and at most once per `REGATHER_MS`, so waits trickling in cost a request per batch of them, not
 * one each. A joiner's first state is late by at most that much.
 */
export const GATHER_MS = 5;
export const REGATHER_MS = 100;

export class StreamHub implements ChannelOwner {
  private readonly joining = new Set<Member>();
  private readonly channels = new Set<SharedChannel>();
  private gathering = false;
  private lastGatherAt = -Infinity;
  /** Until when shared streams are given up for every wait (the route missing or refused). */
  private refusedUntil = -Infinity;

  constructor(readonly deps: WatchDeps) {}

  /** Whether new waits may share streams now. */
  open(now: number): boolean {
    return now >= this.refusedUntil;
  }

  /**
   * Follows job `jobId` of `state` on a shared stream until it ends there, the stream fails, or `signal`
   * aborts; one that follows endings only also leaves when a wait that follows the stages joins its
   * watch (see `Pauses.onCut`).
   */
  follow(
    ctx: StepContext,
    jobId: string,
    state: WatchState,
    signal: AbortSignal,
    wakeOnResult: boolean,
  ): Promise<MemberEnd> {
    return new Promise<MemberEnd>((resolve) => {
      if (signal.aborted) {
        resolve({ kind: 'left' });
        return;
      }
      const leave = (): void => {
        this.joining.delete(member);
        member.channel?.drop(member, true);
        member.end({ kind: 'left' });
      };
      if (wakeOnResult) ctx.pauses.onCut(leave);
      const member: Member = {
        jobId,
        ctx,
        state,
        wakeOnResult,
        channel: undefined,
        end: (outcome) => {
          signal.removeEventListener('abort', leave);
          if (wakeOnResult) ctx.pauses.onCut(undefined);
          resolve(outcome);
        },
      };
      signal.addEventListener('abort', leave, { once: true });
      this.joining.add(member);
      this.gather();
    });
  }

  refuse(forMs: number): void {
    this.refusedUntil = Math.max(this.refusedUntil, this.deps.clock.now() + forMs);
  }

  private gather(): void {
    if (this.gathering) return;
    this.gathering = true;
    const { clock } = this.deps;
    const now = clock.now();
    let open = false;
    for (const channel of this.channels) open ||= channel.open;
    const at = open ? Math.max(now + GATHER_MS, this.lastGatherAt + REGATHER_MS) : now;
    void clock.sleep(at - now).then(() => {
      this.gathering = false;
      this.lastGatherAt = clock.now();
      this.place();
    });
  }

  /** Puts every joiner on a stream with room for it (same wake mode and policy), else on a new one. */
  private place(): void {
    const touched = new Set<SharedChannel>();
    const maxIds = this.deps.server.capabilities?.maxIds ?? DEFAULT_MULTI_MAX_IDS;
    for (const member of this.joining) {
      let channel: SharedChannel | undefined;
      for (const c of this.channels) if (c.fits(member, maxIds)) channel = c;
      if (channel === undefined) {
        channel = new SharedChannel(this, member);
        this.channels.add(channel);
      }
      channel.add(member);
      touched.add(channel);
    }
    this.joining.clear();
    for (const channel of touched) channel.start();
  }

  closed(channel: SharedChannel): void {
    this.channels.delete(channel);
  }
}

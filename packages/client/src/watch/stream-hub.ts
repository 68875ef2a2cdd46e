/**
 * The client's shared channels: the watches that choose the `multi` or `batch` step join here, are
 * gathered for a moment, and follow their jobs over `GET /events?ids=` streams of up to `max-ids` jobs
 * each (`StreamChannel`) or, on a server without them, held batch reads of up to `batch.maxIds`
 * (`BatchChannel`). Each job's statuses go into its own watch's state through `accept`, as its own
 * transport's would; a joiner fills a channel with room, which reconnects with the union (a stream
 * resuming every job from the versions known, so nothing is lost or sent twice), and a channel nobody
 * needs any more closes.
 */
import { DEFAULT_MULTI_MAX_IDS } from '../protocol/multi-events.js';
import { BatchChannel } from './batch-channel.js';
import type { Channels } from './channels.js';
import type { WatchDeps } from './context.js';
import type { Channel, ChannelKind, ChannelOwner, Member } from './shared-channel.js';
import { StreamChannel } from './stream-channel.js';

/**
 * When to place joiners: with no stream open, at the end of the current task (waits started in one loop
 * share a request, and a lone wait is not delayed); while streams are open, `GATHER_MS` after the first
 * joiner and at most once per `REGATHER_MS`, so waits trickling in cost a request per batch of them, not
 * one each. A joiner's first state is late by at most that much.
 */
export const GATHER_MS = 5;

export const REGATHER_MS = 100;

export class StreamHub implements ChannelOwner {
  readonly #joining = new Set<Member>();
  readonly #channels = new Set<Channel>();
  #gathering = false;
  #lastGatherAt = -Infinity;

  /** `channels`: what the client's watches see of its channels (which kinds are refused). */
  constructor(
    readonly deps: WatchDeps,
    private readonly channels: Channels,
  ) {}

  /**
   * Follows `member`'s job on a channel of its kind until it ends there (`member.end`), the channel
   * fails, or it leaves (`leave`).
   */
  follow(member: Member): void {
    if (member.kind === 'sse') {
      // A job's own stream is shared with nobody: no gathering, no other channel's room.
      const own = new StreamChannel(this, member);
      own.add(member);
      own.start();
      return;
    }
    this.#joining.add(member);
    this.#gather();
  }

  /** Takes `member` off its channel (one left with no job closes), which ends its time there. */
  leave(member: Member): void {
    this.#joining.delete(member);
    member.channel?.drop(member, true);
    member.end({ kind: 'left' });
  }

  refuse(kind: Exclude<ChannelKind, 'sse'>, forMs: number): void {
    this.channels.refuse(kind, forMs, this.deps.clock.now());
  }

  #gather(): void {
    if (this.#gathering) return;
    this.#gathering = true;
    const { clock } = this.deps;
    const now = clock.now();
    let open = false;
    for (const channel of this.#channels) open ||= channel.open;
    const at = open ? Math.max(now + GATHER_MS, this.#lastGatherAt + REGATHER_MS) : now;
    void clock.sleep(at - now).then(() => {
      this.#gathering = false;
      this.#lastGatherAt = clock.now();
      this.#place();
    });
  }

  /** Puts every joiner on a channel with room for it (same kind, wake mode and policy), else on a new one. */
  #place(): void {
    const touched = new Set<Channel>();
    const maxIds = {
      multi: this.deps.server.capabilities?.maxIds ?? DEFAULT_MULTI_MAX_IDS,
      batch: this.channels.batchMaxIds,
    };
    for (const member of this.#joining) {
      let channel: Channel | undefined;
      for (const c of this.#channels)
        if (c.fits(member, member.kind === 'batch' ? maxIds.batch : maxIds.multi)) channel = c;
      if (channel === undefined) {
        channel = member.kind === 'batch' ? new BatchChannel(this, member) : new StreamChannel(this, member);
        this.#channels.add(channel);
      }
      channel.add(member);
      touched.add(channel);
    }
    this.#joining.clear();
    for (const channel of touched) channel.start();
  }

  closed(channel: Channel): void {
    this.#channels.delete(channel);
  }
}

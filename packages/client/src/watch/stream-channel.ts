/**
 * The event stream as a channel of the client's `StreamHub` (see `shared-channel.ts`): multiplexed, or
 * a job's own.
 */
import { followEventStream, type StreamResult } from '../http/event-stream.js';
import { multiEventsUrl, readMissing, resumePoint } from '../protocol/multi-events.js';
import { parseStatus } from '../protocol/status.js';
import { afterBrokenStream } from './broken-stream.js';
import { TRANSPORT_RETRY_MS } from './context.js';
import { Channel } from './shared-channel.js';
import { streamSilenceMs } from './silence.js';
import { streamUrlOf } from './steps/event-stream.js';

/**
 * One event stream: multiplexed (`GET /events?ids=`), resumed for every job at once with
 * `Last-Event-ID`, or a job's own (`sse`), resumed from its last event; a broken one is reconnected
 * under the retry policy, and a missing or hopeless one given up.
 */
export class StreamChannel extends Channel {
  protected async run(): Promise<void> {
    const { deps } = this.hub;
    const own = this.kind === 'sse' ? [...this.members.values()][0] : undefined;
    // A job's own stream counts its breaks across the watch's steps (see `unavailableAt`).
    const tries = own?.state ?? { streamFailures: 0, streamDelivered: false };
    while (this.open) {
      const answeredBefore = deps.contact.lastAnswerAt;
      const members = [...this.members.values()];
      const context = this.reader('sse');
      const heartbeatMs = own?.state.hints?.capabilities.heartbeatMs ?? deps.server.capabilities?.heartbeatMs;
      let result: StreamResult;
      try {
        const connected = await this.connect((signal) =>
          followEventStream(
            deps,
            { ...context, signal },
            {
              url:
                own === undefined
                  ? multiEventsUrl(
                      deps.baseUrl,
                      members.map((m) => m.jobId),
                      this.wakeOnResult,
                    )
                  : (streamUrlOf(own.ctx, own.state) ?? ''),
              headers: deps.headers,
              lastEventId:
                own === undefined
                  ? resumePoint(members.map((m) => m.state.status?.version))
                  : own.state.lastEventId,
              idleMs: streamSilenceMs(heartbeatMs),
              onEvent: (json, missing) => this.#onEvent(json, missing),
            },
          ),
        );
        if (connected === undefined) continue;
        result = connected.value;
      } catch (error) {
        // Closed (no job left), or a failure nobody foresaw: then its jobs go back to their own
        // transports rather than wait on a channel that has stopped.
        if (!this.stop.signal.aborted) this.giveUp(`the stream failed: ${String(error)}`, TRANSPORT_RETRY_MS);
        return;
      }
      if (result.kind === 'terminal') return;
      if (result.kind === 'stale') {
        this.endAll({ kind: 'stale' });
        return;
      }
      if (result.kind === 'unavailable') {
        this.giveUp(result.reason, Infinity);
        return;
      }
      // Broken: reconnect under the retry policy, resuming every job at once from what it knows. Streams
      // that connect but never deliver (a proxy) are given up soon; a server that did not answer this
      // attempt (down, restarting) is retried like any read, unless it is a job's own stream: giving a
      // shared one up would send each of its waits to the dead server on its own.
      this.brokeAt = deps.clock.now();
      let why: string | undefined;
      try {
        const blocked = own !== undefined || deps.contact.lastAnswerAt > answeredBefore;
        why = await afterBrokenStream(deps, context, result, tries, blocked);
      } catch {
        return; // closed while backing off: no job left
      }
      if (why !== undefined) {
        this.giveUp(why, TRANSPORT_RETRY_MS);
        return;
      }
    }
  }

  #onEvent(json: unknown, missing: boolean): { stop: boolean; problem?: string } {
    if (missing) {
      const job = readMissing(json);
      if (job === undefined) return { stop: false, problem: 'a missing event without a job id' };
      const member = this.members.get(job.id);
      if (member !== undefined)
        this.settle(member, { kind: 'missing', code: job.code, message: job.message });
    } else {
      const parsed = parseStatus(json);
      if (!parsed.ok) return { stop: false, problem: parsed.problem };
      // A job's own stream is that job's, whatever id its events name (the default job's name none).
      this.deliver(
        this.kind === 'sse' ? this.members.keys().next().value : parsed.status.jobId,
        parsed.status,
      );
    }
    return { stop: this.members.size === 0 };
  }
}

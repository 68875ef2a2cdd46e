/**
 * Ten thousand jobs held over multiplexed event streams on one server process: a raw-socket load
 * generator (not the client library) opens `streams` streams of `GET /events?ids=` with `idsPerStream`
 * distinct jobs each, and reads every ending. What it costs the server and how late each ending arrives.
 */
import { createJobsEndingAt, mapLimited } from '../e2e/jobs.js';
import { endsAfter } from './client-scale.js';
import { spawnServer } from '../e2e/server-process.js';
import { multiEventStreamWaiter } from './raw-http.js';
import type { Wake } from './raw-http.js';
import { sampleServer, summarizeDelays } from './sampler.js';
import type { DelaySummary } from './sampler.js';

export interface MultiplexedSettings {
  readonly streams: number;
  readonly idsPerStream: number;
  /** The first job ends this long after creation began, the last `spreadMs` later. */
  readonly firstEndMs: number;
  readonly spreadMs: number;
}

export interface MultiplexedResult {
  readonly wake: Wake;
  readonly jobs: number;
  readonly streams: number;
  readonly createMs: number;
  /** From the moment the streams began to open to the first job's end. */
  readonly leadMs: number;
  readonly connectMs: number;
  /** Most streams the server reported open at once (its own gauge). */
  readonly maxOpen: number;
  readonly rssBaselineBytes: number;
  readonly rssPeakBytes: number;
  readonly heapPeakBytes: number;
  /** Endings read, over all streams. */
  readonly endings: number;
  readonly failures: number;
  readonly firstFailure: string | undefined;
  /** From each job's completed_at to its ending arriving on its stream. */
  readonly delay: DelaySummary;
}

/** On a fresh server; `wake` 'change' follows every stage of every job, 'result' only their endings. */
export async function measureMultiplexed(
  wake: Wake,
  settings: MultiplexedSettings,
): Promise<MultiplexedResult> {
  const jobs = settings.streams * settings.idsPerStream;
  const cap = Math.max(10_000, 2 * settings.streams);
  const server = await spawnServer({ logLevel: 'silent', maxHeldRequests: cap, maxHeldPerClient: cap });
  try {
    const { ids, anchorMs } = await createJobsEndingAt(server, endsAfter({ jobs, ...settings }));
    const createMs = Date.now() - anchorMs;
    const port = Number(new URL(server.url).port);
    const sampling = await sampleServer(server, 'translation_status_event_streams_open');
    // Stream k takes every streams-th job, so each stream's endings spread over the whole run.
    const groups = Array.from({ length: settings.streams }, (_, k) =>
      ids.filter((_id, i) => i % settings.streams === k),
    );
    const leadMs = anchorMs + settings.firstEndMs - Date.now();
    const started = performance.now();
    const opened = await mapLimited(groups, 50, (group) => multiEventStreamWaiter(port, group, wake));
    const connectMs = performance.now() - started;
    const settled = await Promise.allSettled(opened.map((w) => w.done));
    const peaks = await sampling.stop();

    const answers = settled.flatMap((s) => (s.status === 'fulfilled' ? s.value : []));
    const failures = settled.filter((s) => s.status === 'rejected');
    const firstReason: unknown = failures[0]?.reason;
    return {
      wake,
      jobs,
      streams: settings.streams,
      createMs,
      leadMs,
      connectMs,
      maxOpen: peaks.gaugePeak,
      rssBaselineBytes: peaks.rssBaselineBytes,
      rssPeakBytes: peaks.rssPeakBytes,
      heapPeakBytes: peaks.heapPeakBytes,
      endings: answers.length,
      failures: failures.length,
      firstFailure: firstReason instanceof Error ? firstReason.message : undefined,
      delay: summarizeDelays(answers.map((a) => a.learnedAtMs - a.completedAtMs)),
    };
  } finally {
    await server.close();
  }
}

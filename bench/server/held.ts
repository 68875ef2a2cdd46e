/**
 * Ten thousand held waits on one server process: long-polls woken at each stage change, long-polls
 * woken only when the job ends (`wake=result`), then event streams, each kind on a fresh server.
 * Many waiters per job (100 jobs × 100 waiters), the jobs completing evenly over one second, so every
 * completion has to be fanned out to a hundred held connections at once.
 */
import { createJobs, mapLimited } from '../e2e/jobs.js';
import { spawnServer } from '../e2e/server-process.js';
import type { ServerHandle } from '../e2e/server-process.js';
import { eventStreamWaiter, longPollWaiter } from './raw-http.js';
import { sampleServer, summarizeDelays } from './sampler.js';
import type { HeldAnswer } from './raw-http.js';

/** Long-polls woken at every stage change, long-polls woken only when the job ends, event streams. */
export type HeldKind = 'long-poll' | 'long-poll wake=result' | 'events';

export interface HeldSettings {
  readonly jobs: number;
  readonly waitersPerJob: number;
  /** The first job completes this long after creation; leaves time to open every connection. */
  readonly firstCompletionMs: number;
  /** The last job completes this much later than the first. */
  readonly spreadMs: number;
}

export interface HeldResult {
  readonly kind: HeldKind;
  readonly waiters: number;
  /** Most waits the server reported holding at once (its own gauge). */
  readonly maxHeld: number;
  readonly connectMs: number;
  readonly rssBaselineBytes: number;
  readonly rssPeakBytes: number;
  readonly heapPeakBytes: number;
  readonly answered: number;
  readonly requests: number;
  readonly failures: number;
  readonly firstFailure: string | undefined;
  /** From the job's completed_at to the waiter having the terminal state. */
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly latencyMaxMs: number;
  readonly latencyMeanMs: number;
}

const GAUGE: Record<HeldKind, string> = {
  'long-poll': 'translation_status_long_polls_held',
  'long-poll wake=result': 'translation_status_long_polls_held',
  events: 'translation_status_event_streams_open',
};

/** Every waiter comes from one address, so the per-client cap is raised with the global one. */
export function heldCaps(settings: HeldSettings): { maxHeldRequests: number; maxHeldPerClient: number } {
  const cap = Math.max(10_000, 2 * settings.jobs * settings.waitersPerJob);
  return { maxHeldRequests: cap, maxHeldPerClient: cap };
}

/**
 * On a fresh server of its own; or, given `across` (two instances on one store), with the jobs created
 * through the first and every waiter held on the second, whose memory is the one sampled.
 */
export async function measureHeld(
  kind: HeldKind,
  settings: HeldSettings,
  across?: readonly [ServerHandle, ServerHandle],
): Promise<HeldResult> {
  const waiters = settings.jobs * settings.waitersPerJob;
  let own: ServerHandle | undefined;
  let pair: readonly [ServerHandle, ServerHandle];
  if (across === undefined) {
    own = await spawnServer({ logLevel: 'silent', ...heldCaps(settings) });
    pair = [own, own];
  } else pair = across;
  const [maker, server] = pair;
  try {
    const step = settings.jobs > 1 ? settings.spreadMs / (settings.jobs - 1) : 0;
    const ids = await createJobs(
      maker.url,
      Array.from({ length: settings.jobs }, (_, i) => Math.round(settings.firstCompletionMs + i * step)),
    );
    const port = Number(new URL(server.url).port);
    const sampling = await sampleServer(server, GAUGE[kind]);

    const open = (id: string): Promise<{ done: Promise<HeldAnswer> }> =>
      kind === 'events'
        ? eventStreamWaiter(port, id)
        : longPollWaiter(port, id, kind === 'long-poll' ? 'change' : 'result');
    const started = performance.now();
    const opened = await mapLimited(
      Array.from({ length: waiters }, (_, i) => ids[i % ids.length] ?? ''),
      500,
      open,
    );
    const connectMs = performance.now() - started;
    const settled = await Promise.allSettled(opened.map((w) => w.done));
    const { rssBaselineBytes, rssPeakBytes, heapPeakBytes, gaugePeak: maxHeld } = await sampling.stop();

    const answers = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failures = settled.filter((s) => s.status === 'rejected');
    const latency = summarizeDelays(answers.map((a: HeldAnswer) => a.learnedAtMs - a.completedAtMs));
    const firstReason: unknown = failures[0]?.reason;
    return {
      kind,
      waiters,
      maxHeld,
      connectMs,
      rssBaselineBytes,
      rssPeakBytes,
      heapPeakBytes,
      answered: answers.length,
      requests: answers.reduce((sum, a) => sum + a.requests, 0),
      failures: failures.length,
      firstFailure: firstReason instanceof Error ? firstReason.message : undefined,
      latencyP50Ms: latency.p50Ms,
      latencyP99Ms: latency.p99Ms,
      latencyMaxMs: latency.maxMs,
      latencyMeanMs: latency.meanMs,
    };
  } finally {
    await own?.close();
  }
}

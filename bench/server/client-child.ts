/**
 * One client process waiting on many jobs at once, in its own process so its memory is its own. Given
 * the server URL, the job ids and the mode in its first IPC message; reports a `ClientScaleReport` over IPC and exits.
 */
import { TranslationClient } from '@translation-status/client';
import { mean, percentile } from '../policy/stats.js';
import { countingFetch } from '../e2e/waiters.js';

export type ClientScaleMode = 'waitForAll' | 'waitForCompletion';

export interface ClientScaleRequest {
  readonly url: string;
  readonly ids: readonly string[];
  readonly mode: ClientScaleMode;
  readonly timeoutMs: number;
  /** `Date.now()` of the first job's end: the live heap is read halfway there, while every wait is pending. */
  readonly firstEndAtMs: number;
}

export interface ClientScaleReport {
  readonly type: 'report';
  readonly requests: number;
  /** `Date.now()` as the waits began. */
  readonly startedAtMs: number;
  readonly wallMs: number;
  readonly rssBaselineBytes: number;
  readonly rssPeakBytes: number;
  readonly heapPeakBytes: number;
  /** CPU time (user and system) the client process spent from the first wait to the last settling. */
  readonly cpuMs: number;
  readonly failures: number;
  readonly firstFailure: string | undefined;
  readonly delayMeanMs: number;
  readonly delayP99Ms: number;
  /**
   * Heap still in use after a full collection while every wait is pending, less the same before the
   * first wait, per wait: what one pending wait keeps alive. NaN if some wait had settled by then.
   */
  readonly liveHeapPerWaitBytes: number;
}

/** `global.gc`, there since the child runs with `--expose-gc`. */
function collect(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Live heap after a full collection. */
function liveHeap(): number {
  collect();
  return process.memoryUsage().heapUsed;
}

/** The request arrives over IPC: 10,000 ids are too long for a command line. */
function request(): Promise<ClientScaleRequest> {
  return new Promise((resolve) => {
    process.once('message', (message: ClientScaleRequest) => {
      resolve(message);
    });
  });
}

async function main(): Promise<void> {
  const { url, ids, mode, timeoutMs, firstEndAtMs } = await request();
  const counter = countingFetch();
  const client = new TranslationClient({ baseUrl: url, fetch: counter.fetch, logLevel: 'silent' });
  const rssBaselineBytes = process.memoryUsage().rss;
  let rssPeakBytes = rssBaselineBytes;
  let heapPeakBytes = 0;
  const sample = (): void => {
    const usage = process.memoryUsage();
    rssPeakBytes = Math.max(rssPeakBytes, usage.rss);
    heapPeakBytes = Math.max(heapPeakBytes, usage.heapUsed);
  };
  const sampler = setInterval(sample, 100);
  // Each job's moment is when its own wait settles (`onSettled` in the batch), as the end-to-end bench
  // takes it. No `onStatus`: a wait that follows every stage would make held batches answer at each
  // stage change of any of their jobs, which is not what a caller waiting for outcomes pays.
  const learned = new Map<string, number>();
  const completedAt = new Map<string, number>();
  const record = (jobId: string, status: { body: Record<string, unknown> }): void => {
    learned.set(jobId, Date.now());
    const raw = status.body['completed_at'];
    if (typeof raw === 'string') completedAt.set(jobId, Date.parse(raw));
  };
  const heapBefore = liveHeap();
  let liveHeapPerWaitBytes = NaN;
  const startedAtMs = Date.now();
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const reading = setTimeout(
    () => {
      if (learned.size === 0) liveHeapPerWaitBytes = (liveHeap() - heapBefore) / ids.length;
    },
    Math.max(0, (firstEndAtMs - startedAtMs) / 2),
  );
  let failures: unknown[];
  if (mode === 'waitForAll') {
    const settled = await client.waitForAll(ids, {
      timeoutMs,
      onSettled: (result) => {
        if (result.ok) record(result.jobId, result.status);
      },
    });
    failures = settled.flatMap((s) => (s.ok ? [] : [s.error]));
  } else {
    const settled = await Promise.allSettled(
      ids.map(async (id) => {
        const done = await client.waitForCompletion(id, { timeoutMs });
        record(id, done.status);
      }),
    );
    failures = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
  }
  const wallMs = performance.now() - started;
  clearTimeout(reading);
  const cpu = process.cpuUsage(cpuBefore);
  clearInterval(sampler);
  sample();
  const delays = [...learned].flatMap(([id, at]) => {
    const end = completedAt.get(id);
    return end === undefined ? [] : [at - end];
  });
  const first = failures[0];
  const report: ClientScaleReport = {
    type: 'report',
    requests: counter.calls(),
    startedAtMs,
    wallMs,
    rssBaselineBytes,
    rssPeakBytes,
    heapPeakBytes,
    cpuMs: (cpu.user + cpu.system) / 1000,
    failures: failures.length,
    firstFailure:
      first === undefined ? undefined : first instanceof Error ? first.message : JSON.stringify(first),
    delayMeanMs: mean(delays),
    delayP99Ms: percentile(delays, 99),
    liveHeapPerWaitBytes,
  };
  process.send?.(report, () => {
    process.disconnect();
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

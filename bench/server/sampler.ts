/**
 * A server process's memory and one of its gauges, sampled every 200 ms while a held load runs (memory
 * over IPC from the server process, the gauge from its own /metrics), and how late its answers came.
 */
import type { ServerHandle } from '../e2e/server-process.js';
import { mean, percentile } from '../policy/stats.js';

/** How late a set of answers came: p50, p99, max and mean of their delays (NaN for none). */
export interface DelaySummary {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly meanMs: number;
}

export function summarizeDelays(delaysMs: readonly number[]): DelaySummary {
  return {
    p50Ms: percentile(delaysMs, 50),
    p99Ms: percentile(delaysMs, 99),
    maxMs: delaysMs.length === 0 ? NaN : Math.max(...delaysMs),
    meanMs: mean(delaysMs),
  };
}

export interface ServerPeaks {
  readonly rssBaselineBytes: number;
  readonly rssPeakBytes: number;
  readonly heapPeakBytes: number;
  /** The gauge's highest value. */
  readonly gaugePeak: number;
}

async function gauge(baseUrl: string, name: string): Promise<number> {
  const text = await (await fetch(new URL('/metrics', baseUrl))).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return Number(line?.slice(name.length + 1) ?? 0);
}

/** Starts sampling `server`; the returned `stop` ends it and resolves to the peaks seen. */
export async function sampleServer(
  server: ServerHandle,
  gaugeName: string,
): Promise<{ stop: () => Promise<ServerPeaks> }> {
  const rssBaselineBytes = (await server.memory()).rss;
  let rssPeakBytes = rssBaselineBytes;
  let heapPeakBytes = 0;
  let gaugePeak = 0;
  const sampling = new AbortController();
  const sampler = (async () => {
    while (!sampling.signal.aborted) {
      const [usage, held] = await Promise.all([server.memory(), gauge(server.url, gaugeName)]);
      rssPeakBytes = Math.max(rssPeakBytes, usage.rss);
      heapPeakBytes = Math.max(heapPeakBytes, usage.heapUsed);
      gaugePeak = Math.max(gaugePeak, held);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  return {
    stop: async () => {
      sampling.abort();
      await sampler;
      return { rssBaselineBytes, rssPeakBytes, heapPeakBytes, gaugePeak };
    },
  };
}

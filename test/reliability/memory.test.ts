/**
 * 5,000 sequential waits in one process leave the heap where it started and no listener behind:
 * one AbortSignal shared by every wait ends with no abort listener, and the heap after the last batch
 * is within a generous tolerance of the heap after the first (forced GC when it can be exposed).
 */
import { TranslationClient } from '@translation-status/client';
import { getEventListeners } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { leftoverResources, planJobs, snapshotResources, startBackend } from './support.js';

// 5,000 rather than 10,000: about 7 ms a wait one after another, so 10,000 took 75-90 s at a load of 5-10.
const WAITS = 5_000;
const BATCH = 500;
/** Growth allowed between the first and the last batch: a leak of even 1 KiB per wait is ~4.4 MiB. */
const TOLERANCE_BYTES = 4 * 1024 * 1024;

function collectGarbage(): (() => void) | undefined {
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}

describe('memory over 5,000 sequential waits', () => {
  it('keeps the heap flat and leaves no listener, timer or socket behind', async () => {
    const before = snapshotResources();
    const server = await startBackend();
    const gc = collectGarbage();
    const heap = (): number => {
      gc?.();
      gc?.();
      return process.memoryUsage().heapUsed;
    };
    try {
      const jobs = await planJobs(server, 100, { minMs: 0, maxMs: 1, errorShare: 0 });
      await new Promise((resolve) => setTimeout(resolve, 20)); // every job is complete
      const client = new TranslationClient({ baseUrl: server.url, logLevel: 'silent' });
      const shared = new AbortController();
      const samples: number[] = [];
      const started = Date.now();
      for (let i = 0; i < WAITS; i++) {
        const job = jobs[i % jobs.length];
        if (job === undefined) throw new Error('no job');
        const done = await client.waitForCompletion(job.id, { signal: shared.signal, timeoutMs: 10_000 });
        expect(done.status.result).toBe('completed');
        if ((i + 1) % BATCH === 0) samples.push(heap());
      }
      const wallMs = Date.now() - started;
      const first = samples[0] ?? 0;
      const last = samples.at(-1) ?? 0;
      console.log(
        `[reliability] memory: ${WAITS} waits in ${wallMs} ms; gc ${gc === undefined ? 'not exposed' : 'forced'}; ` +
          `heap after each ${BATCH}: ${samples.map((b) => (b / 1048576).toFixed(1)).join(', ')} MiB; ` +
          `growth first→last ${((last - first) / 1024).toFixed(0)} KiB`,
      );
      expect(getEventListeners(shared.signal, 'abort')).toHaveLength(0);
      expect(last - first).toBeLessThan(TOLERANCE_BYTES);
    } finally {
      await server.close();
    }
    expect(await leftoverResources(before)).toEqual({});
  }, 90_000);
});

/**
 * Holds that wake only on the ending are allowed longer than `max-wait` (`max-result-wait`), and the
 * client uses that: the real server and client on loopback, with small caps (1 s and 5 s).
 */
import { TranslationClient } from '@translation-status/client';
import type { RunningServer } from '@translation-status/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { inProcessServer, jobLasting, serversCheckedForLeaks, story } from './support.js';

const servers = serversCheckedForLeaks();
let server: RunningServer;

beforeAll(async () => {
  server = await inProcessServer({ maxWaitSeconds: 1, maxResultWaitSeconds: 5 });
  servers.push(server);
});

describe('a hold that wakes only on the ending', () => {
  it('is held past max-wait, up to max-result-wait; one that wakes at every change is not', async () => {
    const id = await jobLasting(server, 600_000);
    const ask = (wake: string) =>
      fetch(`${server.url}/jobs/${id}?wake=${wake}`, { headers: { prefer: 'wait=3' } });
    const capabilities = (await fetch(`${server.url}/jobs/${id}`)).headers.get('status-capabilities');
    expect(capabilities).toMatch(/^long-poll; max-wait=1; max-result-wait=5,/);

    const started = performance.now();
    const [endings, changes] = await Promise.all([ask('result'), ask('change')]);
    expect(endings.headers.get('preference-applied')).toBe('wait=3');
    expect(changes.headers.get('preference-applied')).toBe('wait=1');
    // Held its 3 s (timer granularity allowed for), so past the 1 s of max-wait.
    expect(performance.now() - started).toBeGreaterThanOrEqual(2_900);
    expect(((await endings.json()) as { result: string }).result).toBe('pending');
    await changes.text();
  });

  it('lets the client wait out a job in one hold where max-wait alone would take several', async () => {
    const s = story('long hold');
    const id = await jobLasting(server, 3_500);
    const client = new TranslationClient({ baseUrl: server.url, transport: 'long-poll' });
    const { status, stats } = await client.waitForCompletion(id, { ...s.callbacks, onStatus: undefined });
    s.log(`done: ${stats.requests} requests via ${stats.transport}`);
    expect(status.result).toBe('completed');
    // A first read, then one hold of the ETA plus grace (capped at 5 s); 1 s holds would need four.
    expect(stats.requests).toBeLessThanOrEqual(3);
  });
});

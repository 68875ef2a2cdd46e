/**
 * The chaos proxy itself: a swallowed request is never answered and keeps its socket, a silenced one
 * gets its headers and nothing more, closing the proxy frees both, and the fault a request meets
 * depends on the seed and the request, not on how requests interleave.
 */
import type { RunningServer } from '@translation-status/server';
import { afterEach, describe, expect, it } from 'vitest';
import type { Fault } from './chaos-proxy.js';
import { ChaosProxy } from './chaos-proxy.js';
import { planJobs, startBackend } from './support.js';

let server: RunningServer | undefined;
const proxies: ChaosProxy[] = [];
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((p) => p.close()));
  await server?.close();
  server = undefined;
});

async function proxyFor(
  faults: readonly Fault[] | undefined,
  faultRate: number,
  seed = 1,
): Promise<ChaosProxy> {
  server ??= await startBackend();
  const proxy = new ChaosProxy({ target: server.url, faultRate, seed, ...(faults ? { faults } : {}) });
  await proxy.listen();
  proxies.push(proxy);
  return proxy;
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('the chaos proxy', () => {
  it('swallows a request: no answer, the socket held open, then freed when the proxy closes', async () => {
    const proxy = await proxyFor(['swallow'], 1);
    const [job] = await planJobs(server as RunningServer, 1);
    const answer = fetch(`${proxy.url}/jobs/${job?.id ?? ''}`).then(
      () => 'answered',
      () => 'failed',
    );
    await until(() => proxy.requests === 1);
    const early = await Promise.race([answer, new Promise((resolve) => setTimeout(resolve, 300, 'pending'))]);
    expect(early).toBe('pending');
    expect(proxy.openSockets).toBe(1);
    await proxy.close();
    expect(await answer).toBe('failed');
    await until(() => proxy.openSockets === 0);
    expect(proxy.openSockets).toBe(0);
  });

  it('silences an answer after its headers: the status arrives, the body never does', async () => {
    const proxy = await proxyFor(['silence'], 1);
    const [job] = await planJobs(server as RunningServer, 1);
    const response = await fetch(`${proxy.url}/jobs/${job?.id ?? ''}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    const body = response.text().then(
      () => 'body',
      () => 'failed',
    );
    const early = await Promise.race([body, new Promise((resolve) => setTimeout(resolve, 300, 'pending'))]);
    expect(early).toBe('pending');
    await proxy.close();
    expect(await body).toBe('failed');
  });

  it('gives each request the same fault for a seed, however requests interleave', async () => {
    const jobs = await planJobs((server ??= await startBackend()), 20);
    const faultsSeen = async (order: readonly string[]): Promise<Map<string, string[]>> => {
      const proxy = await proxyFor(['html200', 'html502', 'throttle', 'unavailable'], 0.5, 42);
      for (const id of order) await fetch(`${proxy.url}/jobs/${id}`).then((r) => r.text());
      const seen = new Map<string, string[]>();
      for (const entry of proxy.log)
        seen.set(entry.request, [...(seen.get(entry.request) ?? []), entry.fault]);
      return seen;
    };
    const ids = jobs.map((j) => j.id);
    const twice = [...ids, ...ids];
    const forward = await faultsSeen(twice);
    const backward = await faultsSeen([...twice].reverse());
    expect(backward).toEqual(forward);
    const faulted = [...forward.values()].flat().filter((f) => f !== 'none').length;
    expect(faulted).toBeGreaterThan(5);
    expect(faulted).toBeLessThan(35);
  });
});

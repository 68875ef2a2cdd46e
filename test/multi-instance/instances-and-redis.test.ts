/**
 * Three server instances on one Redis behind a round-robin proxy, while one instance is killed with
 * SIGKILL and restarted, then every instance is restarted (a rolling restart), then Redis itself is
 * killed with SIGKILL and restarted (append-only file, an fsync per write). Waits run through it all,
 * half by event stream and half by long-poll, half of them on jobs created before the trouble and half
 * on jobs created during it. Asserted: every wait on a created job ends with its true outcome (0 wrong,
 * 0 lost), no created job is ever answered 404, no job's version ever goes back on the wire, and p99
 * lateness after each job's end stays under a bound.
 *
 * `MULTI_INSTANCE_WAITS=1000 MULTI_INSTANCE_P99_MS=5000` runs the figure of docs/reliability.md; the
 * suite runs fewer waits with a looser bound.
 */
import type { JobStatus, PollInfo, TransportMode } from '@translation-status/client';
import { JobFailedError, TranslationClient } from '@translation-status/client';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import { createRandom } from '@translation-status/server';
import { RedisServer, redisServerAvailable } from '../../packages/server/src/test-support/redis-server.js';
import type { Instance } from './instances.js';
import { cliBuilt, startInstances } from './instances.js';
import { jobIdOf, RoundRobinProxy } from './round-robin-proxy.js';

const WAITS = Number(process.env.MULTI_INSTANCE_WAITS ?? 300);
/**
 * Event streams and long-polls: how a client learns of a change the moment it happens. (Polling's
 * lateness is its schedule's, measured by the chaos suite; a long-poll wait that reports every stage
 * starts holding only after the first poll hint, so these waits report only the end.)
 */
const TRANSPORTS: readonly TransportMode[] = ['auto', 'long-poll'];
/** The trouble begins this long after the waits start; its steps follow one another 1 s apart. */
const TROUBLE_AT_MS = 3000;
const PAUSE_MS = 1000;
/** Jobs last 2–24 s, so every step of the trouble falls inside many of them. */
const MIN_MS = 2000;
const MAX_MS = 24_000;
/** Jobs created during the trouble are created this long after the waits start, at most. */
const CREATES_UNTIL_MS = 14_000;
const WAIT_TIMEOUT_MS = 90_000;
/**
 * The target is 5 s (docs/reliability.md has the figures: p99 1.5 s to 38.7 s at 1,000 waits, with the
 * load; 3.8 s with 300 waits and the client's defaults). The suite, with 300 waits, allows 20 s: a busy
 * machine still passes, and a lost wake-up (the 90 s wait timeout) does not.
 */
const LATENESS_P99_MS = Number(process.env.MULTI_INSTANCE_P99_MS ?? 20_000);

interface Planned {
  readonly durationMs: number;
  readonly outcome: 'completed' | 'error';
  readonly transport: TransportMode;
  /** 0 = before the trouble; otherwise ms after the waits start. */
  readonly createAtMs: number;
}

interface Result {
  readonly plan: Planned;
  /** Undefined when the create was not acknowledged (no 201). */
  readonly id: string | undefined;
  readonly createError: string | undefined;
  readonly outcome: string;
  /** Settled minus the job's own end (its completed_at), ms. */
  readonly latenessMs: number;
  /** The job's end (its completed_at), ms since the epoch. */
  readonly endedAtMs: number;
  /** How the wait ended: its last transport, requests and retries (what a slow wait did). */
  readonly how: string;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function plans(count: number): Planned[] {
  const random = createRandom(31);
  return Array.from({ length: count }, (_, i) => ({
    durationMs: Math.round(MIN_MS + random() * (MAX_MS - MIN_MS)),
    outcome: random() < 0.2 ? 'error' : 'completed',
    transport: TRANSPORTS[i % TRANSPORTS.length] as TransportMode,
    createAtMs: i % 2 === 0 ? 0 : Math.round(1000 + random() * (CREATES_UNTIL_MS - 1000)),
  }));
}

function endOf(status: JobStatus): number {
  const at = status.body['completed_at'];
  return typeof at === 'string' ? Date.parse(at) : NaN;
}

/** Creates the planned job: its id, or the code of the error that refused it. */
async function create(client: TranslationClient, plan: Planned): Promise<{ id?: string; error?: string }> {
  try {
    const { id } = await client.createJob({
      sourceLanguage: 'en',
      targetLanguage: 'es',
      videoDurationSeconds: 30,
      lipSync: false,
      simulate: { durationMs: plan.durationMs, outcome: plan.outcome },
    });
    return { id };
  } catch (error) {
    return { error: (error as { code?: string }).code ?? String(error) };
  }
}

async function waitOn(client: TranslationClient, plan: Planned, made: { id?: string; error?: string }) {
  if (made.id === undefined) {
    return {
      plan,
      id: undefined,
      createError: made.error,
      outcome: 'not created',
      latenessMs: 0,
      endedAtMs: NaN,
      how: '',
    };
  }
  return waitFor(client, plan, made.id);
}

/** The jobs made before the trouble, a few at a time as a client submitting a backlog would. */
async function createBacklog(client: TranslationClient, plans: readonly Planned[]) {
  const made: { id?: string; error?: string }[] = [];
  for (let i = 0; i < plans.length; i += 25) {
    made.push(...(await Promise.all(plans.slice(i, i + 25).map((plan) => create(client, plan)))));
  }
  return made;
}

async function waitFor(client: TranslationClient, plan: Planned, id: string): Promise<Result> {
  let outcome: string;
  let final: JobStatus | undefined;
  const requests: string[] = [];
  // onPoll (unlike onStatus) leaves the wait's course alone: it only tells each request.
  const onPoll = (info: PollInfo): void => {
    requests.push(`${info.transport} at ${(info.elapsedMs / 1000).toFixed(1)} s`);
  };
  try {
    ({ status: final } = await client.waitForCompletion(id, {
      timeoutMs: WAIT_TIMEOUT_MS,
      transport: plan.transport,
      onPoll,
    }));
    outcome = 'completed';
  } catch (error) {
    if (error instanceof JobFailedError) {
      outcome = 'error';
      final = error.status;
    } else outcome = `other:${(error as { code?: string }).code ?? String(error)}`;
  }
  const how = `${requests.length} requests: ${requests.slice(-4).join(', ')}`;
  const endedAtMs = final === undefined ? NaN : endOf(final);
  const latenessMs = final === undefined ? Infinity : Date.now() - endedAtMs;
  return { plan, id, createError: undefined, outcome, latenessMs, endedAtMs, how };
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const ready = redisServerAvailable() && cliBuilt();
let redis: RedisServer | undefined;
let instances: Instance[] = [];
let proxy: RoundRobinProxy | undefined;
afterAll(async () => {
  await proxy?.close();
  await Promise.all(instances.map((instance) => instance.kill()));
  await redis?.close();
});

describe.skipIf(!ready)('three instances on one Redis behind a round-robin proxy', () => {
  it(`${WAITS} waits through kill -9 of an instance, a restart of all, and a restart of Redis`, async () => {
    redis = await RedisServer.start({ persistence: true });
    instances = await startInstances(3, [
      '--store',
      redis.url,
      '--log-level',
      'warn',
      '--max-wait',
      '5',
      '--heartbeat-ms',
      '2000',
      '--max-held',
      '100000',
      '--max-held-per-client',
      '100000',
    ]);
    proxy = new RoundRobinProxy(instances.map((instance) => instance.url));
    await proxy.listen();
    // Retries as soon as the backoff allows, and no shared budget: the test measures the servers, and
    // a budget spent on the first outage would slow every later wait to one probe per 30 s. A long
    // request timeout: a killed instance cuts its connections at once, so the timeout only ever
    // fires on a machine too busy to start the instances quickly.
    const client = new TranslationClient({
      baseUrl: proxy.url,
      logLevel: 'silent',
      requestTimeoutMs: 15_000,
      retry: { budget: false, maxRetries: 1000, maxDelayMs: 1000 },
    });

    const all = plans(WAITS);
    const backlog = all.filter((plan) => plan.createAtMs === 0);
    const later = all.filter((plan) => plan.createAtMs > 0);
    const made = await createBacklog(client, backlog);
    // This process runs the client of every wait and the proxy: how busy it was says whether a slow
    // wait measured the servers or the machine.
    const loop = monitorEventLoopDelay({ resolution: 20 });
    loop.enable();
    const cpuBefore = process.cpuUsage();
    const startedAt = Date.now();
    const results = Promise.all([
      ...backlog.map((plan, i) => waitOn(client, plan, made[i] ?? {})),
      ...later.map(async (plan) => {
        await sleep(Math.max(0, startedAt + plan.createAtMs - Date.now()));
        return waitOn(client, plan, await create(client, plan));
      }),
    ]);
    const steps: string[] = [];
    const step = (what: string): void => {
      steps.push(`${what} at ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
    };
    await sleep(TROUBLE_AT_MS);
    const [first] = instances as [Instance];
    step('kill -9 of one instance');
    await first.kill();
    await sleep(PAUSE_MS);
    await first.start();
    step('it is back');
    await sleep(PAUSE_MS);
    // A rolling restart, as a deploy does it: every process is replaced, one at a time.
    for (const instance of instances) {
      await instance.stop();
      await instance.start();
    }
    step('every instance restarted');
    await sleep(PAUSE_MS);
    step('kill -9 of Redis');
    await redis.kill();
    await redis.restart();
    step('Redis is back');
    const done = await results;
    loop.disable();
    const cpu = process.cpuUsage(cpuBefore);
    const busy = `this process: ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s of CPU in ${((Date.now() - startedAt) / 1000).toFixed(1)} s, event loop delay p99 ${(loop.percentile(99) / 1e6).toFixed(0)} ms max ${(loop.max / 1e6).toFixed(0)} ms`;

    const created = done.filter((r) => r.id !== undefined);
    const ids = new Set(created.map((r) => r.id));
    const wrong = created.filter((r) => r.outcome !== r.plan.outcome);
    const backwards = [...proxy.versions].filter(([, seen]) => seen.some((v, i) => v < (seen[i - 1] ?? 0)));
    const notFound = proxy.answers.filter((a) => a.status === 404 && ids.has(jobIdOf(a.path)));
    const refused = done.filter((r) => r.id === undefined);
    const lateness = created.map((r) => r.latenessMs);
    const statuses: Record<number, number> = {};
    for (const a of proxy.answers) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
    console.log(
      `[reliability] ${WAITS} waits, 3 instances on one Redis: ${created.length} created ` +
        `(${refused.length} creates refused: ${JSON.stringify(refused.map((r) => r.createError))}), ` +
        `${wrong.length} wrong, ${notFound.length} 404s, ${backwards.length} jobs whose version went back; ` +
        `lateness p50 ${percentile(lateness, 50)} ms p99 ${percentile(lateness, 99)} ms max ` +
        `${percentile(lateness, 100)} ms; ${proxy.answers.length} answers by status ${JSON.stringify(statuses)}; ` +
        steps.join(', ') +
        `; proxy ${proxy.url}, instances ${instances.map((i) => `:${String(i.port)}`).join(' ')}`,
    );
    const byTransport = TRANSPORTS.map((transport) => {
      const of = created.filter((r) => r.plan.transport === transport).map((r) => r.latenessMs);
      return `${transport} (${of.length}): p50 ${percentile(of, 50)} ms p99 ${percentile(of, 99)} ms max ${percentile(of, 100)} ms`;
    });
    console.log(`[reliability] lateness by transport: ${byTransport.join('; ')}; ${busy}`);
    const slowest = [...created].sort((a, b) => b.latenessMs - a.latenessMs).slice(0, 8);
    console.log(
      `[reliability] slowest: ${slowest
        .map(
          (r) =>
            `${r.plan.outcome} ${r.plan.transport} wait from ${(r.plan.createAtMs / 1000).toFixed(1)} s (${r.how}), job ended at ` +
            `${((r.endedAtMs - startedAt) / 1000).toFixed(1)} s, ${r.latenessMs} ms late`,
        )
        .join('; ')}`,
    );
    // What the proxy saw of the three slowest: each forwarding, from the job's end, to which instance,
    // and when its answer came (or how it failed); a hold that outlives its max-wait is the server's.
    for (const r of slowest.slice(0, 3)) {
      const seen = (proxy.forwarded.get(r.id ?? '') ?? []).map((f) => {
        const at = (t: number): string => `${((t - r.endedAtMs) / 1000).toFixed(1)} s`;
        const answer =
          f.answeredAt === undefined
            ? (f.failed ?? 'no answer')
            : `${String(f.status)} at ${at(f.answeredAt)}`;
        return `${at(f.sentAt)} ${f.asked} to :${f.upstream}: ${answer}`;
      });
      console.log(`[reliability] proxy, ${r.id ?? ''} (${r.plan.outcome}): ${seen.join('; ')}`);
    }
    expect(wrong.map((r) => `${r.id ?? ''}: ${r.outcome} instead of ${r.plan.outcome}`)).toEqual([]);
    expect(notFound).toEqual([]);
    expect(backwards).toEqual([]);
    expect(percentile(lateness, 99)).toBeLessThan(LATENESS_P99_MS);
    // A create may fail only on the way (a 502 from the balancer when its instance died holding it, or
    // no answer in time), never as a server error: such a create was never acknowledged, so no job was
    // lost.
    expect(statuses[500] ?? 0).toBe(0);
    expect(refused.filter((r) => !['http_error', 'request_timeout'].includes(r.createError ?? ''))).toEqual(
      [],
    );
  }, 180_000);
});

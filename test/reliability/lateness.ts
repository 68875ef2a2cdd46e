/**
 * Waits of every kind through one client, judged against the server: the outcome each job truly had
 * (read from the server's store, not from what the client saw) and how late the wait learned it, from
 * the job's end by the server's own `completed_at` to the moment the wait settled.
 */
import type { Logger, TranslationClient, WaitOptions } from '@translation-status/client';
import type { JobStore } from '@translation-status/server';
import { percentile } from '../../bench/policy/stats.js';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Fault, ProxiedRequest } from './chaos-proxy.js';
import type { Outcome } from './support.js';
import { outcomeOf } from './support.js';

/** The ways of waiting a run takes in turn: one transport each, and the batch path of waitForAll. */
export const WAYS = ['auto', 'sse', 'long-poll', 'poll', 'waitForAll'] as const;
export type Way = (typeof WAYS)[number];

/** Jobs per waitForAll call: above `batch.streamBelow`, so they share held batch reads. */
const BATCH_SIZE = 20;

export interface Settled {
  readonly jobId: string;
  readonly way: Way;
  readonly outcome: Outcome;
  readonly startedAt: number;
  readonly settledAt: number;
}

export interface WaitPlan {
  /** Waits in all; each way of waiting takes every fifth. */
  readonly count: number;
  readonly timeoutMs: number;
  /**
   * The waits start evenly spread over this long, each on a job created as it starts (a
   * waitForAll call's jobs together), so the start is not one burst of requests in a process that also
   * runs the proxy and the server. @default 0
   */
  readonly rampMs?: number;
}

/** One waitForCompletion, or one waitForAll call over `size` jobs. */
interface Unit {
  readonly way: Way;
  readonly size: number;
}

function unitsOf(count: number): Unit[] {
  const units: Unit[] = [];
  let batch = 0;
  for (let i = 0; i < count; i++) {
    const way = WAYS[i % WAYS.length] ?? 'auto';
    if (way !== 'waitForAll') units.push({ way, size: 1 });
    else if (++batch === BATCH_SIZE) {
      units.push({ way, size: batch });
      batch = 0;
    }
  }
  if (batch > 0) units.push({ way: 'waitForAll', size: batch });
  return units;
}

/** Runs the plan's waits, each on a job `makeJob` creates as it starts; never rejects. */
export async function runWaits(
  client: TranslationClient,
  makeJob: () => Promise<{ readonly id: string }>,
  { count, timeoutMs, rampMs = 0 }: WaitPlan,
): Promise<Settled[]> {
  const settled: Settled[] = [];
  const units = unitsOf(count);
  await Promise.all(
    units.map(async ({ way, size }, k) => {
      await sleep((k * rampMs) / units.length);
      const jobs = await Promise.all(Array.from({ length: size }, makeJob));
      const startedAt = Date.now();
      const record = (jobId: string, outcome: Outcome): void => {
        settled.push({ jobId, way, outcome, startedAt, settledAt: Date.now() });
      };
      if (way === 'waitForAll') {
        await client.waitForAll(
          jobs.map((j) => j.id),
          {
            timeoutMs,
            onSettled: (result) => {
              record(result.jobId, result.ok ? 'completed' : outcomeOf(result.error));
            },
          },
        );
        return;
      }
      const [job] = jobs;
      if (job === undefined) return;
      const options: WaitOptions = { timeoutMs, transport: way };
      try {
        await client.waitForCompletion(job.id, options);
        record(job.id, 'completed');
      } catch (error) {
        record(job.id, outcomeOf(error));
      }
    }),
  );
  return settled;
}

export interface Judged extends Settled {
  /** The job's result on the server when judged. */
  readonly truth: 'pending' | 'completed' | 'error' | 'unknown';
  /** When the job ended, by the server's `completed_at`; undefined while pending. */
  readonly endedAt: number | undefined;
  /** From the job's end to the wait settling; undefined while the job is pending. */
  readonly latenessMs: number | undefined;
}

/** Reads every job from the server and sets each wait beside its truth. */
export async function judge(store: JobStore, settled: readonly Settled[]): Promise<Judged[]> {
  return Promise.all(
    settled.map(async (s) => {
      const job = await store.get(s.jobId);
      const endedAt = job?.completed_at == null ? undefined : Date.parse(job.completed_at);
      return {
        ...s,
        truth: job?.result ?? 'unknown',
        endedAt,
        latenessMs: endedAt === undefined ? undefined : s.settledAt - endedAt,
      };
    }),
  );
}

/** The most waits in flight at once. */
export function peakInFlight(settled: readonly Settled[]): number {
  const edges = settled.flatMap((s) => [
    { at: s.startedAt, step: 1 },
    { at: s.settledAt, step: -1 },
  ]);
  edges.sort((a, b) => a.at - b.at || a.step - b.step);
  let now = 0;
  let peak = 0;
  for (const edge of edges) peak = Math.max(peak, (now += edge.step));
  return peak;
}

export interface Spread {
  readonly n: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

export function spread(values: readonly number[]): Spread {
  return {
    n: values.length,
    p50: percentile(values, 50),
    p90: percentile(values, 90),
    p99: percentile(values, 99),
    max: values.length === 0 ? NaN : Math.max(...values),
  };
}

/** The job ids a proxied request was about: `/jobs/:id`, `/jobs/:id/events` or `/jobs?ids=a,b`. */
export function jobsOf(request: string): string[] {
  const target = request.slice(request.indexOf(' ') + 1);
  const url = new URL(target, 'http://proxy');
  const ids = url.searchParams.get('ids');
  if (ids !== null) return ids.split(',').filter((id) => id !== '');
  const match = /^\/jobs\/([^/]+)/.exec(url.pathname);
  return match?.[1] === undefined ? [] : [decodeURIComponent(match[1])];
}

/**
 * The faults each wait met (on a request about its job, before it settled); 'none' for a wait that
 * met none. A wait that met several counts under each.
 */
export function faultsMet(
  judged: readonly Judged[],
  log: readonly ProxiedRequest[],
): Map<string, Set<Fault | 'none'>> {
  const settledAt = new Map(judged.map((j) => [j.jobId, j.settledAt]));
  const met = new Map<string, Set<Fault | 'none'>>(judged.map((j) => [j.jobId, new Set()]));
  for (const entry of log) {
    if (entry.fault === 'none') continue;
    for (const id of jobsOf(entry.request)) {
      if (entry.at <= (settledAt.get(id) ?? -Infinity)) met.get(id)?.add(entry.fault);
    }
  }
  for (const faults of met.values()) if (faults.size === 0) faults.add('none');
  return met;
}

const seconds = (ms: number): string => (Number.isNaN(ms) ? '-' : (ms / 1000).toFixed(1));

export function formatSpread(s: Spread): string {
  return `n ${String(s.n)} p50 ${seconds(s.p50)} p90 ${seconds(s.p90)} p99 ${seconds(s.p99)} max ${seconds(s.max)} s`;
}

/** Lateness per way and per fault met, one line each, for the test's report. */
export function latenessReport(judged: readonly Judged[], log: readonly ProxiedRequest[]): string[] {
  const lateness = (js: readonly Judged[]): number[] => js.flatMap((j) => j.latenessMs ?? []);
  const lines = WAYS.map(
    (way) => `${way}: ${formatSpread(spread(lateness(judged.filter((j) => j.way === way))))}`,
  );
  const met = faultsMet(judged, log);
  const byFault = new Map<Fault | 'none', Judged[]>();
  for (const j of judged) {
    for (const fault of met.get(j.jobId) ?? []) byFault.set(fault, [...(byFault.get(fault) ?? []), j]);
  }
  for (const [fault, js] of [...byFault].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`met ${fault}: ${formatSpread(spread(lateness(js)))}`);
  }
  return lines;
}

/** A line the client logged, with when. */
export interface ClientLine {
  readonly at: number;
  readonly level: keyof Logger;
  readonly fields: Readonly<Record<string, unknown>>;
  readonly message: string;
}

/** A logger (for `logLevel: 'debug'`) that keeps every line, to show what a late wait was told. */
export function recordingLogger(): { readonly logger: Logger; readonly lines: ClientLine[] } {
  const lines: ClientLine[] = [];
  const at =
    (level: keyof Logger) =>
    (fields: object, message = ''): void => {
      lines.push({ at: Date.now(), level, fields: fields as Record<string, unknown>, message });
    };
  return { logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

/** Whether a client line is about `jobId` (its `jobId` field, or among a batch's `ids`). */
function isAbout(line: ClientLine, jobId: string): boolean {
  const { jobId: one, ids } = line.fields;
  return one === jobId || (Array.isArray(ids) && ids.includes(jobId));
}

/**
 * A wait's story, in order, timed from its job's end: each request (kind, hold asked for, fault) and
 * each line the client logged about it.
 */
export function timeline(
  judged: Judged,
  log: readonly ProxiedRequest[],
  lines: readonly ClientLine[] = [],
): string {
  const end = judged.endedAt ?? judged.startedAt;
  const requests = log
    .filter((e) => jobsOf(e.request).includes(judged.jobId) && e.at <= judged.settledAt)
    .map((e) => {
      const kind = e.stream ? 'events' : e.request.includes('?ids=') ? 'batch' : 'read';
      const hold = e.prefer === undefined ? '' : ` ${e.prefer}`;
      return { at: e.at, text: `${kind}${hold} ${e.fault}` };
    });
  const logged = lines
    .filter((l) => isAbout(l, judged.jobId) && l.at <= judged.settledAt)
    .map((l) => ({ at: l.at, text: `client ${l.level}: ${l.message} ${JSON.stringify(l.fields)}` }));
  const steps = [...requests, ...logged]
    .sort((a, b) => a.at - b.at)
    .map((step) => `${seconds(step.at - end)} ${step.text}`);
  return `${judged.jobId} (${judged.way}, ${judged.outcome}, started ${seconds(judged.startedAt - end)}, ${seconds(judged.latenessMs ?? NaN)} s late): ${steps.join('; ')}`;
}

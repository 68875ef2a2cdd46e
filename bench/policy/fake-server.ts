/**
 * One job served over a fake `fetch` that speaks docs/protocol.md and answers with real `Response`
 * objects, in virtual time: a held long-poll or an event stream sleeps on the injected clock until the
 * job changes. Every call counts as one request (a held request or a stream is still one).
 */
import { SETTINGS } from '../../packages/server/src/settings/table.js';
import { hintsFor } from './hints.js';
import { nextChangeMs, snapshotAt } from './job-state.js';
import type { JobSnapshot } from './job-state.js';
import { seededRandom, uniform } from './random.js';
import type { Random } from './random.js';
import type { TraceJob } from './trace.js';
import type { Clock } from './virtual-clock.js';

/** What the simulated server offers beyond `GET /status`. */
export type ServerCapability = 'none' | 'long-poll' | 'events';

export interface ServerScenario {
  /** Send `eta_ms`, `Retry-After` and `Poll-After-Ms` while pending. */
  readonly hints: boolean;
  readonly capability: ServerCapability;
  /**
   * `heygen-v3`: HeyGen's `GET /v3/video-translations/{id}` body (`data.status` pending, running,
   * completed, failed) and nothing else: no hints, no capabilities, whatever `hints` says.
   */
  readonly wire?: 'heygen-v3';
}

/** Where a strategy finds the job, by the scenario's wire format. */
export function jobPath(scenario: ServerScenario, id: string): string {
  return scenario.wire === 'heygen-v3' ? `/v3/video-translations/${id}` : `/jobs/${id}`;
}

/** HeyGen's words for a snapshot: queued is `pending`, any later stage `running`. */
function heygenBody(s: Served, snap: JobSnapshot): Record<string, unknown> {
  // The trace's jobs all complete (as the other rows'), so `failed` never shows here.
  const status = snap.result === 'completed' ? 'completed' : snap.stage === 'queued' ? 'pending' : 'running';
  return {
    data: {
      video_translation_id: s.job.id,
      status,
      video_url: status === 'completed' ? `https://video.bench.invalid/${s.job.id}.mp4` : null,
      failure_message: null,
    },
  };
}

export const ORIGIN = 'http://bench.invalid';
/** The server's cap on `Prefer: wait` (its `--max-wait` default). */
export const MAX_WAIT_SECONDS = SETTINGS.maxWaitSeconds.default;
/** Its cap on holds that wake only on the ending (its `--max-result-wait` default). */
export const MAX_RESULT_WAIT_SECONDS = SETTINGS.maxResultWaitSeconds.default;
export const HEARTBEAT_MS = 15_000;
/** Each read of the ETA is off by up to this much on top of the job's bias. */
export const ETA_READ_NOISE = 0.03;

export interface SimulatedJob {
  readonly fetch: typeof fetch;
  /** Requests received so far. */
  requests(): number;
}

interface Served {
  readonly job: TraceJob;
  readonly clock: Clock;
  readonly scenario: ServerScenario;
  readonly createdAt: number;
  readonly noise: Random;
}

const JSON_TYPE = 'application/json; charset=utf-8';

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function errorResponse(status: number, code: string, message: string): Response {
  return new Response(JSON.stringify({ error: { code, message } }), {
    status,
    headers: { 'content-type': JSON_TYPE },
  });
}

function elapsed(s: Served): number {
  return s.clock.now() - s.createdAt;
}

/** The imperfect estimate a real backend would give: biased per job, noisy per read. */
function estimateEtaMs(s: Served): number {
  const remaining = Math.max(0, s.job.durationMs - elapsed(s));
  const noise = uniform(s.noise, -ETA_READ_NOISE, ETA_READ_NOISE);
  return Math.max(0, Math.round(remaining * (1 + s.job.etaBias) * (1 + noise)));
}

function resource(s: Served, snap: JobSnapshot, etaMs: number | undefined): Record<string, unknown> {
  const { job, createdAt } = s;
  return {
    id: job.id,
    result: snap.result,
    stage: snap.stage,
    progress: snap.progress,
    source_language: 'en',
    target_language: 'es',
    video_duration_seconds: 90,
    lip_sync: job.lipSync,
    created_at: iso(createdAt),
    updated_at: iso(createdAt + snap.sinceMs),
    completed_at: snap.result === 'pending' ? null : iso(createdAt + job.durationMs),
    ...(etaMs === undefined ? {} : { eta_ms: etaMs }),
    version: snap.version,
  };
}

function capabilityHeaders(s: Served): Record<string, string> {
  switch (s.scenario.capability) {
    case 'none':
      return {};
    case 'long-poll':
      return {
        'status-capabilities': `long-poll; max-wait=${MAX_WAIT_SECONDS}; max-result-wait=${MAX_RESULT_WAIT_SECONDS}`,
      };
    case 'events':
      return {
        'status-capabilities': 'events',
        link: `</jobs/${s.job.id}/events>; rel="events"; type="text/event-stream"`,
      };
  }
}

function jobResponse(s: Served, extra: Record<string, string>): Response {
  const snap = snapshotAt(s.job, elapsed(s));
  if (s.scenario.wire === 'heygen-v3') {
    return new Response(JSON.stringify(heygenBody(s, snap)), {
      status: 200,
      headers: { 'content-type': JSON_TYPE },
    });
  }
  const pending = snap.result === 'pending';
  const etaMs = pending && s.scenario.hints ? estimateEtaMs(s) : undefined;
  const headers: Record<string, string> = {
    'content-type': JSON_TYPE,
    'cache-control': 'no-store',
    etag: `"v${snap.version}"`,
    ...capabilityHeaders(s),
    ...extra,
  };
  if (etaMs !== undefined) {
    const hint = hintsFor(etaMs);
    headers['retry-after'] = String(hint.retryAfterSeconds);
    headers['poll-after-ms'] = String(hint.pollAfterMs);
  }
  return new Response(JSON.stringify(resource(s, snap, etaMs)), { status: 200, headers });
}

/** `Prefer: wait=N` → N, or undefined when absent or malformed. */
function preferredWaitSeconds(headers: Headers): number | undefined {
  const match = /(?:^|[,;\s])wait=(\d+)/i.exec(headers.get('prefer') ?? '');
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** `If-None-Match: "vK"` → K. */
function knownVersion(headers: Headers): number | undefined {
  const match = /"v(\d+)"/.exec(headers.get('if-none-match') ?? '');
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

async function getJob(
  s: Served,
  headers: Headers,
  signal: AbortSignal | undefined,
  wakeOnResult: boolean,
): Promise<Response> {
  const wanted = s.scenario.capability === 'none' ? undefined : preferredWaitSeconds(headers);
  if (wanted === undefined) return jobResponse(s, {});
  const applied = Math.min(wanted, wakeOnResult ? MAX_RESULT_WAIT_SECONDS : MAX_WAIT_SECONDS);
  const snap = snapshotAt(s.job, elapsed(s));
  const known = knownVersion(headers) ?? snap.version;
  // `wake=result` holds through stage changes, until the job ends (as the server does).
  const change = wakeOnResult
    ? elapsed(s) < s.job.durationMs
      ? s.job.durationMs
      : undefined
    : nextChangeMs(s.job, elapsed(s));
  // Hold only while the client is up to date (or asked only for the ending) and the job can still change.
  if ((known === snap.version || wakeOnResult) && change !== undefined) {
    const holdMs = Math.min(applied * 1000, change - elapsed(s));
    await s.clock.sleep(holdMs, signal);
  }
  return jobResponse(s, { 'preference-applied': `wait=${applied}` });
}

function eventFrame(s: Served, snap: JobSnapshot): string {
  return `id: ${snap.version}\nevent: status\ndata: ${JSON.stringify(resource(s, snap, undefined))}\n\n`;
}

function eventStream(s: Served, headers: Headers, signal: AbortSignal | undefined): Response {
  const encoder = new TextEncoder();
  const stop = new AbortController();
  const onAbort = (): void => {
    stop.abort(signal?.reason);
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  const lastEventId = Number(headers.get('last-event-id') ?? '0');
  let sentVersion = Number.isInteger(lastEventId) ? lastEventId : 0;
  let lastWriteAt = s.clock.now();
  let started = false;
  const finish = (controller: ReadableStreamDefaultController<Uint8Array>): void => {
    signal?.removeEventListener('abort', onAbort);
    controller.close();
  };
  const body = new ReadableStream<Uint8Array>(
    {
      pull: async (controller) => {
        if (!started) {
          started = true;
          const snap = snapshotAt(s.job, elapsed(s));
          let chunk = 'retry: 1000\n\n';
          if (snap.version > sentVersion) {
            chunk += eventFrame(s, snap);
            sentVersion = snap.version;
          }
          controller.enqueue(encoder.encode(chunk));
          if (snap.result !== 'pending') finish(controller);
          return;
        }
        const changeAt = s.createdAt + (nextChangeMs(s.job, elapsed(s)) ?? 0);
        const heartbeatAt = lastWriteAt + HEARTBEAT_MS;
        await s.clock.sleep(Math.max(0, Math.min(changeAt, heartbeatAt) - s.clock.now()), stop.signal);
        lastWriteAt = s.clock.now();
        const snap = snapshotAt(s.job, elapsed(s));
        if (snap.version === sentVersion) {
          controller.enqueue(encoder.encode(': heartbeat\n\n'));
          return;
        }
        sentVersion = snap.version;
        controller.enqueue(encoder.encode(eventFrame(s, snap)));
        if (snap.result !== 'pending') finish(controller);
      },
      cancel: (reason) => {
        signal?.removeEventListener('abort', onAbort);
        stop.abort(reason);
      },
    },
    { highWaterMark: 0 },
  );
  return new Response(body, {
    status: 200,
    headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
  });
}

function requestParts(input: Parameters<typeof fetch>[0], init: RequestInit | undefined) {
  if (input instanceof Request) {
    return { url: new URL(input.url), method: input.method, headers: input.headers, signal: input.signal };
  }
  return {
    url: new URL(input instanceof URL ? input.href : input),
    method: init?.method ?? 'GET',
    headers: new Headers(init?.headers),
    signal: init?.signal ?? undefined,
  };
}

/** Serves `job`, created at the clock's current time, as the protocol describes for `scenario`. */
export function simulateJob(job: TraceJob, clock: Clock, scenario: ServerScenario): SimulatedJob {
  const served: Served = { job, clock, scenario, createdAt: clock.now(), noise: seededRandom(job.seed) };
  let requests = 0;
  const route = async (
    input: Parameters<typeof fetch>[0],
    init: RequestInit | undefined,
  ): Promise<Response> => {
    requests++;
    const { url, method, headers, signal } = requestParts(input, init);
    signal?.throwIfAborted();
    if (url.origin !== ORIGIN) throw new TypeError(`fetch failed: no route to ${url.origin}`);
    const path = url.pathname;
    const statusRoute = path === '/status';
    const match =
      scenario.wire === 'heygen-v3'
        ? /^\/v3\/video-translations\/([^/]+)()$/.exec(path)
        : /^\/jobs\/([^/]+)(\/events)?$/.exec(path);
    if (!statusRoute && match === null) {
      return errorResponse(404, 'route_not_found', `No route ${method} ${path}.`);
    }
    if (method !== 'GET') return errorResponse(405, 'method_not_allowed', `Use GET on ${path}.`);
    const id = statusRoute
      ? (url.searchParams.get('job_id') ?? job.id)
      : decodeURIComponent(match?.[1] ?? '');
    if (id !== job.id) {
      return errorResponse(404, 'job_not_found', `No job has the id '${id}'. Create one with POST /jobs.`);
    }
    if (match?.[2] === undefined || match[2] === '') {
      return getJob(served, headers, signal, url.searchParams.get('wake') === 'result');
    }
    if (scenario.capability !== 'events') {
      return errorResponse(404, 'route_not_found', `No route ${method} ${path}.`);
    }
    return eventStream(served, headers, signal);
  };
  return { fetch: route, requests: () => requests };
}

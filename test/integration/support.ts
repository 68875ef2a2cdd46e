/**
 * Shared by the integration stories: a readable event log, servers (in-process, and through the CLI
 * as a user starts one), the server's gauges, and the check that nothing is left running.
 */
import {
  HttpError,
  TranslationClient,
  type ClientOptions,
  type JobStatus,
  type Logger,
  type WaitOptions,
} from '@translation-status/client';
import { startServer, type BuildAppOptions, type RunningServer } from '@translation-status/server';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect } from 'vitest';
import { startCli, type RunningCli } from '../../packages/cli/src/test-support/child.js';
import { createJobOver } from '../../packages/server/src/test-support/http.js';

export { buildCli } from '../../packages/cli/src/test-support/build.js';

/** One story's log: one line per event, prefixed with the story's name and the time since it began. */
export function story(name: string) {
  const startedAt = performance.now();
  const log = (text: string): void => {
    const seconds = ((performance.now() - startedAt) / 1000).toFixed(2).padStart(6);
    process.stdout.write(`[${name}] +${seconds}s  ${text}\n`);
  };
  const describeStatus = (status: JobStatus): string => {
    const progress = status.progress === undefined ? '' : ` ${Math.round(status.progress * 100)}%`;
    const eta = status.etaMs === undefined ? '' : ` eta ${status.etaMs}ms`;
    const error = status.error === undefined ? '' : ` ${status.error.code}`;
    return `${status.jobId ?? '(default job)'} ${status.result} ${status.stage ?? ''}${progress}${eta}${error}`;
  };
  const callbacks: Pick<WaitOptions, 'onStatus' | 'onRetry' | 'onPoll'> = {
    onStatus: (status, info) => {
      log(`status  ${describeStatus(status)} via ${info.transport}`);
    },
    onRetry: (info) => {
      log(`retry   #${info.attempt} in ${Math.round(info.delayMs)}ms after ${info.error.code}`);
    },
    onPoll: (info) => {
      log(`request #${info.requests} via ${info.transport}`);
    },
  };
  return { log, callbacks, describeStatus };
}

/** A logger that remembers every call, to assert what a wait said and at which level. */
export function recordingLogger(): Logger & {
  readonly calls: { level: string; message: string | undefined }[];
} {
  const calls: { level: string; message: string | undefined }[] = [];
  const at =
    (level: string) =>
    (_fields: object, message?: string): void => {
      calls.push({ level, message });
    };
  return { calls, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** The server in this process, quiet, on a free loopback port. */
export function inProcessServer(options: BuildAppOptions = {}): Promise<RunningServer> {
  return startServer({ port: 0, host: '127.0.0.1', logLevel: 'silent', ...options });
}

/** The server as a user starts it: `node packages/cli/dist/bin.js serve --port 0 ...`. */
export async function cliServer(
  args: readonly string[],
): Promise<{ url: string; cli: RunningCli; stop(): Promise<number | null> }> {
  const cli = startCli(['serve', '--port', '0', '--log-level', 'warn', ...args]);
  const [, url] = await cli.waitFor(/^listening on (http:\/\/[^\s]+)$/m);
  return {
    url: url ?? '',
    cli,
    stop: async () => {
      cli.child.kill('SIGTERM');
      return (await cli.exited).code;
    },
  };
}

/** The server's own count of held long-polls and open event streams, from GET /metrics. */
export async function openRequests(url: string): Promise<{ held: number; streams: number }> {
  const text = await (await fetch(new URL('/metrics', url))).text();
  const gauge = (name: string): number => {
    const match = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\d+(?:\\.\\d+)?)$`, 'm').exec(text);
    if (match === null) throw new Error(`GET /metrics has no ${name}`);
    return Number(match[1]);
  };
  return {
    held: gauge('translation_status_long_polls_held'),
    streams: gauge('translation_status_event_streams_open'),
  };
}

/** Retries `check` until it passes or `withinMs` runs out (then fails with its last error). */
export async function eventually(check: () => Promise<void> | void, withinMs = 5000): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(50);
    }
  }
}

/** Handles that would keep a process alive after a wait, by type. */
const WATCHED = ['Timeout', 'TCPSocketWrap', 'TCPServerWrap', 'ProcessWrap'];

export function activeHandles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) {
    if (WATCHED.includes(type)) counts[type] = (counts[type] ?? 0) + 1;
  }
  return counts;
}

/**
 * After the servers are closed, no timer, socket, server or child process may remain beyond what
 * was there before the suite. Sockets close asynchronously, so this waits a little for them.
 */
export async function expectNoLeakedHandles(before: Record<string, number>): Promise<void> {
  await eventually(() => {
    const now = activeHandles();
    for (const type of WATCHED) {
      expect(now[type] ?? 0, `active ${type} handles`).toBeLessThanOrEqual(before[type] ?? 0);
    }
  }, 5000);
}

/**
 * The servers a test file starts (push each one): closed after the file's tests, which must then leave
 * no handle open that was not open before them.
 */
export function serversCheckedForLeaks(): RunningServer[] {
  let before: Record<string, number> = {};
  const servers: RunningServer[] = [];
  beforeAll(() => {
    before = activeHandles();
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await expectNoLeakedHandles(before);
  });
  return servers;
}

/** A request a `recordingClient` sent. */
export interface Sent {
  readonly url: URL;
  readonly lastEventId: string | null;
  readonly prefer: string | null;
}

/**
 * A client whose requests are recorded; `shape` may replace a response (refuse a route, cut a stream).
 */
export function recordingClient(
  s: RunningServer,
  shape?: (sent: Sent, response: Response, index: number) => Response,
  options: Partial<ClientOptions> = {},
) {
  const sent: Sent[] = [];
  const client = new TranslationClient({
    baseUrl: s.url,
    logLevel: 'silent',
    ...options,
    fetch: async (input, init) => {
      const headers = new Headers(init?.headers);
      const request: Sent = {
        url: new URL(input instanceof Request ? input.url : String(input)),
        lastEventId: headers.get('last-event-id'),
        prefer: headers.get('prefer'),
      };
      sent.push(request);
      const response = await fetch(input, init);
      return shape === undefined ? response : shape(request, response, sent.length - 1);
    },
  });
  const streams = () => sent.filter((r) => r.url.pathname === '/events');
  const idsOf = (r: Sent) => r.url.searchParams.get('ids')?.split(',') ?? [];
  return { client, sent, streams, idsOf };
}

/** A simulated job on `server` lasting `durationMs` and ending with `outcome`: its id. */
export async function jobLasting(
  server: RunningServer,
  durationMs: number,
  outcome = 'completed',
): Promise<string> {
  return (await createJobOver(server, durationMs, { simulate: { duration_ms: durationMs, outcome } })).id;
}

/**
 * Waits at once on a job the server does not know and on `ids`: the unknown one must fail alone (404
 * `job_not_found`) and the others complete. The caller then checks how the waits were carried.
 */
export async function expectUnknownJobFailsAlone(client: TranslationClient, ids: string[]): Promise<void> {
  const unknown = client.waitForCompletion('job_nope');
  const known = Promise.all(ids.map((id) => client.waitForCompletion(id)));
  const error: unknown = await unknown.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(HttpError);
  expect(error).toMatchObject({ status: 404, serverCode: 'job_not_found', jobId: 'job_nope' });
  expect((await known).map((d) => d.status.result)).toEqual(ids.map(() => 'completed'));
}

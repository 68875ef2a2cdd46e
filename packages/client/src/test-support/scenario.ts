/**
 * A scripted job behind a fake fetch, on a manual clock, for unit tests of the waiter: the job is
 * pending until `doneAt` (virtual ms), then completed or failed. Headers and transports are opt-in.
 */
import { createManualClock, type ManualClock } from '../common/clock.js';
import type { Logger } from '../common/logger.js';
import { loadChannelCode } from '../watch/channels.js';
import { createFakeFetch, json, type FakeFetch, type RecordedRequest } from './fake-fetch.js';

// The channel code loads on demand, which takes real time: on a manual clock that `drive` runs on
// whenever nothing else can, a deadline would pass meanwhile. Loaded before any scripted test starts.
await loadChannelCode();

export const BASE = 'http://jobs.test/';

export interface JobScript {
  readonly id?: string;
  readonly doneAt: number;
  readonly outcome?: 'completed' | 'error';
  /** Send `eta_ms` (exact) and Poll-After-Ms. */
  readonly eta?: boolean;
  /** Advertise and honour long-poll. */
  readonly longPoll?: boolean;
  /** With long-poll, also advertise `max-result-wait=N` (besides `max-wait=30`). */
  readonly maxResultWait?: number;
  /** Only the classic body: `{"result": ...}`. */
  readonly plain?: boolean;
}

export function jobBody(script: JobScript, now: number): Record<string, unknown> {
  const done = now >= script.doneAt;
  const result = done ? (script.outcome ?? 'completed') : 'pending';
  if (script.plain === true) return { result };
  return {
    id: script.id ?? 'job_1',
    result,
    stage: done ? (result === 'completed' ? 'done' : 'failed') : 'translating',
    progress: done ? 1 : Math.min(0.99, now / script.doneAt),
    version: done ? 2 : 1,
    ...(done || script.eta !== true ? {} : { eta_ms: script.doneAt - now }),
    ...(result === 'error'
      ? { error: { code: 'lip_sync_failed', message: 'No face was found in 40% of frames' } }
      : {}),
  };
}

/** Answers a status read for `script` at the clock's time, holding it when asked and allowed. */
export async function answerJob(
  clock: ManualClock,
  script: JobScript,
  request: RecordedRequest,
): Promise<Response> {
  const prefer = /wait=(\d+)/.exec(request.headers.get('prefer') ?? '');
  const headers: Record<string, string> = {};
  if (script.longPoll === true) {
    const longer = script.maxResultWait === undefined ? '' : `; max-result-wait=${script.maxResultWait}`;
    headers['status-capabilities'] = `long-poll; max-wait=30${longer}`;
  }
  if (prefer !== null && script.longPoll === true) {
    const waitMs = Number(prefer[1]) * 1000;
    if (clock.now() < script.doneAt)
      await clock.sleep(Math.min(waitMs, script.doneAt - clock.now()), request.signal);
    headers['preference-applied'] = `wait=${prefer[1] ?? ''}`;
  }
  const body = jobBody(script, clock.now());
  if (script.eta === true && typeof body.eta_ms === 'number')
    headers['poll-after-ms'] = String(Math.round(body.eta_ms * 0.8));
  return json(body, 200, headers);
}

export interface Harness extends FakeFetch {
  readonly clock: ManualClock;
  readonly logs: { level: string; fields: object; message: string | undefined }[];
  readonly logger: Logger;
  /** Request times, relative to the start. */
  times(): number[];
}

export function harness(
  handler: (request: RecordedRequest, clock: ManualClock) => Response | Promise<Response>,
): Harness {
  const clock = createManualClock(0);
  const fake = createFakeFetch(
    () => clock.now(),
    (request) => handler(request, clock),
  );
  const logs: Harness['logs'] = [];
  const record =
    (level: string) =>
    (fields: object, message?: string): void => {
      logs.push({ level, fields, message });
    };
  return {
    ...fake,
    clock,
    logs,
    logger: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') },
    times: () => fake.requests.map((r) => r.at),
  };
}

/** Lets I/O callbacks (not only microtasks) run. */
export function tick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Runs virtual time forward until `promise` settles: wakes the earliest sleep whenever nothing else
 * can run. Returns the settled promise (so `await expect(drive(...)).rejects...` works).
 */
export async function drive<T>(clock: ManualClock, promise: Promise<T>, maxSteps = 10_000): Promise<T> {
  let settled = false;
  const isSettled = (): boolean => settled;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let step = 0; step < maxSteps && !isSettled(); step++) {
    await tick();
    if (isSettled()) break;
    if (!(await clock.advanceToNext())) await tick();
  }
  return promise;
}

/** Runs virtual time forward to `time`, letting I/O callbacks run between wake-ups. */
export async function runUntil(clock: ManualClock, time: number): Promise<void> {
  for (;;) {
    await tick();
    const next = clock.nextDeadline();
    if (next === undefined || next > time) break;
    await clock.advanceToNext();
  }
  await clock.advance(time - clock.now());
  await tick();
}

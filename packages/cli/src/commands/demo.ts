/**
 * `translation-status demo`: a simulated server in this process, one English video translated into
 * Spanish, French and German, and the smart client waiting for all three with live progress.
 */
import {
  JobFailedError,
  TranslationClient,
  type CreateJobInput,
  type TransportMode,
} from '@translation-status/client';
import { formatDuration } from '../args/duration.js';
import { numberFlag } from '../args/flags.js';
import { defineCommand } from '../command.js';
import { boardMode, ProgressBoard } from '../output/board.js';
import { useColor } from '../output/io.js';
import { abortOnSignals, noticeLogger } from '../runtime/client.js';
import { describeError } from '../runtime/describe-error.js';
import { EXIT } from '../runtime/exit-codes.js';
import { demoTimes, jobDurationMs, naivePollerRequests } from './demo-summary.js';
import { JSON_FLAG, TRANSPORT_FLAG } from './shared-flags.js';

/** The demo's jobs; French is made to fail so the summary shows a failure too. */
export const DEMO_JOBS: readonly (CreateJobInput & { readonly label: string })[] = [
  { label: 'es', sourceLanguage: 'en', targetLanguage: 'es', videoDurationSeconds: 90 },
  {
    label: 'fr',
    sourceLanguage: 'en',
    targetLanguage: 'fr',
    videoDurationSeconds: 120,
    simulate: { outcome: 'error', errorCode: 'lip_sync_failed' },
  },
  { label: 'de', sourceLanguage: 'en', targetLanguage: 'de', videoDurationSeconds: 60 },
];

export interface DemoArgs {
  readonly timeScale: number;
  readonly seed: number;
  readonly transport: TransportMode;
  readonly json: boolean;
}

export const demoCommand = defineCommand({
  name: 'demo',
  summary: 'run a server and translate one video into three languages, live',
  description: `Starts the simulated server in this process (in-memory store, a free port), submits one English video
for translation into Spanish (90 s video), French (120 s) and German (60 s), and waits for all three.
French fails on purpose (lip_sync_failed) to show how a failure reaches the caller. Prints the server's
dashboard URL, to watch the jobs in a browser while they run. Ends with each outcome, the requests
made, and what a once-a-second poller would have made.`,
  positionals: [],
  flags: {
    // 90, 120 and 60 s videos with lip sync take 2.7 to 5 times their length; × 0.03 that is 5 to 18 s.
    'time-scale': numberFlag({
      metavar: 'X',
      help: 'how fast simulated time runs (0.03: jobs take about 5 to 20 s)',
      min: 0,
      minExclusive: true,
      max: 1,
      default: 0.03,
    }),
    seed: numberFlag({
      metavar: 'N',
      help: "the server's seed; the same seed replays the same jobs",
      min: 0,
      max: 2 ** 32 - 1,
      integer: true,
      default: 1,
    }),
    ...TRANSPORT_FLAG,
    ...JSON_FLAG,
  },
  exits: {
    [EXIT.ok]: 'every job ended as planned (French fails on purpose)',
    [EXIT.usage]: 'usage error',
    [EXIT.error]: 'something else went wrong (a job could not be followed)',
    [EXIT.interrupted]: 'interrupted by Ctrl-C (SIGINT)',
    [EXIT.terminated]: 'terminated by SIGTERM',
  },
  build: ({ values }): DemoArgs => ({
    timeScale: values['time-scale'],
    seed: values.seed,
    transport: values.transport,
    json: values.json,
  }),
  async run(parsed, io) {
    const mode = boardMode(io, parsed.json);
    const startedAt = Date.now();
    // Loaded here, not above: the other commands would pay for Fastify and Redis at startup (serve.ts).
    const { startServer } = await import('@translation-status/server');
    const server = await startServer({
      port: 0,
      host: '127.0.0.1',
      logLevel: 'silent',
      timeScale: parsed.timeScale,
      seed: parsed.seed,
    });
    const controller = new AbortController();
    const stopListening = abortOnSignals(controller);
    let statusRequests = 0;
    const countingFetch: typeof fetch = (input, init) => {
      if ((init?.method ?? 'GET') === 'GET') statusRequests += 1;
      return fetch(input, init);
    };
    if (mode !== 'json') {
      io.stdout.write(
        `Simulated server on ${server.url} (time scale ${parsed.timeScale}, seed ${parsed.seed})\n` +
          `Dashboard: ${server.url}/ (open it to watch the jobs live while the demo runs)\n`,
      );
    }
    const board = new ProgressBoard(
      DEMO_JOBS.map(({ label }) => ({ label })),
      { io, mode, color: useColor(io), name: 'translation-status demo', labelsInJson: true, startedAt },
    );
    try {
      const client = new TranslationClient({
        baseUrl: server.url,
        transport: parsed.transport,
        fetch: countingFetch,
        logger: noticeLogger((text) => {
          board.notice(text);
        }),
      });
      const created = await Promise.all(
        DEMO_JOBS.map(async ({ label, ...input }) => ({
          label,
          job: await client.createJob(input, { signal: controller.signal }),
        })),
      );
      for (const { label, job } of created) board.assign(label, job.id);
      const endedAt = new Map<string, number>();
      const settled = await client.waitForAll(
        created.map((c) => c.job.id),
        {
          signal: controller.signal,
          onStatus: (status, info) => {
            const jobId = status.jobId ?? info.jobId;
            if (status.result !== 'pending' && jobId !== undefined && !endedAt.has(jobId))
              endedAt.set(jobId, Date.now());
            board.status(status, info.transport, jobId);
          },
          onRetry: (info) => {
            board.retry(info);
          },
        },
      );
      board.finish();
      controller.signal.throwIfAborted();
      const times = demoTimes(
        startedAt,
        settled.map((s) => endedAt.get(s.jobId)),
        Date.now(),
      );
      let naive = 0;
      let unexpected: unknown;
      const outcomes = settled.map((s, index) => {
        const status = s.ok ? s.status : s.error instanceof JobFailedError ? s.error.status : undefined;
        const durationMs = status === undefined ? undefined : jobDurationMs(status.body);
        if (durationMs !== undefined) naive += naivePollerRequests(durationMs);
        if (!s.ok && !(s.error instanceof JobFailedError)) unexpected ??= s.error;
        return {
          label: board.row(s.jobId)?.label ?? s.jobId,
          job_id: s.jobId,
          outcome: s.ok ? 'completed' : s.error instanceof JobFailedError ? 'failed' : 'error',
          took_ms: times.tookMs[index] ?? times.elapsedMs,
          ...(s.ok
            ? {}
            : {
                error:
                  s.error instanceof JobFailedError
                    ? `${s.error.jobErrorCode}: ${s.error.jobErrorMessage}`
                    : describeError(s.error),
              }),
        };
      });
      if (mode === 'json') {
        board.event(
          { event: 'summary', jobs: outcomes, requests: statusRequests, naive_requests: naive },
          undefined,
        );
      } else {
        io.stdout.write('\nSummary\n');
        for (const o of outcomes) {
          io.stdout.write(
            `  ${o.label}  ${o.outcome} after ${formatDuration(o.took_ms)}${o.error === undefined ? '' : `  (${o.error})`}\n`,
          );
        }
        io.stdout.write(`  elapsed: ${formatDuration(times.elapsedMs)} (until the last job ended)\n`);
        io.stdout.write(`  status requests made: ${statusRequests}\n`);
        io.stdout.write(`  a once-a-second poller would have made: ${naive}\n`);
      }
      return unexpected === undefined ? EXIT.ok : EXIT.error;
    } catch (error) {
      // A signal aborts the requests too; report the signal, not the aborted request.
      throw controller.signal.aborted ? (controller.signal.reason as unknown) : error;
    } finally {
      board.finish();
      stopListening();
      await server.close();
    }
  },
});

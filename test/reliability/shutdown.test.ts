/**
 * Graceful shutdown under load: with 1,000 held long-polls and 1,000 open event streams, close() (in
 * process) and SIGTERM (the CLI as a child process) answer every one at once and finish, and every
 * answer is a whole, valid job state. The times are printed (docs/reliability.md has them, under 1 s on
 * a quiet machine); what is asserted is what tells a working shutdown from a broken one on a busy
 * machine too.
 */
import type { RunningServer } from '@translation-status/server';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { Agent, request as httpRequest } from 'node:http';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { planJobs, startBackend } from './support.js';

const HELD = 1000;
/**
 * A shutdown that did not answer its held requests would take their whole hold (30 s) or end its streams
 * only by the forced close after the 2 s grace, which fails them (no whole answer). 10 s is far from
 * both, and lets a machine at a load of 20 be 10 times slower than the quiet figures (a 2 s + 1.5 s
 * bound failed this file at a load of 14-20).
 */
const ANSWERED_WITHIN_MS = 10_000;
const STAGES = ['queued', 'transcribing', 'translating', 'voice_synthesis', 'lip_sync', 'rendering'];

interface Answer {
  readonly kind: 'poll' | 'stream';
  readonly status: number;
  readonly body: string;
  readonly at: number;
}

function open(url: string, agent: Agent, kind: Answer['kind'], headers: Record<string, string>) {
  return new Promise<Answer>((resolve) => {
    const req = httpRequest(url, { agent, headers });
    req.on('response', (res: IncomingMessage) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        resolve({ kind, status: res.statusCode ?? 0, body, at: Date.now() });
      });
      res.on('error', () => {
        resolve({ kind, status: -1, body, at: Date.now() });
      });
    });
    req.on('error', () => {
      resolve({ kind, status: -1, body: '', at: Date.now() });
    });
    req.end();
  });
}

async function metric(base: string, name: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return Number(
    text
      .split('\n')
      .find((l) => l.startsWith(`${name} `))
      ?.split(' ')[1],
  );
}

async function until(check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Opens `n` long-polls and `n` streams on long jobs and waits until the server holds them all. */
async function holdMany(base: string, ids: readonly string[], n: number, agent: Agent) {
  const answers: Promise<Answer>[] = [];
  for (let i = 0; i < n; i++) {
    const id = ids[i % ids.length] ?? '';
    answers.push(open(`${base}/jobs/${id}`, agent, 'poll', { prefer: 'wait=30' }));
    answers.push(open(`${base}/jobs/${id}/events`, agent, 'stream', { accept: 'text/event-stream' }));
  }
  await until(
    async () =>
      (await metric(base, 'translation_status_long_polls_held')) === n &&
      (await metric(base, 'translation_status_event_streams_open')) === n,
  );
  return answers;
}

/** Every answer is whole: a job resource for a long-poll, complete events for a stream. */
function checkAnswers(answers: readonly Answer[]): void {
  for (const a of answers) {
    expect(a.status, a.body).toBe(200);
    const docs =
      a.kind === 'poll'
        ? [a.body]
        : a.body
            .split('\n\n')
            .filter((e) => e.includes('data: '))
            .map((e) => e.slice(e.indexOf('data: ') + 6));
    expect(docs.length).toBeGreaterThanOrEqual(1);
    for (const doc of docs) {
      const job = JSON.parse(doc) as { result: string; stage: string; version: number; progress: number };
      expect(job.result).toBe('pending');
      expect(STAGES).toContain(job.stage);
      expect(job.version).toBeGreaterThanOrEqual(1);
      expect(job.progress).toBeGreaterThanOrEqual(0);
      expect(job.progress).toBeLessThan(1);
    }
  }
}

describe('graceful shutdown under load', () => {
  it(`close() answers ${HELD} long-polls and ${HELD} streams at once, not at the end of their holds`, async () => {
    const server: RunningServer = await startBackend({ maxWaitSeconds: 30, heartbeatMs: 15_000 });
    const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
    try {
      const jobs = await planJobs(server, 50, { minMs: 600_000, maxMs: 600_001 });
      const answers = await holdMany(
        server.url,
        jobs.map((j) => j.id),
        HELD,
        agent,
      );
      const started = Date.now();
      await server.close();
      const closedMs = Date.now() - started;
      const all = await Promise.all(answers);
      const lastMs = Math.max(...all.map((a) => a.at)) - started;
      console.log(
        `[reliability] close() with ${HELD} long-polls + ${HELD} streams: all answered in ${lastMs} ms, close() took ${closedMs} ms`,
      );
      expect(closedMs).toBeLessThan(ANSWERED_WITHIN_MS);
      expect(lastMs).toBeLessThan(ANSWERED_WITHIN_MS);
      checkAnswers(all);
    } finally {
      agent.destroy();
      await server.close();
    }
  }, 60_000);

  const bin = fileURLToPath(new URL('../../packages/cli/dist/bin.js', import.meta.url));
  it.skipIf(!existsSync(bin))(
    'the CLI exits 0 soon after SIGTERM, answering every held request',
    async () => {
      const child = spawn(
        process.execPath,
        [
          bin,
          'serve',
          '--port',
          '0',
          '--log-level',
          'warn',
          '--delay',
          '600000',
          '--max-held-per-client',
          '5000',
        ],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
      try {
        const base = await new Promise<string>((resolve, reject) => {
          let out = '';
          child.stdout.on('data', (chunk: Buffer) => {
            out += chunk.toString();
            const match = /listening on (http:\/\/\S+)/.exec(out);
            if (match?.[1] !== undefined) resolve(match[1]);
          });
          child.once('exit', (code) => {
            reject(new Error(`serve exited early with ${code}`));
          });
        });
        const status = (await (await fetch(`${base}/status`)).json()) as { id: string };
        const answers = await holdMany(base, [status.id], HELD, agent);
        const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
        const started = Date.now();
        child.kill('SIGTERM');
        const code = await exited;
        const exitMs = Date.now() - started;
        const all = await Promise.all(answers);
        console.log(
          `[reliability] SIGTERM with ${HELD} long-polls + ${HELD} streams: exit ${code} after ${exitMs} ms`,
        );
        expect(code).toBe(0);
        expect(exitMs).toBeLessThan(ANSWERED_WITHIN_MS);
        checkAnswers(all);
      } finally {
        agent.destroy();
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    },
    60_000,
  );
});

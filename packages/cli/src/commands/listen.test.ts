/** `translation-status listen` as a child process: real sockets, real signatures, real exit codes. */
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../test-support/build.js';
import { runCli, startCli } from '../test-support/child.js';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;

beforeAll(async () => {
  await buildCli();
}, 120_000);

function post(url: string, id: string, data: object, secret = SECRET, tamper = false) {
  const body = JSON.stringify({ type: 'job.completed', timestamp: '2027-01-01T00:00:00.000Z', data });
  const now = new Date();
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(id, now, body),
    },
    body: tamper ? body.replace('completed', 'error') : body,
  });
}

const job = { id: 'job_1', result: 'completed', stage: 'done', progress: 1, version: 6 };

describe('translation-status listen', () => {
  it('prints verified events, says why it rejects others, and exits 0 after --count', async () => {
    const cli = startCli(['listen', '--port', '0', '--secret', SECRET, '--count', '2']);
    const [, url] = await cli.waitFor(/^listening on (http:\/\/127\.0\.0\.1:\d+)$/m);
    const target = url ?? '';
    expect((await post(target, 'msg_1', job)).status).toBe(200);
    expect((await post(target, 'msg_1', job)).status).toBe(200); // redelivered: not printed again
    expect((await post(target, 'msg_2', job, SECRET, true)).status).toBe(401);
    expect((await post(target, 'msg_3', { ...job, id: 'job_2' })).status).toBe(200);
    const run = await cli.exited;
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').filter(Boolean)).toEqual([
      `listening on ${target}`,
      'job.completed  job_1  completed  done  100%  (msg_1)',
      'job.completed  job_2  completed  done  100%  (msg_3)',
    ]);
    expect(run.stderr).toMatch(
      /^rejected \(bad_signature\): The webhook was rejected \(webhook-id 'msg_2'\)/m,
    );
    expect(run.stderr).not.toContain(SECRET.slice(6));
  });

  it('writes JSON lines with --json, rejections included', async () => {
    const cli = startCli(['listen', '--port', '0', '--secret', SECRET, '--count', '1', '--json']);
    const [, url] = await cli.waitFor(/"url":"(http:\/\/127\.0\.0\.1:\d+)"/);
    const other = `whsec_${randomBytes(32).toString('base64')}`;
    expect((await post(url ?? '', 'msg_1', job, other)).status).toBe(401);
    expect((await post(url ?? '', 'msg_2', job)).status).toBe(200);
    const run = await cli.exited;
    const lines = run.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toMatchObject([
      { event: 'listening' },
      { event: 'rejected', reason: 'bad_signature' },
      { event: 'webhook', webhook_id: 'msg_2', type: 'job.completed', data: job },
    ]);
  });

  it('refuses a secret that is not whsec_ base64 with exit 2, without printing it', async () => {
    const run = await runCli(['listen', '--port', '0', '--secret', 'whsec_not*base64']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/secret/);
    expect(run.stderr).not.toContain('not*base64');
  });
});

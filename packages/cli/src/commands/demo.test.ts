/** The demo as `npm run demo` runs it: the built CLI, its own server, three jobs to the end. */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDuration } from '../args/duration.js';
import { EVENTS } from '../output/events.js';
import { buildCli } from '../test-support/build.js';
import { runCli, startCli } from '../test-support/child.js';

beforeAll(async () => {
  await buildCli();
}, 120_000);

describe('translation-status demo', () => {
  it('ends each job as planned, with JSON events that all name their job the same way', async () => {
    const run = await runCli(['demo', '--json', '--time-scale', '0.005']);
    expect(run.code, run.stderr).toBe(0);
    const events = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const event of events) {
      expect(Object.keys(EVENTS)).toContain(event['event']);
      expect(event).toHaveProperty('job_id');
      expect(event).toHaveProperty('elapsed_ms');
      const declared = Object.keys(EVENTS[event['event'] as keyof typeof EVENTS].fields);
      for (const key of Object.keys(event))
        expect(['event', 'job_id', 'elapsed_ms', ...declared]).toContain(key);
    }
    const statuses = events.filter((e) => e['event'] === 'status');
    expect(statuses.every((e) => typeof e['job_id'] === 'string' && typeof e['label'] === 'string')).toBe(
      true,
    );
    const summary = events.at(-1) as {
      event: string;
      jobs: { label: string; outcome: string; took_ms: number }[];
    };
    expect(summary.event).toBe('summary');
    expect(summary.jobs.map((j) => [j.label, j.outcome])).toEqual([
      ['es', 'completed'],
      ['fr', 'failed'],
      ['de', 'completed'],
    ]);
  });

  it('prints per-job times that agree with the elapsed total, and plain lines when piped', async () => {
    const run = await runCli(['demo', '--time-scale', '0.005']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).not.toContain('\u001b[');
    const took = [...run.stdout.matchAll(/^ {2}(?:es|fr|de) {2}\w+ after (\S+)/gm)].map((m) =>
      parseDuration(m[1] ?? ''),
    );
    const elapsed = parseDuration(/elapsed: (\S+)/.exec(run.stdout)?.[1] ?? '');
    expect(took).toHaveLength(3);
    expect(elapsed).toBeDefined();
    for (const ms of took) expect(ms).toBeLessThanOrEqual(elapsed ?? 0);
    expect(Math.max(...took.map((ms) => ms ?? 0))).toBe(elapsed);
    expect(run.stdout).toMatch(/status requests made: \d+\n/);
  });

  it('prints the dashboard URL, which serves the page while the demo runs', async () => {
    const demo = startCli(['demo', '--time-scale', '0.01']);
    try {
      const [, url = ''] = await demo.waitFor(/^Dashboard: (http:\/\/127\.0\.0\.1:\d+\/) /m);
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await page.text()).toContain('<title>translation-status dashboard</title>');
      const run = await demo.exited;
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^Summary$/m);
    } finally {
      demo.child.kill('SIGKILL');
    }
  }, 60_000);
});

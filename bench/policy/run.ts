/**
 * `npm run bench:policy [-- --quick] [-- --jobs N --seed S]`: replays the trace through every strategy
 * and, in a full run, regenerates the table in docs/benchmarks.md and docs/benchmarks-policy.svg.
 * A quick run (300 jobs) writes to .bench-out/ instead, so CI can prove the benchmark works.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runPolicyBenchmarkInWorkers } from './benchmark.js';
import { policyChart } from './chart.js';
import { formatCount, formatSeconds, renderSection, resultsTable, spliceSection } from './report.js';
import { allSpecs } from './specs.js';
import { DEFAULT_TRACE } from './trace.js';
import type { TraceParams } from './trace.js';

export const QUICK_JOBS = 300;

function positiveInteger(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new Error(`--${name} must be a whole number >= 1, got '${raw}'`);
  }
  return value;
}

function machineDescription(): string {
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  const memGiB = (os.totalmem() / 2 ** 30).toFixed(1);
  return `${os.availableParallelism()} CPUs (${cpu}), ${memGiB} GiB memory, Node.js ${process.version}, ${os.platform()} ${os.release()}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      jobs: { type: 'string' },
      seed: { type: 'string' },
      workers: { type: 'string' },
    },
  });
  const quick = values.quick;
  const params: TraceParams = {
    ...DEFAULT_TRACE,
    jobs: positiveInteger('jobs', values.jobs, quick ? QUICK_JOBS : DEFAULT_TRACE.jobs),
    seed: positiveInteger('seed', values.seed, DEFAULT_TRACE.seed),
  };

  const workers = positiveInteger('workers', values.workers, os.availableParallelism());
  const { specs, notes } = await allSpecs();
  for (const note of notes) console.log(note);

  console.log(
    `Replaying ${params.jobs} jobs (seed ${params.seed}) through ${specs.length} strategies on ${workers} threads...`,
  );
  const started = performance.now();
  const names = specs.map((s) => s.name);
  const results = await runPolicyBenchmarkInWorkers(params, names, workers, ({ summary: s }) => {
    console.log(
      `  ${s.name}: ${formatCount(s.requestsMean)} requests/job, p95 delay ${formatSeconds(s.delayP95Ms)}` +
        (s.failures > 0 ? `, ${s.failures} failed (${s.firstFailure ?? ''})` : ''),
    );
  });
  const wallSeconds = (performance.now() - started) / 1000;
  const changedBy = new Map(specs.flatMap((s) => (s.changed === undefined ? [] : [[s.name, s.changed]])));
  const all = results.map((r) => r.summary);
  const summaries = all.filter((s) => !changedBy.has(s.name));
  const changed = all.flatMap((summary) => {
    const what = changedBy.get(summary.name);
    return what === undefined ? [] : [{ summary, changed: what }];
  });
  for (const s of all) {
    if (s.failures > 0)
      notes.push(`${s.name}: ${s.failures} of ${s.jobs} waits failed, e.g. ${s.firstFailure ?? ''}`);
    if (s.danglingTimers > 0) notes.push(`${s.name}: left ${s.danglingTimers} timers armed after its waits`);
  }
  console.log(`\n${resultsTable(all)}\n\nReplayed in ${wallSeconds.toFixed(1)} s.`);

  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const command = quick ? 'npm run bench:policy:quick' : 'npm run bench:policy';
  const outDir = quick ? `${root}.bench-out/` : `${root}docs/`;
  const chartName = quick ? 'policy-quick.svg' : 'benchmarks-policy.svg';
  mkdirSync(outDir, { recursive: true });
  writeFileSync(`${outDir}${chartName}`, policyChart(summaries));
  const section = renderSection(summaries, {
    command,
    params,
    machine: machineDescription(),
    wallSeconds,
    notes,
    chartPath: chartName,
    changed,
  });
  if (quick) {
    writeFileSync(`${outDir}policy-quick.md`, `${section}\n`);
    console.log(`Wrote ${outDir}policy-quick.md and ${outDir}${chartName}`);
  } else {
    const docPath = `${root}docs/benchmarks.md`;
    writeFileSync(docPath, spliceSection(readFileSync(docPath, 'utf8'), section));
    console.log(`Wrote ${docPath} and ${outDir}${chartName}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});

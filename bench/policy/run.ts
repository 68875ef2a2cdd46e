/**
 * `npm run bench:policy [-- --quick] [-- --jobs N --seed S] [-- --only TEXT]`: replays the trace through
 * every strategy and, in a full run, regenerates the table in docs/benchmarks.md and
 * docs/benchmarks-policy.svg. A quick run (300 jobs) writes to .bench-out/ instead, so CI can prove the
 * benchmark works. `--only TEXT` (repeatable) replays only the rows whose name contains TEXT (`--only
 * ours`: every row of our client); a full-size partial run splices them into the table and keeps the
 * other rows as the last run left them.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadAverage, machineDescription } from '../e2e/sections.js';
import { runPolicyBenchmarkInWorkers } from './benchmark.js';
import { policyChart } from './chart.js';
import {
  formatCount,
  formatSeconds,
  parseSeconds,
  readSection,
  renderSection,
  resultsTable,
  spliceSection,
  summaryCells,
  traceLine,
} from './report.js';
import { allSpecs } from './specs.js';
import type { StrategySpec } from './strategies/types.js';
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

/** The specs `--only` names (each TEXT a case-insensitive part of a row's name); all without it. */
function selectSpecs(specs: readonly StrategySpec[], only: readonly string[] | undefined): StrategySpec[] {
  if (only === undefined) return [...specs];
  const wanted = only.map((text) => text.toLowerCase());
  const unmatched = wanted.filter((text) => !specs.some((s) => s.name.toLowerCase().includes(text)));
  if (unmatched.length > 0) {
    throw new Error(
      `--only ${unmatched.join(', ')} matches no row; the rows are: ${specs.map((s) => s.name).join('; ')}`,
    );
  }
  return specs.filter((s) => wanted.some((text) => s.name.toLowerCase().includes(text)));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      jobs: { type: 'string' },
      seed: { type: 'string' },
      workers: { type: 'string' },
      only: { type: 'string', multiple: true },
    },
  });
  const quick = values.quick;
  const params: TraceParams = {
    ...DEFAULT_TRACE,
    jobs: positiveInteger('jobs', values.jobs, quick ? QUICK_JOBS : DEFAULT_TRACE.jobs),
    seed: positiveInteger('seed', values.seed, DEFAULT_TRACE.seed),
  };

  const workers = positiveInteger('workers', values.workers, os.availableParallelism());
  const { specs: every, notes } = await allSpecs();
  const specs = selectSpecs(every, values.only);
  for (const note of notes) console.log(note);

  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const docPath = `${root}docs/benchmarks.md`;
  const partial = values.only !== undefined && !quick;
  // A partial run is spliced into the table only if that table was replayed on the same trace.
  const previous = partial ? readSection(readFileSync(docPath, 'utf8')) : undefined;
  if (previous !== undefined && previous.trace !== traceLine(params)) {
    throw new Error(
      `docs/benchmarks.md's table was replayed on another trace (${previous.trace ?? 'none'}); ` +
        'rerun every row (without --only) to change the trace',
    );
  }

  console.log(
    `Replaying ${params.jobs} jobs (seed ${params.seed}) through ${specs.length} strategies on ${workers} threads...`,
  );
  const loadBefore = loadAverage();
  const started = performance.now();
  const names = specs.map((s) => s.name);
  const results = await runPolicyBenchmarkInWorkers(params, names, workers, ({ summary: s }) => {
    console.log(
      `  ${s.name}: ${formatCount(s.requestsMean)} requests/job, p95 delay ${formatSeconds(s.delayP95Ms)}` +
        (s.failures > 0 ? `, ${s.failures} failed (${s.firstFailure ?? ''})` : ''),
    );
  });
  const wallSeconds = (performance.now() - started) / 1000;
  const loadAfter = loadAverage();
  const all = results.map((r) => r.summary);
  for (const s of all) {
    if (s.failures > 0)
      notes.push(`${s.name}: ${s.failures} of ${s.jobs} waits failed, e.g. ${s.firstFailure ?? ''}`);
    if (s.danglingTimers > 0) notes.push(`${s.name}: left ${s.danglingTimers} timers armed after its waits`);
  }
  console.log(`\n${resultsTable(all)}\n\nReplayed in ${wallSeconds.toFixed(1)} s.`);

  // Every row in table order: the ones just run, else (a partial run) the previous table's.
  const fresh = new Map(all.map((s) => [s.name, summaryCells(s)]));
  const shown = partial ? every : specs;
  const cellsOf = (name: string) => fresh.get(name) ?? previous?.rows.get(name);
  const rows = shown.flatMap((s) => {
    const cells = s.changed === undefined ? cellsOf(s.name) : undefined;
    return cells === undefined ? [] : [cells];
  });
  const changed = shown.flatMap((s) => {
    const cells = s.changed === undefined ? undefined : cellsOf(s.name);
    return cells === undefined || s.changed === undefined ? [] : [{ cells, changed: s.changed }];
  });

  const only = values.only?.map((text) => ` --only ${JSON.stringify(text)}`).join('') ?? '';
  const command = quick
    ? 'npm run bench:policy:quick'
    : `npm run bench:policy${only === '' ? '' : ` --${only}`}`;
  const outDir = quick ? `${root}.bench-out/` : `${root}docs/`;
  const chartName = quick ? 'policy-quick.svg' : 'benchmarks-policy.svg';
  mkdirSync(outDir, { recursive: true });
  const points = rows.map((cells) => ({
    name: cells[0] ?? '',
    requestsMean: Number(cells[1]),
    delayP95Ms: parseSeconds(cells[4] ?? ''),
  }));
  writeFileSync(`${outDir}${chartName}`, policyChart(points));
  const section = renderSection(rows, {
    command:
      `\`${command}\` (${partial ? `${specs.length} rows ` : ''}replayed in ${wallSeconds.toFixed(1)} s of ` +
      `wall time; load average ${loadBefore} at the start, ${loadAfter} at the end)`,
    params,
    machine: machineDescription(),
    notes,
    chartPath: chartName,
    changed,
    ...(partial
      ? { otherRows: previous?.otherRows ?? `as the last run left them: ${previous?.command ?? ''}` }
      : {}),
  });
  if (quick) {
    writeFileSync(`${outDir}policy-quick.md`, `${section}\n`);
    console.log(`Wrote ${outDir}policy-quick.md and ${outDir}${chartName}`);
  } else {
    writeFileSync(docPath, spliceSection(readFileSync(docPath, 'utf8'), section));
    console.log(`Wrote ${docPath} and ${outDir}${chartName}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});

/**
 * What one pending wait keeps alive: `node --expose-gc .bench-out/bench/server/wait-heap.js [waits]
 * [waitForCompletion|waitForAll]` starts our server, makes that many jobs ending a minute later, starts
 * one wait per job on one client, lets them settle onto their transports, and compares two heap
 * snapshots (before the first wait, and with every wait pending) object kind by object kind. Prints a
 * Markdown table of what each pending wait adds, then aborts the waits.
 */
import { TranslationClient } from '@translation-status/client';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeHeapSnapshot } from 'node:v8';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJobsEndingAt } from '../e2e/jobs.js';
import { spawnServer } from '../e2e/server-process.js';

interface Snapshot {
  readonly snapshot: { readonly meta: { readonly node_fields: string[]; readonly node_types: unknown[] } };
  readonly nodes: number[];
  readonly strings: string[];
}

/** Count and self size per object kind (its type and constructor or function name). */
function kinds(file: string): Map<string, { count: number; bytes: number }> {
  const data = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const fields = data.snapshot.meta.node_fields;
  const types = data.snapshot.meta.node_types[0] as string[];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const out = new Map<string, { count: number; bytes: number }>();
  for (let i = 0; i < data.nodes.length; i += width) {
    const type = types[data.nodes[i + typeAt] ?? 0] ?? '?';
    const rawName = data.strings[data.nodes[i + nameAt] ?? 0] ?? '?';
    // Strings and numbers are named by their value; group them by type alone.
    const name = type === 'object' || type === 'closure' || type === 'native' ? rawName : '';
    const key = `${type} ${name}`.trim();
    const entry = out.get(key) ?? { count: 0, bytes: 0 };
    entry.count += 1;
    entry.bytes += data.nodes[i + sizeAt] ?? 0;
    out.set(key, entry);
  }
  return out;
}

function snapshot(label: string): string {
  (globalThis as { gc?: () => void }).gc?.();
  (globalThis as { gc?: () => void }).gc?.();
  const file = join(tmpdir(), `wait-heap-${String(process.pid)}-${label}.heapsnapshot`);
  writeHeapSnapshot(file);
  return file;
}

async function main(): Promise<void> {
  const waits = Number(process.argv[2] ?? 2000);
  const mode = process.argv[3] ?? 'waitForCompletion';
  const server = await spawnServer({
    logLevel: 'silent',
    maxHeldRequests: 4 * waits,
    maxHeldPerClient: 4 * waits,
  });
  try {
    const { ids } = await createJobsEndingAt(
      server,
      Array.from({ length: waits }, () => 60_000),
    );
    const client = new TranslationClient({ baseUrl: server.url, logLevel: 'silent' });
    // Meet the server first, so the baseline holds what the client keeps for any number of waits.
    await client.getStatus(ids[0]);
    const before = snapshot('before');
    const heapBefore = process.memoryUsage().heapUsed;
    const stop = new AbortController();
    const settled =
      mode === 'waitForAll'
        ? client.waitForAll(ids, { signal: stop.signal })
        : Promise.allSettled(ids.map((id) => client.waitForCompletion(id, { signal: stop.signal })));
    await sleep(3000); // streams open, first events in
    const during = snapshot('during');
    const heapDuring = process.memoryUsage().heapUsed;
    stop.abort(new Error('measured'));
    await settled;
    const a = kinds(before);
    const b = kinds(during);
    if (process.env['KEEP_SNAPSHOTS'] === undefined) {
      rmSync(before);
      rmSync(during);
    } else console.log(`snapshots kept: ${before} ${during}`);
    const rows = [...b]
      .map(([key, after]) => {
        const was = a.get(key) ?? { count: 0, bytes: 0 };
        return { key, count: (after.count - was.count) / waits, bytes: (after.bytes - was.bytes) / waits };
      })
      .filter((row) => row.bytes >= 8 || row.count >= 0.5)
      .sort((x, y) => y.bytes - x.bytes);
    const total = rows.reduce((sum, row) => sum + row.bytes, 0);
    console.log(
      `${String(waits)} pending ${mode}: heapUsed +${((heapDuring - heapBefore) / waits).toFixed(0)} B per wait; ` +
        `snapshot objects +${total.toFixed(0)} B per wait`,
    );
    console.log('| object (type, constructor or function) | per wait | bytes per wait |');
    console.log('| --- | --- | --- |');
    for (const row of rows.slice(0, 40))
      console.log(`| ${row.key} | ${row.count.toFixed(2)} | ${row.bytes.toFixed(0)} |`);
  } finally {
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

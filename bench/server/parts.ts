/**
 * The parts of the server benchmark that write docs/benchmarks.md's server section: each measures, logs
 * its figures as it goes, and returns its Markdown block (a `#### ` heading, what was run, the table).
 */
import { measureClientScale } from './client-scale.js';
import type { ClientScaleSettings } from './client-scale.js';
import { measureHeld } from './held.js';
import type { HeldSettings } from './held.js';
import { measureMultiplexed } from './multiplexed.js';
import type { MultiplexedSettings } from './multiplexed.js';
import { clientScaleSection, heldSection, multiplexedSection, throughputSection } from './report.js';
import { measureThroughput } from './throughput.js';
import type { LoadSettings } from './throughput.js';

export interface Plan {
  readonly load: LoadSettings;
  readonly held: HeldSettings;
  readonly client: ClientScaleSettings;
  readonly multiplexed: MultiplexedSettings;
}

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

async function throughputPart(plan: Plan): Promise<string[]> {
  console.log(`GET /status throughput: ${plan.load.connections} connections × ${plan.load.durationS} s...`);
  const throughput = await measureThroughput(plan.load);
  const { ours, bare, bareWithHeaders } = throughput;
  console.log(
    `  ours ${ours.requestsPerSecond.toFixed(0)} req/s, bare ${bare.requestsPerSecond.toFixed(0)} req/s, ` +
      `bare with our headers ${bareWithHeaders.requestsPerSecond.toFixed(0)} req/s`,
  );
  return ['#### GET /status throughput', '', ...throughputSection(throughput, plan.load)];
}

async function heldPart(plan: Plan): Promise<string[]> {
  const needed = plan.held.jobs * plan.held.waitersPerJob;
  const held = [];
  for (const kind of ['long-poll', 'long-poll wake=result', 'events'] as const) {
    console.log(`Held ${kind}: ${needed} waiters...`);
    const r = await measureHeld(kind, plan.held);
    console.log(
      `  held ${r.maxHeld}, RSS peak ${mib(r.rssPeakBytes)}, answer p50 ${r.latencyP50Ms} ms p99 ` +
        `${r.latencyP99Ms} ms max ${r.latencyMaxMs} ms, ${r.failures} failed ${r.firstFailure ?? ''}`,
    );
    held.push(r);
  }
  return [
    '#### Held waits on one server process',
    '',
    `${plan.held.jobs} jobs × ${plan.held.waitersPerJob} waiters on raw TCP sockets (the request written by ` +
      `hand), the jobs completing evenly over ${plan.held.spreadMs} ms starting ${plan.held.firstCompletionMs / 1000} s ` +
      'after creation. A long-poll waiter sends `Prefer: wait=30` with the `If-None-Match` of its last answer ' +
      'and asks again after each stage change, as a long-polling client that follows stages does; a ' +
      '`wake=result` waiter adds `?wake=result` and is answered once, when its job ends, as the client ' +
      'library asks when no one follows the stages; an event-stream waiter reads ' +
      '`GET /jobs/:id/events` until the terminal event. Server memory is read from the server process over ' +
      'IPC every 200 ms; "held at once" is its own gauge. `maxHeldRequests` is raised to ' +
      `${Math.max(10_000, 2 * needed)} for this run, and so is \`maxHeldPerClient\` (every waiter comes from one address).`,
    '',
    ...heldSection(held),
  ];
}

async function clientPart(plan: Plan): Promise<string[]> {
  const results = [];
  for (const mode of ['waitForCompletion', 'waitForAll'] as const) {
    console.log(`One client, ${plan.client.jobs} jobs, ${mode}...`);
    const r = await measureClientScale(mode, plan.client);
    console.log(
      `  jobs created in ${(r.createMs / 1000).toFixed(1)} s; ${r.serverRequests} requests (server) in ` +
        `${(r.wallMs / 1000).toFixed(1)} s, RSS peak ${mib(r.rssPeakBytes)}, lateness p99 ` +
        `${r.delayP99Ms} ms, ${r.failures} failed ${r.firstFailure ?? ''}`,
    );
    results.push(r);
  }
  return [
    '#### One client waiting on many jobs',
    '',
    `${plan.client.jobs} jobs ending evenly over ${plan.client.spreadMs / 1000} s from ` +
      `${plan.client.firstEndMs / 1000} s after their creation began (made in the server’s store, each ` +
      'given the duration that ends it at its moment; "waits began before the first end" says how long ' +
      'each row had), waited on by one client process (its own process, default options, Node’s fetch); memory ' +
      'sampled in that process every 100 ms, and its CPU time (user and system) from the first wait to the ' +
      'last settling, which says what the waits cost whatever else the machine runs. "Live heap per pending ' +
      'wait": the heap in use after a full collection (`--expose-gc`) halfway between the start of the waits ' +
      'and the first end, less the same before the first wait, divided by the waits. Each job’s lateness is from its `completed_at` to the moment ' +
      'its own wait settles (`onSettled` for `waitForAll`); no wait follows the stages. Requests are counted ' +
      'by the server (its request counter over the wait routes) and by the client’s `fetch`. Targets ' +
      '(issue 12): peak RSS under 150 MiB, separate waits within 1.25x of `waitForAll`, at most 0.05 ' +
      'requests per job, p99 lateness at most 100 ms.',
    '',
    ...clientScaleSection(results),
  ];
}

async function multiplexedPart(plan: Plan): Promise<string[]> {
  const m = plan.multiplexed;
  const results = [];
  for (const wake of ['result', 'change'] as const) {
    console.log(`Multiplexed streams, ${m.streams} × ${m.idsPerStream} jobs, wake=${wake}...`);
    const r = await measureMultiplexed(wake, m);
    console.log(
      `  jobs created in ${(r.createMs / 1000).toFixed(1)} s; ${r.endings} endings, RSS peak ` +
        `${mib(r.rssPeakBytes)}, delivery p99 ${r.delay.p99Ms} ms, ${r.failures} failed ${r.firstFailure ?? ''}`,
    );
    results.push(r);
  }
  return [
    '#### One server holding many jobs over multiplexed streams',
    '',
    `${m.streams * m.idsPerStream} jobs ending evenly over ${m.spreadMs / 1000} s from ${m.firstEndMs / 1000} s ` +
      'after their creation began (as above), held ' +
      `over ${m.streams} streams of \`GET /events?ids=\` with ${m.idsPerStream} distinct jobs each, read by a ` +
      'raw-socket load generator (the request written by hand, not the client library); stream k takes ' +
      'every job whose index is k modulo the number of streams, so its endings spread over the whole run. ' +
      'With `wake=result` a stream sends each job’s first state and then only its ending; without it, every ' +
      'stage change. Server memory over IPC every 200 ms, as above. Delivery delay: from each job’s ' +
      '`completed_at` to its ending arriving. Targets (issue 12): under 150 MiB, p99 at most 100 ms.',
    '',
    ...multiplexedSection(results),
  ];
}

/** The parts writing the server section, in the order they appear there. */
export const SECTION_PARTS = {
  throughput: throughputPart,
  held: heldPart,
  client: clientPart,
  multiplexed: multiplexedPart,
} as const;

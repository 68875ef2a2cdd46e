/**
 * Adapter that runs the client library's real waiter (`TranslationClient.waitForCompletion`) inside the
 * benchmark. The package is loaded at run time so the benchmark still runs, without these rows, while the
 * client does not export this API yet.
 */
import type { ServerScenario } from '../fake-server.js';
import type { Random } from '../random.js';
import type { Clock } from '../virtual-clock.js';
import { WAIT_BUDGET_MS } from './types.js';
import type { Strategy, StrategySpec } from './types.js';

/** The slice of `@translation-status/client` this adapter relies on. */
interface ClientOptionsUsed {
  readonly baseUrl: string;
  readonly fetch: typeof fetch;
  readonly clock: Clock;
  readonly random: Random;
  readonly transport: string;
  readonly logLevel: 'silent';
  readonly polling?: Record<string, number>;
  /** An adapter object (HeyGen's); absent: this library's protocol. */
  readonly protocol?: object;
}
interface ClientUsed {
  waitForCompletion(jobId: string, options: { timeoutMs: number }): Promise<unknown>;
}
export type TranslationClientClass = new (options: ClientOptionsUsed) => ClientUsed;

// A variable specifier keeps the compiler from requiring the export before the client ships it.
const CLIENT_PACKAGE: string = '@translation-status/client';

/** The client's constructor, or the reason it cannot be used (printed instead of the rows). */
export async function loadTranslationClient(): Promise<TranslationClientClass | string> {
  let mod: unknown;
  try {
    mod = await import(CLIENT_PACKAGE);
  } catch (error) {
    return `cannot import ${CLIENT_PACKAGE} (${error instanceof Error ? error.message : String(error)})`;
  }
  const ctor: unknown =
    typeof mod === 'object' && mod !== null
      ? (mod as Record<string, unknown>)['TranslationClient']
      : undefined;
  if (typeof ctor !== 'function') return `${CLIENT_PACKAGE} does not export TranslationClient yet`;
  const proto: unknown = ctor.prototype;
  if (
    typeof proto !== 'object' ||
    proto === null ||
    typeof (proto as Record<string, unknown>)['waitForCompletion'] !== 'function'
  ) {
    return 'TranslationClient has no waitForCompletion method yet';
  }
  return ctor as TranslationClientClass;
}

/** One wait through the real client, with every dependency injected. */
export function oursStrategy(
  Client: TranslationClientClass,
  transport: string,
  polling: Record<string, number> = {},
  protocol?: object,
): Strategy {
  return async (jobUrl, { fetch, clock, random }) => {
    const url = new URL(jobUrl);
    const jobId = decodeURIComponent(url.pathname.split('/').at(-1) ?? '');
    const client = new Client({
      baseUrl: url.origin,
      fetch,
      clock,
      random,
      transport,
      logLevel: 'silent',
      polling,
      ...(protocol === undefined ? {} : { protocol }),
    });
    await client.waitForCompletion(jobId, { timeoutMs: WAIT_BUDGET_MS });
  };
}

const SCENARIOS: readonly { label: string; scenario: ServerScenario }[] = [
  { label: 'no server hints', scenario: { hints: false, capability: 'none' } },
  { label: 'ETA + Retry-After/Poll-After-Ms', scenario: { hints: true, capability: 'none' } },
  { label: 'long-poll', scenario: { hints: true, capability: 'long-poll' } },
  { label: 'event stream', scenario: { hints: true, capability: 'events' } },
];

/** The four "ours" rows: same client, same defaults ('auto' transport), different servers. */
export function oursSpecs(Client: TranslationClientClass): StrategySpec[] {
  return SCENARIOS.map(({ label, scenario }) => ({
    name: `ours: ${label}`,
    scenario,
    create: () => oursStrategy(Client, 'auto'),
  }));
}

/** What one option buys: the same client, one polling option changed, on the server where it matters. */
const CHANGED: readonly {
  label: string;
  scenario: ServerScenario;
  polling: Record<string, number>;
  changed: string;
}[] = [
  {
    label: 'no server hints, maxDelayMs 90 s',
    scenario: { hints: false, capability: 'none' },
    polling: { maxDelayMs: 90_000 },
    changed: 'blind delays grow to 90 s (default 40 s)',
  },
];

export function oursChangedSpecs(Client: TranslationClientClass): StrategySpec[] {
  return CHANGED.map(({ label, scenario, polling, changed }) => ({
    name: `ours: ${label}`,
    scenario,
    changed,
    create: () => oursStrategy(Client, 'auto', polling),
  }));
}

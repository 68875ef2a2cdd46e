/**
 * A strategy waits for one job to end, talking only through the injected `fetch`, sleeping only on the
 * injected clock and drawing randomness only from the injected generator, so every run is replayable.
 */
import type { ServerScenario } from '../fake-server.js';
import type { Random } from '../random.js';
import type { TraceJob } from '../trace.js';
import type { Clock } from '../virtual-clock.js';

export interface StrategyDeps {
  readonly fetch: typeof fetch;
  readonly clock: Clock;
  readonly random: Random;
}

/** Resolves once the strategy knows the job has ended; rejects if it gave up or failed. */
export type Strategy = (jobUrl: string, deps: StrategyDeps) => Promise<void>;

export interface StrategySpec {
  /** Row label in the results. */
  readonly name: string;
  /** What the simulated server offers this strategy. */
  readonly scenario: ServerScenario;
  /** Builds the strategy for one job (only the physical limit looks at the job itself). */
  readonly create: (job: TraceJob) => Strategy;
  /** Set on the rows of the second table: our client with one option changed from its default. */
  readonly changed?: string;
}

/** Every strategy gets the same budget per job: longer than the longest job in the trace. */
export const WAIT_BUDGET_MS = 3 * 3_600_000;

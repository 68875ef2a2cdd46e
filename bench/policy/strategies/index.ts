/**
 * The rows of the benchmark, each a published default modelled faithfully (see docs/benchmarks.md).
 */
import type { ServerScenario } from '../fake-server.js';
import { AWS_WAITER_DEFAULTS, awsWaiter } from './aws-waiter.js';
import { azureCoreLro } from './azure-core-lro.js';
import { fixedInterval, openAiPollHelper } from './fixed-interval.js';
import { GAX_LRO_DEFAULTS, gaxLro } from './gax-lro.js';
import { physicalLimit } from './physical-limit.js';
import { WAIT_BUDGET_MS } from './types.js';
import type { StrategySpec } from './types.js';

/** A classic server: `{result}` and nothing else to go on. */
export const PLAIN_SERVER: ServerScenario = { hints: false, capability: 'none' };
/** Our server without held requests: ETA in the body, `Retry-After` and `Poll-After-Ms` headers. */
export const HINTING_SERVER: ServerScenario = { hints: true, capability: 'none' };

export function competitorSpecs(): StrategySpec[] {
  return [
    { name: 'naive fixed 1 s', scenario: HINTING_SERVER, create: () => fixedInterval(1000) },
    { name: 'OpenAI poll helpers (5 s)', scenario: HINTING_SERVER, create: () => openAiPollHelper },
    { name: 'Azure core-lro (2 s, plain server)', scenario: PLAIN_SERVER, create: () => azureCoreLro },
    { name: 'Azure core-lro (Retry-After)', scenario: HINTING_SERVER, create: () => azureCoreLro },
    {
      name: 'AWS SDK waiter (2-120 s)',
      scenario: HINTING_SERVER,
      create: () => awsWaiter({ ...AWS_WAITER_DEFAULTS, maxWaitTimeSeconds: WAIT_BUDGET_MS / 1000 }),
    },
    {
      name: 'Google gax LRO (100 ms ×1.3)',
      scenario: HINTING_SERVER,
      create: () => gaxLro(GAX_LRO_DEFAULTS),
    },
  ];
}

export const PHYSICAL_LIMIT: StrategySpec = {
  name: 'physical limit',
  scenario: PLAIN_SERVER,
  create: physicalLimit,
};

/**
 * The rows on a HeyGen-shaped server: `GET /v3/video-translations/{id}` with HeyGen's body and no hint
 * of any kind (HeyGen sends no ETA, progress, Retry-After while pending, long-poll or stream), the same
 * trace for every row. Ours waits through its `heygenV3` adapter; the others read `data.status`.
 */
import type { ServerScenario } from '../fake-server.js';
import { AWS_WAITER_DEFAULTS, awsWaiter } from './aws-waiter.js';
import { azureCoreLro } from './azure-core-lro.js';
import { fixedInterval } from './fixed-interval.js';
import { GAX_LRO_DEFAULTS, gaxLro } from './gax-lro.js';
import { oursStrategy, type TranslationClientClass } from './ours.js';
import { WAIT_BUDGET_MS, type StrategySpec } from './types.js';

export const HEYGEN_SERVER: ServerScenario = { hints: false, capability: 'none', wire: 'heygen-v3' };

// A variable specifier, as for the client itself (ours.ts).
const HEYGEN_ENTRY: string = '@translation-status/client/heygen';

/** The client's `heygenV3` adapter, or why it cannot be had (printed instead of our row). */
export async function loadHeyGenAdapter(): Promise<object | string> {
  try {
    const mod = (await import(HEYGEN_ENTRY)) as Record<string, unknown>;
    const adapter = mod['heygenV3'];
    return typeof adapter === 'object' && adapter !== null ? adapter : `${HEYGEN_ENTRY} has no heygenV3`;
  } catch (error) {
    return `cannot import ${HEYGEN_ENTRY} (${error instanceof Error ? error.message : String(error)})`;
  }
}

export function heygenCompetitorSpecs(): StrategySpec[] {
  return [
    { name: 'HeyGen-shaped: naive fixed 1 s', scenario: HEYGEN_SERVER, create: () => fixedInterval(1000) },
    { name: 'HeyGen-shaped: Azure core-lro (2 s)', scenario: HEYGEN_SERVER, create: () => azureCoreLro },
    {
      name: 'HeyGen-shaped: AWS SDK waiter (2-120 s)',
      scenario: HEYGEN_SERVER,
      create: () => awsWaiter({ ...AWS_WAITER_DEFAULTS, maxWaitTimeSeconds: WAIT_BUDGET_MS / 1000 }),
    },
    {
      name: 'HeyGen-shaped: Google gax LRO (100 ms ×1.3)',
      scenario: HEYGEN_SERVER,
      create: () => gaxLro(GAX_LRO_DEFAULTS),
    },
  ];
}

export function heygenOursSpec(Client: TranslationClientClass, adapter: object): StrategySpec {
  return {
    name: 'HeyGen-shaped: ours (heygenV3)',
    scenario: HEYGEN_SERVER,
    create: () => oursStrategy(Client, 'auto', {}, adapter),
  };
}

/**
 * Every row of the benchmark, in table order. Built the same way in the main thread and in each worker,
 * since functions cannot cross a thread boundary: a worker receives names and rebuilds the specs.
 */
import { heygenCompetitorSpecs, heygenOursSpec, loadHeyGenAdapter } from './strategies/heygen.js';
import { competitorSpecs, PHYSICAL_LIMIT } from './strategies/index.js';
import { loadTranslationClient, oursChangedSpecs, oursSpecs } from './strategies/ours.js';
import type { StrategySpec } from './strategies/types.js';

export interface SpecList {
  readonly specs: StrategySpec[];
  /** Why some rows are missing, e.g. the client library is not ready. */
  readonly notes: string[];
}

export async function allSpecs(): Promise<SpecList> {
  const notes: string[] = [];
  const specs: StrategySpec[] = [...competitorSpecs()];
  const client = await loadTranslationClient();
  if (typeof client === 'string') notes.push(`ours: client not available yet (${client})`);
  else specs.push(...oursSpecs(client));
  specs.push(PHYSICAL_LIMIT);
  specs.push(...heygenCompetitorSpecs());
  const heygen = typeof client === 'string' ? client : await loadHeyGenAdapter();
  if (typeof heygen === 'string') notes.push(`ours on HeyGen: not available (${heygen})`);
  else if (typeof client !== 'string') specs.push(heygenOursSpec(client, heygen));
  if (typeof client !== 'string') specs.push(...oursChangedSpecs(client));
  return { specs, notes };
}

/**
 * Seeded randomness for the trace and the simulated server, so one seed reproduces a whole run. The
 * generator is the server's own, so the benchmark and the simulator draw alike.
 */
import type { Random } from '../../packages/server/src/domain/prng.js';

export type { Random } from '../../packages/server/src/domain/prng.js';
export { childSeed, createRandom as seededRandom, uniform } from '../../packages/server/src/domain/prng.js';

/** A standard normal draw by the Box-Muller transform (one of the pair is enough here). */
export function standardNormal(random: Random): number {
  // 1 - random() lies in (0, 1], so the logarithm is finite.
  const u1 = 1 - random();
  const u2 = random();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

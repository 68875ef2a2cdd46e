/**
 * Seeded randomness for the trace and the simulated server, so one seed reproduces a whole run.
 */

/** Returns floats in [0, 1), like Math.random. */
export type Random = () => number;

/** mulberry32: tiny, fast and good enough for simulation; any 32-bit integer is a valid seed. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A float drawn uniformly from [min, max). */
export function uniform(random: Random, min: number, max: number): number {
  return min + (max - min) * random();
}

/** A standard normal draw by the Box-Muller transform (one of the pair is enough here). */
export function standardNormal(random: Random): number {
  // 1 - random() lies in (0, 1], so the logarithm is finite.
  const u1 = 1 - random();
  const u2 = random();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** A fresh 32-bit seed drawn from `random`, to give each job its own independent generator. */
export function childSeed(random: Random): number {
  return Math.floor(random() * 4294967296) >>> 0;
}

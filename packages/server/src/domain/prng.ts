/**
 * A tiny seeded pseudo-random generator (mulberry32). Every random decision the simulator makes (job
 * durations, outcomes, ETA error, injected faults) draws from one of these, so a seed reproduces a run.
 */
export type Random = () => number;

/** Returns a generator of floats in [0, 1) fully determined by `seed` (any 32-bit integer). */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A float uniformly drawn from [min, max). */
export function uniform(random: Random, min: number, max: number): number {
  return min + (max - min) * random();
}

/** A fresh 32-bit seed drawn from `random`, to derive an independent child generator. */
export function childSeed(random: Random): number {
  return Math.floor(random() * 4294967296) >>> 0;
}

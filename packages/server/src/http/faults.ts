/**
 * Fault injection decisions. Pure: one uniform draw picks at most one fault per request.
 */
import type { Random } from '../domain/prng.js';

export interface FaultRates {
  /** Fraction answered 500 or 503 (half each). */
  readonly errorRate: number;
  /** Fraction answered 429. */
  readonly throttleRate: number;
  /** Fraction whose connection is destroyed. */
  readonly dropRate: number;
  /** Fraction never answered until shutdown. */
  readonly hangRate: number;
}

export type Fault = 'none' | 'drop' | 'hang' | 'throttle' | 'error500' | 'error503';

/** Seconds a client is told to wait after an injected 429 or 503. */
export const FAULT_RETRY_AFTER_SECONDS = 1;

/**
 * Picks the fault for one request. The rates partition [0, 1) in the order drop, hang, throttle, error;
 * a second draw splits errors evenly between 500 and 503. Only the rates in `allowed` apply.
 */
export function decideFault(random: Random, rates: FaultRates, allowed: ReadonlySet<Fault>): Fault {
  const anyFault = rates.dropRate + rates.hangRate + rates.throttleRate + rates.errorRate;
  if (anyFault <= 0) return 'none';
  const u = random();
  let edge = 0;
  const pick = (rate: number, fault: Fault): boolean => {
    edge += rate;
    return u < edge && allowed.has(fault);
  };
  if (pick(rates.dropRate, 'drop')) return 'drop';
  if (pick(rates.hangRate, 'hang')) return 'hang';
  if (pick(rates.throttleRate, 'throttle')) return 'throttle';
  if (u < edge + rates.errorRate) {
    const fault = random() < 0.5 ? 'error500' : 'error503';
    return allowed.has(fault) ? fault : 'none';
  }
  return 'none';
}

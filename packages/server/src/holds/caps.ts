/**
 * Counts what the server holds open (long-polls and event streams), in all and per client, so one
 * client cannot take every slot and the server refuses politely (429/503 with Retry-After) instead of
 * running out of sockets or memory.
 */
import { ApiError, ErrorCode } from '../protocol/errors.js';

export interface HoldLimits {
  /** All clients together. */
  readonly total: number;
  readonly perClient: number;
}

/** Seconds a refused client is told to wait before trying again. */
export const HOLD_RETRY_AFTER_SECONDS = 1;
const RETRY_AFTER: Readonly<Record<string, string>> = Object.freeze({
  'retry-after': String(HOLD_RETRY_AFTER_SECONDS),
});

export class HoldCounter {
  #total = 0;
  readonly #perClient = new Map<string, number>();

  constructor(private readonly limits: HoldLimits) {}

  get total(): number {
    return this.#total;
  }

  heldBy(client: string): number {
    return this.#perClient.get(client) ?? 0;
  }

  /**
   * Takes a slot for `client`, or throws the ApiError to answer: 503 when the server is full, 429 when
   * this client holds its share. Give it back with `release(client)`, once.
   */
  acquire(client: string, what: string): void {
    if (this.#total >= this.limits.total) {
      throw new ApiError(
        ErrorCode.Unavailable,
        `the server already holds its maximum of ${what}`,
        RETRY_AFTER,
      );
    }
    const mine = this.heldBy(client);
    if (mine >= this.limits.perClient) {
      throw new ApiError(
        ErrorCode.RateLimited,
        `This client already holds ${mine} long-polls and event streams, the most allowed`,
        RETRY_AFTER,
      );
    }
    this.#total++;
    this.#perClient.set(client, mine + 1);
  }

  /** Gives back a slot `acquire` took for `client`. */
  release(client: string): void {
    const mine = this.heldBy(client);
    if (mine === 0) return;
    this.#total--;
    if (mine > 1) this.#perClient.set(client, mine - 1);
    else this.#perClient.delete(client);
  }
}

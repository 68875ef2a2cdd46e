/**
 * Every default of the client, in one place and importing nothing, so the option types, the resolvers
 * and the policies all read the same numbers (each option's JSDoc `@default` repeats its value).
 */
export const DEFAULTS = Object.freeze({
  transport: 'auto',
  requestTimeoutMs: 30_000,
  timeoutMs: 4 * 3_600_000,
  longPollWaitS: 300,
  logLevel: 'warn',
  polling: Object.freeze({
    initialDelayMs: 1_000,
    minDelayMs: 250,
    maxDelayMs: 40_000,
    multiplier: 2,
    jitter: 0.2,
    followEta: true,
    etaMargin: 0.2,
    maxEtaDelayMs: 300_000,
  }),
  retry: Object.freeze({
    maxRetries: 10,
    baseDelayMs: 125,
    maxDelayMs: 30_000,
    maxRetryAfterMs: 120_000,
  }),
  // A status read costs the server little, so a retry costs a token, as a success earns one: retries
  // go on while fewer than half the requests fail (a third, when they time out), and a dead server gets
  // 100 of them per client, then 10 a second, before waits slow to probes.
  retryBudget: Object.freeze({
    capacity: 100,
    retryCost: 1,
    timeoutCost: 2,
    successRefill: 1,
    reservePerSecond: 10,
  }),
  batch: Object.freeze({ enabled: true, maxIds: 100, streamBelow: 7 }),
});

/** The protocol's limit on ids per batch request. */
export const MAX_BATCH_IDS = 100;

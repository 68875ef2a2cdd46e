/**
 * When to poll next. Pure: the same context, options and random draws give the same delay.
 *
 * The built-in schedule, in order of preference:
 * 1. ETA: with the job's `eta_ms`, sleep until shortly before the estimate (`eta × (1 − etaMargin)`, at
 *    most `maxEtaDelayMs`); each answer brings a shorter, finer estimate, so polls get denser as the end
 *    nears. Once the estimate is reached (the job overruns), delays grow again from the last one.
 * 2. Server hint: `Poll-After-Ms`, else `Retry-After`, as a "not before", clamped to [min, max].
 * 3. Blind: `initialDelayMs × multiplier^(attempt − 1)`, capped at `maxDelayMs`.
 * Jitter is applied at every step, the cap included: a capped delay lies in [max × (1 − jitter), max],
 * so a crowd of clients never falls into lockstep. A server hint is only ever jittered upwards.
 */
import { ConfigurationError } from '../errors/index.js';
import type { ServerHints } from '../protocol/hints.js';
import type { JobStatus } from '../protocol/status.js';
import { unit } from '../common/unit.js';

export interface PollContext {
  /** Polls (requests) made so far, at least 1. */
  readonly attempt: number;
  /** Milliseconds since the wait started. */
  readonly elapsedMs: number;
  /** Milliseconds until the wait's deadline; Infinity when it has none. */
  readonly remainingMs: number;
  readonly status: JobStatus;
  readonly hints: ServerHints;
  /**
   * The delay slept before the last poll, when that poll was already past the ETA (see `isPastEta`);
   * undefined otherwise, so dense polling after an estimate starts again from the minimum.
   */
  readonly previousDelayMs: number | undefined;
}

/**
 * A replacement schedule: returns the next delay in milliseconds. The result is clamped to
 * [minDelayMs, maxDelayMs] and to the deadline; a negative, NaN or infinite result is a bug in the
 * schedule and throws a ConfigurationError (option `polling.schedule`) rather than hammer or hang.
 */
export type PollSchedule = (ctx: PollContext) => number;

/** The polling schedule, used when the server offers neither an event stream nor long-poll. */
export interface PollingOptions {
  /**
   * First delay when the server gives no hint. Short, so jobs of a few seconds are seen at once.
   * @default 1000
   */
  initialDelayMs: number;
  /** No poll comes sooner than this after the previous one, whatever a hint says. @default 250 */
  minDelayMs: number;
  /**
   * The longest blind delay (no ETA), and the cap on server hints. Jitter spreads delays at the cap
   * over [maxDelayMs × (1 − jitter), maxDelayMs]. 40 s with the 2× growth makes fewer requests than
   * Google's LRO defaults (100 ms ×1.3, cap 60 s) and detects the end sooner at the 95th percentile
   * (docs/benchmarks.md).
   * @default 40000
   */
  maxDelayMs: number;
  /** Growth of the blind delay per poll. @default 2 */
  multiplier: number;
  /** Share of each delay drawn at random (subtracted), so clients never poll in lockstep. 0 to 1. @default 0.2 */
  jitter: number;
  /**
   * Sleep until shortly before the job's `eta_ms` instead of backing off blindly: the single biggest
   * saving when the server estimates.
   * @default true
   */
  followEta: boolean;
  /**
   * Aim this share before the ETA (0.2: at 80% of it). The server's estimate is off by about ±15%,
   * so this usually lands just before the end, and the next ETA, shorter and finer, closes the gap.
   * @default 0.2
   */
  etaMargin: number;
  /**
   * The longest ETA-driven sleep. Longer saves a few requests on hour-long jobs but sees an early
   * failure later (an ETA cannot foresee one); 5 min bounds that.
   * @default 300000
   */
  maxEtaDelayMs: number;
  /** Replaces the built-in schedule. Its result is still clamped to [minDelayMs, maxDelayMs] and the deadline. */
  schedule?: PollSchedule | undefined;
}

export interface ResolvedPollingOptions extends Readonly<Omit<PollingOptions, 'schedule'>> {
  readonly schedule: PollSchedule | undefined;
}

export type PollPlan =
  | { readonly kind: 'sleep'; readonly delayMs: number; readonly last: boolean }
  | { readonly kind: 'deadline' };

/** Room left before a deadline for the last poll's request to come back: 10% of what remains, at most 1 s. */
export const LAST_POLL_MARGIN_MS = 1_000;
export const LAST_POLL_MARGIN_SHARE = 0.1;

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** True when the job's estimate is too close to sleep on: the built-in schedule then polls densely. */
export function isPastEta(status: JobStatus, polling: ResolvedPollingOptions): boolean {
  return (
    polling.followEta &&
    status.etaMs !== undefined &&
    status.etaMs * (1 - polling.etaMargin) < polling.minDelayMs
  );
}

/** The built-in schedule, or the user's (see `PollSchedule`). Bounds: see `delayBounds`. */
export function nextPollDelay(
  ctx: PollContext,
  polling: ResolvedPollingOptions,
  random: () => number,
): number {
  if (polling.schedule !== undefined) {
    const wanted = polling.schedule(ctx);
    if (typeof wanted !== 'number' || !Number.isFinite(wanted) || wanted < 0) {
      throw new ConfigurationError({
        option: 'polling.schedule',
        value: wanted,
        expected: 'a finite number of milliseconds >= 0 from every call',
      });
    }
    return clamp(wanted, polling.minDelayMs, polling.maxDelayMs);
  }
  return builtInDelay(ctx, polling, random);
}

/** Every delay lies in [min, max]; ETA-driven delays may reach `maxEtaDelayMs` when that is larger. */
export function delayBounds(polling: ResolvedPollingOptions): { min: number; max: number } {
  const etaMax = polling.followEta && polling.schedule === undefined ? polling.maxEtaDelayMs : 0;
  return { min: polling.minDelayMs, max: Math.max(polling.maxDelayMs, etaMax) };
}

function builtInDelay(ctx: PollContext, p: ResolvedPollingOptions, random: () => number): number {
  const { minDelayMs: min, maxDelayMs: max, jitter } = p;
  /** `ms`, at most `cap`, less up to `jitter` of itself, in [min, cap]. */
  const jittered = (ms: number, cap = max): number =>
    clamp(Math.min(ms, cap) * (1 - jitter * unit(random())), min, cap);
  const serverFloor = ctx.hints.pollAfterMs ?? ctx.hints.retryAfterMs;
  const floor = serverFloor === undefined ? min : clamp(serverFloor, min, max);
  const etaMs = p.followEta ? (ctx.status.etaMs ?? ctx.hints.etaMs) : undefined;

  if (etaMs !== undefined) {
    const target = etaMs * (1 - p.etaMargin);
    return Math.max(
      floor,
      target >= min
        ? jittered(target, Math.max(max, p.maxEtaDelayMs))
        : // At or past the estimate: poll densely, growing again from the last delay if the job overruns.
          jittered((ctx.previousDelayMs ?? min / p.multiplier) * p.multiplier),
    );
  }

  if (serverFloor !== undefined) {
    if (serverFloor >= max) return jittered(max);
    return clamp(floor * (1 + (jitter / 2) * unit(random())), min, max);
  }

  return jittered(p.initialDelayMs * p.multiplier ** Math.min(Math.max(0, ctx.attempt - 1), 1_000));
}

/**
 * The next step of a polling wait: sleep `delayMs` then poll, or stop at the deadline. When the delay
 * would run into the deadline, one last poll is squeezed in just before it (leaving the request time to
 * come back) rather than giving up early; with no room for that either, the answer is `deadline`.
 */
export function planNextPoll(
  ctx: PollContext,
  polling: ResolvedPollingOptions,
  random: () => number,
): PollPlan {
  const remaining = ctx.remainingMs;
  if (!(remaining > 0)) return { kind: 'deadline' };
  const delayMs = nextPollDelay(ctx, polling, random);
  const margin = Math.min(LAST_POLL_MARGIN_MS, remaining * LAST_POLL_MARGIN_SHARE);
  if (delayMs + margin <= remaining) return { kind: 'sleep', delayMs, last: false };
  const squeezed = remaining - margin;
  // A squeeze shorter than the minimum delay would be a poll right after the previous one: stop instead.
  if (squeezed < polling.minDelayMs) return { kind: 'deadline' };
  return { kind: 'sleep', delayMs: squeezed, last: true };
}

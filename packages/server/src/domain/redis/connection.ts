/**
 * The store's two Redis connections (commands, and pub/sub, which Redis keeps apart) and whether they
 * can be used now. A store behind a network must fail fast rather than hang: commands never wait in an
 * offline queue, each has a deadline for its reply (node-redis's own timeout stops once a command is
 * written), and while Redis is down or stops answering every call rejects at once with
 * StoreUnavailableError. node-redis reconnects by itself; a stalled Redis is known to be back when a
 * PING sent to it is answered.
 */
import type { RedisClientType } from '@redis/client';
import { createClient, ErrorReply } from '@redis/client';
import { redactUrl } from '../../settings/store-url.js';
import { StoreUnavailableError } from '../store-errors.js';
import type { LuaScript } from './scripts.js';
import { runScript } from './scripts.js';

export interface RedisConnectionOptions {
  /** `redis://[user:password@]host:port[/db]`. */
  readonly url: string;
  /** Longest wait for one Redis command before the store answers 503. @default 2000 */
  readonly commandTimeoutMs?: number;
  /** Longest wait for Redis at startup. @default 10000 */
  readonly connectTimeoutMs?: number;
  /** Interval of PING while Redis is stalled. @default 250 */
  readonly probeIntervalMs?: number;
  /** Where connection trouble is reported (never with the password). */
  readonly log?: StoreLog;
}

/** The part of a pino logger the store uses. */
export interface StoreLog {
  warn(object: object, message: string): void;
  info(object: object, message: string): void;
}

const DEFAULTS = { commandTimeoutMs: 2000, connectTimeoutMs: 10_000, probeIntervalMs: 250 } as const;

/** Reconnect quickly at first, then at most once a second. */
const reconnectDelay = (retries: number): number => Math.min(50 * 2 ** retries, 1000);

/** Replies that mean "not now" (loading after a restart, a replica, out of memory), not a bug. */
const TRANSIENT_REPLIES = ['LOADING', 'BUSY', 'MISCONF', 'READONLY', 'MASTERDOWN', 'OOM', 'TRYAGAIN'];

/** Whether an error from node-redis means Redis cannot be reached now (rather than a bug). */
export function isUnavailability(error: unknown): boolean {
  if (error instanceof ErrorReply) return TRANSIENT_REPLIES.some((code) => error.message.startsWith(code));
  return error instanceof Error;
}

type Client = RedisClientType;

export class RedisConnection {
  readonly #url: string;
  readonly #options: Required<Omit<RedisConnectionOptions, 'log'>>;
  readonly #log: StoreLog | undefined;
  readonly #commands: Client;
  readonly #subscriber: Client;
  readonly #listeners = new Set<(available: boolean) => void>();
  #available = false;
  #stalled = false;
  #lastReplyAt = Date.now();
  #probe: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: RedisConnectionOptions) {
    this.#url = options.url;
    this.#options = { ...DEFAULTS, ...options };
    this.#log = options.log;
    this.#commands = createClient({
      url: options.url,
      disableOfflineQueue: true,
      // The deadline is ours (see #guard), over the whole round trip.
      commandOptions: { timeout: 0 },
      socket: { reconnectStrategy: reconnectDelay, connectTimeout: this.#options.commandTimeoutMs },
    });
    this.#subscriber = this.#commands.duplicate();
    for (const client of [this.#commands, this.#subscriber]) {
      client.on('error', (error: unknown) => {
        if (this.#available) this.#log?.warn({ err: error, redis: redactUrl(this.#url) }, 'Redis failed');
        this.#update();
      });
      client.on('ready', () => {
        this.#update();
      });
      client.on('end', () => {
        this.#update();
      });
      client.on('reconnecting', () => {
        this.#update();
      });
    }
  }

  /** Whether the store can answer now: both connections up and Redis answering. */
  get available(): boolean {
    return this.#available;
  }

  /** Calls `listener` on each change of `available`. Returns the unsubscribe function. */
  onAvailability(listener: (available: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Connects both clients; rejects with a message naming Redis (not its password) if it cannot. */
  async connect(): Promise<void> {
    const deadline = this.#options.connectTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        reject(
          new StoreUnavailableError(
            `Cannot reach Redis at ${redactUrl(this.#url)} within ${deadline} ms; is redis-server running there?`,
          ),
        );
      }, deadline);
    });
    const connecting = Promise.all([this.#commands.connect(), this.#subscriber.connect()]);
    connecting.catch(() => undefined);
    try {
      await Promise.race([connecting, timedOut]);
    } catch (error) {
      await this.close();
      throw error;
    } finally {
      clearTimeout(timer);
    }
    this.#update();
  }

  /** Subscribes the pub/sub connection to `channel`; node-redis resubscribes after reconnecting. */
  async listen(channel: string, onMessage: (message: string) => void): Promise<void> {
    await this.#subscriber.subscribe(channel, onMessage);
  }

  /** Runs a script, failing fast with StoreUnavailableError while Redis is unavailable. */
  run(script: LuaScript, keys: readonly string[], args: readonly string[]): Promise<unknown> {
    return this.#guard(() => runScript(this.#commands, script, keys, args));
  }

  /** Sends one command, under the same rules as `run`. */
  send(args: readonly string[]): Promise<unknown> {
    return this.#guard(() => this.#commands.sendCommand(args));
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#probe);
    this.#listeners.clear();
    for (const client of [this.#commands, this.#subscriber]) if (client.isOpen) client.destroy();
    await Promise.resolve();
  }

  async #guard(call: () => Promise<unknown>): Promise<unknown> {
    if (!this.#available) {
      throw new StoreUnavailableError(`Redis at ${redactUrl(this.#url)} is unavailable`);
    }
    const ms = this.#options.commandTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        reject(new StoreUnavailableError(`Redis at ${redactUrl(this.#url)} did not answer within ${ms} ms`));
      }, ms);
    });
    try {
      const reply = await Promise.race([call(), late]);
      this.#lastReplyAt = Date.now();
      return reply;
    } catch (error) {
      if (error instanceof StoreUnavailableError) {
        // A busy process answers late, but answers: Redis counts as gone only when nothing at all has
        // come back for a whole deadline (a hung or unreachable Redis).
        if (Date.now() - this.#lastReplyAt >= ms) this.#stall();
        throw error;
      }
      if (!isUnavailability(error)) throw error;
      if (!(error instanceof ErrorReply)) this.#stall();
      throw new StoreUnavailableError(`Redis at ${redactUrl(this.#url)} failed`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * A command failed or went unanswered: Redis counts as gone until a PING is answered. One PING at a
   * time, waited for as long as it takes (a hung Redis answers it when it wakes); sent again only when
   * the connection drops it.
   */
  #stall(): void {
    if (this.#stalled || this.#closed) return;
    this.#stalled = true;
    this.#update();
    const probe = (): void => {
      this.#probe = undefined;
      this.#commands.sendCommand(['PING']).then(
        () => {
          this.#stalled = false;
          this.#lastReplyAt = Date.now();
          this.#update();
        },
        () => {
          if (!this.#closed) this.#probe = setTimeout(probe, this.#options.probeIntervalMs);
        },
      );
    };
    this.#probe = setTimeout(probe, this.#options.probeIntervalMs);
  }

  #update(): void {
    const available = !this.#closed && !this.#stalled && this.#commands.isReady && this.#subscriber.isReady;
    if (available === this.#available) return;
    this.#available = available;
    if (available) this.#log?.info({ redis: redactUrl(this.#url) }, 'Redis is available');
    else if (!this.#closed) this.#log?.warn({ redis: redactUrl(this.#url) }, 'Redis is unavailable');
    for (const listener of [...this.#listeners]) listener(available);
  }
}

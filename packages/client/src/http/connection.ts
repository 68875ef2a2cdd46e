/**
 * One request on the wire, as the plain reads and the event streams share it: the caller's signal, a
 * silence timer (a whole answer's timeout, or a stream's idle time, re-armed as data comes), and what
 * a failure means: the caller's abort (thrown), a timeout, or a network error.
 */
import type { Clock } from '../common/clock.js';
import { linkSignals } from '../common/signals.js';
import { NetworkError, RequestTimeoutError, type TranslationStatusError } from '../errors/index.js';
import type { RequestFailure } from '../policy/failure.js';

export interface HttpDeps {
  readonly fetch: typeof fetch;
  readonly clock: Clock;
}

export interface RequestFacts {
  readonly jobId: string | undefined;
  readonly url: string;
  readonly elapsedMs?: number;
  readonly attempts?: number;
}

export interface Connection {
  /** Pass it to fetch: it aborts with the caller's signal, and when the silence timer runs out. */
  readonly signal: AbortSignal;
  /** (Re)starts the silence timer: `ms` more without data ends the request as a timeout. */
  arm(ms: number): void;
  /** What `cause` (fetch's or a read's rejection) means. Throws the caller's reason when it aborted. */
  fail(cause: unknown): { failure: RequestFailure; error: TranslationStatusError };
  /** Clears the timer and detaches from the caller's signal. */
  dispose(): void;
}

/** `facts` describe the request in its error, at the moment it fails. */
export function openConnection(
  clock: Pick<Clock, 'sleep'>,
  signal: AbortSignal,
  facts: () => RequestFacts,
): Connection {
  const linked = linkSignals(signal);
  let timer: AbortController | undefined;
  let timedOutAfterMs: number | undefined;
  return {
    signal: linked.signal,
    arm(ms) {
      timer?.abort();
      const current = new AbortController();
      timer = current;
      clock.sleep(ms, current.signal).then(
        () => {
          timedOutAfterMs = ms;
          linked.abort(new DOMException(`no answer within ${ms} ms`, 'TimeoutError'));
        },
        () => undefined, // re-armed or disposed first
      );
    },
    fail(cause) {
      if (signal.aborted) throw signal.reason;
      return timedOutAfterMs === undefined
        ? { failure: { kind: 'network' }, error: new NetworkError({ ...facts(), cause }) }
        : {
            failure: { kind: 'timeout' },
            error: new RequestTimeoutError({ ...facts(), timeoutMs: timedOutAfterMs, cause }),
          };
    },
    dispose() {
      timer?.abort();
      linked.dispose();
    },
  };
}

/**
 * Links abort signals without `AbortSignal.any`, so every listener is removed when the work is done and
 * nothing keeps a finished wait reachable from a long-lived caller signal.
 */
export interface LinkedSignal {
  readonly signal: AbortSignal;
  /** Aborts the linked signal with `reason` (no effect once aborted). */
  abort(reason: unknown): void;
  /** Detaches from every parent; call it when the work is finished. */
  dispose(): void;
}

/** Calls `listener` once when `signal` aborts; returns what removes it, for when the work ends first. */
export function whenAborted(signal: AbortSignal, listener: () => void): () => void {
  signal.addEventListener('abort', listener, { once: true });
  return () => {
    signal.removeEventListener('abort', listener);
  };
}

export function linkSignals(...parents: readonly (AbortSignal | undefined)[]): LinkedSignal {
  const controller = new AbortController();
  const detachers: (() => void)[] = [];
  const dispose = (): void => {
    for (const detach of detachers.splice(0)) detach();
  };
  const abort = (reason: unknown): void => {
    controller.abort(reason);
    dispose();
  };
  for (const parent of parents) {
    if (parent?.aborted === true) {
      abort(parent.reason);
      break;
    }
    if (parent !== undefined)
      detachers.push(
        whenAborted(parent, () => {
          abort(parent.reason);
        }),
      );
  }
  return { signal: controller.signal, abort, dispose };
}

/**
 * A signal that also aborts `timeoutMs` after now on `clock`, with the reason `onTimeout()` builds at
 * that moment. `dispose` clears the timer and detaches from `parent`.
 */
export function withDeadline(
  clock: { sleep(ms: number, signal?: AbortSignal): Promise<void> },
  timeoutMs: number,
  parent: AbortSignal | undefined,
  onTimeout: () => unknown,
): LinkedSignal {
  const linked = linkSignals(parent);
  const timer = new AbortController();
  if (Number.isFinite(timeoutMs) && !linked.signal.aborted) {
    clock.sleep(timeoutMs, timer.signal).then(
      () => {
        linked.abort(onTimeout());
      },
      () => undefined, // disposed first
    );
  }
  return {
    ...linked,
    dispose: () => {
      timer.abort();
      linked.dispose();
    },
  };
}

/** Resolves when `promise` settles (whichever way), or rejects with the signal's reason on abort. */
export function settledOrAborted(promise: Promise<unknown>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<void>((resolve, reject) => {
    const detach = whenAborted(signal, () => {
      reject(signal.reason as Error);
    });
    const done = (): void => {
      detach();
      resolve();
    };
    promise.then(done, done);
  });
}

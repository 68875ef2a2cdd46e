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

export function linkSignals(...parents: readonly (AbortSignal | undefined)[]): LinkedSignal {
  const controller = new AbortController();
  const detachers: (() => void)[] = [];
  const dispose = (): void => {
    for (const detach of detachers.splice(0)) detach();
  };
  for (const parent of parents) {
    if (parent === undefined) continue;
    if (parent.aborted) {
      controller.abort(parent.reason);
      break;
    }
    const onAbort = (): void => {
      controller.abort(parent.reason);
      dispose();
    };
    parent.addEventListener('abort', onAbort, { once: true });
    detachers.push(() => {
      parent.removeEventListener('abort', onAbort);
    });
  }
  if (controller.signal.aborted) dispose();
  return {
    signal: controller.signal,
    abort(reason) {
      controller.abort(reason);
      dispose();
    },
    dispose,
  };
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
    signal: linked.signal,
    abort: (reason) => {
      linked.abort(reason);
    },
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
    const onAbort = (): void => {
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const done = (): void => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    };
    promise.then(done, done);
  });
}

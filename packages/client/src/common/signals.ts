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

/** Outcomes only the CLI names: a signal ended the wait, or the job was never read at all. */

/** The reason a command aborts its wait with when a signal arrives. */
export class InterruptedError extends Error {
  readonly code: 'interrupted' | 'terminated';

  constructor(readonly signal: 'SIGINT' | 'SIGTERM') {
    super(`interrupted by ${signal}: stopped waiting (the job itself goes on)`);
    this.name = 'InterruptedError';
    this.code = signal === 'SIGINT' ? 'interrupted' : 'terminated';
  }
}

/** `wait --max-time` passed with the job still pending: this run stopped, its wait saved to go on. */
export class StoppedError extends Error {
  readonly code = 'wait_timeout';

  constructor(maxTime: string, checkpointFile: string) {
    super(
      `stopped after --max-time ${maxTime} with the job still pending; the wait is saved in ${checkpointFile}: run the same command to go on`,
    );
    this.name = 'StoppedError';
  }
}

/**
 * The wait's time ran out without one status read: not "still pending" (nobody knows), but the server
 * unreachable or not speaking the protocol. `cause` is the last failure.
 */
export class UnreachableError extends Error {
  readonly code = 'unreachable';

  constructor(
    readonly timeoutMs: number,
    readonly attempts: number | undefined,
    cause: unknown,
  ) {
    super('never read the status', { cause });
    this.name = 'UnreachableError';
  }
}

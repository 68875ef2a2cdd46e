import type { CliIo } from './io.js';

/** One subcommand of `translation-status`. */
export interface Command {
  /** One line for the command list. */
  readonly summary: string;
  /** Runs the command with the arguments after its name; resolves to the exit code. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}

/** A usage error: printed with a hint to use --help, exit code 2. */
export class UsageError extends Error {
  readonly code = 'usage';

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UsageError';
  }
}

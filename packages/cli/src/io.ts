/** Where a command reads and writes; injected so commands can be tested in-process. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean | undefined };
  readonly stderr: { write(text: string): unknown };
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Exit codes, documented in packages/cli/README.md. */
export const EXIT_OK = 0;
/** The job ended in error. */
export const EXIT_FAILURE = 1;
/** Bad usage: unknown command or flag, invalid setting or option. */
export const EXIT_USAGE = 2;
/** The wait's --timeout passed while the job was still pending. */
export const EXIT_TIMEOUT = 3;
/** Anything else: the server refused, the network failed, retries ran out, the port was taken. */
export const EXIT_ERROR = 4;
/** Interrupted by Ctrl-C (SIGINT), as shells report 128 + 2. */
export const EXIT_INTERRUPTED = 130;

/** Colours only on a terminal, and never when NO_COLOR is set to anything non-empty (no-color.org). */
export function useColor(io: CliIo): boolean {
  const noColor = io.env['NO_COLOR'];
  return io.stdout.isTTY === true && (noColor === undefined || noColor === '');
}

/** Where a command reads and writes; injected so commands can be tested in-process. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean | undefined };
  readonly stderr: { write(text: string): unknown };
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Exit codes. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
/** Bad usage: unknown command or flag, invalid setting. */
export const EXIT_USAGE = 2;

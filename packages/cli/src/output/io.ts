/** Where a command reads and writes; injected so commands can be tested in-process. */
export interface CliIo {
  readonly stdout: {
    write(text: string): unknown;
    readonly isTTY?: boolean | undefined;
    /** The terminal's width, when stdout is one. */
    readonly columns?: number | undefined;
  };
  readonly stderr: { write(text: string): unknown };
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** A terminal that understands cursor movement: a TTY, and not TERM=dumb. */
export function isLiveTerminal(io: CliIo): boolean {
  return io.stdout.isTTY === true && io.env['TERM'] !== 'dumb';
}

/** Colours only on a live terminal, and never when NO_COLOR is set to anything non-empty (no-color.org). */
export function useColor(io: CliIo): boolean {
  const noColor = io.env['NO_COLOR'];
  return isLiveTerminal(io) && (noColor === undefined || noColor === '');
}

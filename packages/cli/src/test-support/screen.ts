/**
 * A minimal terminal for tests: replays what a program wrote to a pseudo-terminal onto a grid of
 * `columns`, honouring what our output uses (CR, LF, auto-wrap, cursor up, erase line, erase below,
 * colours ignored), so a test can assert what the user is left looking at.
 */

export interface ScreenRow {
  readonly text: string;
  /** The row began because the one above ran past the last column. */
  readonly continued: boolean;
}

export function replayTerminal(output: string, columns: number): ScreenRow[] {
  const rows: { cells: string[]; continued: boolean }[] = [{ cells: [], continued: false }];
  let row = 0;
  let col = 0;
  const at = (index: number): { cells: string[]; continued: boolean } => {
    while (rows.length <= index) rows.push({ cells: [], continued: false });
    return rows[index] ?? { cells: [], continued: false };
  };
  for (let i = 0; i < output.length; i++) {
    const ch = output[i] ?? '';
    if (ch === '\u001b') {
      // eslint-disable-next-line no-control-regex
      const match = /^\u001b\[([0-9;?]*)([A-Za-z])/.exec(output.slice(i, i + 16));
      if (match === null) continue;
      const [all, args = '', command] = match;
      const n = args === '' ? 1 : Number(args);
      if (command === 'A') row = Math.max(0, row - n);
      else if (command === 'K') at(row).cells = args === '2' ? [] : at(row).cells.slice(0, col);
      else if (command === 'J') {
        at(row).cells = at(row).cells.slice(0, col);
        rows.length = row + 1;
      }
      i += all.length - 1;
    } else if (ch === '\r') col = 0;
    else if (ch === '\n') {
      row += 1;
      at(row);
    } else {
      if (col >= columns) {
        row += 1;
        col = 0;
        at(row).cells = [];
        at(row).continued = true;
      }
      const cells = at(row).cells;
      while (cells.length < col) cells.push(' ');
      cells[col] = ch;
      col += 1;
    }
  }
  // A row that wrapped keeps its trailing blanks: they are part of the line the program wrote.
  return rows.map((r, index) => {
    const text = r.cells.join('');
    return { text: rows[index + 1]?.continued === true ? text : text.trimEnd(), continued: r.continued };
  });
}

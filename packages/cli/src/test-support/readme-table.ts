/**
 * The CLI README's one table, derived from the command declarations, the exit-code table and the JSON
 * events: a row per command, flag, exit code and event. The README test compares the README with it;
 * `UPDATE_README=1` writes it in.
 */
import { flagDetails, flagSynopsis } from '../args/help.js';
import type { Command } from '../command.js';
import { EVENTS } from '../output/events.js';
import { EXIT_MEANINGS } from '../runtime/exit-codes.js';

export const TABLE_START = '<!-- the table: generated from the command declarations; see readme.test.ts -->';
export const TABLE_END = '<!-- end of the table -->';

/** serve's flags are the server's settings, documented there. */
const SETTINGS_LINK =
  'each server setting is a flag, e.g. `--port N`, `--delay N`, `--time-scale X`: [docs/server.md](../../docs/server.md#settings), `serve --help`';

function code(text: string): string {
  return `\`${text}\``;
}

export function readmeRows(commands: readonly Command[]): string[][] {
  const rows: string[][] = [];
  for (const command of commands) {
    const positionals = command.spec.positionals.map((p) =>
      p.optional === true ? ` [${p.name}]` : ` ${p.name}`,
    );
    rows.push(['command', code(`${command.name}${positionals.join('')}`), '', command.summary]);
  }
  // One row per distinct flag; a flag shared by several commands with the same meaning is one row.
  const flags = new Map<string, { name: string; commands: string[]; meaning: string }>();
  for (const command of commands) {
    if (command.name === 'serve') continue;
    for (const [name, flag] of Object.entries(command.spec.flags)) {
      const details = flagDetails(flag);
      const meaning = details === '' ? flag.help : `${flag.help} (${details})`;
      const key = `${flagSynopsis(name, flag)}\u0000${meaning}`;
      const row = flags.get(key) ?? { name: flagSynopsis(name, flag), commands: [], meaning };
      row.commands.push(command.name);
      flags.set(key, row);
    }
  }
  const serve = commands.find((c) => c.name === 'serve');
  if (serve !== undefined) rows.push(['flag', code('--<setting>'), 'serve', SETTINGS_LINK]);
  for (const row of flags.values()) rows.push(['flag', code(row.name), row.commands.join(', '), row.meaning]);
  rows.push([
    'flag',
    code('-h, --help'),
    'all',
    'print the help of the command; alone, the list of commands',
  ]);
  rows.push(['flag', code('-v, --version'), '—', 'print the version: `translation-status --version`']);
  for (const [exit, meaning] of Object.entries(EXIT_MEANINGS)) {
    const users = commands.filter((c) => Object.hasOwn(c.spec.exits, exit)).map((c) => c.name);
    rows.push(['exit code', code(exit), users.join(', '), meaning]);
  }
  for (const [name, event] of Object.entries(EVENTS)) {
    const fields = Object.entries(event.fields).map(([field, meaning]) => `${code(field)}: ${meaning}`);
    rows.push(['event', code(name), event.commands.join(', '), fields.join('; ')]);
  }
  return rows;
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

export function renderTable(rows: readonly (readonly string[])[]): string {
  const header = ['kind', 'name', 'commands', 'what it is'];
  return [header, header.map(() => '---'), ...rows]
    .map((row) => `| ${row.map(cell).join(' | ')} |`)
    .join('\n');
}

/** A markdown table's rows as trimmed cells (the separator row left out), whatever its padding. */
export function parseTable(markdown: string): string[][] {
  return markdown
    .split('\n')
    .filter((line) => line.trim().startsWith('|'))
    .map((line) =>
      line
        .trim()
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim()),
    )
    .filter((row) => !row.every((c) => /^:?-+:?$/.test(c)));
}

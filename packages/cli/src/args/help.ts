/** The --help screen, rendered from the same declarations the parser reads. */
import { NON_EMPTY, type Flag, type FlagTable, type Positional } from './flags.js';
import { flagLabel } from './parse.js';

export interface HelpSpec {
  /** The command's name after `translation-status`. */
  readonly name: string;
  /** A paragraph or two: what the command does and prints. */
  readonly description: string;
  readonly positionals: readonly Positional[];
  readonly flags: FlagTable;
  /** Exit code → what it means for this command. */
  readonly exits: Readonly<Record<number, string>>;
}

const WIDTH = 24;

/** `--timeout DURATION`, `-h, --help`, `--[no-]lip-sync`. */
export function flagSynopsis(name: string, flag: Flag): string {
  const long = flag.negatable === true ? `--[no-]${name}` : flagLabel(name);
  const withValue = flag.metavar === undefined ? long : `${long} ${flag.metavar}`;
  return flag.short === undefined ? withValue : `-${flag.short}, ${withValue}`;
}

/** What a flag accepts, its default and its variable, e.g. `one of auto, sse; default auto; env X`. */
export function flagDetails(flag: Flag): string {
  const parts: string[] = [];
  if (flag.required === true) parts.push('required');
  if (flag.accepts !== undefined && flag.accepts !== NON_EMPTY) parts.push(flag.accepts);
  const shownDefault =
    typeof flag.default === 'string' || typeof flag.default === 'number' ? String(flag.default) : undefined;
  const fallback = flag.defaultText ?? (flag.metavar === undefined ? undefined : shownDefault);
  if (fallback !== undefined) parts.push(`default ${fallback}`);
  if (flag.env !== undefined) parts.push(`env ${flag.env}`);
  return parts.join('; ');
}

/** Lines this long or shorter keep a flag's details beside its help. */
const LINE = 100;

function entry(left: string, help: string, details: string): string {
  const head = left.length < WIDTH - 3 ? `  ${left.padEnd(WIDTH - 2)}` : `  ${left}\n${''.padEnd(WIDTH)}`;
  const lastLine = head.split('\n').at(-1) ?? '';
  if (details === '') return `${head}${help}`;
  const beside = `${help} (${details})`;
  return lastLine.length + beside.length <= LINE
    ? `${head}${beside}`
    : `${head}${help}\n${''.padEnd(WIDTH)}(${details})`;
}

/** `translation-status create --target LANG --duration SECONDS [options]`. */
export function usageLine(spec: HelpSpec): string {
  const required = Object.entries(spec.flags)
    .filter(([, flag]) => flag.required === true)
    .map(([name, flag]) => flagSynopsis(name, flag));
  const positionals = spec.positionals.map((p) => (p.optional === true ? `[${p.name}]` : p.name));
  return ['translation-status', spec.name, ...positionals, ...required, '[options]'].join(' ');
}

export function renderHelp(spec: HelpSpec): string {
  const sections = [`Usage: ${usageLine(spec)}`, spec.description.trim()];
  if (spec.positionals.length > 0) {
    sections.push(['Arguments:', ...spec.positionals.map((p) => entry(p.name, p.help, ''))].join('\n'));
  }
  sections.push(
    [
      'Options:',
      ...Object.entries(spec.flags).map(([name, flag]) =>
        entry(flagSynopsis(name, flag), flag.help, flagDetails(flag)),
      ),
      entry('-h, --help', 'show this help', ''),
    ].join('\n'),
  );
  sections.push(
    [
      'Exit codes:',
      ...Object.entries(spec.exits).map(([code, meaning]) => `  ${code.padEnd(5)}${meaning}`),
    ].join('\n'),
  );
  return `${sections.join('\n\n')}\n`;
}

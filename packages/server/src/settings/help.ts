/**
 * The command-line views of the settings table: `parseArgs` options and the help text.
 */
import { DEFAULT_SETTINGS, SETTING_SPECS } from './settings.js';

/** `node:util` parseArgs options for every setting (booleans accept --no-<flag>). */
export function settingsArgOptions(): Record<string, { type: 'string' | 'boolean' }> {
  return Object.fromEntries(
    SETTING_SPECS.map((spec) => [spec.flag, { type: spec.kind === 'boolean' ? 'boolean' : 'string' }]),
  );
}

/** Help lines for every setting: flag, help line, default, range, environment variables. */
export function settingsHelp(): string {
  const lines = SETTING_SPECS.map((spec) => {
    const value = DEFAULT_SETTINGS[spec.key];
    const shown = Array.isArray(value) ? (value.length === 0 ? '(none)' : value.join(',')) : String(value);
    const flag = spec.kind === 'boolean' ? `--[no-]${spec.flag}` : `--${spec.flag} <value>`;
    const range =
      spec.min !== undefined && spec.max !== undefined ? `; range ${spec.min} to ${spec.max}` : '';
    return `  ${flag.padEnd(30)} ${spec.description}\n  ${''.padEnd(30)} default ${shown}${range}; env ${spec.env.join(', ')}`;
  });
  return lines.join('\n');
}

/**
 * `@translation-status/server/settings`: what a command line needs of the server without loading it
 * (no Fastify, Redis or telemetry): the settings table and how it resolves, and the input limit that
 * `create --duration` checks. The CLI's client commands import only this, so they start in a third of
 * the time; the package's main entry re-exports all of it.
 */
export { MAX_VIDEO_SECONDS } from '../protocol/schemas.js';
export { settingsArgOptions, settingsHelp } from './help.js';
export type { LogLevel, ServerSettings, SettingSpec } from './settings.js';
export {
  DEFAULT_SETTINGS,
  LOG_LEVELS,
  resolveSettings,
  SETTING_SPECS,
  SettingsError,
  validateSettings,
} from './settings.js';
export type { SettingRow } from './table.js';
export { SETTINGS } from './table.js';

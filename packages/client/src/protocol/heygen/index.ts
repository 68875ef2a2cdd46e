/**
 * `@translation-status/client/heygen`: adapters that wait on HeyGen's video translation API
 * (`protocol: heygenV3`). An entry of its own, so no one else's bundle carries them.
 * @module @translation-status/client/heygen
 */
export { heygenV2 } from './v2.js';
export { heygenV3 } from './v3.js';
export { TRANSLATION_FAILED } from './envelope.js';
export type { HeyGenV2Input, HeyGenV3Input } from './inputs.js';

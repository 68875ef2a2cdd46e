/**
 * The `protocol` option: a name, or an adapter object. HeyGen's adapters are named here but loaded
 * with a dynamic `import()` on the first call, so `TranslationClient` alone does not carry them.
 */
import { classicProtocol, translationStatusProtocol, type ProtocolAdapter } from './adapter.js';

/** A named adapter not loaded yet: what requests need before it is (the key's header), and how to load it. */
export interface LazyProtocol {
  readonly name: string;
  readonly apiKeyHeader: string;
  load(): Promise<ProtocolAdapter<unknown>>;
}

export type ChosenProtocol = ProtocolAdapter<unknown> | LazyProtocol;

export const PROTOCOL_EXPECTED = "'translation-status', 'classic', 'heygen-v2', 'heygen-v3' or an adapter";

/** Enough to tell an adapter from a mistake; its types are the compiler's to check. */
function isAdapter(value: unknown): value is ProtocolAdapter<unknown> {
  const v = value as Partial<ProtocolAdapter<unknown>> | null;
  return typeof v?.readStatus === 'function' && typeof v.statusUrl === 'function';
}

/** The adapter `value` names or is; undefined when it is neither. */
export function chooseProtocol(value: unknown): ChosenProtocol | undefined {
  if (value === undefined || value === 'translation-status') return translationStatusProtocol;
  if (value === 'classic') return classicProtocol;
  if (value === 'heygen-v2' || value === 'heygen-v3') {
    return {
      name: value,
      apiKeyHeader: 'x-api-key',
      load: async () => {
        const heygen = await import('./heygen/index.js');
        return value === 'heygen-v2' ? heygen.heygenV2 : heygen.heygenV3;
      },
    };
  }
  return isAdapter(value) ? value : undefined;
}

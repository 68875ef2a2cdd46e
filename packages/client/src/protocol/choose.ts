/**
 * The `protocol` option: a built-in name, or an adapter object. HeyGen's adapters are objects from
 * `@translation-status/client/heygen` only, so they are in no one else's bundle.
 */
import { classicProtocol, translationStatusProtocol, type ProtocolAdapter } from './adapter.js';

/** Enough to tell an adapter from a mistake; its types are the compiler's to check. */
function isAdapter(value: unknown): value is ProtocolAdapter<unknown> {
  const v = value as Partial<ProtocolAdapter<unknown>> | null;
  return typeof v?.readStatus === 'function' && typeof v.statusUrl === 'function';
}

/** The adapter `value` names or is, else what the option accepts (naming the import HeyGen needs). */
export function chooseProtocol(value: unknown): ProtocolAdapter<unknown> | string {
  if (value === undefined || value === 'translation-status') return translationStatusProtocol;
  if (value === 'classic') return classicProtocol;
  if (isAdapter(value)) return value;
  const heygen = typeof value === 'string' ? /^heygen-(v[23])$/.exec(value)?.[1]?.toUpperCase() : undefined;
  return heygen === undefined
    ? "'translation-status', 'classic' or an adapter object"
    : `the adapter object: import { heygen${heygen} } from '@translation-status/client/heygen' and pass protocol: heygen${heygen}`;
}
